"""An empty table or tree says what to do next, in its viewport, and the hint goes when a row comes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDockWidget

from ui import empty_state


def _show(dock: QDockWidget) -> None:
    dock.setFloating(True)
    dock.show()
    dock.resize(900, 300)
    QApplication.processEvents()


def _ink(view: QAbstractItemView) -> int:
    """How many pixels of the viewport's middle band are not its background: the hint's text."""
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    background = view.viewport().palette().color(QPalette.ColorRole.Base).rgb()
    height, width = image.height(), image.width()
    band = range(max(0, height // 2 - 30), min(height, height // 2 + 30))
    return sum(1 for y in band for x in range(0, width, 2) if QColor(image.pixel(x, y)).rgb() != background)


def _shows(view: QAbstractItemView, text: str) -> None:
    hint = view.empty_hint
    assert hint.hint_visible() and hint.text() == text
    assert hint.label.isVisible() and hint.label.geometry().intersects(view.viewport().rect())
    assert _ink(view) > 20, "the hint is not painted"


def _gone(view: QAbstractItemView) -> None:
    assert view.model().rowCount() > 0
    assert not view.empty_hint.hint_visible() and view.empty_hint.text() == ""
    assert not view.empty_hint.label.isVisible()


def test_annotation_table_says_how_to_annotate_then_hides(window) -> None:
    project, table = window.project, window.table.table
    document = window.panes.panes()[0].document_id
    _shows(table, empty_state.ANNOTATIONS)
    added = project.add_annotation(document, 0, 8, "Actor", annotator="ana")
    _gone(table)
    window.table.search.setText("nothing like this")
    _shows(table, empty_state.ANNOTATIONS_FILTERED)
    window.table.search.clear()
    _gone(table)
    project.delete_annotation(added.id)
    _shows(table, empty_state.ANNOTATIONS)


def test_figures_dock_hint_until_a_figure_is_tagged(window) -> None:
    _show(window.figures_dock)
    table = window.figures.table
    _shows(table, empty_state.FIGURES)
    b = window.project.documents(with_text=False)[1].id
    window.project.add_annotation(b, 5, 10, "Figure", annotator="ana", attributes={"value": 1200})
    _gone(table)
    window.figures.filter.setText("no such figure")
    _shows(table, empty_state.FIGURES_FILTERED)


def test_claims_dock_hint_until_two_claims_are_linked(window) -> None:
    _show(window.claims_dock)
    tree = window.claims.tree
    _shows(tree, empty_state.CLAIMS)
    a, b = (d.id for d in window.project.documents(with_text=False))
    first = window.project.add_annotation(a, 0, 8, "Claim", annotator="ana")
    second = window.project.add_annotation(b, 0, 10, "Claim", annotator="ana")
    window.project.add_relation(first.id, second.id, "same-claim", annotator="ana")
    _gone(tree)
    window.project.undo()
    _shows(tree, empty_state.CLAIMS)


def test_entities_dock_hint_until_an_entity_exists_and_quotes_the_filter(window) -> None:
    _show(window.entities_dock)
    table = window.entities.table
    _shows(table, empty_state.ENTITIES)
    window.project.add_entity("Syrian Observatory for Human Rights")
    window.entities.ensure_fresh()
    _gone(table)
    window.entities.filter.setText("Reuters")
    window.entities.ensure_fresh()
    _shows(table, "No entity matches “Reuters”")


def test_search_dock_says_what_to_type_and_hides_with_hits(window) -> None:
    _show(window.search_dock)
    table = window.search.table
    _shows(table, empty_state.SEARCH)
    window.search.query.setText("Alawites")
    window.search.run()
    _gone(table)
    window.search.query.setText("zebra")
    window.search.run()
    assert not table.empty_hint.hint_visible()  # the summary says "No match"
    assert window.search.summary.text() == "No match"
    window.search.query.clear()
    window.search.run()
    _shows(table, empty_state.SEARCH)


def test_document_list_names_the_filter_that_hides_everything(window) -> None:
    documents = window.documents
    _gone(documents.table)
    documents.filter.setText("zebra")
    _shows(documents.table, "No document matches “zebra”")
    documents.filter.clear()
    _gone(documents.table)


def test_the_hint_follows_the_viewport_size(window) -> None:
    _show(window.claims_dock)
    tree = window.claims.tree
    window.claims_dock.resize(400, 260)
    QApplication.processEvents()
    assert tree.empty_hint.label.geometry() == tree.viewport().rect().adjusted(12, 12, -12, -12)


def _viewport_state(view: QAbstractItemView) -> dict[str, object]:
    from PySide6.QtCore import Qt

    viewport = view.viewport()
    # set-up, not bookkeeping: WA_WState_* and WA_Pending* say which events Qt still owes
    attributes = [name for name in dir(Qt.WidgetAttribute)
                  if name.startswith("WA_") and not name.startswith(("WA_WState_", "WA_Pending"))]
    return {
        "name": viewport.objectName(), "role": viewport.backgroundRole(), "fill": viewport.autoFillBackground(),
        "parent": viewport.parentWidget() is view, "proxy": viewport.focusProxy() is view,
        "focus": viewport.focusPolicy(), "tracking": viewport.hasMouseTracking(), "drops": viewport.acceptDrops(),
        "geometry": viewport.geometry().getRect(), "visible": viewport.isVisible(),
        "cursor": viewport.cursor().shape(), "menu": viewport.contextMenuPolicy(),
        "attributes": [name for name in attributes if viewport.testAttribute(getattr(Qt.WidgetAttribute, name))],
    }


def test_a_viewport_made_in_python_is_set_up_and_paints_as_qts_own(qtbot):
    """own_viewport (the start's way round PySide6 making every widget class) changes nothing seen."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView, QTreeView

    for kind in (QTableView, QTreeView):
        views = []
        for own in (False, True):
            model = QStandardItemModel(0, 2)
            for row in range(30):
                model.appendRow([QStandardItem(f"row {row}"), QStandardItem(str(row * 7))])
            view = kind()
            view.setModel(model)
            view.setAlternatingRowColors(True)
            if own:
                assert empty_state.own_viewport(view) is view.viewport()
            qtbot.addWidget(view)
            view.resize(300, 200)
            view.show()
            qtbot.waitExposed(view)
            view.selectRow(3) if isinstance(view, QTableView) else None
            views.append(view)
        QApplication.processEvents()
        plain, own = views
        assert _viewport_state(own) == _viewport_state(plain)
        # grabbed while neither is the active window (which colours the selection)
        focus = QDockWidget()
        qtbot.addWidget(focus)
        focus.show()
        focus.activateWindow()
        QApplication.processEvents()
        a, b = own.grab().toImage(), plain.grab().toImage()
        assert a.size() == b.size()
        assert [(x, y) for y in range(a.height()) for x in range(a.width()) if a.pixel(x, y) != b.pixel(x, y)] == []


def test_the_hint_follows_its_viewport_as_the_view_is_resized(qtbot) -> None:
    """The viewport's layout (not an event filter) keeps the hint over it at every size."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    view = QTableView()
    view.setModel(QStandardItemModel(0, 2))
    hint = empty_state.show_when_empty(view, "Nothing here")
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    for width, height in ((520, 380), (240, 160)):
        view.resize(width, height)
        qtbot.waitUntil(lambda: hint.label.geometry() == view.viewport().rect().adjusted(12, 12, -12, -12))
        assert _ink(view) > 20
