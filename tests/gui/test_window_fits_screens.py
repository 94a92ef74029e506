"""The window as a reviewer sees it on a 1280x720 laptop and a 1920x1080 screen, three outlets side by
side: each pane's header keeps its outlet and date readable (the title cut with …, the whole in the
tooltip), the metadata is never cut by the status box, and the annotation table and the inspector's
links fit their docks instead of scrolling sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from annotator import Project

ARTICLES = [
    ("The initial optimism that followed the fall of Assad’s government has swiftly turned into a nightmare",
     "The Cradle", "2025-03-11", "Guirizd Ergoz", None),
    ("Recent violence in Syria has led to the deaths of over 1,200 Alawites",
     "The Independent (summary)", "2025-03-12", None, "https://www.independent.co.uk"),
    ("مقتل ٩٧٣ مدنيا علويا في الساحل السوري خلال أيام من العنف الطائفي بحسب المرصد",
     "الجزيرة", "2025-03-13", None, None),
]
LONG_QUOTE = "the military crackdown on Alawites that started in early March quickly descended into open massacres"


@pytest.fixture
def three_outlets(qtbot, tmp_path: Path, settings):
    """The main window with three articles from three outlets open side by side."""
    from ui.app import open_window

    path = tmp_path / "outlets.db"
    with Project.create(path) as project:
        ids = [project.add_document(f"{LONG_QUOTE}. " * 30 + title, title=title, outlet=outlet, published=published,
                                    author=author, url=url).id
               for title, outlet, published, author, url in ARTICLES]
    window = open_window(path, "ana", ids, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    yield window
    window.close()
    window.project.close()


def at_size(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() <= height)
    for _ in range(3):
        QApplication.processEvents()


def shown(label) -> str:
    """A label's text as painted, as plain text (it may be rich text with a link; bidi isolates dropped)."""
    return QTextDocumentFragment.fromHtml(label.text()).toPlainText().replace("\u2068", "").replace("\u2069", "")


def in_window(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), widget.rect().topLeft()), widget.size())


def check_headers(window) -> None:
    for pane, (title, outlet, published, _author, _url) in zip(window.panes.panes(), ARTICLES, strict=True):
        meta, status = pane.meta, pane.status
        assert meta.isVisible() and meta.width() > 0, f"{outlet}: the metadata line is hidden"
        assert meta.height() >= meta.fontMetrics().height(), f"{outlet}: the metadata line is clipped"
        text = shown(meta)
        assert meta.fontMetrics().horizontalAdvance(text) <= meta.width(), f"{outlet}: {text!r} runs past its label"
        assert not in_window(meta).intersects(in_window(status)), f"{outlet}: the metadata runs under the status box"
        first, date = text.split(" · ")[:2]
        assert date == published, f"{outlet}: the date is not shown whole: {text!r}"
        assert first == outlet or (first.endswith("…") and outlet.startswith(first[:-1]) and len(first) > 12), \
            f"{outlet}: the outlet is not shown: {text!r}"
        assert pane.title.isVisible() and pane.title.text() in (title, pane.title.fontMetrics().elidedText(
            title, Qt.TextElideMode.ElideRight, pane.title.width())), "a long title is cut with …"
        assert pane.title.fontMetrics().horizontalAdvance(pane.title.text()) <= pane.title.width()
        for widget in (pane.title, meta):
            assert title in widget.toolTip() and outlet in widget.toolTip() and published in widget.toolTip()
        assert pane.title.parentWidget().height() < 90, "the header stays a few lines high"


def test_three_panes_at_1280x720_keep_each_outlet_and_date(qtbot, three_outlets) -> None:
    window = three_outlets
    at_size(qtbot, window, 1280, 720)
    assert len(window.panes.panes()) == 3
    check_headers(window)
    assert all(pane.title.text().endswith("…") for pane in window.panes.panes())
    assert shown(window.panes.panes()[0].meta).startswith("The Cradle · 2025-03-11")
    url_pane = window.panes.panes()[1]
    assert "https://www.independent.co.uk" in url_pane.meta.toolTip(), "the source stays reachable when its link is cut"


def test_three_panes_at_1920x1080_metadata_is_not_cut_by_the_status_box(qtbot, three_outlets) -> None:
    window = three_outlets
    at_size(qtbot, window, 1920, 1080)
    check_headers(window)


def test_the_header_takes_a_third_line_only_when_the_pane_needs_it(qtbot, three_outlets) -> None:
    window = three_outlets
    at_size(qtbot, window, 1920, 1080)
    wide = [pane.title.parentWidget() for pane in window.panes.panes()]
    assert not any(header.stacked for header in wide), "a wide pane keeps metadata and controls on one line"
    two_lines = wide[0].height()
    at_size(qtbot, window, 1280, 720)
    narrow = [pane.title.parentWidget() for pane in window.panes.panes()]
    assert all(header.stacked for header in narrow)
    assert all(header.height() > two_lines for header in narrow)
    window.panes.close_pane(window.panes.panes()[2])
    window.panes.close_pane(window.panes.panes()[1])
    header = window.panes.panes()[0].title.parentWidget()
    qtbot.waitUntil(lambda: not header.stacked and header.height() == two_lines)


