"""SQLite's WAL checkpoint waits for a pause in the reviewer's input (ui/main_window.py): never inside
a key press's commit, once after a run of presses, not again while nothing was written."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.conftest import EMOJI_TEXT
from ui import input_pause


def test_checkpoint_waits_for_a_pause(window, monkeypatch) -> None:
    project = window.project
    calls: list[bool] = []
    real = project.checkpoint
    monkeypatch.setattr(project, "checkpoint", lambda: calls.append(real()) or calls[-1])
    pane = window.panes.panes()[0]
    pane.view.setFocus()
    start = EMOJI_TEXT.index("fled")
    pane.view.select_text(start, start + 4)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_1)
    assert project.counts()["annotations"] == 1
    monkeypatch.setattr(input_pause._Watch, "last", time.monotonic() + 3600)  # however slow the machine: input is recent
    window._watch.timeout.emit()  # the once-a-second tick, right after the press
    assert calls == []
    monkeypatch.setattr(input_pause._Watch, "last", 0.0)  # the reviewer paused
    window._watch.timeout.emit()
    assert calls == [True]
    window._watch.timeout.emit()  # nothing written since
    assert calls == [True]


def test_the_window_moves_the_automatic_checkpoint_out_of_the_way(window) -> None:
    pages = window.project.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    assert pages > 1000  # SQLite's default would checkpoint inside a commit about every 100 presses


def test_a_large_change_checkpoints_at_once(window, monkeypatch) -> None:
    """An import or a merge already made the reviewer wait: its WAL goes into the file then, as SQLite's
    own checkpoint inside that commit did, not in the next pause."""
    from ui import main_window

    project = window.project
    calls: list[bool] = []
    real = project.checkpoint
    monkeypatch.setattr(project, "checkpoint", lambda: calls.append(real()) or calls[-1])
    monkeypatch.setattr(input_pause._Watch, "last", time.monotonic() + 3600)  # input is recent throughout
    doc = project.documents(with_text=False)[0].id
    with project.group("many"):
        for i in range(main_window.CHECKPOINT_NOW_ROWS):
            project.add_annotation(doc, i % 20, i % 20 + 3, "Claim", annotator="ana", propose=False)
    assert calls == [True]
    project.add_annotation(doc, 0, 4, "Claim", annotator="ana", propose=False)  # a key press's size: waits
    assert calls == [True]
