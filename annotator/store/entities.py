"""Reads of the ``entities`` table."""

from __future__ import annotations

import sqlite_utils

from annotator.history import Row


def all_rows(db: sqlite_utils.Database) -> list[Row]:
    """Every entity by name, case-insensitively."""
    return list(db.query("SELECT * FROM entities ORDER BY name COLLATE NOCASE"))
