"""Fixtures for driving the real widgets offscreen."""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator import Project

EMOJI_TEXT = "Families 👩‍👩‍👧 fled Latakia after 973 deaths, the monitor said.\nقتل ٩٧٣ مدنيا in e\u0301te\u0301 raids."


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "ui.db"
    with Project.create(path) as project:
        project.add_document(EMOJI_TEXT, title="Emoji report", outlet="Test Wire", published="2025-03-10")
        project.add_document("Over 1,200 Alawites were killed, the Syrian Observatory for Human Rights said.",
                             title="Second report", outlet="Other Wire")
    return path


@pytest.fixture
def window(qtbot, project_path: Path, settings: QSettings):
    """The main window on a two-document project, both open side by side, as reviewer 'ana'."""
    from ui.app import open_window

    with Project.open(project_path) as project:
        ids = [d.id for d in project.documents(with_text=False)]
    win = open_window(project_path, "ana", ids, settings)
    qtbot.addWidget(win)
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.panes.panes()[0].view)
    yield win
    win.close()
    win.project.close()


def press(window, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press through the window system, so shortcuts fire as they do for a user; then the
    moment it takes the docks to follow (they catch up when input pauses: ui/dock_updates.py)."""
    QTest.keyClick(window.windowHandle(), key, modifiers)
    docks_caught_up(window)


def docks_caught_up(window, timeout: float = 5.0) -> None:
    """Wait (events running) until every dock has applied the changes and selections that waited for a pause."""
    docks = window.session.docks
    until = time.monotonic() + timeout
    while docks.pending and time.monotonic() < until:
        QTest.qWait(5)
    assert not docks.pending, "the docks did not catch up"


def utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch) -> Path:
    """Open Recent's list goes to the test's folder, never the user's."""
    folder = tmp_path / "config"
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def highlighted_blocks(monkeypatch) -> list[int]:
    """The block numbers SpanHighlighter.highlightBlock is called for, in order, while the test runs."""
    from ui.highlighter import SpanHighlighter

    calls: list[int] = []
    original = SpanHighlighter.highlightBlock

    def counted(self, block_text):
        calls.append(self.currentBlock().blockNumber())
        original(self, block_text)

    monkeypatch.setattr(SpanHighlighter, "highlightBlock", counted)
    return calls
