"""File ▸ Restore: the menu item, the list of snapshots, and a restore that reloads the window."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox

from annotator.backups import list_backups, snapshot
from ui import app
from ui.restore_dialog import RestoreDialog


def test_restore_is_in_the_file_menu(window):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert window.actions_["restore_backup"] in file_menu.actions()


def test_opening_the_window_makes_the_daily_backup(window, qtbot):
    qtbot.waitUntil(lambda: [b.reason for b in list_backups(window.project.path)] == ["daily"])


def test_dialog_lists_backups_newest_first_with_counts(window, qtbot):
    snapshot(window.project.path, "manual")
    window.project.add_document("A third article.", title="Third")
    snapshot(window.project.path, "before-merge")
    backups = [b for b in list_backups(window.project.path) if b.reason != "daily"]
    dialog = RestoreDialog(backups, window)
    qtbot.addWidget(dialog)
    table = dialog.table
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [row[1] for row in cells] == ["before-merge", "manual"]
    assert [row[3:] for row in cells] == [["3", "0"], ["2", "0"]]
    assert cells[0][2].endswith("kB")
    assert not dialog.restore_button.isEnabled() and dialog.chosen() is None
    table.selectRow(1)
    assert dialog.restore_button.isEnabled() and dialog.chosen() == backups[1]


def test_restoring_reloads_the_window_with_the_restored_documents(window, qtbot, monkeypatch):
    qtbot.waitUntil(lambda: bool(list_backups(window.project.path)))  # the daily one, made at open
    window.project.add_document("A third article.", title="Third")
    assert window.documents.model.rowCount() == 3

    def choose_oldest(dialog: RestoreDialog) -> int:
        assert dialog.backups[-1].reason == "daily"
        dialog.table.selectRow(len(dialog.backups) - 1)
        return QDialog.DialogCode.Accepted

    asked = []
    monkeypatch.setattr(RestoreDialog, "exec", choose_oldest)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    window.do_restore_backup()

    assert asked and "daily" in asked[0]
    reopened = app._windows[-1]
    qtbot.addWidget(reopened)
    try:
        assert reopened is not window and not window.isVisible()
        assert [d.title for d in reopened.documents.model.rows] == ["Emoji report", "Second report"]
        assert reopened.project.counts()["documents"] == 2
        assert "before-restore" in [b.reason for b in list_backups(window.project.path)]
    finally:
        reopened.close()
        reopened.project.close()


def test_cancelling_the_confirmation_changes_nothing(window, monkeypatch):
    snapshot(window.project.path, "manual")
    window.project.add_document("A third article.", title="Third")
    monkeypatch.setattr(RestoreDialog, "exec", lambda d: d.table.selectRow(0) or QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.do_restore_backup()
    assert window.isVisible() and window.project.counts()["documents"] == 3
