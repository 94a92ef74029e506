"""File ▸ Import Labelled Dataset: choose a format and files, read, offer what the CLI's options offer, write.

What ``annotator import --format FMT`` does with ``--skip-bad`` and ``--create-labels`` is offered
here when it would help: a file with a line the reader cannot take is refused with that line named,
and, when the format can leave such lines out, the dialog lists every line it would leave out and
offers to import the rest; labels the project lacks are created only when the user says so. What
was left out or guessed is shown after the import, never dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from annotator.defaults import RELATION_TYPES
from annotator.errors import AnnotatorError, ImportFileError
from annotator.importers import LABELLED_FORMATS, read_paths, skips_bad_lines

if TYPE_CHECKING:
    from annotator.importers.labelled import DatasetReport
    from ui.main_window import MainWindow

SKIP_BUTTON = "Skip bad lines and import the rest"
CREATE_BUTTON = "Create the missing labels and import"
SHOWN = 10
"""How many problems a message lists before "…" (the detailed text has them all)."""

FILE_FILTERS = {"qdpx": "REFI-QDA projects (*.qdpx);;All files (*)"}


def listing(lines: list[str]) -> str:
    return "\n".join(lines[:SHOWN]) + ("\n…" if len(lines) > SHOWN else "")


def ask(parent: QWidget, text: str, details: list[str], button: str) -> bool:
    """A question whose yes-button says what it does; ``details`` listed (all of them under Show Details)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Import", text, QMessageBox.StandardButton.Cancel, parent)
    yes = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
    if len(details) > SHOWN:
        box.setDetailedText("\n".join(details))
    box.exec()
    return box.clickedButton() is yes


def choose_and_import(window: MainWindow) -> DatasetReport | None:
    """Ask for the format and the files (a folder for brat), then ``import_labelled``."""
    fmt, ok = QInputDialog.getItem(window, "Import labelled dataset", "Format:", list(LABELLED_FORMATS), 0, False)
    if not ok:
        return None
    if fmt == "brat":
        folder = QFileDialog.getExistingDirectory(window, "Folder of .txt and .ann files", str(Path.home()))
        paths = [folder] if folder else []
    else:
        paths, _ = QFileDialog.getOpenFileNames(window, f"Import {fmt}", str(Path.home()),
                                                FILE_FILTERS.get(fmt, "All files (*)"))
    return import_labelled(window, fmt, paths) if paths else None


def import_labelled(window: MainWindow, fmt: str, paths: list[str]) -> DatasetReport | None:
    """Read ``paths`` as ``fmt`` and import them in one undo step, as the window's reviewer; None when not imported."""
    try:
        pending, problems = read_paths(paths, fmt=fmt)
    except ImportFileError as error:
        if not skips_bad_lines(fmt):
            QMessageBox.warning(window, "Import", str(error))
            return None
        try:
            pending, problems = read_paths(paths, skip_bad=True, fmt=fmt)
        except AnnotatorError as again:
            QMessageBox.warning(window, "Import", str(again))
            return None
        lines = [str(p) for p in problems]
        text = (f"{len(lines)} line(s) cannot be imported:\n\n{listing(lines)}\n\n"
                f"{SKIP_BUTTON}? Those lines are left out; everything else is imported.")
        if not ask(window, text, lines, SKIP_BUTTON):
            return None
    except AnnotatorError as error:
        QMessageBox.warning(window, "Import", str(error))
        return None
    report = _write(window, pending)
    if report is None:
        return None
    window.statusBar().showMessage(report.summary(Path(window.project.path).name), 8000)
    notes = [*pending.warnings, *(f"Left out: {p}" for p in problems)]
    if notes:
        QMessageBox.warning(window, "Import", "Imported, but check these:\n\n" + listing(notes))
    return report


def _write(window: MainWindow, pending: object) -> DatasetReport | None:
    """``Project.import_documents``; a label the project lacks is created only after asking."""
    from annotator.importers.labelled import PendingSet

    assert isinstance(pending, PendingSet)
    reviewer = window.session.reviewer
    try:
        return window.project.import_documents(pending, annotator=reviewer)
    except ImportFileError as error:
        if not error.problem.startswith("unknown label"):
            QMessageBox.warning(window, "Import", str(error))
            return None
        known = {label.name for label in window.project.labels(kind=None)} | set(RELATION_TYPES)
        used = {a.label for d in pending.documents for a in d.annotations} | {r.label for r in pending.relations}
        missing = sorted(name for name in used - known if name.replace("_", " ") not in known)
        if not ask(window, f"{error.path}: the files use labels this project does not have:\n\n{listing(missing)}\n\n"
                   f"{CREATE_BUTTON}?", missing, CREATE_BUTTON):
            return None
    except AnnotatorError as error:
        QMessageBox.warning(window, "Import", str(error))
        return None
    try:
        return window.project.import_documents(pending, annotator=reviewer, create_labels=True)
    except AnnotatorError as error:
        QMessageBox.warning(window, "Import", str(error))
        return None
