"""Looking at a project file the way a user's own tools would: a separate plain sqlite3 connection.

pytest puts ``tests/`` on ``sys.path``: ``from db_helpers import query, seeded_project``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator import Project
from annotator.importers import read_paths

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def query(path: Path, sql: str, params: list | tuple = ()) -> list[tuple]:
    """Only what was committed is visible here."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def seeded_project(path: Path) -> Project:
    """A new project at ``path`` with the five sample documents, history cleared."""
    project = Project.create(path)
    documents, problems = read_paths([SEEDS])
    assert not problems
    assert len(project.import_documents(documents).added) == 5
    project.history.clear()
    return project


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table but the change log (with ``sync_times``, its entries' times) and the search index,
    sorted: to assert a project is unchanged row for row. The index (``documents_fts*``, ``search_rows``) is derived
    from ``documents`` by triggers; its pages may be laid out differently after an undo while answering every query
    the same."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('change_log', 'sync_times', 'sqlite_sequence', "
            "'search_rows') AND name NOT LIKE 'documents_fts%'")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def hold_lock(path: Path):  # -> subprocess.Popen[str]
    """Another process takes the file's write lock and keeps it until ``release(holder)``."""
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def release(holder) -> None:
    if holder.poll() is None:
        holder.communicate("\n", timeout=10)
