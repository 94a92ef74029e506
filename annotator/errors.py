"""Errors a user can cause. The CLI prints them as one line; the GUI shows them in a dialog.

Anything that is *not* an ``AnnotatorError`` is a bug and may surface as a traceback.
"""

from __future__ import annotations

import shlex


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


class ProjectFileError(AnnotatorError):
    """The project file cannot be read or written as asked. Printed as ``<file>: <problem>``.

    ``path`` may be filled in later (``annotator.store.file.translating``) by code that knows
    which file was being read, since the layer that notices a bad value often does not.
    """

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}" if self.path is not None else self.problem


class DamagedProjectError(ProjectFileError):
    """The file is an Annotator project whose bytes or tables are damaged (corrupt pages, truncated, tables missing)."""


class ReadOnlyProjectError(ProjectFileError, WriteError):
    """A change was asked of a file (or folder) that cannot be written; nothing was changed."""


class DiskFullError(ProjectFileError, WriteError):
    """The disk filled up during a change; SQLite rolled it back, so nothing was changed."""


class ProjectLockedError(ProjectFileError, WriteError):
    """Another program held the write lock longer than we wait; nothing was changed."""


class BadRowError(DamagedProjectError):
    """One row holds a value Annotator cannot read (e.g. invalid JSON); says which and how to fix it with sqlite3."""

    def __init__(self, path: object, table: str, row_id: object, column: str, problem: str, reset: str) -> None:
        super().__init__(path, problem)
        self.table, self.row_id, self.column, self.reset = table, row_id, column, reset

    def __str__(self) -> str:
        sql = f"UPDATE {self.table} SET {self.column} = '{self.reset}' WHERE id = '{str(self.row_id).replace(chr(39), chr(39) * 2)}'"
        where = f"table {self.table}, row id {self.row_id!r}, column {self.column}"
        quoted = f'"{sql}"' if not any(c in sql for c in '"$`\\!') else shlex.quote(sql)
        fix = f"sqlite3 {shlex.quote(str(self.path)) if self.path is not None else 'PROJECT'} {quoted}"
        text = f"{where}: {self.problem}; correct the value, or reset it with: {fix}"
        return f"{self.path}: {text}" if self.path is not None else text


class TeamServerError(AnnotatorError):
    """The team server cannot be reached, refused a login, or refused a write (row-level security)."""


class TeamServerUnreachable(TeamServerError):
    """No connection to the team server at all (offline, refused, timed out): work goes on locally."""
