"""What an export reads: the selected documents, annotations and relations, filtered in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.history import Row
from annotator.store.database import Database

DOCUMENT_LIST_COLUMNS = ("id, '' AS text, sha256, title, outlet, author, url, published, language, status, metadata, "
                         "source_path, source_format, position, imported_at")


@dataclass
class Selected:
    """The rows an export filter picks; ``where``/``params`` select the annotations again per document."""

    documents: list[Row]  # without text
    where: str
    params: list[Any]
    annotations: list[tuple[str, str, str, str, str, str | None]]  # id, document_id, label_id, annotator, layer, entity_id
    relations: list[Row]


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def relation_annotators(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT DISTINCT annotator FROM relations")}


def select(db: Database, statuses: Sequence[str], document_ids: Sequence[str], annotators: Sequence[str],
           layer: str | None, label_ids: Sequence[str]) -> Selected:
    """Documents by status and id; annotations of those by reviewer, layer and label; relations by reviewer and layer."""
    where: list[str] = []
    params: list[Any] = []
    doc_where, doc_params = [], []
    if statuses:
        clause, values = _in("status", statuses)
        doc_where.append(clause)
        doc_params += values
    if document_ids:
        clause, values = _in("id", document_ids)
        doc_where.append(clause)
        doc_params += values
    sql = f"SELECT {DOCUMENT_LIST_COLUMNS} FROM documents"
    if doc_where:
        sql += " WHERE " + " AND ".join(doc_where)
    documents = list(db.query(sql + " ORDER BY position, imported_at, id", doc_params))
    if doc_where:
        where.append(f"document_id IN (SELECT id FROM documents WHERE {' AND '.join(doc_where)})")
        params += doc_params
    relation_where, relation_params = [], []
    if annotators:
        clause, values = _in("annotator", annotators)
        where.append(clause)
        params += values
        relation_where.append(clause)
        relation_params += values
    if layer:
        where.append("layer = ?")
        params.append(layer)
        relation_where.append("layer = ?")
        relation_params.append(layer)
    if label_ids:
        clause, values = _in("label_id", label_ids)
        where.append(clause)
        params += values
    condition = " AND ".join(where) or "1"
    annotations = db.execute(
        f"SELECT id, document_id, label_id, annotator, layer, entity_id FROM annotations WHERE {condition}", params).fetchall()
    sql = "SELECT * FROM relations"
    if relation_where:
        sql += " WHERE " + " AND ".join(relation_where)
    relations = list(db.query(sql + " ORDER BY created_at, id", relation_params))
    return Selected(documents, condition, params, annotations, relations)


ANNOTATION_COLUMNS = ("id, document_id, start, end, label_id, quote, prefix, suffix, annotator, layer, entity_id, "
                      "attributes, note, created_at, updated_at")
"""The order ``annotations_by_document`` returns columns in (``Annotation``'s fields, less the label name).
Tuples, not dicts: an export reads every annotation of a project, and a dict per row cost more than the writing."""


def annotations_by_document(db: Database, where: str, params: Sequence[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every selected annotation, grouped by document, each group in text order.

    One query for the whole export rather than one per document: the per-document queries (each a
    sort) cost more than writing most formats.
    """
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    current: list[tuple[Any, ...]] = []
    previous = None
    sql = f"SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE {where} ORDER BY document_id, start, end, id"
    for row in db.execute(sql, list(params)):
        if row[1] != previous:
            previous = row[1]
            current = grouped.setdefault(previous, [])
        current.append(row)
    return grouped


def document_text(db: Database, document_id: str) -> str:
    return db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[0]
