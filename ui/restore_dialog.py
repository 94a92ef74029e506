"""File ▸ Restore: pick one of the project's snapshots, newest first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from annotator.backups import Backup, list_backups, restore
from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from ui.main_window import MainWindow

HEADERS = ("Time", "Reason", "Size", "Documents", "Annotations")


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} kB"


def _count(value: int | None) -> str:
    return "unreadable" if value is None else str(value)


class RestoreDialog(QDialog):
    """Lists the snapshots; ``chosen()`` is the one selected when the dialog is accepted."""

    def __init__(self, backups: list[Backup], parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QDialogButtonBox, QTableWidget, QTableWidgetItem

        super().__init__(parent)
        self.setWindowTitle("Restore a backup")
        self.backups = backups
        self.table = QTableWidget(len(backups), len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        for row, backup in enumerate(backups):
            cells = (backup.created.strftime("%Y-%m-%d %H:%M"), backup.reason, _size(backup.size),
                     _count(backup.documents), _count(backup.annotations))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(backup.path))
                self.table.setItem(row, column, item)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(lambda: self.restore_button.setEnabled(self.chosen() is not None))
        self.table.doubleClicked.connect(lambda _: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Snapshots of this project, newest first. Restoring one replaces everything in the "
                                "project;\nthe current state is saved as a backup first."))
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(620, 380)

    def chosen(self) -> Backup | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.backups[min(rows)] if rows else None


def ask_and_restore(window: MainWindow) -> None:
    """File ▸ Restore: choose a snapshot, confirm, restore."""
    from PySide6.QtWidgets import QMessageBox

    found = list_backups(window.project.path)
    if not found:
        QMessageBox.information(window, "Restore", "No backups of this project yet: they are made every day the app "
                                "is open, and before merges and large imports.")
        return
    dialog = RestoreDialog(found, window)
    if not dialog.exec() or (backup := dialog.chosen()) is None:
        return
    answer = QMessageBox.question(
        window, "Restore", f"Replace everything in {Path(window.project.path).name} with the {backup.reason} backup of "
        f"{backup.created:%Y-%m-%d %H:%M}?\n\nThe current state is saved as a backup first: restoring that one undoes this.")
    if answer == QMessageBox.StandardButton.Yes:
        restore_into(window, backup.path)


def restore_into(window: MainWindow, path: Path) -> None:
    """Replace the project's content in place (other windows and processes keep a valid file), then reopen
    the window the way File ▸ Open does, so every view reloads."""
    from PySide6.QtWidgets import QMessageBox

    window.inspector.show_annotation(None)  # a note being typed goes into the state kept
    try:
        restore(window.project, path)
    except AnnotatorError as error:
        QMessageBox.warning(window, "Restore", str(error))
        return
    window._switch_project(str(window.project.path))
