"""The window follows what other processes write, and never freezes or drops a key press on a lock."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from annotator import Project
from tests.db_helpers import hold_lock, release
from tests.gui.conftest import EMOJI_TEXT, press

ROOT = Path(__file__).resolve().parents[2]


def other_process(path: Path, code: str) -> None:
    script = f"from annotator import Project\nb = Project.open({str(path)!r})\n" + textwrap.dedent(code) + "\nb.close()\n"
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


def test_rename_add_delete_by_another_process_shows_within_two_seconds(qtbot, window, project_path):
    pane = window.panes.panes()[0]
    start = EMOJI_TEXT.index("Latakia")
    with Project.open(project_path) as p:
        doc = p.documents()[0].id
        doomed = p.add_annotation(doc, start, start + 7, "Actor", annotator="ben").id
    qtbot.waitUntil(lambda: pane.count() == 1, timeout=2000)

    fled = EMOJI_TEXT.index("fled")
    other_process(project_path, f"""
        b.update_label("Claim", name="Assertion")
        b.add_annotation({doc!r}, {fled}, {fled + 4}, "Assertion", annotator="ben")
        b.delete_annotation({doomed!r})
    """)
    began = time.monotonic()
    qtbot.waitUntil(lambda: [a.label for a in window.table.model.rows] == ["Assertion"], timeout=2000)
    assert time.monotonic() - began < 2
    assert pane.count() == 1
    assert any("Assertion" in b.text() for b in window.label_bar.findChildren(QPushButton))


def test_undo_of_a_row_another_process_changed_is_refused_in_the_window(qtbot, window, project_path):
    from tests.gui.test_workspace import select_word_after_emoji

    select_word_after_emoji(window)
    press(window, Qt.Key.Key_1)
    annotation = window.session.selected
    other_process(project_path, f"b.update_annotation({annotation!r}, note='ben checked this')")
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window._error_box is not None and window._error_box.isVisible(), timeout=2000)
    assert "another program changed this annotation" in window._error_box.text()
    with Project.open(project_path) as p:
        assert p.annotation(annotation).note == "ben checked this"
    assert not window.actions_["undo"].isEnabled()


def test_key_press_while_another_process_holds_the_lock(qtbot, window, project_path):
    from tests.gui.test_workspace import select_word_after_emoji

    holder = hold_lock(project_path)
    try:
        select_word_after_emoji(window)
        began = time.monotonic()
        press(window, Qt.Key.Key_1)
        assert time.monotonic() - began < 1.0  # the event loop is not frozen
        assert window._error_box is not None and window._error_box.isVisible()
        assert "was not stored" in window._error_box.text() and "locked" in window._error_box.text()
        assert window.saved_label.text() == "⚠ Last change not stored"  # never "All changes saved" after a failure
        # the window keeps handling events while the lock is held
        ticks = []
        QApplication.instance().processEvents()
        qtbot.waitUntil(lambda: ticks.append(1) or len(ticks) > 3, timeout=1000)
    finally:
        release(holder)
    with Project.open(project_path) as p:
        assert p.annotations() == []
    press(window, Qt.Key.Key_1)  # once the lock is free, the same key stores it
    with Project.open(project_path) as p:
        assert [a.quote for a in p.annotations()] == ["fled"]
    assert window.saved_label.text() == "Saved ✓"


def test_the_window_looks_for_other_writers_when_it_gets_the_focus(qtbot, window, project_path):
    """Not only every second: when the window becomes the focus window it reads what others wrote at once."""
    from PySide6.QtWidgets import QDialog

    window._watch.stop()  # only the focus can bring the change now
    other = QDialog()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWindow() is other.windowHandle())
    other_process(project_path, "b.update_label('Claim', name='Assertion')")
    qtbot.wait(300)
    assert not any("Assertion" in b.text() for b in window.label_bar.findChildren(QPushButton))
    other.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: any("Assertion" in b.text() for b in window.label_bar.findChildren(QPushButton)), timeout=2000)
