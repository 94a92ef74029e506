"""Annotate all from a selection: a preview with ticks, one unticked, OK, then one Ctrl+Z undoes it all."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.conftest import EMOJI_TEXT, press

CTRL = Qt.KeyboardModifier.ControlModifier


def tagged(path) -> list[tuple[str, int, int, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT a.quote, a.start, a.end, l.name FROM annotations a JOIN labels l ON l.id = a.label_id"))
    finally:
        conn.close()


def test_annotate_all_with_one_unticked_then_undo_in_one_step(qtbot, window, project_path):
    pane = window.panes.panes()[0]
    start = EMOJI_TEXT.index("said") + 1
    pane.view.select_text(start, start + 2)  # "ai": in "said" here and there, and in "raids"
    seen = {}

    def in_dialog() -> None:
        dialog = getattr(window, "annotate_all_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, in_dialog)
            return
        seen["rows"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.label.setCurrentIndex(dialog.label.findText("Actor"))
        dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)
        seen["summary"] = dialog.summary.text()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, in_dialog)
    press(window, Qt.Key.Key_T, CTRL)
    assert len(seen["rows"]) == 3 and all("【ai】" in row for row in seen["rows"])
    assert seen["summary"] == "3 occurrence(s): 2 to tag"
    second = window.panes.panes()[1].view.text.index("said") + 1
    assert tagged(project_path) == sorted([("ai", start, start + 2, "Actor"), ("ai", second, second + 2, "Actor")])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(window, Qt.Key.Key_Z, CTRL)
    assert tagged(project_path) == []
