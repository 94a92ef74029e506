"""The SQLite side of backups: copying a file with the backup API, counting and checking a copy,
and copying one back into an open project's connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.store import schema
from annotator.store.database import Database

Error = sqlite3.Error
"""What these functions raise when SQLite cannot read or write a file."""


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)


def copy(source_path: Path, target: Path) -> None:
    """Copy the committed state of ``source_path`` to a new self-contained file (no ``-wal`` beside it)."""
    source = _connect_ro(source_path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)  # all pages in one step: one consistent read transaction
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
        finally:
            dest.close()
    finally:
        source.close()


def counts(path: Path) -> tuple[int, int]:
    """(documents, annotations) of a snapshot file."""
    conn = _connect_ro(path)
    try:
        return conn.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM annotations)").fetchone()
    finally:
        conn.close()


def problems(path: Path) -> list[str]:
    """SQLite's ``quick_check`` of the file: ``["ok"]`` when intact, else up to three problems."""
    conn = _connect_ro(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
    finally:
        conn.close()


def copy_into(backup_path: Path, db: Database) -> None:
    """Replace the content of the open connection ``db`` with the file's (``upgrade`` it next)."""
    source = _connect_ro(backup_path)
    try:
        source.backup(db.conn)
    finally:
        source.close()


def upgrade(db: Database) -> None:
    """Migrate a restored backup that an older Annotator made."""
    if schema.version(db) < schema.SCHEMA_VERSION:
        schema.migrate(db)
