"""Link an Actor annotation to a canonical entity: search every entity (fuzzy), or create one of a chosen type."""

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
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator import Annotation, Project
from annotator.crosssource import entity_candidates
from annotator.defaults import ENTITY_TYPES
from annotator.errors import AnnotatorError

CHOOSE_TYPE = "Choose a type…"


class EntityDialog(QDialog):
    """Type to search every entity by name and alias (fuzzy); Enter links to the highlighted match.
    A new entity is made only by "Create and link" (Ctrl+N), with the type the reviewer chose."""

    def __init__(self, project: Project, annotation: Annotation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link to entity")
        self.resize(520, 460)
        self.project = project
        self.annotation = annotation
        self.result_: tuple[str, str | None, str] | None = None  # ("link", entity_id, "") / ("new", None, type)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search entities by name or alias…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._fill)
        self.matches = QListWidget()
        self.matches.itemActivated.connect(lambda _: self._link())
        self.heading = QLabel()
        self.name = QLineEdit(" ".join(annotation.quote.split()))
        self.type = QComboBox()
        self.type.addItems([CHOOSE_TYPE, *ENTITY_TYPES])
        given = annotation.attributes.get("type")
        if given in ENTITY_TYPES:
            self.type.setCurrentText(given)
        create = QPushButton("Create and link (Ctrl+N)")
        create.clicked.connect(self._create)
        QShortcut(QKeySequence("Ctrl+N"), self, self._create)
        new_row = QHBoxLayout()
        new_row.addWidget(self.name, 1)
        new_row.addWidget(self.type)
        new_row.addWidget(create)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #B91C1C")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.link_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.link_button.setText("Link to match")
        buttons.accepted.connect(self._link)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(QLabel(f"Actor “{annotation.quote}”"))
        form.addRow("Search", self.search)
        form.addRow(self.heading)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.matches, 1)
        layout.addWidget(QLabel("Or a new entity:"))
        layout.addLayout(new_row)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._fill()
        (self.matches if self.matches.count() else self.search).setFocus()

    def _fill(self, *_: object) -> None:
        """Best matches for the search text (the actor's quote while it is empty), over every name and alias."""
        typed = self.search.text().strip()
        self.matches.clear()
        for entity, score in entity_candidates(self.project, typed or self.annotation.quote, limit=12):
            aliases = f" · also {', '.join(entity.aliases[:3])}" if entity.aliases else ""
            item = QListWidgetItem(f"{entity.name}  ({entity.type}){aliases}   {score:.0f}%")
            item.setData(Qt.ItemDataRole.UserRole, entity.id)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)
        self.heading.setText("Matching entities:" if self.matches.count() else "No matching entity: search, or create one.")
        self.link_button.setEnabled(bool(self.matches.count()))

    def _link(self) -> None:
        item = self.matches.currentItem()
        if item is None:  # never a new entity unasked
            self.problem.setText("No entity chosen: search for one, or create a new one (Ctrl+N).")
            return
        self.result_ = ("link", item.data(Qt.ItemDataRole.UserRole), "")
        self.accept()

    def _create(self) -> None:
        if not self.name.text().strip():
            self.problem.setText("A new entity needs a name.")
        elif self.type.currentText() == CHOOSE_TYPE:
            self.problem.setText("Choose the new entity's type.")
            self.type.setFocus()
        else:
            self.result_ = ("new", None, self.type.currentText())
            self.accept()


class EntityEditor(QDialog):
    """Edit an entity's name, type, aliases (one per line), description and external identifier."""

    def __init__(self, project: Project, entity_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit entity")
        self.project = project
        self.entity = entity = project.entity(entity_id)
        self.name = QLineEdit(entity.name)
        self.type = QComboBox()
        self.type.addItems(list(ENTITY_TYPES))
        self.type.setCurrentText(entity.type)
        self.aliases = QPlainTextEdit("\n".join(entity.aliases))
        self.aliases.setTabChangesFocus(True)
        self.description = QPlainTextEdit(entity.note or "")
        self.description.setTabChangesFocus(True)
        self.external_id = QLineEdit(entity.external_id or "")
        self.external_id.setPlaceholderText("e.g. Q12345 (Wikidata), stored as text")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Type", self.type)
        form.addRow("Aliases (one per line)", self.aliases)
        form.addRow("Description", self.description)
        form.addRow("External id", self.external_id)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def fields(self) -> dict[str, object]:
        """Only what changed, so an unchanged dialog makes no undo step."""
        wanted: dict[str, object] = {
            "name": self.name.text(), "type": self.type.currentText(),
            "aliases": [line.strip() for line in self.aliases.toPlainText().splitlines() if line.strip()],
            "note": self.description.toPlainText().strip() or None, "external_id": self.external_id.text().strip() or None,
        }
        current = {"name": self.entity.name, "type": self.entity.type, "aliases": list(self.entity.aliases),
                   "note": self.entity.note, "external_id": self.entity.external_id}
        return {k: v for k, v in wanted.items() if v != current[k]}

    def save(self) -> None:
        fields = self.fields()
        try:
            if fields:
                self.project.update_entity(self.entity.id, **fields)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Edit entity", str(error))
            return
        self.accept()
