"""Schema editor, reviewer switching, status from the document list, last document on restart."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from tests.gui.conftest import EMOJI_TEXT, press


def test_schema_editor_renames_recolours_rekeys_and_defines_attributes(qtbot, window, monkeypatch):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QColorDialog, QInputDialog

    from ui.schema_editor import SchemaEditor

    pane = window.panes.panes()[0]
    claim = window.project.add_annotation(pane.document_id, 0, 8, "Claim", annotator="ana")
    editor = SchemaEditor(window.project, window)
    qtbot.addWidget(editor)
    editor.list.setCurrentRow(0)
    editor.name.setText("Assertion")
    editor.name.editingFinished.emit()
    assert window.project.annotation(claim.id).label == "Assertion"
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#123456"))
    editor._pick_color()
    assert window.project.label("Assertion").color == "#123456"
    editor.hotkey.setCurrentIndex(editor.hotkey.findText("5"))
    editor.hotkey.activated.emit(editor.hotkey.currentIndex())
    assert window.project.label("Assertion").hotkey == "5"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("source type", True))
    editor._add_attribute()
    assert "source type" in [d["name"] for d in window.project.label("Assertion").attributes]
    assert window.label_bar.layout_.count() > 3  # the palette follows the schema
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "source type" not in [d["name"] for d in window.project.label("Assertion").attributes]
    editor.close()


def test_switching_reviewer_records_the_new_name(window, project_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("ben", True))
    window.do_switch_reviewer()
    assert "ben" in window.reviewer_label.text()
    pane = window.panes.panes()[0]
    start = EMOJI_TEXT.index("Latakia")
    pane.view.select_text(start, start + 7)
    press(window, Qt.Key.Key_2)
    conn = sqlite3.connect(project_path)
    assert conn.execute("SELECT annotator FROM annotations").fetchall() == [("ben",)]
    conn.close()


def test_status_from_the_document_list(window, project_path):
    ids = [d.id for d in window.project.documents(with_text=False)]
    window.documents.set_status(ids, "done")
    conn = sqlite3.connect(project_path)
    assert conn.execute("SELECT DISTINCT status FROM documents").fetchall() == [("done",)]
    conn.close()
    assert all(p.status.currentText() == "done" for p in window.panes.panes())
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo step for the whole selection
    assert {d.status for d in window.project.documents(with_text=False)} == {"not started"}


def test_last_document_worked_on_comes_back_focused(qtbot, window, project_path, settings):
    from ui.app import open_window

    second = window.panes.panes()[1]
    window.panes.set_current(second)
    window.close()
    window.project.close()
    again = open_window(project_path, "ana", None, settings)
    qtbot.addWidget(again)
    assert again.panes.current.document_id == second.document_id
    again.close()
    again.project.close()


def test_schema_editor_sets_a_labels_role(qtbot, window):
    from ui.schema_editor import SchemaEditor

    editor = SchemaEditor(window.project, window)
    qtbot.addWidget(editor)
    editor.list.setCurrentRow(0)  # Claim
    assert editor.role.currentText() == "claim"
    editor.role.setCurrentIndex(editor.role.findText("plain"))
    editor.role.activated.emit(editor.role.currentIndex())
    assert window.project.label("Claim").role == "plain"
    editor.list.setCurrentRow(1)
    assert editor.role.currentText() == "actor"
    editor.close()
