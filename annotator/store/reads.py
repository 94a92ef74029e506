"""Reads across tables: counts and statistics, what agreement and merging read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotator.history import Row
from annotator.store.database import Database


def counts(db: Database) -> tuple[int, int]:
    """(documents, annotations) in one statement: cheap enough after every change."""
    return db.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM annotations)").fetchone()


def stats(db: Database) -> dict[str, Any]:
    """Totals and breakdowns for the ``stats`` command (all but the label count, which the caller has cached)."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    by_label = dict(db.execute(
        "SELECT l.name, count(a.id) FROM labels l LEFT JOIN annotations a ON a.label_id = l.id "
        "WHERE l.kind = 'span' GROUP BY l.id ORDER BY l.position").fetchall())
    by_annotator = dict(db.execute(
        "SELECT annotator, count(*) FROM annotations GROUP BY annotator ORDER BY annotator").fetchall())
    by_status = dict(db.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "characters": one("SELECT coalesce(sum(length(text)), 0) FROM documents"),
        "annotations": one("SELECT count(*) FROM annotations"),
        "gold_annotations": one("SELECT count(*) FROM annotations WHERE layer = 'gold'"),
        "relations": one("SELECT count(*) FROM relations"),
        "entities": one("SELECT count(*) FROM entities"),
        "by_label": by_label,
        "by_annotator": by_annotator,
        "by_status": by_status,
    }


def reviewer_spans(db: Database, annotators: list[str]) -> list[tuple[str, str, int, int, str]]:
    """(document id, reviewer, start, end, label name) of the reviewers' layer, by document and text order."""
    marks = ", ".join("?" for _ in annotators)
    return db.execute(
        "SELECT a.document_id, a.annotator, a.start, a.end, l.name FROM annotations a "
        f"JOIN labels l ON l.id = a.label_id WHERE a.layer = 'reviewer' AND a.annotator IN ({marks}) "
        "ORDER BY a.document_id, a.start, a.end, a.id", annotators).fetchall()


def rows_by_id(db: Database, table: str, ids: Iterable[str], *, without: Sequence[str] = ()) -> dict[str, Row]:
    """The rows of ``table`` with these ids (in chunks: SQLite limits parameters); ``without``: columns left out
    (a merge comparing documents of the same sha256 needs not read their texts)."""
    ids = list(ids)
    found: dict[str, Row] = {}
    names = ", ".join(f'"{c}"' for c in db.columns(table) if c not in without) if without else "*"
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(f'SELECT {names} FROM "{table}" WHERE id IN ({marks})', chunk):
            found[row["id"]] = row
    return found
