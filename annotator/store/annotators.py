"""The ``annotators`` registry: names of reviewers, outside the undo history."""

from __future__ import annotations

from annotator.store.database import Database


def add(db: Database, name: str, color: str | None, created_at: str) -> None:
    """Register a name inside the caller's open transaction (a name already there is kept)."""
    db.execute("INSERT OR IGNORE INTO annotators (name, color, created_at) VALUES (?, ?, ?)", [name, color, created_at])


def has(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM annotators WHERE name = ?", [name]).fetchone() is not None


def names(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM annotators")}
