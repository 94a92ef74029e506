"""The work a merge does beside its inserts (the snapshot, the figure parses, in threads) gives what doing it
first gave: the snapshot holds the project before the merge, a failed snapshot merges nothing, and the
figure parses stored are those the plain path stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_backups import copy_project, dump, reasons
from test_figure_parses import CORPUS, corpus_project, sql, stored

import annotator.backups
import annotator.figure_values
import annotator.project
from annotator import Project
from annotator.backups import BackupError, list_backups
from annotator.merge import merge_project


def _their_copy(seeded: Project, tmp_path: Path) -> Path:
    other_path = tmp_path / "other.db"
    copy_project(seeded.path, other_path)
    with Project.open(other_path) as other:
        document = other.documents(with_text=False)[0]
        other.add_annotation(document.id, 0, 4, "Claim", annotator="ben")
    return other_path


def test_the_snapshot_made_beside_the_inserts_holds_the_project_before_the_merge(seeded: Project, tmp_path: Path):
    other_path = _their_copy(seeded, tmp_path)
    before = dump(seeded.path)
    assert seeded.in_wal_mode()  # the path that copies in a thread
    merge_project(seeded, other_path)
    assert reasons(seeded) == ["before-merge"]
    assert dump(list_backups(seeded.path)[0].path) == before
    assert dump(seeded.path) != before


def test_a_failed_snapshot_rolls_the_merge_back(seeded: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    other_path = _their_copy(seeded, tmp_path)
    before = dump(seeded.path)

    def refuse(project: Project) -> Path:
        raise BackupError("cannot back up: the backup folder is full")

    monkeypatch.setattr(annotator.backups, "before_merge", refuse)
    with pytest.raises(BackupError, match="full"):
        merge_project(seeded, other_path)
    assert dump(seeded.path) == before
    assert seeded.history.peek_undo() is None  # no undo step for a merge that did not happen


def test_a_merge_error_waits_for_the_snapshot_and_is_the_error_raised(seeded: Project, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    other_path = _their_copy(seeded, tmp_path)
    before = dump(seeded.path)

    def fail(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(type(seeded), "_commit", fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        merge_project(seeded, other_path)
    assert dump(seeded.path) == before
    assert reasons(seeded) == ["before-merge"]  # finished (not left half-written by a thread still copying)


def test_figure_parses_made_in_a_thread_equal_the_plain_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    calls: list[int] = []
    real = annotator.figure_values.parse_ahead

    def counted(quotes):  # type: ignore[no-untyped-def]
        quotes = list(quotes)
        calls.append(len(quotes))
        return real(quotes)

    monkeypatch.setattr(annotator.figure_values, "parse_ahead", counted)
    monkeypatch.setattr(annotator.project, "PARSE_AHEAD_MIN", 10**9)
    with corpus_project(tmp_path / "plain.db"):
        pass
    assert calls == []
    monkeypatch.setattr(annotator.project, "PARSE_AHEAD_MIN", 1)
    with corpus_project(tmp_path / "ahead.db"):
        pass
    assert calls == [len(CORPUS)]
    assert stored(tmp_path / "ahead.db") == stored(tmp_path / "plain.db")
    assert len(stored(tmp_path / "plain.db")) == len(CORPUS)


def test_a_merge_parses_its_figures_ahead_and_stores_what_it_would_have(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with corpus_project(tmp_path / "other.db", CORPUS[:40]):
        pass
    sql(tmp_path / "other.db", "DELETE FROM figure_parses")
    results = {}
    for minimum in (10**9, 1):
        monkeypatch.setattr(annotator.project, "PARSE_AHEAD_MIN", minimum)
        from db_helpers import seeded_project

        with seeded_project(tmp_path / f"p{minimum}.db") as project:
            merge_project(project, tmp_path / "other.db")
        results[minimum] = stored(tmp_path / f"p{minimum}.db")
    assert results[1] == results[10**9] and set(results[1]) == set(CORPUS[:40])


def test_a_document_with_the_same_id_and_another_text_is_compared_with_its_text(seeded: Project, tmp_path: Path):
    """Documents of the same text are compared without reading ours' texts; one of another text still reports
    its text (and sha256) as differing, and its annotations are not merged."""
    import sqlite3

    from annotator.text import sha256

    other_path = _their_copy(seeded, tmp_path)
    document = seeded.documents(with_text=False)[0]
    text = seeded.document_text(document.id) + " And one more sentence."
    conn = sqlite3.connect(other_path)
    with conn:
        conn.execute("UPDATE documents SET text = ?, sha256 = ?, title = 'Retitled' WHERE id = ?",
                     (text, sha256(text), document.id))
    conn.close()
    report = merge_project(seeded, other_path)
    conflict = next(c for c in report.conflicts if c.id == document.id)
    assert conflict.table == "documents" and set(conflict.fields) == {"title", "text", "sha256"}
    assert conflict.theirs["text"] == text and conflict.ours["text"] == seeded.document_text(document.id)
    assert any("has another text here" in p for p in report.problems)
