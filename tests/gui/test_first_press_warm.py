"""The idle step that ends a document's open reads ahead what the first add, delete and undo read
(ui/document_view.py ``settled``, ``Project.prepare_to_annotate``): the reviewer's first key press
then reads neither the document's text nor the schema's foreign keys from the file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.conftest import EMOJI_TEXT, docks_caught_up


def _statements(window) -> list[str]:
    seen: list[str] = []
    window.project.db.conn.set_trace_callback(seen.append)
    return seen


def test_first_add_and_delete_read_nothing_the_open_could_read(window, qtbot, monkeypatch) -> None:
    from ui import dock_updates

    # The docks catch up when input pauses; on a loaded machine a pause can fall between two of these
    # presses, and the docks' reads are not the press's: they wait until the presses are done.
    usual = dock_updates.PAUSE_MS
    monkeypatch.setattr(dock_updates, "PAUSE_MS", 60_000)
    pane = window.panes.panes()[0]
    qtbot.waitUntil(lambda: not pane.view._settle_due, timeout=5000)
    pane.view.setFocus()
    start = EMOJI_TEXT.index("fled")
    pane.view.select_text(start, start + 4)
    seen = _statements(window)
    try:
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_1)
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_Delete)
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    finally:
        window.project.db.conn.set_trace_callback(None)
        monkeypatch.setattr(dock_updates, "PAUSE_MS", usual)
    window.session.docks.flush()
    docks_caught_up(window)
    assert window.project.counts()["annotations"] == 1  # add, delete, undo all happened
    assert any(s.startswith("INSERT") for s in seen) and any(s.startswith("DELETE") for s in seen)
    assert not [s for s in seen if 'FROM "documents"' in s or "PRAGMA table_info" in s or "foreign_key_list" in s]


def test_a_pane_closed_before_its_idle_step_reads_nothing(window, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QApplication

    calls: list[str] = []
    monkeypatch.setattr(window.project, "prepare_to_annotate", lambda *a: calls.append(a[0]))
    doc = window.project.add_document("A third text about 40 deaths.", title="third")
    window.open_document(doc.id)
    pane = window.panes.pane_for(doc.id)
    window.panes.close_pane(pane)
    for _ in range(20):
        QApplication.processEvents()
    assert calls == []
