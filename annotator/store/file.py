"""The project file on disk: checking it before opening, opening it read-only when it must be,
and turning SQLite's errors into one-line user errors that name the file.

SQLite reports a damaged, read-only, full or locked file as ``sqlite3.Error`` from whichever
statement first meets it. ``translate`` (and the ``translating`` context manager) is the one
place that maps those to ``ProjectFileError`` subclasses, so the CLI and the GUI say the same.
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from annotator.errors import (
    AnnotatorError,
    BadRowError,
    DamagedProjectError,
    DiskFullError,
    NotAProjectError,
    ProjectFileError,
    ProjectLockedError,
    ReadOnlyProjectError,
)
from annotator.store import schema
from annotator.store.database import Database

LOCK_TIMEOUT = 10.0
"""Seconds a write waits for another program's lock before giving up (tests lower it)."""

NEARLY_FULL = 1 << 20
"""Free bytes below which an I/O error while writing is taken to mean a full disk."""

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100

# Characters that would break the one-line promise or reorder what a terminal shows.
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """Show control characters (a newline in a file name, say) as escapes, so a message stays one line."""
    out = []
    for ch in text:
        if ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _rescue(path: Path | None) -> str:
    where = shlex.quote(str(path)) if path is not None else "PROJECT"
    return f"restore a backup, or salvage what is left with: sqlite3 {where} .recover | sqlite3 recovered.annotator"


# -- translating SQLite's errors ---------------------------------------------------------------


def translate(error: sqlite3.Error, path: Path | None) -> ProjectFileError:
    """The user error that ``error``, raised while using the project file ``path``, means."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    message = str(error)
    text = message.lower()
    if primary == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return ReadOnlyProjectError(path, "read-only: nothing was changed")
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
        return DiskFullError(path, "disk full: nothing was changed")
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
        return ProjectLockedError(path, "locked by another program: nothing was changed (close it, or try again)")
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return DamagedProjectError(path, f"damaged ({message}): nothing was changed; {_rescue(path)}")
    if text.startswith(("no such table", "no such column")):
        return DamagedProjectError(path, f"damaged ({message}): it was edited by another program; {_rescue(path)}")
    if primary == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
        if path is not None and not os.access(path.parent, os.W_OK):
            return ReadOnlyProjectError(path, f"read-only: its folder {path.parent} cannot be written: nothing was changed")
        return ProjectFileError(path, f"cannot be opened ({message})")
    if primary == sqlite3.SQLITE_IOERR or "i/o error" in text:
        if path is not None and _nearly_full(path.parent):  # a full disk can fail the -shm file first
            return DiskFullError(path, "disk full: nothing was changed")
        return ProjectFileError(path, f"disk I/O error ({message}): nothing was changed")
    return ProjectFileError(path, f"SQLite error ({type(error).__name__}: {message})")


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL
    except OSError:
        return False


@contextmanager
def translating(path: Path | str | None) -> Iterator[None]:
    """Raise any ``sqlite3.Error`` inside as the ``ProjectFileError`` it means, naming ``path``."""
    where = Path(path) if path is not None else None
    try:
        yield
    except sqlite3.Error as error:
        raise translate(error, where) from error
    except ProjectFileError as error:
        if error.path is None:
            error.path = where
        raise


# -- reading JSON columns ----------------------------------------------------------------------


def json_column(row: dict[str, Any], table: str, column: str, empty: str) -> Any:
    """``row[column]`` parsed as JSON of the same kind as ``empty`` ('{}' or '[]').

    A bad value is an error naming table, row and column, never read as empty: every edit writes
    the whole row back, so a lenient read would silently replace the value on the next save.
    """
    value = row[column]
    kind = dict if empty == "{}" else list
    if value is None or value == "" or value == empty:  # the usual case, without parsing (tables read rows by the thousand)
        return kind()
    try:
        parsed = json.loads(value)
    except (ValueError, TypeError) as error:
        raise BadRowError(None, table, row.get("id"), column, f"not valid JSON ({error})", empty) from None
    if not isinstance(parsed, kind):
        wanted = "an object" if empty == "{}" else "a list"
        raise BadRowError(None, table, row.get("id"), column, f"JSON {type(parsed).__name__}, not {wanted}", empty) from None
    return parsed


# -- checking and opening ------------------------------------------------------------------------


def _writable(path: Path) -> bool:
    """Can a change be written? SQLite also needs the folder, for its -wal, -shm and -journal files."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_uri(path: Path, header: bytes, *, glance: bool = False) -> str:
    """A read-only URI; ``immutable`` where a WAL file's -shm could not be made (read-only folder, no -wal).

    ``glance``: a quick look (``check``) at a file nobody has open (no -wal) is immutable too, so
    that looking leaves no -wal and -shm files behind.
    """
    query = {"mode": "ro"}
    wal = path.with_name(path.name + "-wal")
    is_wal = len(header) > 18 and header[18] == 2
    in_use = wal.exists() and wal.stat().st_size > 0
    if (is_wal and not os.access(path.parent, os.W_OK) and not in_use) or (glance and not wal.exists()):
        query["immutable"] = "1"
    return f"{path.resolve().as_uri()}?{urlencode(query)}"


