"""Document ▸ Properties, Delete and Assign to…: editing a document's metadata, deleting it with its
annotations, assigning it to a reviewer. Each is one Project operation, so one undo step."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from annotator import Project
from annotator.errors import AnnotatorError

FIELDS = (("title", "Title"), ("outlet", "Outlet"), ("author", "Author"), ("published", "Date"), ("url", "URL"))


class DocumentDialog(QDialog):
    """Title, outlet, author, date, URL and assignee of one document; OK saves what changed as one edit."""

    def __init__(self, project: Project, document_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Document properties")
        self.resize(520, 0)
        self.project = project
        self.document = document = project.document(document_id)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        for name, text in FIELDS:
            self.edits[name] = QLineEdit(getattr(document, name) or "")
            form.addRow(text, self.edits[name])
        self.assigned = QComboBox()
        self.assigned.setEditable(True)
        self.assigned.addItems(["", *project.annotators()])
        self.assigned.setCurrentText(document.assigned_to or "")
        form.addRow("Assigned to", self.assigned)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def fields(self) -> dict[str, str | None]:
        """What changed (empty fields other than the title become NULL)."""
        wanted: dict[str, str | None] = {n: (e.text().strip() or None) for n, e in self.edits.items()}
        wanted["title"] = self.edits["title"].text().strip()
        wanted["assigned_to"] = " ".join(self.assigned.currentText().split()) or None
        return {k: v for k, v in wanted.items() if v != getattr(self.document, k)}

    def save(self) -> None:
        fields = self.fields()
        try:
            if fields:
                self.project.update_document(self.document.id, **fields)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Document properties", str(error))
            return
        self.accept()


def confirm_delete(parent: QWidget, project: Project, ids: list[str]) -> bool:
    """Ask before deleting, naming how many annotations go with the documents; delete them as one undo step."""
    if not ids:
        return False
    count = sum(len(project.annotations(i)) for i in ids)
    what = f"“{project.document(ids[0]).title}”" if len(ids) == 1 else f"{len(ids)} documents"
    answer = QMessageBox.question(
        parent, "Delete document", f"Delete {what} and its {count} annotation{'s' if count != 1 else ''}?\n"
        "Edit ▸ Undo brings it back.")
    if answer != QMessageBox.StandardButton.Yes:
        return False
    with project.group(f"Delete {what}"):
        for document_id in ids:
            project.delete_document(document_id)
    return True


def ask_assign(parent: QWidget, project: Project, ids: list[str], default: str = "") -> bool:
    """Assign documents to a reviewer chosen (or typed); an empty name assigns them to nobody."""
    if not ids:
        return False
    names = ["", *project.annotators()]
    current = project.document(ids[0]).assigned_to or default
    name, ok = QInputDialog.getItem(parent, "Assign to", "Reviewer (empty: nobody):", names,
                                    names.index(current) if current in names else 0, True)
    if not ok:
        return False
    with project.group(f"Assign {len(ids)} document{'s' if len(ids) != 1 else ''}"):
        for document_id in ids:
            project.assign_document(document_id, name)
    return True
