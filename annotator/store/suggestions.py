"""The suggestions a reviewer rejected (``suggestion_rejections``).

Rejections are written as ``RowChange``s through ``Store._commit`` (``annotator.suggest.reject``,
a merge), so they are undo steps like every other change; this module only reads them."""

from __future__ import annotations

from annotator.history import Row
from annotator.store.database import Database

Key = tuple[str, int, int, str]  # document id, start, end, label id


def rejected(db: Database, annotator: str) -> set[Key]:
    return {tuple(r) for r in db.execute(
        "SELECT document_id, start, end, label_id FROM suggestion_rejections WHERE annotator = ?", [annotator])}


def rejection(db: Database, key: Key, annotator: str) -> Row | None:
    """The row recording that ``annotator`` rejected the suggestion ``key``, if any."""
    found = list(db.query(
        "SELECT id, document_id, start, \"end\", label_id, annotator, rejected_at FROM suggestion_rejections "
        "WHERE document_id = ? AND start = ? AND end = ? AND label_id = ? AND annotator = ?", [*key, annotator]))
    return found[0] if found else None


def all_keys(db: Database) -> set[tuple[str, int, int, str, str]]:
    """Every rejection as (document id, start, end, label id, reviewer): what a merge must not add twice."""
    return {tuple(r) for r in db.execute("SELECT document_id, start, end, label_id, annotator FROM suggestion_rejections")}
