"""Each pane's place in its text comes back: after the debounced save, in a new window with the same
settings, and when the document is opened again in a pane."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QApplication

from annotator import Project
from ui.main_window import LAYOUT_SAVE_MS

PARAGRAPH = ("Residents of the coastal villages said the raids began before dawn and went on for three days, "
             "while the monitor counted the dead street by street and the ministry gave its own, lower figure. ")


@pytest.fixture
def long_path(tmp_path: Path) -> Path:
    path = tmp_path / "long.db"
    # long paragraphs that wrap onto several lines: the place kept is a line inside one, not its start
    text = "\n".join(f"{n}. " + PARAGRAPH * 4 for n in range(120))
    with Project.create(path) as project:
        project.add_document(text, title="Long report", outlet="Test Wire")
    return path


def _open(qtbot, path: Path, settings: QSettings):
    from ui.app import open_window

    window = open_window(path, "ana", None, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window


def _first_line(pane) -> tuple[int, int]:
    """The code point at the top of the text shown, and how far the viewport's top is into its line."""
    view = pane.view
    cursor = view.cursorForPosition(QPoint(0, 0))
    return pane.top_offset(), view.viewport().rect().top() - view.cursorRect(cursor).top()


def _close(window) -> None:
    window.close()
    window.project.close()


def test_scroll_position_comes_back_in_a_new_window(qtbot, long_path: Path, settings: QSettings) -> None:
    window = _open(qtbot, long_path, settings)
    pane = window.panes.panes()[0]
    text = pane.document.text
    target = text.index("the ministry", text.index("57. "))  # inside paragraph 57, on a wrapped line
    pane.scroll_to_offset(target)
    QApplication.processEvents()
    top = pane.top_offset()
    assert top > text.index("57. "), "scrolled to a line inside the paragraph, not to its start"
    assert top <= target < top + len(PARAGRAPH)
    key = window._scroll_key(pane.document_id)
    qtbot.waitUntil(lambda: settings.value(key) is not None, timeout=LAYOUT_SAVE_MS * 5)  # the debounced save
    assert int(settings.value(key)) == top
    # Drop the window without its close-time save: the debounced save alone must be enough (a crash).
    window._layout_timer.stop()
    window.save_layout = lambda: None
    _close(window)

    again = _open(qtbot, long_path, settings)
    restored = again.panes.panes()[0]
    qtbot.waitUntil(lambda: restored.top_offset() == top, timeout=2000)
    assert restored.view.verticalScrollBar().value() > 0
    _close(again)


def test_scroll_position_comes_back_when_the_pane_is_opened_again(qtbot, long_path: Path, settings: QSettings) -> None:
    window = _open(qtbot, long_path, settings)
    pane = window.panes.panes()[0]
    document_id, text = pane.document_id, pane.document.text
    pane.scroll_to_offset(text.index("the ministry", text.index("88. ")))
    QApplication.processEvents()
    top = pane.top_offset()
    window.panes.close_pane(pane)
    QApplication.processEvents()
    assert window.panes.panes() == []
    window.open_document(document_id)  # as the document list does
    reopened = window.panes.pane_for(document_id)
    qtbot.waitUntil(lambda: reopened.top_offset() == top, timeout=2000)
    _close(window)
