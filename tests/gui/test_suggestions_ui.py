"""Suggestions in a pane: Ctrl+G shows them dashed; Enter accepts, Backspace rejects (remembered),
F4 steps, Ctrl+Enter accepts every one in the document."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat

from tests.gui.conftest import EMOJI_TEXT, press

CTRL = Qt.KeyboardModifier.ControlModifier


def figures(path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT a.quote, a.annotator, json_extract(a.attributes, '$.qualifier') FROM annotations a "
                                   "JOIN labels l ON l.id = a.label_id WHERE l.role = 'figure'"))
    finally:
        conn.close()


def test_accept_reject_step_and_accept_all_by_key(qtbot, window, project_path):
    pane = window.panes.panes()[0]
    press(window, Qt.Key.Key_G, CTRL)
    layer = window.suggestions
    assert [s.text for s in layer.items] == ["973 deaths", "٩٧٣"]
    dashed = [s for s in pane.view.extraSelections()
              if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline]
    assert len(dashed) == 2
    assert figures(project_path) == []  # a suggestion is not an annotation

    press(window, Qt.Key.Key_F4)
    assert layer.current == 1
    press(window, Qt.Key.Key_F4)
    assert layer.current == 0
    press(window, Qt.Key.Key_Return)
    assert figures(project_path) == [("973 deaths", "ana", "exact")]
    assert [s.text for s in layer.items] == ["٩٧٣"] and pane.count() == 1
    press(window, Qt.Key.Key_Backspace)
    assert layer.items == [] and figures(project_path) == [("973 deaths", "ana", "exact")]
    press(window, Qt.Key.Key_G, CTRL)
    press(window, Qt.Key.Key_G, CTRL)
    assert layer.items == []  # the rejection is remembered
    assert EMOJI_TEXT  # (the pane's text)

    second = window.panes.panes()[1]
    window.panes.set_current(second)
    second.view.setFocus()
    qtbot.waitUntil(lambda: second.view.hasFocus())
    assert [s.text for s in layer.items] == ["Over 1,200 Alawites"]
    press(window, Qt.Key.Key_Return, CTRL)
    assert ("Over 1,200 Alawites", "ana", "more than") in figures(project_path)
    press(window, Qt.Key.Key_Z, CTRL)
    assert figures(project_path) == [("973 deaths", "ana", "exact")]


def rejections(path) -> list[tuple[str, int, int]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT annotator, start, end FROM suggestion_rejections"))
    finally:
        conn.close()


def test_ctrl_z_takes_a_rejection_back_and_redo_rejects_again(qtbot, window, project_path):
    """Backspace is an undo step like any other: Ctrl+Z offers the suggestion again, Ctrl+Shift+Z rejects it again."""
    press(window, Qt.Key.Key_G, CTRL)
    layer = window.suggestions
    assert [s.text for s in layer.items] == ["973 deaths", "٩٧٣"]
    press(window, Qt.Key.Key_Backspace)
    assert [s.text for s in layer.items] == ["٩٧٣"]
    assert len(rejections(project_path)) == 1 and rejections(project_path)[0][0] == "ana"
    assert window.project.history.undo_text and "973 deaths" in window.project.history.undo_text
    press(window, Qt.Key.Key_Z, CTRL)
    assert [s.text for s in layer.items] == ["973 deaths", "٩٧٣"]  # offered again
    assert rejections(project_path) == []
    press(window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [s.text for s in layer.items] == ["٩٧٣"]
    assert len(rejections(project_path)) == 1
    assert figures(project_path) == []  # a rejection never touched the annotations
