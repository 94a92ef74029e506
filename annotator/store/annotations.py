"""Reads of the ``annotations`` table."""

from __future__ import annotations

from annotator.history import Row
from annotator.store.database import Database
from annotator.store.export_part import WHOLE_OFFSETS

SpanRow = tuple[str, int, int, str, str, str]


def of_document(db: Database, document_id: str) -> list[Row]:
    return list(db.query("SELECT * FROM annotations WHERE document_id = ?", [document_id]))


def filtered(db: Database, document_id: str | None = None, annotator: str | None = None,
             layer: str | None = None, label_id: str | None = None, first: int = 0, before: int | None = None) -> list[Row]:
    """Annotations in text order (by document first when not one document), filtered by any field given
    and to those starting in [first, before)."""
    where: list[str] = []
    params: list[object] = []
    for column, value in (("document_id", document_id), ("annotator", annotator), ("layer", layer), ("label_id", label_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if first:
        where.append("start >= ?")
        params.append(first)
    if before is not None:
        where.append("start < ?")
        params.append(before)
    sql = "SELECT * FROM annotations"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY document_id, start, end, id" if document_id is None else " ORDER BY start, end, id"
    return list(db.query(sql, params))


def span_rows(db: Database, document_id: str, first: int = 0, before: int | None = None) -> list[SpanRow]:
    """(id, start, end, label_id, annotator, layer) by start, for spans starting in [first, before). Not a span whose
    start or end is not a whole number (another program's write, which no view can place; an export names it)."""
    sql = ("SELECT id, start, end, label_id, annotator, layer FROM annotations WHERE document_id = ? AND start >= ? "
           f"AND {WHOLE_OFFSETS}")
    params: list[object] = [document_id, first]
    if before is not None:
        sql += " AND start < ?"
        params.append(before)
    return db.execute(sql + " ORDER BY start", params).fetchall()


# Distinct names by seeking, in the (layer, annotator) or (annotator) index, from each name to the
# next one after it: a few index lookups per reviewer instead of reading every annotation.
_NEXT_NAME = """
WITH RECURSIVE names(name) AS (
    SELECT MIN(annotator) FROM annotations WHERE {where}
    UNION ALL
    SELECT (SELECT MIN(annotator) FROM annotations WHERE {where} AND annotator > name) FROM names WHERE name IS NOT NULL
)
SELECT name FROM names WHERE name IS NOT NULL
"""


def annotator_names(db: Database, layer: str | None = None, document_id: str | None = None) -> list[str]:
    if document_id is None:
        where, named = ("layer = :layer", {"layer": layer}) if layer is not None else ("1", {})
        return [r[0] for r in db.execute(_NEXT_NAME.format(where=where), named)]
    sql, params = "SELECT DISTINCT annotator FROM annotations WHERE 1", []
    if layer is not None:
        sql += " AND layer = ?"
        params.append(layer)
    if document_id is not None:
        sql += " AND document_id = ?"
        params.append(document_id)
    return [r[0] for r in db.execute(sql + " ORDER BY annotator", params)]


def find(db: Database, document_id: str, start: int, end: int, label_id: str, layer: str) -> str | None:
    found = db.execute(
        "SELECT id FROM annotations WHERE document_id = ? AND start = ? AND end = ? AND label_id = ? AND layer = ? "
        "ORDER BY id LIMIT 1", [document_id, start, end, label_id, layer]).fetchone()
    return found[0] if found else None


def counts_by_document(db: Database) -> dict[str, int]:
    return dict(db.execute("SELECT document_id, count(*) FROM annotations GROUP BY document_id").fetchall())


def of_entity(db: Database, entity_id: str, ordered: bool = False) -> list[Row]:
    """Annotations pointing at an entity (by document and start when ``ordered``)."""
    order = " ORDER BY document_id, start" if ordered else ""
    return list(db.query(f"SELECT * FROM annotations WHERE entity_id = ?{order}", [entity_id]))


def entity_mentions_in(db: Database, document_id: str) -> list[tuple[str, str]]:
    """(annotation id, entity id) of every annotation in a document that points at an entity."""
    return [(r[0], r[1]) for r in db.execute(
        "SELECT id, entity_id FROM annotations WHERE document_id = ? AND entity_id IS NOT NULL", [document_id]).fetchall()]


def entity_mention_counts(db: Database) -> list[tuple[str, str, int]]:
    """(entity id, document id, mentions) for every linked pair."""
    return db.execute(
        "SELECT entity_id, document_id, count(*) FROM annotations WHERE entity_id IS NOT NULL "
        "GROUP BY entity_id, document_id").fetchall()
