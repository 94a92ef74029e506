"""Reads of the ``documents`` table (writes go through ``Store._commit``)."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.history import Row
from annotator.models import Listed
from annotator.store.database import Database


def next_position(db: Database) -> int:
    """One past the last list position: a new document goes to the end."""
    return (db.execute("SELECT max(position) FROM documents").fetchone()[0] or 0) + 1


def ids_by_hash(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT sha256, id FROM documents").fetchall())


def id_for_hash(db: Database, digest: str) -> str | None:
    found = db.execute("SELECT id FROM documents WHERE sha256 = ?", [digest]).fetchone()
    return found[0] if found else None


def listed(db: Database, columns: Sequence[str], with_text: bool) -> list[Row]:
    """Every document in list order; without the text (an empty string instead) for long lists."""
    text = "text" if with_text else "'' AS text"
    names = ", ".join(["id", text, *columns])
    return list(db.query(f"SELECT {names} FROM documents ORDER BY position, imported_at"))


def assigned_to(db: Database, reviewer: str) -> list[str]:
    return [r[0] for r in db.execute("SELECT id FROM documents WHERE assigned_to = ? ORDER BY position, imported_at",
                                     [reviewer]).fetchall()]


def lengths(db: Database) -> dict[str, int]:
    return dict(db.execute("SELECT id, length(text) FROM documents").fetchall())


_LISTED = (
    "SELECT d.id, d.title, coalesce(d.outlet, ''), substr(coalesce(d.published, ''), 1, 10), d.status, coalesce(c.n, 0), "
    "d.author, d.published, d.position FROM documents d "
    "LEFT JOIN (SELECT document_id, count(*) AS n FROM annotations {where_a} GROUP BY document_id) c ON c.document_id = d.id "
    "{where_d} ORDER BY d.position, d.imported_at"
)


def listed_with_counts(db: Database) -> list[Listed]:
    """Every document in list order with its annotation count: one query, plain tuples (10,000 rows in ~20 ms)."""
    cursor = db.execute(_LISTED.format(where_a="", where_d=""))
    return list(map(Listed._make, cursor))


def listed_one(db: Database, id: str) -> Listed | None:
    """The list row of one document (after it was added or edited)."""
    sql = _LISTED.format(where_a="WHERE document_id = :id", where_d="WHERE d.id = :id")
    found = db.execute(sql, {"id": id}).fetchone()
    return Listed._make(found) if found else None
