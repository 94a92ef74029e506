"""Reads of ``document_versions`` and ``unplaced_annotations`` (writes go through ``Store._commit``)."""

from __future__ import annotations

from annotator.store.database import Database


def previous(db: Database, document_id: str) -> str | None:
    found = db.execute("SELECT previous_id FROM document_versions WHERE id = ?", [document_id]).fetchone()
    return found[0] if found else None


def following(db: Database, document_id: str) -> str | None:
    found = db.execute("SELECT id FROM document_versions WHERE previous_id = ? ORDER BY created_at DESC LIMIT 1",
                       [document_id]).fetchone()
    return found[0] if found else None


def links(db: Database) -> dict[str, str]:
    """Version id -> the version it revises, for every revised document."""
    return dict(db.execute("SELECT id, previous_id FROM document_versions").fetchall())


def latest_matching(db: Database, url: str | None, title: str | None, outlet: str | None) -> str | None:
    """The newest document (no later version of its own) with this URL, or else this title from this outlet."""
    newest = ("AND id NOT IN (SELECT previous_id FROM document_versions) "
              "ORDER BY imported_at DESC, position DESC LIMIT 1")
    if url:
        found = db.execute(f"SELECT id FROM documents WHERE url = ? {newest}", [url]).fetchone()
        if found:
            return found[0]
    if title and outlet:
        found = db.execute(f"SELECT id FROM documents WHERE title = ? AND outlet = ? {newest}", [title, outlet]).fetchone()
        if found:
            return found[0]
    return None


def unplaced(db: Database, version_id: str | None = None) -> list[tuple[str, str, str, str]]:
    """(row id, version id, annotation id, reason) of annotations a version could not place, by version."""
    where, args = ("WHERE version_id = ?", [version_id]) if version_id else ("", [])
    return list(db.execute(f"SELECT u.id, u.version_id, u.annotation_id, u.reason FROM unplaced_annotations u "
                           f"JOIN annotations a ON a.id = u.annotation_id {where} ORDER BY u.version_id, a.start", args))
