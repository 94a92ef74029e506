"""Reads of the ``documents`` table (writes go through ``Store._commit``)."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.history import Row
from annotator.store.database import Database


def next_position(db: Database) -> int:
    """One past the last list position: a new document goes to the end."""
    return (db.execute("SELECT max(position) FROM documents").fetchone()[0] or 0) + 1


def ids_by_hash(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT sha256, id FROM documents").fetchall())


def id_for_hash(db: Database, digest: str) -> str | None:
    found = db.execute("SELECT id FROM documents WHERE sha256 = ?", [digest]).fetchone()
    return found[0] if found else None


def listed(db: Database, columns: Sequence[str], with_text: bool) -> list[Row]:
    """Every document in list order; without the text (an empty string instead) for long lists."""
    text = "text" if with_text else "'' AS text"
    names = ", ".join(["id", text, *columns])
    return list(db.query(f"SELECT {names} FROM documents ORDER BY position, imported_at"))


def lengths(db: Database) -> dict[str, int]:
    return dict(db.execute("SELECT id, length(text) FROM documents").fetchall())
