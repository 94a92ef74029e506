"""Rejected suggestions belong to their document's rows: deleting the document records them, its
undo brings them back (the suggestion stays rejected), its redo deletes them again. Old files keep
their rejections when the table gets its ``id``; team sync never pushes them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator import Project
from annotator.store import schema, sync_state
from annotator.store.cascade import cascaded
from annotator.suggest import reject, suggest

TEXT = "Over 1,200 Alawites were killed, SOHR said; al-Sharaa blamed between 300 and 400 fighters."


def _rejections(path: Path) -> list[tuple[str, int, int, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT document_id, start, end, label_id, annotator FROM suggestion_rejections "
                            "ORDER BY start").fetchall()


def _rejected_one(project: Project) -> tuple[str, str]:
    document = project.add_document(TEXT, title="Toll")
    figures = suggest(project, "figures", annotator="ana")
    assert [s.text for s in figures] == ["Over 1,200 Alawites", "between 300 and 400 fighters"]
    reject(project, figures[0], "ana")
    return document.id, figures[1].text


def test_undo_of_a_document_delete_brings_its_rejections_back(project: Project) -> None:
    document_id, still_offered = _rejected_one(project)
    before = _rejections(project.path)
    assert len(before) == 1 and before[0][4] == "ana"
    project.delete_document(document_id)
    assert _rejections(project.path) == []
    project.undo()
    assert _rejections(project.path) == before
    assert [s.text for s in suggest(project, "figures", annotator="ana")] == [still_offered]  # still rejected
    assert len(suggest(project, "figures", annotator="ben")) == 2  # another reviewer's view unchanged
    project.redo()
    assert _rejections(project.path) == [] and project.documents() == []
    project.undo()
    assert _rejections(project.path) == before


def test_every_cascading_table_has_an_id(project: Project) -> None:
    """cascade.py can record only rows with an id: a cascading table without one would come back empty after undo."""
    with sqlite3.connect(project.path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cascading = [k for k in conn.execute(f"PRAGMA foreign_key_list('{table}')") if k[6] == "CASCADE"]
            columns = {c[1] for c in conn.execute(f"PRAGMA table_info('{table}')")}
            assert not cascading or "id" in columns, table


def test_the_delete_lists_the_rejection(project: Project) -> None:
    document_id, _ = _rejected_one(project)
    assert [t for t, _row in cascaded(project.db, "documents", [document_id])] == ["suggestion_rejections"]


def test_rejections_are_not_logged_so_sync_never_pushes_them(project: Project) -> None:
    """The team server has no suggestion_rejections table: nothing of it may reach change_log."""
    document_id, _ = _rejected_one(project)
    project.delete_document(document_id)
    project.undo()
    entries = sync_state.pending_entries(project.db, 0, sync_state.last_seq(project.db))
    assert entries and {e[1] for e in entries} <= set(schema.LOGGED_TABLES)
    assert "suggestion_rejections" not in {e[1] for e in entries}


def test_an_old_file_keeps_its_rejections_and_gets_ids(project: Project) -> None:
    document_id, still_offered = _rejected_one(project)
    path, before = project.path, _rejections(project.path)
    project.close()
    # the file as the release before the id wrote it (later migrations' tables dropped: they run again)
    old = next(i for i, (name, _) in enumerate(schema.MIGRATIONS) if name.startswith("rejected suggestions get an id"))
    conn = sqlite3.connect(path)
    with conn:
        conn.executescript("""
            CREATE TABLE old_rejections (
                document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                start INTEGER NOT NULL, end INTEGER NOT NULL, label_id TEXT NOT NULL,
                annotator TEXT NOT NULL, rejected_at TEXT NOT NULL,
                PRIMARY KEY (document_id, start, end, label_id, annotator));
            INSERT INTO old_rejections SELECT document_id, start, end, label_id, annotator, rejected_at FROM suggestion_rejections;
            DROP TABLE suggestion_rejections;
            ALTER TABLE old_rejections RENAME TO suggestion_rejections;
            DROP TABLE IF EXISTS figure_parses;
            DROP TABLE IF EXISTS document_tokens;""")
        conn.execute("DELETE FROM schema_migrations WHERE version > ?", [old])
        conn.execute(f"PRAGMA user_version = {old}")
    conn.close()
    with Project.open(path) as reopened:
        assert _rejections(path) == before
        with sqlite3.connect(path) as raw:
            ids = [r[0] for r in raw.execute("SELECT id FROM suggestion_rejections")]
            assert len(ids) == 1 and len(ids[0]) == 36
            assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert [s.text for s in suggest(reopened, "figures", annotator="ana")] == [still_offered]
        reject(reopened, suggest(reopened, "figures", annotator="ana")[0], "ana")
        reject(reopened, suggest(reopened, "figures", annotator="ben")[0], "ana")  # the same span again: kept once
        assert len(_rejections(path)) == 2
        reopened.delete_document(document_id)
        reopened.undo()
        assert len(_rejections(path)) == 2


def test_reject_is_an_undo_step(project: Project) -> None:
    """Rejecting writes one row as a named change; undo offers the suggestion again, redo rejects it again."""
    project.add_document(TEXT, title="Toll")
    first, second = suggest(project, "figures", annotator="ana")
    change = reject(project, first, " ana ")
    assert change is project.last_change and project.history.undo_text == change.description
    assert "Over 1,200 Alawites" in change.description
    (row,) = change.of("suggestion_rejections").added
    assert (row["start"], row["end"], row["annotator"]) == (first.start, first.end, "ana")
    assert _rejections(project.path) == [(first.document_id, first.start, first.end, first.label_id, "ana")]
    assert suggest(project, "figures", annotator="ana") == [second]
    undone = project.undo()
    assert undone is not None and undone.of("suggestion_rejections").removed == (row,)
    assert _rejections(project.path) == [] and suggest(project, "figures", annotator="ana") == [first, second]
    project.redo()
    assert suggest(project, "figures", annotator="ana") == [second]
    with sqlite3.connect(project.path) as raw:  # the very row came back, id and time included
        assert raw.execute("SELECT id, rejected_at FROM suggestion_rejections").fetchall() == [(row["id"], row["rejected_at"])]


def test_rejecting_twice_adds_no_step(project: Project) -> None:
    project.add_document(TEXT, title="Toll")
    first = suggest(project, "figures", annotator="ana")[0]
    reject(project, first, "ana")
    steps = len(project.history._undo)
    again = reject(project, first, "ana")
    assert not again and len(project.history._undo) == steps and len(_rejections(project.path)) == 1
    reject(project, first, "ben")  # another reviewer's rejection is their own row and step
    assert len(project.history._undo) == steps + 1 and len(_rejections(project.path)) == 2


def test_a_rejection_needs_a_reviewer_and_a_document(project: Project) -> None:
    from dataclasses import replace

    import pytest

    from annotator.errors import AnnotatorError, NotFoundError

    project.add_document(TEXT, title="Toll")
    first = suggest(project, "figures", annotator="ana")[0]
    with pytest.raises(AnnotatorError, match="reviewer's name"):
        reject(project, first, "  ")
    with pytest.raises(NotFoundError, match="no document"):
        reject(project, replace(first, document_id="nope"), "ana")
    assert _rejections(project.path) == [] and project.history.undo_text == 'Add document “Toll”'
