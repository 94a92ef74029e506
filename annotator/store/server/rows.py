"""What a sync reads from and writes to the team server: one push (one transaction) and one pull.

A push stages its operations in a temporary table with ``COPY``, drops those whose operation id
``applied_ops`` already holds (a rerun after a killed sync), then upserts each table in one
statement. The later edit wins: a row is replaced only by an edit with an ``edited_at`` no
earlier than its own; the loser is kept in ``audit``. A pull reads every row written by a
transaction at or after the cursor, and moves the cursor to the oldest transaction still
running (``pg_snapshot_xmin``): a row committed later by an older transaction is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from psycopg import sql
from psycopg.types.json import Jsonb

from annotator.store.server.schema import SYNCED_TABLES


@dataclass(frozen=True, slots=True)
class Op:
    """One row as its owner last left it: ``data`` is the row, or its last state when ``deleted``."""

    op_id: str
    table: str
    id: str
    layer: str
    data: dict[str, Any]
    edited_at: str
    deleted: bool
    owner: str | None = None
    """Whose row it is; None: the login pushing it. A lead writing a reviewer's row keeps it theirs."""


@dataclass(frozen=True, slots=True)
class ServerRow:
    table: str
    id: str
    owner: str
    layer: str
    data: dict[str, Any]
    edited_at: str
    deleted: bool


LATER_WINS = {"annotations", "relations", "labels"}
"""Tables whose rows an owner edits; documents and entities a reviewer only adds (the lead edits them)."""


def push(conn: Any, ops: Iterable[Op], lead: bool) -> int:
    """Apply ``ops`` in one transaction; return how many were new (not applied by an earlier run)."""
    ops = list(ops)
    if not ops:
        return 0
    with conn.transaction():
        conn.execute("CREATE TEMP TABLE incoming (op_id text, tbl text, id text, layer text, data jsonb, "
                     "edited_at text, deleted boolean, owner text) ON COMMIT DROP")
        with conn.cursor().copy("COPY incoming FROM STDIN") as copy:
            for op in ops:
                copy.write_row((op.op_id, op.table, op.id, op.layer, Jsonb(op.data), op.edited_at, op.deleted,
                                op.owner))
        fresh = conn.execute(
            "WITH fresh AS (INSERT INTO applied_ops (op_id) SELECT op_id FROM incoming "
            "ON CONFLICT DO NOTHING RETURNING op_id) "
            "DELETE FROM incoming WHERE op_id NOT IN (SELECT op_id FROM fresh)").rowcount
        new = len(ops) - fresh
        for table in SYNCED_TABLES:
            t = sql.Identifier(table)
            if table in LATER_WINS or lead:
                conn.execute(sql.SQL(
                    "WITH up AS (INSERT INTO {t} AS t (id, owner, layer, data, edited_at, deleted) "
                    "SELECT id, owner, layer, data, edited_at, deleted FROM incoming WHERE tbl = {name} "
                    "ON CONFLICT (id) DO UPDATE SET layer = EXCLUDED.layer, edited_at = EXCLUDED.edited_at, "
                    "deleted = EXCLUDED.deleted, "
                    "data = CASE WHEN EXCLUDED.deleted THEN t.data ELSE EXCLUDED.data END "
                    "WHERE t.edited_at <= EXCLUDED.edited_at RETURNING id) "
                    "INSERT INTO audit (table_name, row_id, owner, data, edited_at, deleted, reason) "
                    "SELECT {name}, i.id, current_user, i.data, i.edited_at, i.deleted, 'an earlier edit than the server''s' "
                    "FROM incoming i WHERE i.tbl = {name} AND i.id NOT IN (SELECT id FROM up)"
                ).format(t=t, name=sql.Literal(table)))
            else:
                conn.execute(sql.SQL(
                    "INSERT INTO {t} (id, layer, data, edited_at, deleted) "
                    "SELECT id, layer, data, edited_at, deleted FROM incoming WHERE tbl = {name} AND NOT deleted "
                    "ON CONFLICT (id) DO NOTHING").format(t=t, name=sql.Literal(table)))
    return new


def overruled(conn: Any, ops: Iterable[Op]) -> list[ServerRow]:
    """The server's rows where a pushed edit lost to a later one (its ``edited_at`` is later than
    the op's): the pusher must take them even when their transaction lies before its pull cursor
    (a row edited here during the sync that fetched them was skipped then)."""
    stamps: dict[str, dict[str, str]] = {}
    for op in ops:
        if op.table in LATER_WINS:
            stamps.setdefault(op.table, {})[op.id] = op.edited_at
    lost: list[ServerRow] = []
    for table, pushed in stamps.items():
        for id_, owner, layer, data, edited_at, deleted in conn.execute(sql.SQL(
                "SELECT id, owner, layer, data, edited_at, deleted FROM {} WHERE id = ANY(%s) ORDER BY id"
        ).format(sql.Identifier(table)), [list(pushed)]):
            if edited_at > pushed[id_]:
                lost.append(ServerRow(table, id_, owner, layer, data, edited_at, deleted))
    return lost


def pull(conn: Any, since: str) -> tuple[list[ServerRow], str]:
    """Rows written since the cursor ``since`` (a transaction id; "0" at first), and the next cursor."""
    rows: list[ServerRow] = []
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        horizon = str(conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())").fetchone()[0])
        for table in SYNCED_TABLES:
            for id_, owner, layer, data, edited_at, deleted in conn.execute(sql.SQL(
                    "SELECT id, owner, layer, data, edited_at, deleted FROM {} WHERE xid >= %s::xid8 ORDER BY id"
            ).format(sql.Identifier(table)), [since]):
                rows.append(ServerRow(table, id_, owner, layer, data, edited_at, deleted))
    return rows, horizon


def label_keys(conn: Any) -> dict[str, str]:
    """Live labels on the server by name: how a label made on two machines is found to be one."""
    return {name: id_ for id_, name in conn.execute("SELECT id, data->>'name' FROM labels WHERE NOT deleted")}


def table_rows(conn: Any, table: str, live_only: bool = False) -> list[ServerRow]:
    """Every row of one table (tests, the benchmark, publishing)."""
    where = sql.SQL(" WHERE NOT deleted" if live_only else "")
    return [ServerRow(table, *r) for r in conn.execute(sql.SQL(
        "SELECT id, owner, layer, data, edited_at, deleted FROM {}{} ORDER BY id").format(sql.Identifier(table), where))]


def audit_count(conn: Any, table: str, row_id: str) -> int:
    return conn.execute("SELECT count(*) FROM audit WHERE table_name = %s AND row_id = %s", [table, row_id]).fetchone()[0]
