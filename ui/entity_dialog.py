"""Link an Actor annotation to a canonical entity: fuzzy matches first, or a new entity at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator import Annotation, Project
from annotator.crosssource import entity_candidates
from annotator.defaults import ENTITY_TYPES


class EntityDialog(QDialog):
    """Enter links to the highlighted match; Ctrl+N creates a new entity from the name field."""

    def __init__(self, project: Project, annotation: Annotation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link to entity")
        self.resize(520, 420)
        self.project = project
        self.annotation = annotation
        self.result_: tuple[str, str | None, str] | None = None  # ("link", entity_id, "") / ("new", None, type)
        self.matches = QListWidget()
        for entity, score in entity_candidates(project, annotation.quote, limit=8):
            aliases = f" · also {', '.join(entity.aliases[:3])}" if entity.aliases else ""
            item = QListWidgetItem(f"{entity.name}  ({entity.type}){aliases}   {score:.0f}%")
            item.setData(Qt.ItemDataRole.UserRole, entity.id)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)
        self.matches.itemActivated.connect(lambda _: self._link())
        self.name = QLineEdit(" ".join(annotation.quote.split()))
        self.type = QComboBox()
        self.type.addItems(list(ENTITY_TYPES))
        create = QPushButton("Create and link (Ctrl+N)")
        create.clicked.connect(self._create)
        QShortcut(QKeySequence("Ctrl+N"), self, self._create)
        new_row = QHBoxLayout()
        new_row.addWidget(self.name, 1)
        new_row.addWidget(self.type)
        new_row.addWidget(create)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link to match")
        buttons.accepted.connect(self._link)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(QLabel(f"Actor “{annotation.quote}”"))
        form.addRow(QLabel("Matching entities:" if self.matches.count() else "No matching entity yet."))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.matches, 1)
        layout.addWidget(QLabel("Or a new entity:"))
        layout.addLayout(new_row)
        layout.addWidget(buttons)
        (self.matches if self.matches.count() else self.name).setFocus()

    def _link(self) -> None:
        item = self.matches.currentItem()
        if item is None:
            self._create()
            return
        self.result_ = ("link", item.data(Qt.ItemDataRole.UserRole), "")
        self.accept()

    def _create(self) -> None:
        if self.name.text().strip():
            self.result_ = ("new", None, self.type.currentText())
            self.accept()