_OPEN_HERE: dict[str, tuple[int, bytes]] = {}
"""Project files this process has a connection to: their count and the header read before opening.

Closing *any* descriptor of a file drops every POSIX lock this process holds on it, SQLite's
included; another process may then take the file for unused, checkpoint it and delete its -wal
and -shm under our open connection ("disk I/O error"). So while a connection is open here, the
header is never read again with ``open()``: the copy read before the first connection serves."""


def _key(path: Path) -> str:
    return str(path.resolve())


def _header(path: Path) -> bytes:
    held = _OPEN_HERE.get(_key(path))
    if held is not None:
        return held[1]
    try:
        with path.open("rb") as file:
            return file.read(HEADER_SIZE)
    except OSError as error:
        raise ProjectFileError(path, f"cannot be read ({error.strerror})") from None


def release(path: Path) -> None:
    """A connection opened by ``connect`` was closed."""
    key = _key(path)
    count, header = _OPEN_HERE.get(key, (1, b""))
    if count <= 1:
        _OPEN_HERE.pop(key, None)
    else:
        _OPEN_HERE[key] = (count - 1, header)


def connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` for reading and writing, or read-only if the file or its folder cannot be written.

    A read-only project still answers every reading command; a write then fails with SQLite's
    'readonly' error, which ``translate`` turns into "read-only: nothing was changed".
    """
    # Autocommit mode (isolation_level=None): the store opens every transaction itself with
    # BEGIN IMMEDIATE, so nothing holds the write lock between operations.
    header = _header(path) if path.exists() else b""
    if not path.exists() or _writable(path):
        conn = sqlite3.connect(str(path), timeout=LOCK_TIMEOUT, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(_read_only_uri(path, header), uri=True, timeout=LOCK_TIMEOUT, check_same_thread=False,
                               isolation_level=None)
    key = _key(path)
    _OPEN_HERE[key] = (_OPEN_HERE.get(key, (0, header))[0] + 1, header)
    return conn


@functools.cache
def expected_columns(version: int) -> dict[str, frozenset[str]]:
    """Tables and columns a file at schema ``version`` has: written down for the newest schema (every
    open checks a file against it; running the eleven migrations in memory took ~20 ms of each start),
    found by running the migrations in memory for any other version or if the written record is not
    of these migrations (see ``schema_columns``)."""
    from annotator.store import schema_columns

    if version == schema_columns.VERSION and migration_names(version) == schema_columns.MIGRATIONS:
        return {table: frozenset(columns) for table, columns in schema_columns.COLUMNS.items()}
    return migrated_columns(version)


def migration_names(version: int) -> tuple[str, ...]:
    return tuple(name for name, _ in schema.MIGRATIONS[:version])


def migrated_columns(version: int) -> dict[str, frozenset[str]]:
    """Tables and columns a file at schema ``version`` has, found by running the migrations in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        db = Database(conn)
        for _name, script in schema.MIGRATIONS[:version]:
            if callable(script):
                script(db)
            else:
                conn.executescript(script)
        return _columns(conn)
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: frozenset(r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", [t])) for t in tables}


def check(path: Path) -> None:
    """Raise a user error unless ``path`` is an intact Annotator project this version can open. Reads only."""
    if not path.exists():
        raise NotAProjectError(f"{path}: no such file")
    if path.is_dir():
        raise NotAProjectError(f"{path}: is a folder, not a project file")
    header = _header(path)
    if _key(path) not in _OPEN_HERE:  # open here already: it was checked, and its size is in flux
        if not header:
            raise NotAProjectError(f"{path}: empty (0 bytes): not an Annotator project (no SQLite database, so without Annotator's tables)")
        if not header.startswith(SQLITE_MAGIC):
            raise NotAProjectError(f"{path}: not an Annotator project (not an SQLite database)")
        _check_size(path, header)
    with translating(path):
        conn = sqlite3.connect(_read_only_uri(path, header, glance=True), uri=True, timeout=LOCK_TIMEOUT)
        try:
            found = _columns(conn)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            recorded = None
            if "schema_migrations" in found:
                recorded = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        finally:
            conn.close()
    _check_schema(path, found, version, recorded)


def _check_size(path: Path, header: bytes) -> None:
    """A file shorter than its header says was cut short (a copy that stopped, a full disk)."""
    size = path.stat().st_size
    if len(header) < HEADER_SIZE:
        raise DamagedProjectError(path, f"damaged: cut short ({size} bytes, not even a whole header); {_rescue(path)}")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_is_current = header[24:28] == header[92:96]  # SQLite's own test for trusting the page count
    if header_is_current and pages and size < pages * page_size:
        raise DamagedProjectError(path, f"damaged: cut short ({size} of {pages * page_size} bytes); {_rescue(path)}")


def _check_schema(path: Path, found: dict[str, frozenset[str]], version: int, recorded: int | None) -> None:
    if "schema_migrations" not in found and "documents" not in found:
        raise NotAProjectError(f"{path}: not an Annotator project (SQLite, but without Annotator's tables)")
    if version > schema.SCHEMA_VERSION:
        raise NotAProjectError(
            f"{path}: made by a newer Annotator (schema {version}, this one reads up to {schema.SCHEMA_VERSION})")
    if version != recorded:
        fix = ""
        if recorded is not None and 0 < recorded <= schema.SCHEMA_VERSION:
            fix = f"; if its tables are intact, fix it with: sqlite3 {shlex.quote(str(path))} 'PRAGMA user_version = {recorded}'"
        raise DamagedProjectError(
            path, f"damaged: its schema version (PRAGMA user_version) is {version} but its schema_migrations table "
                  f"records {recorded if recorded is not None else 'none'}: it was edited by another program{fix}")
    expected = expected_columns(version)
    missing = sorted(t for t in expected if t not in found)
    if missing:
        raise DamagedProjectError(
            path, f"damaged: table{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing "
                  f"(it was edited by another program); {_rescue(path)}")
    for table, columns in expected.items():
        lacking = sorted(columns - found[table])
        if lacking:
            raise DamagedProjectError(
                path, f"damaged: table {table} lacks column{'s' if len(lacking) > 1 else ''} {', '.join(lacking)} "
                      f"(it was edited by another program); {_rescue(path)}")


def upgrade(db: Any, path: Path) -> None:
    """Migrate an older file (``db`` is a ``Database``); a read-only one cannot be, and the error says why."""
    try:
        with translating(path):
            schema.migrate(db)
    except ReadOnlyProjectError:
        raise ReadOnlyProjectError(
            path, "read-only, and made by an older Annotator: make it writable once so it can be upgraded; "
                  "nothing was changed") from None


def user_message(error: AnnotatorError) -> str:
    """How the CLI prints a user error: one line, control characters escaped."""
    return f"Error: {escape(str(error))}"
