"""Errors a user can cause. The CLI prints them as one line; the GUI shows them in a dialog.

Anything that is *not* an ``AnnotatorError`` is a bug and may surface as a traceback.
"""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base class for every error caused by input, not by a bug."""


class NotAProjectError(AnnotatorError):
    """The path does not exist or is not an Annotator project file."""


class ProjectExistsError(AnnotatorError):
    """``Project.create`` was asked to overwrite an existing file."""


class SpanError(AnnotatorError):
    """An annotation span is empty, reversed or outside its document's text."""


class UnknownLabelError(AnnotatorError):
    """A label name that the project's schema does not define."""


class NotFoundError(AnnotatorError):
    """A document, annotation, label, relation or entity id that does not exist."""


class DuplicateDocumentError(AnnotatorError):
    """A document with the same text (sha256) is already in the project."""

    def __init__(self, message: str, existing_id: str) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class Cancelled(AnnotatorError):
    """The user stopped a long operation; a progress callback raises it to stop the work."""


class ImportFileError(AnnotatorError):
    """A file could not be read or parsed; names the file and, where known, the line."""

    def __init__(self, path: object, problem: str, line: int | None = None) -> None:
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.problem = problem
        self.line = line


class WriteError(AnnotatorError):
    """The project file could not be written (locked by another program, read-only, disk full).

    Nothing was changed, in the file or in the undo history."""


class ConflictError(AnnotatorError):
    """Another program changed the rows an edit, undo or redo was about to change: nothing was written."""
