"""Several writers on one project file: what another process writes is seen, undo never overwrites
it, and a write that cannot happen (locked) changes neither the file nor the history."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from db_helpers import hold_lock, release, snapshot

from annotator import Project
from annotator.errors import ConflictError, WriteError
from annotator.history import Origin

TEXT = "The Syrian Observatory for Human Rights said 973 civilians were killed in coastal Syria."


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "p.db")
    p.add_document(TEXT, title="One")
    return p


def doc_id(p: Project) -> str:
    return p.documents()[0].id


def run_b(path: Path, code: str) -> None:
    """Run ``code`` in another Python process with ``b`` = the project opened there."""
    script = f"from annotator import Project\nb = Project.open({str(path)!r})\n" + textwrap.dedent(code) + "\nb.close()\n"
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).resolve().parent.parent)


def test_another_process_rename_add_delete_is_seen(project: Project) -> None:
    d = doc_id(project)
    kept = project.add_annotation(d, 4, 11, "Claim", annotator="ana")
    gone = project.add_annotation(d, 45, 48, "Figure", annotator="ana")
    seen = []
    project.subscribe(seen.append)
    assert project.label("Claim")  # cached
    run_b(project.path, f"""
        b.update_label("Claim", name="Assertion")
        b.add_annotation({d!r}, 12, 20, "Actor", annotator="ben")
        b.delete_annotation({gone.id!r})
    """)
    change = project.poll_external()
    assert change is not None and change.origin is Origin.EXTERNAL
    assert seen == [change]
    assert [label.name for label in project.labels()][:1] == ["Assertion"]  # the label cache followed
    assert project.annotation(kept.id).label == "Assertion"
    labels = change.of("labels")
    assert [(b["name"], a["name"]) for b, a in labels.updated] == [("Claim", "Assertion")]
    added = change.of("annotations").added
    assert [(r["start"], r["end"], r["annotator"]) for r in added] == [(12, 20, "ben")]
    assert [r["id"] for r in change.of("annotations").removed] == [gone.id]
    assert change.of("annotations").removed[0]["document_id"] == d  # views can tell where it was
    assert project.poll_external() is None  # nothing new since


def test_writes_by_plain_sqlite3_are_seen(project: Project) -> None:
    d = doc_id(project)
    a = project.add_annotation(d, 4, 11, "Claim", annotator="ana")
    other = sqlite3.connect(project.path)
    with other:
        other.execute("UPDATE annotations SET note = 'checked by ben' WHERE id = ?", [a.id])
    other.close()
    change = project.poll_external()
    assert change is not None
    (before, after), = change.of("annotations").updated
    assert (before["note"], after["note"]) == (None, "checked by ben")
    assert change.of("annotations").changed_fields() == {"note"}


def test_own_writes_are_not_reported_as_external(project: Project) -> None:
    project.add_annotation(doc_id(project), 4, 11, "Claim", annotator="ana")
    assert project.poll_external() is None


def test_external_write_before_own_write_is_reported_first(project: Project) -> None:
    d = doc_id(project)
    seen = []
    project.subscribe(seen.append)
    other = Project.open(project.path)
    other.add_annotation(d, 12, 20, "Actor", annotator="ben")
    other.close()
    project.add_annotation(d, 4, 11, "Claim", annotator="ana")  # without polling first
    assert [c.origin for c in seen] == [Origin.EXTERNAL, Origin.DO]
    assert project.poll_external() is None


def test_undo_refuses_when_another_process_changed_the_row(project: Project) -> None:
    d = doc_id(project)
    first = project.add_annotation(d, 45, 48, "Figure", annotator="ana")
    a = project.add_annotation(d, 4, 11, "Claim", annotator="ana")
    run_b(project.path, f"b.update_annotation({a.id!r}, note='ben was here')")
    before = snapshot(project.path)
    with pytest.raises(ConflictError, match="another program changed this annotation"):
        project.undo()
    assert snapshot(project.path) == before  # B's row survives, nothing written
    assert project.annotation(a.id).note == "ben was here"
    # the step that cannot be undone left the history; the one before it still undoes
    assert project.history.undo_text is not None and "Figure" in project.history.undo_text
    project.undo()
    assert not project.has_row("annotations", first.id)
    assert project.has_row("annotations", a.id)


def test_undo_refuses_to_resurrect_what_another_process_deleted(project: Project) -> None:
    d = doc_id(project)
    a = project.add_annotation(d, 4, 11, "Claim", annotator="ana")
    project.update_annotation(a.id, note="mine")
    run_b(project.path, f"b.delete_annotation({a.id!r})")
    with pytest.raises(ConflictError, match="deleted"):
        project.undo()
    assert not project.has_row("annotations", a.id)


def test_redo_refuses_when_another_process_changed_the_row(project: Project) -> None:
    d = doc_id(project)
    a = project.add_annotation(d, 4, 11, "Claim", annotator="ana")
    project.update_annotation(a.id, note="mine")
    project.undo()
    run_b(project.path, f"b.update_annotation({a.id!r}, note='theirs')")
    with pytest.raises(ConflictError):
        project.redo()
    assert project.annotation(a.id).note == "theirs"
    assert project.history.redo_text is None


def test_edit_based_on_a_stale_read_is_refused(project: Project) -> None:
    """An edit checks, inside its transaction, that the row is still what it read."""
    d = doc_id(project)
    a = project.add_annotation(d, 4, 11, "Claim", annotator="ana")
    before = project.fetch_row("annotations", a.id, "annotation")
    other = sqlite3.connect(project.path)
    with other:
        other.execute("UPDATE annotations SET note = 'theirs' WHERE id = ?", [a.id])
    other.close()
    from annotator.history import RowChange
    with pytest.raises(ConflictError):
        project._commit("Edit note", [RowChange("annotations", before, {**before, "note": "mine"})])
    assert project.annotation(a.id).note == "theirs"


@pytest.fixture
def locked(project: Project):
    """Another process holds the write lock until the test ends (or releases it)."""
    holder = hold_lock(project.path)
    yield holder
    release(holder)


def test_a_locked_file_fails_fast_and_changes_nothing(project: Project, locked) -> None:
    d = doc_id(project)
    a = project.add_annotation  # bound before the lock matters
    project.set_busy_timeout(0.2)
    undo_text = project.history.undo_text
    start = time.monotonic()
    with pytest.raises(WriteError, match="locked by another program: nothing was changed"):
        a(d, 4, 11, "Claim", annotator="ana")
    assert time.monotonic() - start < 1.5
    assert project.history.undo_text == undo_text
    assert project.annotations() == []


def test_undo_while_locked_keeps_the_history(project: Project) -> None:
    d = doc_id(project)
    a = project.add_annotation(d, 4, 11, "Claim", annotator="ana")
    holder = hold_lock(project.path)
    project.set_busy_timeout(0.1)
    with pytest.raises(WriteError):
        project.undo()
    release(holder)
    assert project.history.undo_text is not None and project.history.redo_text is None
    project.undo()  # once the lock is gone the same step undoes
    assert not project.has_row("annotations", a.id)
    project.redo()
    assert project.has_row("annotations", a.id)


def test_write_after_the_lock_frees_is_stored(project: Project, locked) -> None:
    project.set_busy_timeout(5)
    release(locked)
    project.add_annotation(doc_id(project), 4, 11, "Claim", annotator="ana")
    assert len(project.annotations()) == 1


def test_opening_the_file_again_in_this_process_keeps_our_locks(project: Project) -> None:
    """Closing any descriptor of a file drops every POSIX lock the process holds on it; if opening
    a project read its header with open()/close() while a connection was open, another process
    closing its own connection would delete the -wal and -shm under ours ("disk I/O error")."""
    d = doc_id(project)
    project.add_annotation(d, 4, 11, "Claim", annotator="ana")
    with Project.open(project.path) as again:  # a second window, a backup, an in-process CLI call
        assert len(again.annotations()) == 1
    run_b(project.path, "b.annotations()")  # another process opens and closes the file
    assert project.path.with_name(project.path.name + "-wal").exists()
    assert len(project.annotations()) == 1
    project.add_annotation(d, 12, 20, "Actor", annotator="ana")
    assert len(project.annotations()) == 2
