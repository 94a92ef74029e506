"""The label schema editor: add, rename, recolour, set hotkeys, describe and define attributes.

Every edit is written at once and is one undo step (Edit ▸ Undo works while the dialog is open).
Renaming keeps existing annotations: they point at the label's id, not its name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import Project
from annotator.defaults import LABEL_ROLES
from annotator.errors import AnnotatorError
from annotator.history import Change
from annotator.labels import ATTRIBUTE_TYPES
from annotator.models import Label

HOTKEYS = ["", *"123456789"]


def swatch(color: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class SchemaEditor(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels")
        self.resize(760, 460)
        self.project = project
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)
        add = QPushButton("Add label…")
        add.clicked.connect(self._add)
        remove = QPushButton("Delete label")
        remove.clicked.connect(self._delete)
        left = QVBoxLayout()
        left.addWidget(self.list)
        left.addWidget(add)
        left.addWidget(remove)

        self.name = QLineEdit()
        self.name.editingFinished.connect(lambda: self._update(name=self.name.text()))
        self.color = QPushButton()
        self.color.clicked.connect(self._pick_color)
        self.hotkey = QComboBox()
        self.hotkey.addItems([k or "none" for k in HOTKEYS])
        self.hotkey.activated.connect(lambda i: self._update(hotkey=HOTKEYS[i] or None))
        self.role = QComboBox()
        self.role.addItems(list(LABEL_ROLES))
        self.role.setToolTip("What the label is for, whatever it is called: claims are clustered, actors link to entities "
                             "and sources, figures are parsed and listed in the Figures table")
        self.role.activated.connect(lambda i: self._update(role=LABEL_ROLES[i]))
        self.description = QLineEdit()
        self.description.editingFinished.connect(lambda: self._update(description=self.description.text()))
        self.attributes = QTableWidget(0, 3)
        self.attributes.setHorizontalHeaderLabels(["Attribute", "Type", "Choices (comma separated)"])
        self.attributes.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.attributes.verticalHeader().hide()
        self.attributes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attributes.itemChanged.connect(lambda _item: self._save_attributes())
        add_attr = QPushButton("Add attribute")
        add_attr.clicked.connect(self._add_attribute)
        del_attr = QPushButton("Remove attribute")
        del_attr.clicked.connect(self._remove_attribute)
        attr_buttons = QHBoxLayout()
        attr_buttons.addWidget(add_attr)
        attr_buttons.addWidget(del_attr)
        attr_buttons.addStretch(1)

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Colour", self.color)
        form.addRow("Key", self.hotkey)
        form.addRow("Role", self.role)
        form.addRow("Description", self.description)
        form.addRow(self.attributes)
        form.addRow(attr_buttons)
        right = QWidget()
        right.setLayout(form)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(right, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)
        self._unsubscribe = project.subscribe(self.apply_change)  # a dialog of the project: it may outlive no session
        self.finished.connect(lambda _: self._unsubscribe())
        self._refresh()

    def apply_change(self, change: Change) -> None:
        if change.of("labels"):
            self._refresh()

    def snapshot(self) -> object:
        """The labels listed, the one shown and its fields."""
        items = tuple(self.list.item(i).text() for i in range(self.list.count()))
        return (items, self.list.currentRow(), self.name.text(), self.color.text(), self.hotkey.currentText(),
                self.description.text(), tuple(map(str, self._rows())))

    def current(self) -> Label | None:
        item = self.list.currentItem()
        if item is None:
            return None
        try:
            return self.project.label(item.data(Qt.ItemDataRole.UserRole))
        except AnnotatorError:
            return None

    def _refresh(self) -> None:
        current = self.current()
        self.list.blockSignals(True)
        self.list.clear()
        for label in self.project.labels():
            item = QListWidgetItem(swatch(label.color), f"{label.name}" + (f"   [{label.hotkey}]" if label.hotkey else ""))
            item.setData(Qt.ItemDataRole.UserRole, label.id)
            self.list.addItem(item)
            if current and current.id == label.id:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self._show()

    def _show(self, *_: object) -> None:
        label = self.current()
        for widget in (self.name, self.color, self.hotkey, self.role, self.description, self.attributes):
            widget.setEnabled(label is not None)
        if label is None:
            return
        self.name.setText(label.name)
        self.color.setText(label.color)
        self.color.setIcon(swatch(label.color))
        self.hotkey.setCurrentIndex(HOTKEYS.index(label.hotkey) if label.hotkey in HOTKEYS else 0)
        self.role.setCurrentText(label.role)
        self.description.setText(label.description)
        self.attributes.blockSignals(True)
        self.attributes.setRowCount(0)
        for definition in label.attributes:
            row = self.attributes.rowCount()
            self.attributes.insertRow(row)
            self.attributes.setItem(row, 0, QTableWidgetItem(definition["name"]))
            kind = QComboBox()
            kind.addItems(list(ATTRIBUTE_TYPES))
            kind.setCurrentText(definition.get("type", "text"))
            kind.activated.connect(lambda _i: self._save_attributes())
            self.attributes.setCellWidget(row, 1, kind)
            self.attributes.setItem(row, 2, QTableWidgetItem(", ".join(map(str, definition.get("choices", [])))))
        self.attributes.blockSignals(False)

    def _update(self, **fields: object) -> None:
        label = self.current()
        if label is None:
            return
        if all(getattr(label, k) == v for k, v in fields.items()):
            return
        try:
            self.project.update_label(label.id, **fields)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Labels", str(error))
            self._show()

    def _pick_color(self) -> None:
        label = self.current()
        if label is None:
            return
        color = QColorDialog.getColor(QColor(label.color), self, f"Colour of {label.name}")
        if color.isValid():
            self._update(color=color.name())

    def _add(self) -> None:
        name, ok = QInputDialog.getText(self, "Add label", "Name of the new label:")
        if ok and name.strip():
            try:
                label = self.project.add_label(name.strip())
            except AnnotatorError as error:
                QMessageBox.warning(self, "Labels", str(error))
                return
            for row in range(self.list.count()):
                if self.list.item(row).data(Qt.ItemDataRole.UserRole) == label.id:
                    self.list.setCurrentRow(row)

    def _delete(self) -> None:
        label = self.current()
        if label is None:
            return
        try:
            self.project.delete_label(label.id)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Labels", str(error))

    def _rows(self) -> list[dict]:
        definitions = []
        for row in range(self.attributes.rowCount()):
            name_item = self.attributes.item(row, 0)
            name = name_item.text().strip() if name_item else ""
            if not name:
                continue
            kind_widget = self.attributes.cellWidget(row, 1)
            kind = kind_widget.currentText() if isinstance(kind_widget, QComboBox) else "text"
            choices_item = self.attributes.item(row, 2)
            choices = [c.strip() for c in (choices_item.text() if choices_item else "").split(",") if c.strip()]
            definition: dict = {"name": name, "type": kind}
            if choices:
                definition["choices"] = choices
            definitions.append(definition)
        return definitions

    def _save_attributes(self) -> None:
        label = self.current()
        if label is None:
            return
        old = {d["name"]: d for d in label.attributes}
        new = []
        for definition in self._rows():
            merged = {**old.get(definition["name"], {}), **definition}
            if merged.get("type") != "choice":
                merged.pop("choices", None)
            elif not merged.get("choices"):
                return  # wait until the choices are typed in
            new.append(merged)
        if new != label.attributes:
            self._update(attributes=new)

    def _add_attribute(self) -> None:
        name, ok = QInputDialog.getText(self, "Add attribute", "Attribute name:")
        label = self.current()
        if ok and name.strip() and label is not None:
            self._update(attributes=[*label.attributes, {"name": name.strip(), "type": "text"}])

    def _remove_attribute(self) -> None:
        label = self.current()
        row = self.attributes.currentRow()
        if label is None or row < 0 or row >= len(label.attributes):
            return
        self._update(attributes=[d for i, d in enumerate(label.attributes) if i != row])
