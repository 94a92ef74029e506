"""Tagging a span on screen leaves the text where it is; going to one off screen centres it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator import Project
from tests.gui.conftest import press

LINES = [f"Line {n}: the monitor said {n} civilians were killed in Latakia." for n in range(400)]


def _window(qtbot, tmp_path: Path, settings: QSettings):
    from ui.app import open_window

    path = tmp_path / "long.db"
    with Project.create(path) as project:
        document = project.add_document("\n".join(LINES), title="Long")
        far = project.add_annotation(document.id, len("\n".join(LINES[:350])) + 1, len("\n".join(LINES[:350])) + 5,
                                     "Claim", annotator="ana")
    win = open_window(path, "ana", [document.id], settings)
    qtbot.addWidget(win)
    qtbot.waitExposed(win)
    win.activateWindow()
    view = win.panes.panes()[0].view
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    # The open's idle steps (the rest of the layout, highlighting off screen) can still move the scroll bar
    # by a line on a slow machine: the positions below are taken once they are done.
    qtbot.waitUntil(lambda: not view._settle_due, timeout=10000)
    return win, view, far.id


def test_adding_a_span_on_screen_does_not_scroll(qtbot, tmp_path: Path, settings: QSettings) -> None:
    win, view, _ = _window(qtbot, tmp_path, settings)
    try:
        bar = view.verticalScrollBar()
        bar.setValue(bar.maximum() // 3)
        QApplication.processEvents()
        top = view.cursorForPosition(view.viewport().rect().topLeft()).position()
        cursor = view.textCursor()
        cursor.setPosition(top + 200)  # a few lines below the top: on screen, far from the centre
        cursor.setPosition(top + 210, QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        before = bar.value()
        count = win.project.counts()["annotations"]
        press(win, Qt.Key.Key_1)
        assert win.project.counts()["annotations"] == count + 1
        assert bar.value() == before
    finally:
        win.close()
        win.project.close()


def test_going_to_a_span_off_screen_centres_it(qtbot, tmp_path: Path, settings: QSettings) -> None:
    win, view, far = _window(qtbot, tmp_path, settings)
    try:
        bar = view.verticalScrollBar()
        bar.setValue(0)
        QApplication.processEvents()
        win.jump_to(far)
        QApplication.processEvents()
        rect = view.cursorRect()
        middle = view.viewport().rect().center().y()
        assert bar.value() > 0
        assert abs(rect.center().y() - middle) < view.viewport().height() // 4
    finally:
        win.close()
        win.project.close()
