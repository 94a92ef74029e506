"""Shared passages (``annotator.copies``): a list of passage pairs; activating one opens both documents there."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.copies import Passage, copies
from ui.session import Session


class CopiesDialog(QDialog):
    """Every shared passage of the project, or of one document; a row opens the passage and its copy."""

    jump_requested = Signal(str, int, int)  # document id, start, end (code points)

    def __init__(self, session: Session, document_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Shared passages")
        self.resize(820, 420)
        project = session.project
        titles = {d.id: d.title for d in project.documents(with_text=False)}
        self.passages: list[Passage] = [p for p in copies(project)
                                        if document_id is None or document_id in (p.document_id, p.other_document_id)]
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Similarity", "Document", "Passage", "Other document", "Other passage"])
        self.tree.setRootIsDecorated(False)
        for n, p in enumerate(self.passages):
            text, other = project.document_text(p.document_id), project.document_text(p.other_document_id)
            item = QTreeWidgetItem([f"{p.similarity:.0%}", titles[p.document_id], _short(text[p.start:p.end]),
                                    titles[p.other_document_id], _short(other[p.other_start:p.other_end])])
            item.setData(0, Qt.ItemDataRole.UserRole, n)
            self.tree.addTopLevelItem(item)
        self.tree.itemActivated.connect(self._jump)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(self.passages)} shared passage{'s' if len(self.passages) != 1 else ''} "
                                "(activate a row to open both places)"))
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def _jump(self, item: QTreeWidgetItem) -> None:
        p = self.passages[item.data(0, Qt.ItemDataRole.UserRole)]
        self.jump_requested.emit(p.other_document_id, p.other_start, p.other_end)
        self.jump_requested.emit(p.document_id, p.start, p.end)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
