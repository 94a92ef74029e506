"""Merging a reviewer's file of another schema version, and the suggestions its reviewers rejected.

An older file (a reviewer who has not upgraded) merges from a migrated temporary copy and is left
byte for byte as it was; a newer one is one error line naming it and both versions. A merge brings
the reviewer's rejections (re-pointed at this project's ids, once each) in the same undo step."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run
from db_helpers import old_reviewer_file, query, snapshot

from annotator import Project
from annotator.errors import NotAProjectError
from annotator.merge import merge_project
from annotator.store import schema
from annotator.suggest import reject, suggest

TEXT = "Over 1,200 Alawites were killed, SOHR said; al-Sharaa blamed between 300 and 400 fighters."


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file of the folder and its sha256: what must not change when a file in it is merged."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def lead(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "lead.db")
    project.add_document(TEXT, title="Toll")
    project.history.clear()
    yield project
    project.close()


def _first_figure(project: Project) -> tuple[int, int]:
    first = suggest(project, "figures", annotator="ben")[0]
    assert first.text == "Over 1,200 Alawites"
    return first.start, first.end


@pytest.mark.parametrize("version", [3, 5, schema.SCHEMA_VERSION - 1])
def test_an_older_file_merges_from_an_upgraded_copy(tmp_path: Path, lead: Project, version: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    shared = tmp_path / "from-ben"
    shared.mkdir()
    other = old_reviewer_file(shared / "ben.db", version, TEXT, rejected=_first_figure(lead))
    before = _fingerprint(shared)
    assert query(other, "PRAGMA user_version") == [(version,)]

    report = merge_project(lead, other)

    assert _fingerprint(shared) == before  # the reviewer's file untouched, nothing created beside it
    assert report.added["annotations"] == 1 and report.documents_remapped == 1
    (claim,) = lead.annotations()
    assert (claim.annotator, claim.quote, claim.label) == ("ben", "Over", "Claim")
    assert report.rejections_added == 1
    assert [s.text for s in suggest(lead, "figures", annotator="ben")] == ["between 300 and 400 fighters"]
    assert len(suggest(lead, "figures", annotator="ana")) == 2  # ben's rejection is ben's
    assert report.change is not None and report.change.of("suggestion_rejections").added[0]["label_id"] == lead.label("Figure").id
    assert list(temporary.iterdir()) == []  # the upgraded copy is gone


def test_an_older_file_merges_through_the_cli(tmp_path: Path, lead: Project) -> None:
    other = old_reviewer_file(tmp_path / "ben.db", 4, TEXT, rejected=_first_figure(lead))
    digest = hashlib.sha256(other.read_bytes()).hexdigest()
    lead.close()
    result = ok("merge", tmp_path / "lead.db", other)
    assert "1 annotations" in result.output and "Rejected suggestions: 1 added, 0 already here" in result.output
    assert hashlib.sha256(other.read_bytes()).hexdigest() == digest
    assert query(tmp_path / "lead.db", "SELECT annotator FROM suggestion_rejections") == [("ben",)]


def test_a_damaged_older_file_is_one_line(tmp_path: Path, lead: Project) -> None:
    other = old_reviewer_file(tmp_path / "ben.db", 4, TEXT)
    with sqlite3.connect(other) as conn:
        conn.execute("DROP TABLE document_versions")
    lead.close()
    line = one_line_error(run("merge", tmp_path / "lead.db", other))
    assert str(other) in line and "schema 4" in line and "document_versions" in line
    assert query(tmp_path / "lead.db", "SELECT count(*) FROM annotations") == [(0,)]


def test_a_newer_file_is_one_line_naming_both_versions(tmp_path: Path, lead: Project) -> None:
    other = tmp_path / "carla.db"
    with Project.create(other) as project:
        project.add_document("From the future.", title="Future")
    newer = schema.SCHEMA_VERSION + 2
    with sqlite3.connect(other) as conn:
        conn.execute(f"PRAGMA user_version = {newer}")
    digest = hashlib.sha256(other.read_bytes()).hexdigest()
    with pytest.raises(NotAProjectError, match=f"schema {newer}, this one reads up to {schema.SCHEMA_VERSION}"):
        merge_project(lead, other)
    lead.close()
    line = one_line_error(run("merge", tmp_path / "lead.db", other))
    assert line == (f"Error: {other}: made by a newer Annotator (schema {newer}, this one reads up to "
                    f"{schema.SCHEMA_VERSION}): upgrade Annotator to merge it")
    assert hashlib.sha256(other.read_bytes()).hexdigest() == digest
    assert query(tmp_path / "lead.db", "SELECT count(*) FROM documents") == [(1,)]


# -- rejections --------------------------------------------------------------------------------


def _reviewer_copy(tmp_path: Path, lead: Project, name: str) -> Path:
    """A current-schema copy made by its own import of the same text (other document and label ids)."""
    path = tmp_path / f"{name}.db"
    with Project.create(path) as project:
        project.add_document(TEXT, title="Toll (their copy)")
        for s in suggest(project, "figures", annotator=name):
            reject(project, s, name)
    return path


def _rejection_keys(path: Path) -> list[tuple]:
    return query(path, "SELECT d.sha256, r.start, r.end, l.name, r.annotator FROM suggestion_rejections r "
                       "JOIN documents d ON d.id = r.document_id JOIN labels l ON l.id = r.label_id ORDER BY r.start, r.annotator")


def test_a_merge_carries_rejections_once_and_undoes_them_with_it(tmp_path: Path, lead: Project) -> None:
    ben = _reviewer_copy(tmp_path, lead, "ben")
    expected = _rejection_keys(ben)
    assert len(expected) == 2
    first = suggest(lead, "figures", annotator="ben")[0]
    reject(lead, first, "ben")  # already rejected here too: not added twice
    lead.history.clear()
    before = snapshot(lead.path)

    report = merge_project(lead, ben)
    assert (report.rejections_added, report.rejections_skipped) == (1, 1)
    assert report.to_dict()["rejections_added"] == 1
    assert _rejection_keys(lead.path) == expected
    assert suggest(lead, "figures", annotator="ben") == []
    assert "1 rejected suggestion" in (lead.history.undo_text or "")
    after = snapshot(lead.path)

    lead.undo()  # one step: the rejection goes with the rest of the merge
    assert snapshot(lead.path) == before and lead.history.peek_undo() is None
    assert [s.text for s in suggest(lead, "figures", annotator="ben")] == ["between 300 and 400 fighters"]
    lead.redo()
    assert snapshot(lead.path) == after

    again = merge_project(lead, ben)  # merging twice adds nothing
    assert (again.rejections_added, again.rejections_skipped) == (0, 2) and again.change is None
    assert _rejection_keys(lead.path) == expected


def test_a_dry_run_counts_rejections_and_writes_nothing(tmp_path: Path, lead: Project) -> None:
    ben = _reviewer_copy(tmp_path, lead, "ben")
    before = snapshot(lead.path)
    report = merge_project(lead, ben, dry_run=True)
    assert report.rejections_added == 2 and snapshot(lead.path) == before
    lead.close()
    result = ok("merge", "--dry-run", tmp_path / "lead.db", ben)
    assert "Rejected suggestions: 2 would be added, 0 already here" in result.output


@pytest.mark.parametrize("damage", ["end = start", f"end = {len(TEXT) + 1}"], ids=["reversed", "past-the-text"])
def test_a_rejection_with_a_damaged_span_is_left_out_with_a_note(tmp_path: Path, lead: Project, damage: str) -> None:
    ben = _reviewer_copy(tmp_path, lead, "ben")
    with sqlite3.connect(ben) as conn:
        conn.execute(f"UPDATE suggestion_rejections SET {damage} WHERE start = (SELECT min(start) FROM suggestion_rejections)")
    report = merge_project(lead, ben)
    assert report.rejections_added == 1
    assert any("1 suggestion rejection(s) left out" in p for p in report.problems)
    assert len(_rejection_keys(lead.path)) == 1


def test_the_upgraded_copy_is_made_and_removed(tmp_path: Path, lead: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy really is where the merge reads from: it exists during the read, at our schema, and not after."""
    from annotator.store import foreign

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    seen: list[tuple[list[str], int]] = []
    real = foreign._check_tables

    def spy(conn: sqlite3.Connection, path: Path, columns: dict[str, list[str]]) -> None:
        seen.append(([p.name for p in temporary.rglob("*.db")], conn.execute("PRAGMA user_version").fetchone()[0]))
        real(conn, path, columns)

    monkeypatch.setattr(foreign, "_check_tables", spy)
    merge_project(lead, old_reviewer_file(tmp_path / "ben.db", 2, TEXT))
    assert seen == [(["upgraded.db"], schema.SCHEMA_VERSION)]
    assert list(temporary.iterdir()) == []
