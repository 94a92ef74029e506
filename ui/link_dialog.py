"""Link the selected annotation to another: attributed-to an actor in the same document, or
same-claim / supports / contradicts a claim in another document."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import Annotation, Project
from annotator.defaults import RELATION_TYPES
from annotator.layers import layer_text

WITHIN = {"attributed-to"}


class LinkDialog(QDialog):
    """Choose a relation type and a target; Enter links to the highlighted target."""

    def __init__(self, project: Project, source: Annotation, open_documents: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link annotation")
        self.resize(640, 480)
        self.project = project
        self.source = source
        self.open_documents = open_documents
        self.kind = QComboBox()
        self.kind.addItems(list(RELATION_TYPES))
        self.kind.setCurrentText("same-claim" if project.role_of(source.label_id) == "claim" else "attributed-to")
        self.kind.currentTextChanged.connect(self._fill)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter…")
        self.filter.textChanged.connect(self._filter)
        self.targets = QListWidget()
        self.targets.itemActivated.connect(lambda _: self.accept())
        quote = QLabel(f"From <b>{source.label}</b> “{source.quote}”")
        quote.setWordWrap(True)
        form = QFormLayout()
        form.addRow(quote)
        form.addRow("Relation", self.kind)
        form.addRow("Filter", self.filter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.targets, 1)
        layout.addWidget(buttons)
        self._fill()
        self.filter.setFocus()

    def candidates(self, kind: str) -> list[tuple[Annotation, str]]:
        """Targets for a relation: actors in this document, or claims (and figures) in the others."""
        titles = {d.id: d.title for d in self.project.documents(with_text=False)}
        if kind in WITHIN:
            actors = {label.id for label in self.project.labels_with_role("actor")}
            found = [a for a in self.project.annotations(self.source.document_id)
                     if a.id != self.source.id and a.label_id in actors]
        else:
            found = [a for a in self.project.annotations(label=self.source.label)
                     if a.document_id != self.source.document_id]
            found.sort(key=lambda a: (a.document_id not in self.open_documents, titles.get(a.document_id, ""), a.start))
        return [(a, titles.get(a.document_id, "")) for a in found]

    def _fill(self, *_: object) -> None:
        self.targets.clear()
        for annotation, title in self.candidates(self.kind.currentText()):
            who = "gold" if annotation.layer == "gold" else annotation.annotator
            item = QListWidgetItem(f"{annotation.label}: “{' '.join(annotation.quote.split())}”  —  {who}  —  {title}")
            item.setToolTip(f"{layer_text(annotation)} · {title}")
            item.setData(Qt.ItemDataRole.UserRole, annotation.id)
            self.targets.addItem(item)
        if self.targets.count():
            self.targets.setCurrentRow(0)
        self._filter(self.filter.text())

    def _filter(self, text: str) -> None:
        text = text.casefold()
        first = None
        for row in range(self.targets.count()):
            item = self.targets.item(row)
            hidden = bool(text) and text not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = row
        if first is not None:
            self.targets.setCurrentRow(first)

    def choice(self) -> tuple[str, str] | None:
        item = self.targets.currentItem()
        if item is None or item.isHidden():
            return None
        return self.kind.currentText(), item.data(Qt.ItemDataRole.UserRole)
