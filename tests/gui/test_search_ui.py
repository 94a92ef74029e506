"""The Search dock: Ctrl+Alt+F, a concordance of hits, filters, and Enter opens the document at the hit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import EMOJI_TEXT, press

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def selected_cp(view) -> tuple[int, int]:
    cursor = view.textCursor()
    return view.offsets.span_from_qt(cursor.selectionStart(), cursor.selectionEnd())


def test_search_the_corpus_and_open_a_hit(window):
    press(window, Qt.Key.Key_F, CTRL_ALT)
    dock = window.search
    assert window.search_dock.isVisible() and QApplication.focusWidget() is dock.query
    QTest.keyClicks(dock.query, "the")
    QTest.keyClick(dock.query, Qt.Key.Key_Return)
    assert [h.text.lower() for h in dock.hits] == ["the", "the"]
    assert dock.table.rowCount() == 2 and dock.table.item(0, 2).text().lower() == "the"
    assert "2 hits in 2 documents" in dock.summary.text()

    dock.outlet.setCurrentIndex(dock.outlet.findData("Test Wire"))
    dock.run()
    assert len(dock.hits) == 1
    emoji_doc = dock.hits[0].document_id
    dock.outlet.setCurrentIndex(0)

    dock.mode.setCurrentIndex(dock.mode.findData("regex"))
    dock.query.setText("[٠-٩]+")
    dock.run()
    assert [h.text for h in dock.hits] == ["٩٧٣"]
    dock.table.setFocus()
    QTest.keyClick(dock.table, Qt.Key.Key_Return)
    pane = window.panes.current
    assert pane.document_id == emoji_doc
    start = EMOJI_TEXT.index("٩٧٣")
    assert selected_cp(pane.view) == (start, start + 3)
    assert QApplication.focusWidget() is pane.view


def test_a_bad_query_is_said_and_no_match_too(window):
    dock = window.search
    window.do_search_documents()
    dock.mode.setCurrentIndex(dock.mode.findData("regex"))
    dock.query.setText("(")
    dock.run()
    assert dock.hits == [] and "regular expression" in dock.summary.text()
    dock.mode.setCurrentIndex(0)
    dock.query.setText("zanzibar")
    dock.run()
    assert dock.summary.text() == "No match" and dock.table.rowCount() == 0
