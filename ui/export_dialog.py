"""Export dialog: format, filters, destination, progress; the work is ``annotator.exporters.export``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator import Project, exporters
from annotator.defaults import DOCUMENT_STATUSES
from annotator.errors import AnnotatorError
from annotator.exporters import FORMATS, ExportResult, Filters, export

FORMAT_OPTIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "claimreview": (
        ("review_author", "Author of the review", "the organisation or person publishing the reviews"),
        ("review_url", "Review URL prefix", "https://example.org/fact-checks (each review: PREFIX/ANNOTATION-ID)"),
    ),
}
"""Format-specific settings (``annotator export --review-author/--review-url``): key, field name, placeholder.
Shown only while that format is chosen; what was typed is remembered in QSettings under ``export/KEY``."""


def checklist(items: list[tuple[str, str]], height: int = 84) -> QListWidget:
    widget = QListWidget()
    for text, data in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMaximumHeight(height)
    return widget


def checked(widget: QListWidget) -> list[str]:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


class ExportDialog(QDialog):
    def __init__(self, project: Project, selected_documents: list[str] | None = None, parent: QWidget | None = None,
                 reviewer: str = "", settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle("Export dataset")
        self.resize(620, 640)
        self.project = project
        self.result_: ExportResult | None = None
        self.format = QComboBox()
        self.missing = QLabel()  # formats whose library is not installed, with the command that installs it
        self.missing.setWordWrap(True)
        self.missing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._add_formats()
        self.format.currentIndexChanged.connect(self._suggest_destination)
        self.option_fields: dict[str, dict[str, QLineEdit]] = {}
        self.option_boxes: dict[str, QWidget] = {}
        for fmt_name, fields in FORMAT_OPTIONS.items():
            box = QWidget()
            box_form = QFormLayout(box)
            box_form.setContentsMargins(0, 0, 0, 0)
            edits: dict[str, QLineEdit] = {}
            for key, title, placeholder in fields:
                edit = edits[key] = QLineEdit()
                edit.setObjectName(f"option_{key}")
                edit.setPlaceholderText(placeholder)
                default = reviewer if key == "review_author" else ""
                edit.setText(str(self.settings.value(f"export/{key}", default) or ""))
                box_form.addRow(title, edit)
            self.option_fields[fmt_name], self.option_boxes[fmt_name] = edits, box
        self.format.currentIndexChanged.connect(self._show_options)
        self.reviewers = checklist([(name, name) for name in project.annotators()])
        self.layer = QComboBox()
        self.layer.addItem("Reviewers' and gold annotations", None)
        self.layer.addItem("Reviewers' annotations only", "reviewer")
        self.layer.addItem("Gold standard only", "gold")
        self.labels = checklist([(label.name, label.name) for label in project.labels()])
        self.statuses = checklist([(status, status) for status in DOCUMENT_STATUSES], height=66)
        self.only_selected = QCheckBox(f"Only the {len(selected_documents or [])} selected document(s)")
        self.only_selected.setEnabled(bool(selected_documents))
        self.selected_documents = selected_documents or []
        self.destination = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(browse)
        self.force = QCheckBox("Write into a non-empty folder / overwrite the file")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        hint = QLabel("Nothing checked means everything. Offsets are code points, end exclusive (docs/formats.md).")
        hint.setObjectName("PaneMeta")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("", self.missing)
        for box in self.option_boxes.values():
            form.addRow(box)
        form.addRow("Reviewers", self.reviewers)
        form.addRow("Layer", self.layer)
        form.addRow("Labels", self.labels)
        form.addRow("Document status", self.statuses)
        form.addRow("", self.only_selected)
        form.addRow("Destination", where)
        form.addRow("", self.force)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._suggest_destination()
        self._show_options()

    def _add_formats(self) -> None:
        """Every format; one whose library is missing is listed disabled, with the command that installs it."""
        model = self.format.model()
        assert isinstance(model, QStandardItemModel)
        notes = []
        for index, (name, fmt) in enumerate(FORMATS.items()):
            self.format.addItem(f"{name} — {fmt.title}", name)
            why = exporters.unavailable(fmt)
            if why:
                item = model.item(index)
                item.setEnabled(False)
                item.setToolTip(why)
                self.format.setItemText(index, f"{name} — {fmt.title} (not installed)")
                notes.append(f"{name} needs {fmt.requires}, not installed. Install it with: {exporters.install_command(fmt)}")
        self.missing.setText("\n".join(notes))
        self.missing.setVisible(bool(notes))

    def fmt(self) -> str:
        return self.format.currentData()

    def _suggest_destination(self, *_: object) -> None:
        base = Path(self.project.path).with_suffix("")
        self.destination.setText(str(base.parent / f"{base.name}-{self.fmt()}"))

    def _show_options(self, *_: object) -> None:
        for fmt_name, box in self.option_boxes.items():
            box.setVisible(fmt_name == self.fmt())

    def options(self) -> dict[str, str]:
        """The chosen format's settings that are filled in, as ``export(..., options=)`` takes them."""
        fields = self.option_fields.get(self.fmt(), {})
        return {key: edit.text().strip() for key, edit in fields.items() if edit.text().strip()}

    def _remember_options(self) -> None:
        for key, edit in self.option_fields.get(self.fmt(), {}).items():
            self.settings.setValue(f"export/{key}", edit.text().strip())

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export into folder", str(Path(self.destination.text()).parent))
        if folder:
            self.destination.setText(folder)

    def filters(self) -> Filters:
        return Filters(annotators=tuple(checked(self.reviewers)), layer=self.layer.currentData(),
                       labels=tuple(checked(self.labels)), statuses=tuple(checked(self.statuses)),
                       documents=tuple(self.selected_documents) if self.only_selected.isChecked() else ())

    def run(self) -> None:
        self.progress.setVisible(True)
        self.progress.setValue(0)

        def progress(done: int, total: int) -> None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)
            QApplication.processEvents()

        try:
            self.result_ = export(self.project, self.fmt(), self.destination.text(), self.filters(), progress,
                                  force=self.force.isChecked(), options=self.options())
        except AnnotatorError as error:
            self.progress.setVisible(False)
            QMessageBox.warning(self, "Export", str(error))
            return
        self._remember_options()
        r = self.result_
        dropped = f"<br>{len(r.dropped)} item(s) could not be expressed in {r.format}: see {r.readme.name}." if r.dropped else ""
        dropped += "".join(f"<br>{w}" for w in r.warnings[:5])
        self.summary.setText(f"Exported {r.documents} documents, {r.annotations} annotations, {r.relations} relations "
                             f"to <b>{r.data}</b>; description in {r.readme.name}.{dropped}")
