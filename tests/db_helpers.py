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
    """Every row of every table but the change log (with ``sync_times``, its entries' times), the search index and
    the stored figure parses, sorted: to assert a project is unchanged row for row. The index (``documents_fts*``,
    ``search_rows``) is derived from ``documents`` by triggers; its pages may be laid out differently after an undo
    while answering every query the same. ``figure_parses`` is derived from quotes and kept after an undo (a stored
    parse is never wrong, only unused); tests/test_figure_parses.py checks it."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('change_log', 'sync_times', 'sqlite_sequence', "
            "'search_rows', 'figure_parses') AND name NOT LIKE 'documents_fts%'")]
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


def old_reviewer_file(path: Path, version: int, text: str, rejected: tuple[int, int] | None = None,
                      reviewer: str = "ben") -> Path:
    """A project file as an older Annotator wrote it: the first ``version`` migrations only, one document
    with ``text``, the labels Claim and Figure, one Claim of ``reviewer`` on the first word, and (schema 3
    on) ``reviewer``'s rejection of the Figure suggestion at ``rejected``. Written with plain SQL, the
    way that release's tables took it."""
    import datetime as dt
    import hashlib

    from annotator.store import schema
    from annotator.store.database import Database

    stamp = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC).isoformat(timespec="seconds")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        db = Database(conn)
        schema.migrate(db, upto=version)
        role = version >= 2
        with db.atomic():
            db.execute("INSERT INTO documents (id, title, text, sha256, imported_at) VALUES (?, ?, ?, ?, ?)",
                       ["old-doc", "Old report", text, hashlib.sha256(text.encode("utf-8")).hexdigest(), stamp])
            for label_id, label, color, kind in (("old-claim", "Claim", "#1F77B4", "claim"), ("old-figure", "Figure", "#2CA02C", "figure")):
                columns, values = ["id", "name", "color"], [label_id, label, color]
                if role:
                    columns.append("role")
                    values.append(kind)
                db.execute(f"INSERT INTO labels ({', '.join(columns)}) VALUES ({', '.join('?' for _ in values)})", values)
            end = text.index(" ")
            db.execute("INSERT INTO annotations (id, document_id, start, end, label_id, quote, annotator, created_at, updated_at) "
                       "VALUES (?, ?, 0, ?, 'old-claim', ?, ?, ?, ?)", ["old-ann", "old-doc", end, text[:end], reviewer, stamp, stamp])
            if rejected is not None and version >= 3:
                with_id = "id" in db.columns("suggestion_rejections")
                db.execute(f"INSERT INTO suggestion_rejections ({'id, ' if with_id else ''}document_id, start, end, label_id, "
                           f"annotator, rejected_at) VALUES ({'?, ' if with_id else ''}'old-doc', ?, ?, 'old-figure', ?, ?)",
                           [*(["old-rejection"] if with_id else []), *rejected, reviewer, stamp])
    finally:
        conn.close()
    return path
