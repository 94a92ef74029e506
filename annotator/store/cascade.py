"""What a delete takes with it, so that its undo can bring it back.

SQLite's ``ON DELETE CASCADE`` removes rows that reference a deleted one (a document's
annotations, their relations, its versions and unplaced annotations). A delete that let SQLite do
that silently would record only the row it named, and its undo would return a document without
its work. Operations therefore list the cascaded rows themselves, read here from the schema's
foreign keys, so a table added later is covered without a change to the operations.
"""

from __future__ import annotations

from collections.abc import Iterable
from weakref import WeakKeyDictionary

from annotator.history import Row
from annotator.store.database import Database

_known: WeakKeyDictionary[Database, tuple[int, dict[str, list[tuple[str, str]]]]] = WeakKeyDictionary()
"""Per connection: the schema version the referrers were read at, and them (reading them took a
dozen PRAGMAs, on every delete of one annotation)."""


def _referrers(db: Database) -> dict[str, list[tuple[str, str]]]:
    """Parent table -> (child table, child column) for every ON DELETE CASCADE key of a table with an ``id``;
    read again only when the schema changed (``PRAGMA schema_version`` moves with every CREATE/ALTER/DROP)."""
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    known = _known.get(db)
    if known is not None and known[0] == version:
        return known[1]
    found = _read_referrers(db)
    _known[db] = (version, found)
    return found


def _read_referrers(db: Database) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        columns = {r[1] for r in db.execute(f"PRAGMA table_info('{table}')")}
        if "id" not in columns:  # cannot be recorded by id; tests/test_rejections_undo.py: no such cascade left
            continue
        for key in db.execute(f"PRAGMA foreign_key_list('{table}')"):
            parent, column, on_delete = key[2], key[3], key[6]
            if on_delete == "CASCADE":
                found.setdefault(parent, []).append((table, column))
    return found


def cascaded(db: Database, table: str, ids: Iterable[str]) -> list[tuple[str, Row]]:
    """Every (table, row) a delete of these rows of ``table`` would take with it, each once, deepest first."""
    referrers = _referrers(db)
    seen: set[tuple[str, str]] = set()
    ordered: list[tuple[str, Row]] = []

    def visit(parent: str, parent_ids: list[str]) -> None:
        for child, column in referrers.get(parent, ()):
            rows: list[Row] = []
            for start in range(0, len(parent_ids), 500):
                chunk = parent_ids[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                rows += [r for r in db.query(f'SELECT * FROM "{child}" WHERE "{column}" IN ({marks})', chunk)
                         if (child, r["id"]) not in seen]
            for row in rows:
                seen.add((child, row["id"]))
            if rows:
                visit(child, [r["id"] for r in rows])
                ordered.extend((child, r) for r in rows)

    visit(table, list(ids))
    return ordered
