"""One key press that changes spans and then the selection colours each paragraph once, and ends
with exactly what a full re-highlight paints."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.gui.conftest import press


def _formats(view) -> list[tuple]:
    out = []
    block = view.document().begin()
    while block.isValid():
        out.extend((block.blockNumber(), r.start, r.length, r.format.background().color().rgba(),
                    r.format.fontUnderline(), r.format.fontWeight()) for r in block.layout().formats())
        block = block.next()
    return out


def _counting(view, monkeypatch) -> list[int]:
    calls: list[int] = []
    highlighter = view.highlighter
    original = highlighter.highlightBlock

    def counted(text: str) -> None:
        calls.append(highlighter.currentBlock().blockNumber())
        original(text)
    monkeypatch.setattr(highlighter, "highlightBlock", counted)
    return calls


def test_add_delete_undo_colour_each_paragraph_once(window, monkeypatch) -> None:
    view = window.panes.panes()[0].view
    calls = _counting(view, monkeypatch)
    cursor = view.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(8, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    for key, modifiers in ((Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
                           (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)):
        calls.clear()
        before = window.project.counts()["annotations"]
        press(window, key, modifiers)
        assert window.project.counts()["annotations"] != before, key
        assert calls and len(calls) == len(set(calls)), (key, calls)
        shown = _formats(view)
        view.highlighter.rehighlight()
        assert _formats(view) == shown, key
