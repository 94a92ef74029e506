"""Reading another project file for a merge: strictly read-only, creating nothing beside it.

See ``annotator.merge`` for how each case of ``-wal``/``-shm`` is opened; this module holds the
SQL and ``sqlite3`` calls, the merge the rules."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from annotator.errors import AnnotatorError, NotAProjectError
from annotator.history import Row
from annotator.store import schema
from annotator.store.database import Database


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


@contextmanager
def _open_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that reads ``path`` (with its committed ``-wal``) and creates no file beside it."""
    wal, shm = _sidecar(path, "-wal"), _sidecar(path, "-shm")
    if not wal.exists() or wal.stat().st_size == 0:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    elif shm.exists():
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:  # e.g. a -shm this user may not write: read a copy instead
            conn.close()
            conn = None
    else:
        conn = None
    if conn is not None:
        try:
            yield conn
        finally:
            conn.close()
        return
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, _sidecar(copy, "-wal"))
        conn = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        try:
            yield conn
        finally:
            conn.close()


def _check_project(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version; ``NotAProjectError`` unless it is a project this version can read
    (a newer one names both versions)."""
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        raise NotAProjectError(f"{path}: not an Annotator project (not an SQLite database)") from None
    if "schema_migrations" not in tables or "documents" not in tables:
        raise NotAProjectError(f"{path}: not an Annotator project (SQLite, but without Annotator's tables)")
    if version > schema.SCHEMA_VERSION:
        raise NotAProjectError(
            f"{path}: made by a newer Annotator (schema {version}, this one reads up to {schema.SCHEMA_VERSION}): "
            "upgrade Annotator to merge it")
    return version


def _check_tables(conn: sqlite3.Connection, path: Path, columns: dict[str, list[str]]) -> None:
    """Raise ``NotAProjectError`` unless the file has the tables and columns this merge reads."""
    for table, needed in columns.items():
        have = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        missing = [c for c in needed if c not in have]
        if missing:
            what = f"no table {table}" if not have else f"table {table} lacks {', '.join(missing)}"
            raise NotAProjectError(f"{path}: not an Annotator project ({what})")


@contextmanager
def _upgraded_copy(conn: sqlite3.Connection, path: Path, version: int) -> Iterator[sqlite3.Connection]:
    """A migrated copy of an older reviewer's file, in a temporary folder deleted afterwards.

    ``conn`` (read-only) is copied with SQLite's backup API, which reads a consistent state,
    committed ``-wal`` changes included; only the copy is migrated, so the reviewer's file stays
    byte for byte as it was. A file whose tables do not match its version is refused first."""
    from annotator.store.file import expected_columns

    found = {t: {r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", [t])}
             for t in expected_columns(version)}
    for table, needed in expected_columns(version).items():
        lacking = sorted(needed - found[table])
        if lacking:
            what = f"no table {table}" if not found[table] else f"table {table} lacks {', '.join(lacking)}"
            raise NotAProjectError(f"{path}: damaged project file of schema {version} ({what}): cannot upgrade it to merge")
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as folder:
        copy = sqlite3.connect(Path(folder) / "upgraded.db", isolation_level=None)
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # a temporary file: no -wal to leave behind
            try:
                schema.migrate(Database(copy))
            except (sqlite3.DatabaseError, AnnotatorError) as error:
                raise AnnotatorError(f"{path}: cannot upgrade a copy of it from schema {version} to "
                                     f"{schema.SCHEMA_VERSION} to merge it ({error})") from None
            yield copy
        finally:
            copy.close()


ORDER = {
    "documents": "position, imported_at, id",
    "labels": "position, name",
    "entities": "created_at, id",
    "annotations": "document_id, start, end, id",
    "relations": "created_at, id",
    "annotators": "name",
    "suggestion_rejections": "document_id, start, end, label_id, annotator",
}


def _same_sql(table: str, compared: list[str]) -> str:
    """An SQL expression over ``t`` (the other file's row, ``main``) and ``o`` (ours, same id, LEFT
    JOINed): true when this project (``ours``) has the row with the same id and content.

    Conservative: a row it flags is one the merge would count as skipped; a row it leaves out is
    merely compared in Python. Annotations must also keep their document and label ids here: their
    document has the same text (and no other document here has it) and their label the same name,
    of kind 'span' (and no other label here has that name)."""
    same = " AND ".join(f't."{c}" IS o."{c}"' for c in compared)
    sql = f"o.id IS NOT NULL{' AND ' + same if same else ''}"
    if table == "annotations":
        sql += (" AND t.document_id IN (SELECT td.id FROM main.documents td JOIN ours.documents od ON od.id = td.id"
                " AND od.sha256 IS td.sha256 WHERE NOT EXISTS (SELECT 1 FROM ours.documents d"
                " WHERE d.sha256 = od.sha256 AND d.id <> od.id))"
                " AND t.label_id IN (SELECT tl.id FROM main.labels tl JOIN ours.labels ol ON ol.id = tl.id"
                " AND ol.name IS tl.name AND ol.kind = 'span')")
    return sql


def _rows_apart(conn: sqlite3.Connection, table: str, order: str, compared: list[str] | None,
                same: dict[str, list[tuple]]) -> list[Row]:
    """Every row of the other file's ``table`` in ``order``; with ``compared`` (``ours`` attached), in one
    pass, the rows ours has identical go to ``same[table]`` as ``(id,)`` (annotations ``(id, label_id)``)."""
    if compared is None:
        cursor = conn.execute(f'SELECT * FROM main."{table}" ORDER BY {order}')
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r)) for r in cursor]
    # The rows kept (new or different: a few) in one pass over the join, sorted once (the unary + keeps
    # SQLite from walking an index for the order, a random read per row). The identical ones (most of
    # a reviewer's copy) are never turned into Python rows: each row is either kept or identical, so
    # they are every row's (id, label_id) less the rows kept, as multisets (a damaged file with a
    # repeated id still counts each row once, as the comparison does), with no second pass over ours.
    # coalesce: a NULL (a NULL document id) is not identical.
    flag = f"coalesce({_same_sql(table, compared)}, 0)"
    join = f'FROM main."{table}" t LEFT JOIN ours."{table}" o ON o.id = t.id'
    by = ", ".join(f"+t.{c.strip()}" for c in order.split(","))
    cursor = conn.execute(f"SELECT t.* {join} WHERE NOT {flag} ORDER BY {by}")
    names = [d[0] for d in cursor.description]
    kept = [dict(zip(names, r)) for r in cursor]
    ids = "id, label_id" if table == "annotations" else "id"
    every = conn.execute(f'SELECT {ids} FROM main."{table}"').fetchall()
    kept_keys = [(r["id"], r["label_id"]) if table == "annotations" else (r["id"],) for r in kept]
    if len(set(every)) == len(every):  # no row repeated (a sound file): the multiset difference is a filter
        leave = set(kept_keys)
        same[table] = [key for key in every if key not in leave]
    else:
        identical = Counter(every)
        identical -= Counter(kept_keys)
        same[table] = list(identical.elements())
    return kept


def read_other(path: Path, columns: dict[str, list[str]], *, ours: Path | None = None,
               compared: dict[str, list[str]] | None = None) -> tuple[dict[str, list[Row]], dict[str, list[tuple]]]:
    """The other file's tables, opened strictly read-only: every row, less (with ``ours``, this
    project's file) the rows of ``compared``'s tables that ``ours`` has with the same id and the
    same values in the compared columns, which are found in SQL (``ours`` attached read-only) and
    returned apart as ``(id,)`` tuples (annotations: ``(id, label_id)``), never read into Python.

    A file of an older schema is read from a migrated temporary copy (``_upgraded_copy``); a newer
    one is refused, naming both versions."""
    if not path.exists():
        raise NotAProjectError(f"{path}: no such file")
    if path.is_dir():
        raise NotAProjectError(f"{path}: is a folder, not a project file")
    compared = compared if ours is not None else None
    try:
        with _open_read_only(path) as conn, ExitStack() as stack:
            version = _check_project(conn, path)
            if version < schema.SCHEMA_VERSION:  # a reviewer who has not upgraded: read a migrated copy
                conn = stack.enter_context(_upgraded_copy(conn, path, version))
            _check_tables(conn, path, columns)
            same: dict[str, list[tuple]] = {}
            rows: dict[str, list[Row]] = {}
            if compared:
                conn.execute("ATTACH ? AS ours", (f"{ours.resolve().as_uri()}?mode=ro",))  # type: ignore[union-attr]
            try:
                for table, by in ORDER.items():
                    rows[table] = _rows_apart(conn, table, by, (compared or {}).get(table), same)
            finally:
                if compared:
                    conn.execute("DETACH ours")
            return rows, same
    except (sqlite3.DatabaseError, OSError) as error:
        raise AnnotatorError(f"{path}: cannot read the project file ({error})") from None
