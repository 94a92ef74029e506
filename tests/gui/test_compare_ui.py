"""Reviewer comparison in the GUI: step to a disagreement, accept one side into gold, undo."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from annotator import Project

TEXT = "The monitor said at least 973 civilians were killed in Latakia by security forces."


def gold(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT a.quote, l.name, a.annotator FROM annotations a JOIN labels l ON l.id = a.label_id "
                            "WHERE a.layer = 'gold' ORDER BY a.start").fetchall()
    finally:
        conn.close()


@pytest.fixture
def two_reviewers(qtbot, tmp_path, settings):
    from ui.app import open_window

    path = tmp_path / "review.db"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, title="Toll report")
        span = lambda quote: (TEXT.index(quote), TEXT.index(quote) + len(quote))  # noqa: E731
        for reviewer in ("ana", "ben"):
            project.add_annotation(doc.id, *span("The monitor"), "Actor", annotator=reviewer)  # agreed
        project.add_annotation(doc.id, *span("at least 973 civilians"), "Figure", annotator="ana", propose=False)
        project.add_annotation(doc.id, *span("at least 973 civilians"), "Claim", annotator="ben")  # label differs
        project.add_annotation(doc.id, *span("security forces"), "Actor", annotator="ben")  # only ben
        document_id = doc.id
    window = open_window(path, "lead", [document_id], settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    yield window, path, document_id
    window.close()
    window.project.close()


def test_compare_view_steps_to_a_disagreement_accepts_one_side_and_undo(qtbot, two_reviewers):
    window, path, document_id = two_reviewers
    compare = window.open_compare(document_id, ["ana", "ben"])
    qtbot.addWidget(compare)
    qtbot.waitExposed(compare)
    compare.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is compare)
    kinds = [d.kind for d in compare.differences]
    assert kinds == ["label differs", "only"]  # the agreed span is coloured, not listed as a difference
    assert compare.current == 0
    assert compare.differences[compare.current].kind == "label differs"
    assert gold(path) == []
    QTest.keyClick(compare.windowHandle(), Qt.Key.Key_2)  # accept ben's version
    assert gold(path) == [("at least 973 civilians", "Claim", "lead")]
    assert compare.progress.value() == 1
    QTest.keyClick(compare.windowHandle(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold(path) == []
    assert compare.progress.value() == 0
    QTest.keyClick(compare.windowHandle(), Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # accept all agreed
    assert gold(path) == [("The monitor", "Actor", "lead")]


def test_reviewer_panes_colour_spans_by_comparison(qtbot, two_reviewers):
    window, _path, document_id = two_reviewers
    compare = window.open_compare(document_id, ["ana", "ben"])
    qtbot.addWidget(compare)
    ben = compare.panes[1].view
    kinds = sorted(span.label_id for span in ben.index.spans.values())
    assert kinds == ["agreed", "label differs", "only"]


def test_agreement_dashboard_shows_measures_and_worst_documents(qtbot, two_reviewers):
    from ui.agreement_window import AgreementWindow

    window, _path, document_id = two_reviewers
    dashboard = AgreementWindow(window.session, ["ana", "ben"])
    qtbot.addWidget(dashboard)
    assert dashboard.labels_table.item(0, 0).text() == "All labels"
    assert dashboard.pairs_table.rowCount() == 1
    assert dashboard.worst.count() == 1
    assert dashboard.heatmap.rowCount() >= 2
    requested = []
    dashboard.compare_requested.connect(requested.append)
    dashboard.worst.itemActivated.emit(dashboard.worst.item(0))
    assert requested == [document_id]


def test_esc_closes_the_agreement_dashboard(qtbot, two_reviewers):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ui.agreement_window import AgreementWindow

    window, _path, _document_id = two_reviewers
    dashboard = AgreementWindow(window.session, ["ana", "ben"])
    qtbot.addWidget(dashboard)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    dashboard.activateWindow()
    qtbot.waitUntil(dashboard.isActiveWindow)
    QTest.keyClick(dashboard.windowHandle(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dashboard.isVisible())


def test_disabled_actions_look_disabled(qtbot):
    from PySide6.QtGui import QPalette

    from ui.style import apply_style

    app = QApplication.instance()
    apply_style(app)  # what ui.app.application() does for the real app
    palette = app.palette()
    for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        assert palette.color(QPalette.ColorGroup.Active, role) != palette.color(QPalette.ColorGroup.Disabled, role)


def test_agreement_dashboard_says_so_when_a_reviewer_has_nothing_left(qtbot, two_reviewers):
    """Deleting a reviewer's last annotation while the dashboard is open is a message, not a traceback."""
    from ui.agreement_window import AgreementWindow

    window, _path, _document_id = two_reviewers
    dashboard = AgreementWindow(window.session, ["ana", "ben"])
    qtbot.addWidget(dashboard)
    for annotation in window.project.annotations(annotator="ben", layer="reviewer"):
        window.project.delete_annotation(annotation.id)
    assert "No agreement to show" in dashboard.statusBar().currentMessage()
    assert dashboard.pairs_table.rowCount() == 0
    window.project.undo()  # ben's annotation is back: so are the figures
    assert dashboard.pairs_table.rowCount() == 1
    assert dashboard.statusBar().currentMessage() == ""


def test_n_skips_resolved_differences_and_esc_closes_compare(qtbot, two_reviewers):
    window, path, document_id = two_reviewers
    with Project.open(path) as other:  # "only ben" is resolved in gold: N passes over it
        security = TEXT.index("security forces")
        other.add_annotation(document_id, security, security + len("security forces"), "Actor", annotator="lead",
                             layer="gold")
    window.check_other_writers()
    compare = window.open_compare(document_id, ["ana", "ben"])  # the main window owns it (deleted on close)
    qtbot.waitExposed(compare)
    compare.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is compare)
    assert [(d.kind, d.covered) for d in compare.differences] == [("label differs", False), ("only", True)]
    assert compare.current == 0
    QTest.keyClick(compare.windowHandle(), Qt.Key.Key_N)
    assert compare.current == 0  # wrapped past the resolved one: the only unresolved difference
    QTest.keyClick(compare.windowHandle(), Qt.Key.Key_P)
    assert compare.current == 0
    assert "resolved" not in compare.statusBar().currentMessage()
    QTest.keyClick(compare.windowHandle(), Qt.Key.Key_2)  # resolve the last one too
    QTest.keyClick(compare.windowHandle(), Qt.Key.Key_N)
    assert "Every difference is resolved" in compare.statusBar().currentMessage()
    QTest.keyClick(compare.windowHandle(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not isValid(compare) or not compare.isVisible())


def test_heatmap_colours_more_than_the_unannotated_cell(qtbot, two_reviewers):
    from ui.agreement_window import AgreementWindow

    window, _path, _document_id = two_reviewers
    dashboard = AgreementWindow(window.session, ["ana", "ben"])
    qtbot.addWidget(dashboard)
    table = dashboard.heatmap
    cells = [table.item(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())]
    shaded = [cell for cell in cells if int(cell.text()) > 0 and cell.background().color().red() <= 230]
    assert len(shaded) == sum(1 for cell in cells if int(cell.text()) > 0) >= 2  # every count shows its colour
