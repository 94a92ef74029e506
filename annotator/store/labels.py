"""Reads of the ``labels`` table."""

from __future__ import annotations

import sqlite_utils

from annotator.history import Row


def all_rows(db: sqlite_utils.Database) -> list[Row]:
    """The schema in palette order."""
    return list(db.query("SELECT * FROM labels ORDER BY position, name"))


def use_count(db: sqlite_utils.Database, label_id: str) -> int:
    """Annotations that carry the label: a used label cannot be deleted."""
    return db.execute("SELECT count(*) FROM annotations WHERE label_id = ?", [label_id]).fetchone()[0]
