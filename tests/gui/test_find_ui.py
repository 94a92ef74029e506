"""Ctrl+F finds in the current pane: every hit highlighted, F3 / Shift+F3, options, "No match", Esc."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import EMOJI_TEXT, press, utf16

CTRL = Qt.KeyboardModifier.ControlModifier


def selected_cp(view) -> tuple[int, int]:
    cursor = view.textCursor()
    return view.offsets.span_from_qt(cursor.selectionStart(), cursor.selectionEnd())


def test_ctrl_f_finds_every_hit_after_an_emoji_and_f3_steps(window):
    pane = window.panes.panes()[0]
    press(window, Qt.Key.Key_F, CTRL)
    bar = pane.find_bar
    assert bar.isVisible() and QApplication.focusWidget() is bar.field
    bar.field.insert("e\u0301")  # decomposed é, twice in "été" (keyClicks cannot type a combining mark)
    first = EMOJI_TEXT.index("e\u0301")
    assert bar.hits == [(first, first + 2), (first + 3, first + 5)]
    assert bar.count.text() == "1 of 2"
    selections = pane.view.extraSelections()
    assert [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in selections] == [
        (utf16(EMOJI_TEXT, s), utf16(EMOJI_TEXT, e)) for s, e in bar.hits]
    assert selected_cp(pane.view) == bar.hits[0]
    press(window, Qt.Key.Key_F3)
    assert selected_cp(pane.view) == bar.hits[1] and bar.count.text() == "2 of 2"
    press(window, Qt.Key.Key_F3)
    assert selected_cp(pane.view) == bar.hits[0]
    press(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert selected_cp(pane.view) == bar.hits[1]


def test_typing_digits_finds_rather_than_labels_and_no_match_is_said(window, project_path):
    pane = window.panes.panes()[0]
    press(window, Qt.Key.Key_F, CTRL)
    QTest.keyClicks(pane.find_bar.field, "973")
    assert pane.find_bar.hits == [(EMOJI_TEXT.index("973"), EMOJI_TEXT.index("973") + 3)]
    assert pane.count() == 0  # the digits went into the field, not to the label keys
    QTest.keyClicks(pane.find_bar.field, "4")
    assert pane.find_bar.hits == [] and pane.find_bar.count.text() == "No match"
    assert pane.view.extraSelections() == []


def test_options_case_whole_word_and_regex(window):
    bar = window.panes.panes()[1].find_bar  # "Over 1,200 Alawites were killed, the Syrian Observatory ..."
    bar.open_bar()
    bar.field.setText("the")
    assert len(bar.hits) == 1
    bar.field.setText("o")
    many = len(bar.hits)
    bar.case.setChecked(True)
    assert 0 < len(bar.hits) < many
    bar.case.setChecked(False)
    bar.word.setChecked(True)
    assert bar.hits == []
    bar.word.setChecked(False)
    bar.regex.setChecked(True)
    bar.field.setText(r"\d+,\d+")
    assert [bar.view.text[s:e] for s, e in bar.hits] == ["1,200"]
    bar.field.setText("(")
    assert bar.hits == [] and bar.count.text() == "bad pattern"


def test_escape_closes_and_clears_the_highlights(window):
    pane = window.panes.panes()[0]
    press(window, Qt.Key.Key_F, CTRL)
    QTest.keyClicks(pane.find_bar.field, "Latakia")
    assert pane.view.extraSelections()
    QTest.keyClick(pane.find_bar.field, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()
    assert pane.view.extraSelections() == []
    assert QApplication.focusWidget() is pane.view


def test_document_filter_has_its_own_shortcut(window):
    press(window, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.documents.filter


def test_the_find_bar_is_built_on_first_ctrl_f_between_the_header_and_the_text(window):
    """Opening a document does not build the find bar's widgets; Ctrl+F does, in its place."""
    from ui.find_bar import FindBar

    pane = window.panes.panes()[0]
    assert pane.findChildren(FindBar) == []
    press(window, Qt.Key.Key_F, CTRL)
    bars = pane.findChildren(FindBar)
    assert bars == [pane.find_bar] and bars[0].isVisible()
    layout = pane.layout()
    assert layout.indexOf(bars[0]) == 1 and layout.indexOf(pane.view) == 2
    assert bars[0].geometry().bottom() < pane.view.geometry().top()
