"""Reads for the corpus search: which documents match (FTS5, or all under the filters), in what order."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.store.database import Database


@dataclass(frozen=True)
class DocumentFilter:
    """Which documents a search looks in; None means any."""

    outlet: str | None = None
    published_from: str | None = None  # ISO dates compare as strings
    published_to: str | None = None
    status: str | None = None
    label_id: str | None = None  # documents with at least one annotation of this label
    document_id: str | None = None


def _where(f: DocumentFilter) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    for sql, value in (("d.outlet = ?", f.outlet), ("d.published >= ?", f.published_from),
                       ("substr(d.published, 1, 10) <= ?", f.published_to), ("d.status = ?", f.status),
                       ("d.id = ?", f.document_id),
                       ("EXISTS (SELECT 1 FROM annotations a WHERE a.document_id = d.id AND a.label_id = ?)", f.label_id)):
        if value is not None:
            where.append(sql)
            params.append(value)
    return where, params


def fts_matches(db: Database, query: str, f: DocumentFilter) -> Iterator[tuple[str, str]]:
    """(document id, text) of documents matching an FTS5 query, best first (bm25).

    Raises ``sqlite3.OperationalError`` for a query FTS5 cannot parse (the caller says so)."""
    where, params = _where(f)
    sql = ("SELECT d.id, d.text FROM documents_fts JOIN search_rows s ON s.rowid = documents_fts.rowid "
           "JOIN documents d ON d.id = s.document_id WHERE documents_fts MATCH ?")
    sql += "".join(f" AND {w}" for w in where) + " ORDER BY documents_fts.rank"
    cursor = db.execute(sql, [query, *params])
    yield from cursor


def containing(db: Database, needle: str | None, f: DocumentFilter) -> Iterator[tuple[str, str]]:
    """(document id, text) in list order, only those containing ``needle`` (case-sensitive) when given."""
    where, params = _where(f)
    if needle is not None:
        where.append("instr(d.text, ?) > 0")
        params.append(needle)
    sql = "SELECT d.id, d.text FROM documents d" + (" WHERE " + " AND ".join(where) if where else "")
    yield from db.execute(sql + " ORDER BY d.position, d.imported_at", params)


def outlets(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL AND outlet != '' ORDER BY outlet")]


QueryError = sqlite3.OperationalError
"""What a malformed FTS5 query raises."""
