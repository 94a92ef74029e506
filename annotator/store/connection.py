"""The project file: opening, creating, and applying changes in transactions.

Everything that writes goes through ``Store._commit``: one ``BEGIN IMMEDIATE`` transaction, one
``Change`` on the history, one notification to subscribers. Every row a change edits is checked
inside that transaction to still be as the change expects, so neither an edit nor an undo ever
overwrites what another program wrote meanwhile. Other programs' writes are read from the
``change_log`` table (filled by triggers) when ``PRAGMA data_version`` says the file changed, and
reported as ``Origin.EXTERNAL`` changes. Reading never writes (opening an up-to-date file changes
nothing in it).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError, ConflictError, NotAProjectError, NotFoundError, ProjectExistsError, WriteError
from annotator.history import Change, History, Origin, Row, RowChange
from annotator.store import file as project_file
from annotator.store import schema, sync_state
from annotator.store.database import Database

Subscriber = Callable[[Change], None]


def new_id() -> str:
    import uuid  # here, not at start-up: uuid imports platform (~10 ms before the first frame)

    return str(uuid.uuid4())


def check_project_file(path: Path) -> None:
    """Raise a user error unless ``path`` is an intact Annotator project this version can open."""
    project_file.check(path)


JSON_INSERT_MIN = 50
"""Runs of inserts at least this long go through one ``json_each`` statement (``Store._insert``)."""


def _json_exact(value: object) -> bool:
    """A value that a JSON round trip through SQLite stores exactly as ``executemany`` would bind it."""
    if value is None:
        return True
    if type(value) is str:
        return "\x00" not in value
    return type(value) is int and -(2**63) <= value < 2**63


_JSON_TYPES = frozenset({str, int, type(None)})


def _json_rows(values: list[tuple]) -> str | None:
    """``values`` as one JSON array when every value is ``_json_exact``, else None.

    Checked a column at a time (the types of a column in one ``set``, its integers' range by
    ``min``/``max``, a NUL as the ``\\u0000`` JSON writes for it) rather than a Python call per value:
    a tenth of the time for a merge's 150,000 values. A text with a backslash before ``u0000``
    looks like a NUL here and merely takes the ``executemany`` path."""
    for column in zip(*values):
        kinds = set(map(type, column))
        if not kinds <= _JSON_TYPES:
            return None
        if int in kinds:
            numbers = [v for v in column if type(v) is int]
            if min(numbers) < -(2**63) or max(numbers) >= 2**63:
                return None
    import orjson  # not at start-up: it imports uuid and platform

    try:  # orjson: the same JSON, compact, in a fifth of json.dumps' time (3.7 MB for a merge's 10,000 rows)
        text = orjson.dumps(values).decode()
    except orjson.JSONEncodeError:  # a lone surrogate (no UTF-8 for it): executemany refuses it as it always did
        return None
    return None if "\\u0000" in text else text

IDLE_CHECKPOINT_PAGES = 20_000
"""The WAL's size (pages, ~80 MB) at which a commit checkpoints anyway when checkpoints are left to
idle time: far beyond any burst of key presses between two pauses."""


class Store:
    """Connection, transactions, history and change notification for one project file."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.history = History()
        self._subscribers: list[Subscriber] = []
        self._group: list[RowChange] | None = None
        self._texts: dict[str, str] = {}
        self._pending_external: list[Change] = []
        self.closed = False
        self.last_change: Change | None = None  # the change set the last operation (or undo, redo) made
        self._last_seq, self._data_version = self._log_position()

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def _connect(cls, path: Path) -> Database:
        """Read-write, or read-only when the file or its folder cannot be written (see ``project_file.connect``)."""
        with project_file.translating(path):
            conn = project_file.connect(path)
            try:
                db = Database(conn)
                db.execute("PRAGMA foreign_keys = ON")
                # WAL: NORMAL skips the fsync on each commit (a key press's largest store cost) and stays durable
                # when the app crashes or is killed; a power cut may lose the last commits, never corrupt the file.
                # A rollback journal keeps FULL, where NORMAL could corrupt on a power cut (sqlite.org/pragma.html).
                wal = db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
                db.execute(f"PRAGMA synchronous = {'NORMAL' if wal else 'FULL'}")
            except BaseException:
                conn.close()
                project_file.release(path)
                raise
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
        db.execute("PRAGMA synchronous = NORMAL")  # WAL now: see _connect
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
                return cls(db, path)
        except BaseException:
            db.close()
            project_file.release(path)
            raise

    def _seed_schema(self) -> None:
        """Overridden by ``Project`` to add the default labels."""

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.db.close()
            project_file.release(self.path)

    def __enter__(self):  # -> Self
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for another program's lock before it fails with ``WriteError``.

        The CLI waits 10 s; the GUI a fraction of a second, so its event loop never freezes."""
        self.db.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def checkpoint_when_asked(self, pages: int = IDLE_CHECKPOINT_PAGES) -> None:
        """Move SQLite's WAL checkpoint off the write path: a commit checkpoints only once the log holds
        ``pages`` pages (a backstop); the caller runs ``checkpoint`` when it has time (the GUI: when
        input pauses). By default SQLite checkpoints inside the commit that passes 1000 pages (~4 MB,
        about 100 key presses): that one press waited 30-50 ms for the copy and its fsync."""
        self.db.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")

    def in_wal_mode(self) -> bool:
        """Whether the file keeps a write-ahead log: then other connections read the last committed state while
        this one writes (a rollback journal locks them out of a large write transaction)."""
        return str(self.db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"

    def checkpoint(self) -> bool:
        """Copy what the WAL holds into the file, without waiting for readers or writers (PASSIVE: a
        reader in another program keeps its pages in the log for the next time). Changes nothing
        anybody reads. True when the whole log is now in the file; False when it was not done (not
        WAL, read-only, closed, inside a write) or a reader held some pages back."""
        if self.closed or self.db.conn.in_transaction:
            return False
        try:
            busy, logged, copied = self.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.OperationalError:  # a read-only file: whoever writes it checkpoints
            return False
        return not busy and logged >= 0 and copied == logged

    @property
    def in_transaction(self) -> bool:
        """Inside a write (a group, a migration): the annotators registry then writes without its own."""
        return self.db.conn.in_transaction

    # -- change notification -------------------------------------------------------------

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(change)`` after every committed change, undo, redo and external write."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def _notify(self, change: Change) -> None:
        pending, self._pending_external = self._pending_external, []
        for external in pending:
            self._forget_cached(external.rows)
            for callback in list(self._subscribers):
                callback(external)
        if change:
            for callback in list(self._subscribers):
                callback(change)

    def forget_everything(self) -> None:
        """The file's content was replaced (a restore): drop history and caches, read the log anew."""
        self.history.clear()
        self._texts.clear()
        self._forget_cached([RowChange("labels", {"id": ""}, None)])
        self._pending_external.clear()
        self._last_seq, self._data_version = self._log_position()

    # -- other writers ---------------------------------------------------------------------------

    def _log_position(self) -> tuple[int, int]:
        seq = self.db.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
        return seq, self.db.execute("PRAGMA data_version").fetchone()[0]

    def _read_external(self, upto: int | None = None) -> Change | None:
        """Another program's writes since we last looked, as one change (current rows as ``after``)."""
        sql = "SELECT seq, table_name, row_id, op, old FROM change_log WHERE seq > ?"
        params: list[Any] = [self._last_seq]
        if upto is not None:
            sql += " AND seq <= ?"
            params.append(upto)
        entries = self.db.execute(sql + " ORDER BY seq", params).fetchall()
        if not entries:
            newest = self.db.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
            self._last_seq = min(self._last_seq, newest)  # a restore replaced the log: follow it from here
            return None
        self._last_seq = entries[-1][0]
        first: dict[tuple[str, str], Row | None] = {}
        for _seq, table, row_id, op, old in entries:
            if (table, row_id) not in first:
                first[(table, row_id)] = json.loads(old) if op != "insert" and old else None
        rows: list[RowChange] = []
        for (table, row_id), before in first.items():
            after = self.fetch_row_or_none(table, row_id)
            if before is None and after is None:
                continue
            if before is not None and after is not None and table == "documents":
                before = {**before, "text": after["text"]}
            if before != after:
                rows.append(RowChange(table, before, after))
        return Change("Changed by another program", tuple(rows), Origin.EXTERNAL) if rows else None

    def poll_external(self) -> Change | None:
        """Look for writes by other programs (cheap: one pragma); tell the subscribers about them.

        The GUI calls this on focus and every second; scripts may call it when they like."""
        if self.closed or self._group is not None or self.db.conn.in_transaction:
            return None
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if version == self._data_version:
            return None
        self._data_version = version
        self.db.execute("BEGIN")
        try:
            change = self._read_external()
        finally:
            self.db.execute("COMMIT")
        if change is not None:
            self._forget_cached(change.rows)
            for callback in list(self._subscribers):
                callback(change)
        return change

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction that takes the lock at once, notices what others wrote before
        it, and turns SQLite's lock, read-only and disk-full failures into one clear error."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise _write_error(self.path, error) from None
        try:
            seq, self._data_version = self._log_position()
            if seq > self._last_seq:
                external = self._read_external(upto=seq)
                if external is not None:
                    self._pending_external.append(external)
            yield
            self._last_seq = self._log_position()[0]
            self.db.execute("COMMIT")
        except BaseException as error:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            self._forget_cached(self._group or ())
            if isinstance(error, sqlite3.OperationalError):
                raise _write_error(self.path, error) from None
            raise

    def _write(self, rc: RowChange) -> None:
        table = rc.table
        if rc.after is None:
            assert rc.before is not None
            self.db.execute(f'DELETE FROM "{table}" WHERE id = ?', [rc.before["id"]])
        elif rc.before is None:
            self._insert([rc])
        else:
            cols = [c for c in rc.after if c != "id" and rc.after[c] != rc.before.get(c)]
            if cols:
                sets = ", ".join(f'"{c}" = ?' for c in cols)
                self.db.execute(
                    f'UPDATE "{table}" SET {sets} WHERE id = ?', [rc.after[c] for c in cols] + [rc.key]
                )

    def _insert(self, rows: Sequence[RowChange]) -> None:
        """Insert rows of one table with the same columns (the first row's) in one statement.

        A long run (a merge or an import) goes to SQLite as one JSON array read by ``json_each``: one
        statement instead of one step per row, about a third faster for 10,000 annotations. Only values
        JSON carries exactly (text without NUL, 64-bit integers, NULL) take that path; anything else
        (floats, blobs) goes through ``executemany``, which stores the very same rows."""
        first = rows[0].after
        assert first is not None
        names = ", ".join(f'"{c}"' for c in first)
        values = [tuple((r.after or {}).values()) for r in rows]
        if len(values) >= JSON_INSERT_MIN and (text := _json_rows(values)) is not None:
            picks = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(first)))
            self.db.conn.execute(f'INSERT INTO "{rows[0].table}" ({names}) SELECT {picks} FROM json_each(?)', [text])
            return
        marks = ", ".join("?" for _ in first)
        self.db.conn.executemany(f'INSERT INTO "{rows[0].table}" ({names}) VALUES ({marks})', values)

    def _check_current(self, rc: RowChange, what: str) -> None:
        """Refuse (``ConflictError``) unless the row is still as ``rc.before`` says.

        Inserts are not looked up: ids are UUIDs and the primary key refuses a clash anyway."""
        if rc.before is None:
            return
        now = self.fetch_row_or_none(rc.table, rc.key)
        if now is None or any(now.get(k) != v for k, v in rc.before.items()):
            kind = rc.table.rstrip("s")
            raise ConflictError(
                f"{what}: another program {'deleted' if now is None else 'changed'} this {kind} "
                f"({rc.key[:8]}) since; nothing was changed")

    def _apply(self, rows: Iterable[RowChange], what: str) -> None:
        """Write rows in order, each checked against the file first (so a group may edit a row twice).

        A run of inserts into one table with the same columns goes to SQLite as one ``executemany``
        (a merge or an import of 100k rows): same rows, same order, a fraction of the calls."""
        rows = tuple(rows)
        refused = sync_state.refusal(self.db, rows)
        if refused is not None:
            raise ConflictError(f"{what}: {refused}")
        ahead = self._derive_ahead(rows)
        i = 0
        while i < len(rows):
            rc = rows[i]
            if rc.before is None and rc.after is not None:  # a run of inserts: no row to check
                cols = tuple(rc.after)
                j = i + 1
                while j < len(rows) and rows[j].before is None and rows[j].table == rc.table \
                        and tuple(rows[j].after or ()) == cols:
                    j += 1
                self._insert(rows[i:j])
                i = j
                continue
            self._check_current(rc, what)
            self._write(rc)
            i += 1
        self._forget_cached(rows)
        self._derive(rows, ahead)

    def _derive_ahead(self, rows: tuple[RowChange, ...]) -> Any:
        """Hook: derived data worth computing beside the writes (in a thread), handed to ``_derive``; None."""
        return None

    def _derive(self, rows: tuple[RowChange, ...], ahead: Any = None) -> None:
        """Hook for subclasses that keep derived tables (figure parses) in step, inside the rows' transaction."""

    def _derive_group(self, done: bool = True) -> None:
        """Hook: at the end of a group, inside its transaction, derived data its commits left for the end
        (``done=False``: the group failed and is rolled back: drop it)."""

    def _forget_cached(self, rows: Iterable[RowChange]) -> None:
        """Hook for subclasses that cache rows (labels); documents' texts never change once stored."""
        for rc in rows:
            if rc.table == "documents" and rc.after is None:
                self._texts.pop(rc.key, None)

    def _commit(self, description: str, rows: Iterable[RowChange]) -> Change:
        """Apply ``rows`` in one transaction, record them for undo and tell the subscribers."""
        rows = tuple(rows)
        if self._group is not None:
            self._apply(rows, description)
            self._group.extend(rows)
            return Change(description, rows)
        change = Change(description, rows)
        if not change:
            return change
        with self._transaction():
            self._apply(rows, description)
        self.history.push(change)
        self.last_change = change
        self._notify(change)
        return change

    @contextmanager
    def external(self, description: str) -> Iterator[Callable[[RowChange], None]]:
        """Write what another copy of the project made (a team sync's pull): one transaction, not on
        the undo history, told to the subscribers as one ``Origin.EXTERNAL`` change. The block gets
        a function that writes one ``RowChange`` (its ``before`` read inside the block); derived tables
        (figure parses) follow in the same transaction, as for the project's own operations."""
        rows: list[RowChange] = []

        def write(rc: RowChange) -> None:
            self._write(rc)
            rows.append(rc)

        with self._transaction():
            yield write
            self._derive(tuple(rows))
        self._forget_cached(rows)
        change = Change(description, tuple(rows), Origin.EXTERNAL)
        self._notify(change)

    @contextmanager
    def group(self, description: str) -> Iterator[None]:
        """Make every commit inside the block one transaction and one undo step."""
        if self._group is not None:
            yield
            return
        self._group = []
        try:
            with self._transaction():
                yield
                self._derive_group()
        except BaseException:
            rows, self._group = self._group, None
            self._forget_cached(rows)
            self._derive_group(done=False)
            raise
        rows, self._group = self._group, None
        change = Change(description, tuple(rows))
        if change:
            self.history.push(change)
            self.last_change = change
        self._notify(change)

    def undo(self) -> Change | None:
        """Undo the last change; return what was undone (as applied: the inverse), or None.

        If another program changed one of its rows since, nothing is written, the step is dropped
        from the history (it can no longer be undone) and ``ConflictError`` says so. A write that
        fails for any other reason (locked, read-only, disk full) leaves the history as it was."""
        change = self.history.peek_undo()
        if change is None:
            return None
        inverse = change.inverted(Origin.UNDO)
        try:
            with self._transaction():
                self._apply(inverse.rows, f"Cannot undo “{change.description}”")
        except ConflictError as error:
            self.history.drop_undo()
            self._notify(Change("", ()))
            raise ConflictError(f"{error} (this step was taken off the undo history)") from None
        self.history.undone()
        self.last_change = inverse
        self._notify(inverse)
        return inverse

    def redo(self) -> Change | None:
        change = self.history.peek_redo()
        if change is None:
            return None
        redone = change.with_origin(Origin.REDO)
        try:
            with self._transaction():
                self._apply(redone.rows, f"Cannot redo “{change.description}”")
        except ConflictError as error:
            self.history.drop_redo()
            self._notify(Change("", ()))
            raise ConflictError(f"{error} (this step was taken off the redo history)") from None
        self.history.redone()
        self.last_change = redone
        self._notify(redone)
        return redone

    # -- reading -------------------------------------------------------------------------------

    def fetch_row(self, table: str, id: str, what: str) -> Row:
        row = self.fetch_row_or_none(table, id)
        if row is None:
            raise NotFoundError(f"no {what} with id {id!r}")
        return row

    def fetch_row_or_none(self, table: str, id: str) -> Row | None:
        cursor = self.db.execute(f'SELECT * FROM "{table}" WHERE id = ?', [id])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        return None if row is None else dict(zip(names, row))

    def has_row(self, table: str, id: str) -> bool:
        return self.db.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', [id]).fetchone() is not None

    def ids(self, table: str) -> set[str]:
        return {r[0] for r in self.db.execute(f'SELECT id FROM "{table}"')}

    def columns(self, table: str) -> list[str]:
        return self.db.columns(table)

    def resolve_id(self, table: str, prefix: str, what: str) -> str:
        """Accept a whole id or a unique prefix of one, as git does for commits."""
        ids = [r[0] for r in self.db.execute(f'SELECT id FROM "{table}" WHERE substr(id, 1, ?) = ? LIMIT 2', [len(prefix), prefix])]
        if len(ids) == 1 and prefix:
            return ids[0]
        if not ids or not prefix:
            raise NotFoundError(f"no {what} with id {prefix!r}")
        raise NotFoundError(f"{what} id {prefix!r} is ambiguous: give more characters")


def _write_error(path: Path, error: sqlite3.OperationalError) -> AnnotatorError:
    """SQLite's reasons a write cannot happen, as one line a user can act on (``project_file.translate``)."""
    translated = project_file.translate(error, path)
    return translated if isinstance(translated, WriteError) else WriteError(str(translated))
