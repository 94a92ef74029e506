"""The suggestions a reviewer rejected (``suggestion_rejections``)."""

from __future__ import annotations

import uuid

from annotator.store.database import Database

Key = tuple[str, int, int, str]  # document id, start, end, label id


def rejected(db: Database, annotator: str) -> set[Key]:
    return {tuple(r) for r in db.execute(
        "SELECT document_id, start, end, label_id FROM suggestion_rejections WHERE annotator = ?", [annotator])}


def reject(db: Database, key: Key, annotator: str, when: str) -> None:
    """Remember a rejection (once per reviewer and span). The row's ``id`` lets a document delete
    record it with the rest of the document's rows, so the delete's undo restores it."""
    db.execute("INSERT OR IGNORE INTO suggestion_rejections (id, document_id, start, end, label_id, annotator, rejected_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)", [str(uuid.uuid4()), *key, annotator, when])
