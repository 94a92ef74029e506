"""Writing a published SQLite file: plain tables of rows, no triggers, no change log (``team.publish``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def write_tables(path: Path, tables: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]) -> None:
    """Create ``path`` (which must not exist) with one table per entry: (columns, rows)."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            for name, (columns, rows) in tables.items():
                cols = ", ".join(f'"{c}"' for c in columns)
                conn.execute(f'CREATE TABLE "{name}" ({cols})')
                conn.executemany(f'INSERT INTO "{name}" ({cols}) VALUES ({", ".join("?" for _ in columns)})', rows)
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
