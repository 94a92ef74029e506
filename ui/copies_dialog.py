"""Shared passages (``annotator.copies``): a list of passage pairs; activating one opens both documents there."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.copies import Passage
from ui.session import Session


class CopiesDialog(QDialog):
    """Every shared passage of the project, or of one document; a row opens the passage and its copy.

    Opens at once; while the passages are being found (on a worker thread: ``ui.copies_worker``) it
    shows the progress and Cancel, which emits ``stop_requested``."""

    jump_requested = Signal(str, int, int)  # document id, start, end (code points)
    stop_requested = Signal()

    def __init__(self, session: Session, document_id: str | None = None, parent: QWidget | None = None,
                 passages: list[Passage] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Shared passages")
        self.resize(820, 420)
        self.project = session.project
        self.document_id = document_id
        self.titles = {d.id: d.title for d in self.project.documents(with_text=False)}
        self.passages: list[Passage] = []
        self.looking = True
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Similarity", "Document", "Passage", "Other document", "Other passage"])
        self.tree.setRootIsDecorated(False)
        self.tree.itemActivated.connect(self._jump)
        self.label = QLabel("Looking for shared passages…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        layout.addWidget(self.tree)
        layout.addWidget(self.buttons)
        if passages is not None:
            self.set_passages(passages)

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def set_passages(self, passages: list[Passage]) -> None:
        """The passages found: the list fills and Cancel becomes Close."""
        self._done()
        self.passages = [p for p in passages
                         if self.document_id is None or self.document_id in (p.document_id, p.other_document_id)]
        for n, p in enumerate(self.passages):
            text, other = self.project.document_text(p.document_id), self.project.document_text(p.other_document_id)
            item = QTreeWidgetItem([f"{p.similarity:.0%}", self.titles[p.document_id], _short(text[p.start:p.end]),
                                    self.titles[p.other_document_id], _short(other[p.other_start:p.other_end])])
            item.setData(0, Qt.ItemDataRole.UserRole, n)
            self.tree.addTopLevelItem(item)
        self.label.setText(f"{len(self.passages)} shared passage{'s' if len(self.passages) != 1 else ''} "
                           "(activate a row to open both places)")

    def stopped(self, message: str = "Cancelled: no shared passages were looked for to the end.") -> None:
        """The search was cancelled, failed or went out of date (documents added or removed meanwhile)."""
        self._done()
        self.label.setText(message)

    def _done(self) -> None:
        self.looking = False
        self.progress.hide()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    def reject(self) -> None:
        if self.looking:
            self.looking = False
            self.stop_requested.emit()
        super().reject()

    def _jump(self, item: QTreeWidgetItem) -> None:
        p = self.passages[item.data(0, Qt.ItemDataRole.UserRole)]
        self.jump_requested.emit(p.other_document_id, p.other_start, p.other_end)
        self.jump_requested.emit(p.document_id, p.start, p.end)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
