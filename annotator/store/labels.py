"""Reads of the ``labels`` table."""

from __future__ import annotations

from annotator.history import Row
from annotator.store.database import Database


def all_rows(db: Database) -> list[Row]:
    """The schema in palette order."""
    return list(db.query("SELECT * FROM labels ORDER BY position, name"))


def use_count(db: Database, label_id: str) -> int:
    """Annotations that carry the label: a used label cannot be deleted."""
    return db.execute("SELECT count(*) FROM annotations WHERE label_id = ?", [label_id]).fetchone()[0]
