"""Reads of the ``entities`` table."""

from __future__ import annotations

from annotator.history import Row
from annotator.store.database import Database


def all_rows(db: Database) -> list[Row]:
    """Every entity by name, case-insensitively."""
    return list(db.query("SELECT * FROM entities ORDER BY name COLLATE NOCASE"))
