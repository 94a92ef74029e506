"""The project file: opening, creating, and applying changes in transactions.

Everything that writes goes through ``Store.commit``: one transaction, one ``Change`` on the
history, one notification to subscribers. Reading never writes (opening an up-to-date file
changes nothing in it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from annotator import project_file, schema
from annotator.errors import NotAProjectError, NotFoundError, ProjectExistsError
from annotator.history import Change, History, Row, RowChange

Subscriber = Callable[[Change], None]


def new_id() -> str:
    return str(uuid.uuid4())


def check_project_file(path: Path) -> None:
    """Raise a user error unless ``path`` is an intact Annotator project this version can open."""
    project_file.check(path)


class Store:
    """Connection, transactions, history and change notification for one project file."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.history = History()
        self._subscribers: list[Subscriber] = []
        self._group: list[RowChange] | None = None
        self._texts: dict[str, str] = {}

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def _connect(cls, path: Path) -> sqlite_utils.Database:
        """Read-write, or read-only when the file or its folder cannot be written (see ``project_file.connect``)."""
        with project_file.translating(path):
            db = sqlite_utils.Database(project_file.connect(path))
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA synchronous = FULL")
        return db

    @classmethod
    def create(cls, path: str | Path):  # -> Self
        """Create a new, empty project file with the default label schema."""
        path = Path(path)
        if path.exists():
            raise ProjectExistsError(f"{path}: already exists (open it, or choose another name)")
        if not path.parent.exists():
            raise NotAProjectError(f"{path}: folder {path.parent} does not exist")
        db = cls._connect(path)
        db.enable_wal()
        schema.migrate(db)
        project = cls(db, path)
        project._seed_schema()
        project.history.clear()
        return project

    @classmethod
    def open(cls, path: str | Path):  # -> Self
        """Open an existing project file, migrating it if an older version made it."""
        path = Path(path)
        project_file.check(path)
        db = cls._connect(path)
        try:
            with project_file.translating(path):
                if schema.version(db) < schema.SCHEMA_VERSION:
                    project_file.upgrade(db, path)
        except BaseException:
            db.close()
            raise
        return cls(db, path)

    def _seed_schema(self) -> None:
        """Overridden by ``Project`` to add the default labels."""

    def close(self) -> None:
        self.db.close()

    def __enter__(self):  # -> Self
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- change notification -------------------------------------------------------------

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(change)`` after every committed change, undo and redo."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def _notify(self, change: Change) -> None:
        for callback in list(self._subscribers):
            callback(change)

    # -- writing -------------------------------------------------------------------------------

    def _write(self, rc: RowChange) -> None:
        table = rc.table
        if rc.after is None:
            assert rc.before is not None
            self.db.execute(f'DELETE FROM "{table}" WHERE id = ?', [rc.before["id"]])
        elif rc.before is None:
            cols = list(rc.after)
            names = ", ".join(f'"{c}"' for c in cols)
            marks = ", ".join("?" for _ in cols)
            self.db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', [rc.after[c] for c in cols])
        else:
            cols = [c for c in rc.after if c != "id" and rc.after[c] != rc.before.get(c)]
            if cols:
                sets = ", ".join(f'"{c}" = ?' for c in cols)
                self.db.execute(
                    f'UPDATE "{table}" SET {sets} WHERE id = ?', [rc.after[c] for c in cols] + [rc.key]
                )

    def _apply(self, rows: Iterable[RowChange]) -> None:
        with self.db.atomic():
            for rc in rows:
                self._write(rc)
        self._forget_cached(rows)

    def _forget_cached(self, rows: Iterable[RowChange]) -> None:
        """Hook for subclasses that cache rows (labels); documents' texts never change once stored."""
        for rc in rows:
            if rc.table == "documents" and rc.after is None:
                self._texts.pop(rc.key, None)

    def commit(self, description: str, rows: Iterable[RowChange]) -> Change:
        """Apply ``rows`` in one transaction, record them for undo and tell the subscribers."""
        rows = tuple(rows)
        if self._group is not None:
            self._apply(rows)
            self._group.extend(rows)
            return Change(description, rows)
        change = Change(description, rows)
        if not change:
            return change
        self._apply(rows)
        self.history.push(change)
        self._notify(change)
        return change

    @contextmanager
    def group(self, description: str) -> Iterator[None]:
        """Make every commit inside the block one transaction and one undo step."""
        if self._group is not None:
            yield
            return
        self._group = []
        try:
            with self.db.atomic():
                yield
        except BaseException:
            rows, self._group = self._group, None
            self._forget_cached(rows)
            raise
        rows, self._group = self._group, None
        change = Change(description, tuple(rows))
        if change:
            self.history.push(change)
            self._notify(change)

    def undo(self) -> Change | None:
        """Undo the last change; return what was undone (as applied: the inverse), or None."""
        change = self.history.pop_undo()
        if change is None:
            return None
        inverse = change.inverted()
        self._apply(inverse.rows)
        self._notify(inverse)
        return inverse

    def redo(self) -> Change | None:
        change = self.history.pop_redo()
        if change is None:
            return None
        self._apply(change.rows)
        self._notify(change)
        return change

    # -- reading -------------------------------------------------------------------------------

    def fetch_row(self, table: str, id: str, what: str) -> Row:
        cursor = self.db.execute(f'SELECT * FROM "{table}" WHERE id = ?', [id])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        if row is None:
            raise NotFoundError(f"no {what} with id {id!r}")
        return dict(zip(names, row))

    def has_row(self, table: str, id: str) -> bool:
        return self.db.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', [id]).fetchone() is not None

    def ids(self, table: str) -> set[str]:
        return {r[0] for r in self.db.execute(f'SELECT id FROM "{table}"')}

    def columns(self, table: str) -> list[str]:
        return list(self.db[table].columns_dict)

    def fetch_rows(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return list(self.db.query(sql, list(params)))

    def resolve_id(self, table: str, prefix: str, what: str) -> str:
        """Accept a whole id or a unique prefix of one, as git does for commits."""
        ids = [r[0] for r in self.db.execute(f'SELECT id FROM "{table}" WHERE substr(id, 1, ?) = ? LIMIT 2', [len(prefix), prefix])]
        if len(ids) == 1 and prefix:
            return ids[0]
        if not ids or not prefix:
            raise NotFoundError(f"no {what} with id {prefix!r}")
        raise NotFoundError(f"{what} id {prefix!r} is ambiguous: give more characters")