def test_annotation_table_fits_its_dock_at_1280x720(qtbot, three_outlets) -> None:
    window = three_outlets
    pane = window.panes.panes()[0]
    window.panes.set_current(pane)
    text = window.project.document_text(pane.document_id)
    for n in range(12):
        start = text.index(LONG_QUOTE, n * (len(LONG_QUOTE) + 2))
        window.project.add_annotation(pane.document_id, start, start + len(LONG_QUOTE), "Claim", annotator="ana",
                                      note="a note long enough to want more room than a narrow dock has")
    at_size(qtbot, window, 1280, 720)
    table = window.table.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 12)
    QApplication.processEvents()
    header = table.horizontalHeader()
    assert table.horizontalScrollBar().maximum() == 0, "the table scrolls sideways"
    assert header.length() <= table.viewport().width()
    quote = table.model().index(0, 1)
    assert not header.isSectionHidden(1) and not header.isSectionHidden(0)
    assert header.sectionSize(1) < table.fontMetrics().horizontalAdvance(LONG_QUOTE), "the quote is elided to fit"
    assert quote.data() == LONG_QUOTE and quote.data(Qt.ItemDataRole.ToolTipRole) == LONG_QUOTE
    assert header.sectionSize(1) >= 110, "the quote keeps a readable width"
    for column in range(header.count()):  # a column shown is never narrower than its title
        if not header.isSectionHidden(column):
            assert header.sectionSize(column) >= header.sectionSizeHint(column) or column == 1

    at_size(qtbot, window, 1920, 1080)  # a wider dock: the columns that stepped aside come back
    window.resizeDocks([window.annotations_dock], [900], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: not any(header.isSectionHidden(c) for c in range(header.count())))
    assert table.horizontalScrollBar().maximum() == 0


def test_inspector_links_fit_the_dock_at_1280x720(qtbot, three_outlets) -> None:
    window = three_outlets
    first, second = window.panes.panes()[:2]
    text = window.project.document_text(first.document_id)
    claim = window.project.add_annotation(first.document_id, 0, len(LONG_QUOTE), "Claim", annotator="ana")
    other = window.project.add_annotation(second.document_id, 0, len(LONG_QUOTE), "Claim", annotator="ana")
    assert text.startswith(LONG_QUOTE)
    window.project.add_relation(claim.id, other.id, "same-claim", annotator="ana")
    at_size(qtbot, window, 1280, 720)
    window.session.select(claim.id)
    links = window.inspector.links
    qtbot.waitUntil(lambda: links.count() == 1)
    QApplication.processEvents()
    item = links.item(0)
    assert links.horizontalScrollBar().maximum() == 0, "the links list scrolls sideways"
    assert links.visualItemRect(item).width() <= links.viewport().width()
    assert ARTICLES[1][0] in item.text() and item.toolTip() == item.text()


def test_entities_dock_gives_its_table_the_room_at_1280x720(qtbot, three_outlets) -> None:
    window = three_outlets
    at_size(qtbot, window, 1280, 720)
    window.do_show_entities()
    dock = window.entities
    qtbot.waitUntil(dock.table.isVisible)
    QApplication.processEvents()
    hint = dock.table.empty_hint.label
    assert hint.isVisible() and hint.height() >= hint.heightForWidth(hint.width()), "the table's hint is cut"
    assert not dock.mentions.isVisible(), "an empty mentions list takes the table's room"

    pane = window.panes.panes()[0]
    actor = window.project.add_annotation(pane.document_id, 0, len(LONG_QUOTE), "Actor", annotator="ana")
    entity = window.project.add_entity("Syrian Observatory for Human Rights", "organisation")
    window.project.link_entity(actor.id, entity.id)
    dock.select_entity(entity.id)
    qtbot.waitUntil(lambda: dock.mentions.count() == 1 and dock.mentions.isVisible())
    QApplication.processEvents()
    item = dock.mentions.item(0)
    assert dock.mentions.horizontalScrollBar().maximum() == 0, "a mention scrolls sideways"
    assert dock.mentions.visualItemRect(item).width() <= dock.mentions.viewport().width()
    assert LONG_QUOTE in item.toolTip()


def test_agreement_dashboard_fits_1280x720(qtbot, three_outlets) -> None:
    from ui.agreement_window import AgreementWindow

    window = three_outlets
    project = window.project
    first = window.panes.panes()[0].document_id
    for reviewer, label in (("ana", "Claim"), ("ben", "Claim"), ("ana", "Actor"), ("ben", "Figure")):
        start = 0 if label == "Claim" else len(LONG_QUOTE) + 2
        project.add_annotation(first, start, start + len(LONG_QUOTE), label, annotator=reviewer, propose=False)
    dashboard = AgreementWindow(window.session, ["ana", "ben"])
    qtbot.addWidget(dashboard)
    dashboard.resize(1280, 720)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    QApplication.processEvents()
    table, worst, heatmap = dashboard.labels_table, dashboard.worst, dashboard.heatmap
    assert table.horizontalScrollBar().maximum() == 0, "the per-label table scrolls sideways"
    assert worst.horizontalScrollBar().maximum() == 0, "the documents list scrolls sideways"
    assert worst.visualItemRect(worst.item(0)).width() <= worst.viewport().width()
    assert heatmap.rowCount() >= 3 and heatmap.verticalScrollBar().maximum() == 0, "the matrix's rows are cut"
    caption = next(label for label in dashboard.findChildren(QLabel) if label.text().startswith("Documents, lowest"))
    gap = worst.mapTo(dashboard, worst.rect().topLeft()).y() - caption.mapTo(dashboard, caption.rect().bottomLeft()).y()
    assert 0 <= gap < 20, "the list's caption sits over a gap"
