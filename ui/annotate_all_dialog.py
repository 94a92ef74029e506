"""Annotate all: the preview in which each occurrence can be unticked before every ticked one is
tagged, as one undo step. Occurrences already carrying the label are shown greyed and skipped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
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

from annotator.annotate_all import Occurrence, annotate_all, occurrences
from annotator.errors import AnnotatorError
from annotator.models import Annotation
from ui.session import Session


class AnnotateAllDialog(QDialog):
    def __init__(self, session: Session, text: str, document_id: str | None, label_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annotate all occurrences")
        self.session = session
        self.project = session.project
        self.document_id = document_id
        self.found: list[Occurrence] = []
        self.added: list[Annotation] = []
        self.text = QLineEdit(text)
        self.label = QComboBox()
        for label in self.project.labels():
            self.label.addItem(label.name, label.id)
        if label_id:
            self.label.setCurrentIndex(max(0, self.label.findData(label_id)))
        self.ignore_case = QCheckBox("Ignore case")
        self.whole_word = QCheckBox("Whole words only")
        self.scope = QComboBox()
        self.scope.addItem("All documents", None)
        if document_id:
            self.scope.addItem("This document", document_id)
        self.summary = QLabel()
        self.list = QListWidget()
        self.list.itemChanged.connect(lambda _: self._count())
        for widget in (self.label, self.scope):
            widget.currentIndexChanged.connect(lambda _=0: self.refresh())
        for box in (self.ignore_case, self.whole_word):
            box.toggled.connect(lambda _=False: self.refresh())
        self.text.textChanged.connect(lambda _: self.refresh())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Text:", self.text)
        form.addRow("Label:", self.label)
        form.addRow("In:", self.scope)
        form.addRow("", self.ignore_case)
        form.addRow("", self.whole_word)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 480)
        self.refresh()

    def refresh(self) -> None:
        """List the occurrences again for the text and options as they are now, all ticked."""
        titles = {d.id: d.title or "(untitled)" for d in self.project.documents(with_text=False)}
        try:
            self.found = occurrences(self.project, self.text.text(), self.label.currentData() or "", self.session.reviewer,
                                     ignore_case=self.ignore_case.isChecked(), whole_word=self.whole_word.isChecked(),
                                     document_id=self.scope.currentData())
        except AnnotatorError as error:
            self.found = []
            self.list.clear()
            self.summary.setText(str(error))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.list.blockSignals(True)
        self.list.clear()
        for o in self.found:
            where = titles.get(o.document_id, o.document_id[:8])
            item = QListWidgetItem(f"{where}:  …{o.left[-30:]}【{o.text}】{o.right[:30]}…" + ("  (already tagged)" if o.already else ""))
            if o.already:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._count()

    def chosen(self) -> list[Occurrence]:
        return [o for i, o in enumerate(self.found) if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _count(self) -> None:
        ticked = len(self.chosen())
        skipped = sum(o.already for o in self.found)
        self.summary.setText(f"{len(self.found)} occurrence(s): {ticked} to tag" + (f", {skipped} already tagged" if skipped else "")
                             if self.found else "No occurrence")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ticked > 0)

    def apply(self) -> None:
        try:
            self.added = annotate_all(self.project, self.chosen(), self.label.currentData(), self.session.reviewer)
        except AnnotatorError as error:
            self.summary.setText(f"Nothing was tagged: {error}")
            return
        self.accept()
