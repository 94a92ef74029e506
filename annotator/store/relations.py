"""Reads of the ``relations`` table."""

from __future__ import annotations

from annotator.history import Row
from annotator.store.database import Database


def touching(db: Database, annotation_ids: list[str]) -> list[Row]:
    """Relations whose source or target is one of the annotations (in chunks: SQLite limits parameters)."""
    found: dict[str, Row] = {}
    for start in range(0, len(annotation_ids), 400):
        chunk = annotation_ids[start : start + 400]
        marks = ", ".join("?" for _ in chunk)
        for r in db.query(f"SELECT * FROM relations WHERE source_id IN ({marks}) OR target_id IN ({marks})", chunk + chunk):
            found[r["id"]] = r
    return list(found.values())


def of_annotation(db: Database, annotation_id: str) -> list[Row]:
    return list(db.query("SELECT * FROM relations WHERE source_id = ? OR target_id = ? ORDER BY created_at, id",
                         [annotation_id, annotation_id]))


def of_document(db: Database, document_id: str) -> list[Row]:
    """Relations whose source or target lies in the document.

    The smaller side drives: a document of 100,000 annotations in a project of few relations walks
    the relations and looks each end up; a short document walks its own annotations' ids and looks
    their relations up. (Without statistics SQLite always took the second way: seconds for a long
    document.)"""
    relations = db.execute("SELECT count(*) FROM relations").fetchone()[0]
    if relations == 0:
        return []
    annotations = db.execute("SELECT count(*) FROM annotations WHERE document_id = ?", [document_id]).fetchone()[0]
    if relations < annotations:
        return list(db.query(
            "SELECT r.* FROM relations r WHERE EXISTS (SELECT 1 FROM annotations a WHERE a.id = r.source_id AND a.document_id = ?)"
            " OR EXISTS (SELECT 1 FROM annotations a WHERE a.id = r.target_id AND a.document_id = ?) ORDER BY r.created_at, r.id",
            [document_id, document_id]))
    return list(db.query(
        "SELECT r.* FROM relations r WHERE r.source_id IN (SELECT id FROM annotations WHERE document_id = ?)"
        " OR r.target_id IN (SELECT id FROM annotations WHERE document_id = ?) ORDER BY r.created_at, r.id",
        [document_id, document_id]))


def all_rows(db: Database) -> list[Row]:
    return list(db.query("SELECT * FROM relations ORDER BY created_at, id"))


def exists(db: Database, source_id: str, target_id: str, label: str) -> bool:
    return db.execute("SELECT 1 FROM relations WHERE source_id = ? AND target_id = ? AND label = ?",
                      [source_id, target_id, label]).fetchone() is not None
