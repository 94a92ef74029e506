"""Review ▸ Merge Another Reviewer's Project: a reviewer's file of an older schema merges (their
file untouched), their rejected suggestions stop being offered, and Ctrl+Z takes the whole merge
back; a file of a newer schema is a warning naming both versions."""

from __future__ import annotations

import hashlib
import sqlite3

from db_helpers import old_reviewer_file
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator import Project
from annotator.store import schema
from tests.gui.conftest import press

CTRL = Qt.KeyboardModifier.ControlModifier
SECOND = "Over 1,200 Alawites were killed, the Syrian Observatory for Human Rights said."


def _merge(window, monkeypatch, path) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *rest: shown.append(("info", text)))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append(("warning", text)))
    window.actions_["merge_project"].trigger()
    return shown


def test_an_older_reviewer_file_merges_with_its_rejections_and_undoes_as_one(qtbot, window, tmp_path, monkeypatch):
    second = window.panes.panes()[1]
    window.panes.set_current(second)
    second.view.setFocus()
    qtbot.waitUntil(lambda: second.view.hasFocus())
    press(window, Qt.Key.Key_G, CTRL)
    layer = window.suggestions
    assert [s.text for s in layer.items] == ["Over 1,200 Alawites"]
    start = SECOND.index("Over 1,200 Alawites")
    other = old_reviewer_file(tmp_path / "ana-at-home.db", 4, SECOND, rejected=(start, start + len("Over 1,200 Alawites")),
                              reviewer="ana")
    digest = hashlib.sha256(other.read_bytes()).hexdigest()

    shown = _merge(window, monkeypatch, other)

    assert len(shown) == 1 and shown[0][0] == "info", shown
    assert "1 annotations" in shown[0][1] and "1 rejected suggestion(s)" in shown[0][1]
    assert hashlib.sha256(other.read_bytes()).hexdigest() == digest
    assert layer.items == []  # ana rejected it at home: not offered here again
    assert second.count() == 1
    press(window, Qt.Key.Key_Z, CTRL)  # the merge, rejection included, is one step
    assert [s.text for s in layer.items] == ["Over 1,200 Alawites"] and second.count() == 0
    with sqlite3.connect(window.project.path) as conn:
        assert conn.execute("SELECT count(*) FROM suggestion_rejections").fetchone() == (0,)


def test_a_newer_reviewer_file_is_a_warning_naming_both_versions(qtbot, window, tmp_path, monkeypatch):
    other = tmp_path / "newer.db"
    with Project.create(other) as project:
        project.add_document("From a newer release.")
    with sqlite3.connect(other) as conn:
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    shown = _merge(window, monkeypatch, other)
    assert shown == [("warning", f"{other}: made by a newer Annotator (schema {schema.SCHEMA_VERSION + 1}, this one reads "
                                 f"up to {schema.SCHEMA_VERSION}): upgrade Annotator to merge it")]
    assert len(window.project.documents(with_text=False)) == 2
