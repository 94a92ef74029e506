"""The suggestions a reviewer rejected (``suggestion_rejections``)."""

from __future__ import annotations

from annotator.store.database import Database

Key = tuple[str, int, int, str]  # document id, start, end, label id


def rejected(db: Database, annotator: str) -> set[Key]:
    return {tuple(r) for r in db.execute(
        "SELECT document_id, start, end, label_id FROM suggestion_rejections WHERE annotator = ?", [annotator])}


def reject(db: Database, key: Key, annotator: str, when: str) -> None:
    db.execute("INSERT OR IGNORE INTO suggestion_rejections (document_id, start, end, label_id, annotator, rejected_at) "
               "VALUES (?, ?, ?, ?, ?, ?)", [*key, annotator, when])
