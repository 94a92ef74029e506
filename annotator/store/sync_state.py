"""The local side of team sync: what was pushed and pulled, when each local change was made, and
which label on the server each local label is.

``sync_state`` holds key/value pairs (server URL without password, the reviewer's name, whether
they lead, this copy's client id, the last pushed ``change_log`` seq, the pull cursor).
``sync_times`` stamps every ``change_log`` entry (by trigger) with the time it was made: the
"later edit wins" clock. ``sync_pulled`` lists the ``change_log`` ranges a pull wrote, which a
push must not send back. ``sync_keys`` maps local ids to server keys (labels: matched by name once).
"""

from __future__ import annotations

import json
from typing import Any

from annotator.history import Row, RowChange
from annotator.store.database import Database

_TABLES = (
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE sync_times (seq INTEGER PRIMARY KEY, at TEXT NOT NULL)",
    "CREATE TRIGGER sync_time AFTER INSERT ON change_log BEGIN INSERT OR REPLACE INTO sync_times (seq, at) "
    "VALUES (NEW.seq, strftime('%Y-%m-%dT%H:%M:%f', 'now')); END",
    "CREATE TABLE sync_pulled (first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL)",
    """CREATE TABLE sync_keys (
        table_name TEXT NOT NULL,
        local_id TEXT NOT NULL,
        server_id TEXT NOT NULL,
        PRIMARY KEY (table_name, local_id),
        UNIQUE (table_name, server_id)
    )""",
)


def migrate(db: Database) -> None:
    """The migration that adds the tables above (appended to ``schema.MIGRATIONS``)."""
    for statement in _TABLES:
        db.execute(statement)


def get(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return default if row is None else row[0]


def put(db: Database, key: str, value: str) -> None:
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])


def last_seq(db: Database) -> int:
    return db.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]


def pending_entries(db: Database, after: int, upto: int) -> list[tuple[int, str, str, str, str | None, str]]:
    """(seq, table, row id, op, old JSON, made at) of the changes to push: after ``after``, up to
    ``upto``, leaving out what pulls wrote."""
    return db.execute(
        "SELECT c.seq, c.table_name, c.row_id, c.op, c.old, coalesce(t.at, '') FROM change_log c "
        "LEFT JOIN sync_times t ON t.seq = c.seq WHERE c.seq > ? AND c.seq <= ? AND NOT EXISTS "
        "(SELECT 1 FROM sync_pulled p WHERE c.seq BETWEEN p.first_seq AND p.last_seq) ORDER BY c.seq",
        [after, upto]).fetchall()


def waiting(db: Database) -> int:
    """How many local changes are not on the server yet (the status bar's count)."""
    after = int(get(db, "pushed_seq", "0") or 0)
    return db.execute(
        "SELECT count(DISTINCT c.table_name || c.row_id) FROM change_log c WHERE c.seq > ? AND NOT EXISTS "
        "(SELECT 1 FROM sync_pulled p WHERE c.seq BETWEEN p.first_seq AND p.last_seq)", [after]).fetchone()[0]


def mark_pulled(db: Database, first: int, last: int) -> None:
    if last >= first:
        db.execute("INSERT OR REPLACE INTO sync_pulled (first_seq, last_seq) VALUES (?, ?)", [first, last])


def server_key(db: Database, table: str, local_id: str) -> str | None:
    row = db.execute("SELECT server_id FROM sync_keys WHERE table_name = ? AND local_id = ?", [table, local_id]).fetchone()
    return None if row is None else row[0]


def local_key(db: Database, table: str, server_id: str) -> str | None:
    row = db.execute("SELECT local_id FROM sync_keys WHERE table_name = ? AND server_id = ?", [table, server_id]).fetchone()
    return None if row is None else row[0]


def map_key(db: Database, table: str, local_id: str, server_id: str) -> None:
    db.execute("DELETE FROM sync_keys WHERE table_name = ? AND (local_id = ? OR server_id = ?)", [table, local_id, server_id])
    db.execute("INSERT INTO sync_keys (table_name, local_id, server_id) VALUES (?, ?, ?)", [table, local_id, server_id])


def document_by_hash(db: Database, sha256: str) -> str | None:
    row = db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return None if row is None else row[0]


def label_by_name(db: Database, name: str) -> str | None:
    row = db.execute("SELECT id FROM labels WHERE name = ?", [name]).fetchone()
    return None if row is None else row[0]


def document_hash(db: Database, document_id: str) -> str | None:
    row = db.execute("SELECT sha256 FROM documents WHERE id = ?", [document_id]).fetchone()
    return None if row is None else row[0]


def decode_old(old: str | None) -> Row | None:
    return json.loads(old) if old else None


def refusal(db: Database, rows: tuple[RowChange, ...]) -> str | None:
    """Why a local edit may not happen: it changes another reviewer's synced row, or gold without
    leading (None when allowed, or when this copy never synced)."""
    if not any(rc.before is not None and rc.table in ("annotations", "relations") for rc in rows):
        return None
    state = dict(db.execute("SELECT key, value FROM sync_state WHERE key IN ('me', 'lead')").fetchall())
    me: Any = state.get("me")
    if me is None:
        return None
    lead = state.get("lead") == "1"
    for rc in rows:
        before = rc.before
        if before is None or rc.table not in ("annotations", "relations"):
            continue
        kind = rc.table.rstrip("s")
        if before.get("layer") == "gold" and not lead:
            return f"this {kind} ({rc.key[:8]}) is in the gold layer, which only a lead changes: nothing was changed"
        if before.get("layer") == "reviewer" and before.get("annotator") != me and not lead:
            return (f"this {kind} ({rc.key[:8]}) is {before.get('annotator')}'s, synced from the team server: "
                    f"read-only here; nothing was changed")
    return None
