"""merge_project: two reviewers' project files built from the same seeds become one."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from db_helpers import query, seeded_project

from annotator import Project
from annotator.errors import NotAProjectError
from annotator.merge import merge_project

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TABLES = ("documents", "labels", "entities", "annotations", "relations")






def snapshot(path: Path) -> dict[str, list[tuple]]:
    return {t: query(path, f"SELECT * FROM {t} ORDER BY id") for t in TABLES}


@pytest.fixture
def ours(tmp_path: Path) -> Iterator[Project]:
    project = seeded_project(tmp_path / "ana.db")
    docs = project.documents()
    project.add_annotation(docs[0].id, 10, 20, "Claim", annotator="ana")
    project.add_annotation(docs[0].id, 30, 40, "Actor", annotator="ana")
    project.add_annotation(docs[1].id, 0, 12, "Figure", annotator="ana", propose=False)
    project.history.clear()
    yield project
    project.close()


@pytest.fixture
def theirs(tmp_path: Path) -> Iterator[Project]:
    """Ben's file: the same seeds (other document ids), his spans, a label, an entity, a relation, a new document."""
    project = seeded_project(tmp_path / "ben.db")
    docs = project.documents()
    claim = project.add_annotation(docs[0].id, 10, 20, "Claim", annotator="ben", note="lead claim")
    entity = project.add_entity("Syrian Observatory", "organisation", aliases=["SOHR"])
    actor = project.add_annotation(docs[0].id, 32, 40, "Actor", annotator="ben", entity_id=entity.id)
    project.add_relation(claim.id, actor.id, "attributed-to", annotator="ben")
    project.add_label("Source", hotkey="1")  # takes Claim's hotkey in ben's file
    project.add_label("Unused")
    project.add_annotation(docs[2].id, 5, 9, "Source", annotator="ben")
    new = project.add_document("A text only ben has.\nSecond line.", title="Ben's find", outlet="Wire", language="en",
                               section="World")
    project.add_annotation(new.id, 0, 6, "Claim", annotator="ben", attributes={"certainty": "reported"})
    yield project
    project.close()


def test_merge_brings_another_reviewers_work_in(ours: Project, theirs: Project) -> None:
    report = merge_project(ours, theirs.path)

    assert report.added == {"documents": 1, "labels": 1, "entities": 1, "annotations": 4, "relations": 1}
    assert report.skipped["documents"] == 5 and report.documents_remapped == 5
    assert report.conflicts == [] and report.problems == []
    assert report.annotators_added == ["ben"]
    assert ours.history.undo_text == "Merge ben.db: 1 document, 1 label, 1 entity, 4 annotations, 1 relation"

    # Ben's spans point at *this* project's documents (matched by text) and labels (matched by name).
    rows = query(ours.path, "SELECT a.id, d.id, d.sha256, l.id, l.name, a.start, a.end, a.quote, "
                 "substr(d.text, a.start + 1, a.end - a.start) FROM annotations a "
                 "JOIN documents d ON d.id = a.document_id JOIN labels l ON l.id = a.label_id "
                 "WHERE a.annotator = 'ben'")
    assert len(rows) == 4
    our_docs = {d.sha256: d.id for d in ours.documents()}
    our_labels = {label.name: label.id for label in ours.labels()}
    their_docs = {d.id: d.sha256 for d in theirs.documents()}
    for annotation_id, document_id, digest, label_id, label, _start, _end, quote, text in rows:
        source = theirs.annotation(annotation_id)  # ids are kept
        assert their_docs[source.document_id] == digest
        assert document_id == our_docs[digest]
        assert label_id == our_labels[label] and label == source.label
        assert quote == text == source.quote
    claim_id = next(a.id for a in theirs.annotations(label="Claim") if a.note == "lead claim")
    assert theirs.documents()[0].id != ours.documents()[0].id
    assert ours.annotation(claim_id).document_id == ours.documents()[0].id

    # The new document keeps its id and metadata; the new label its id, without the taken hotkey.
    new = next(d for d in theirs.documents() if d.title == "Ben's find")
    merged = ours.document(new.id)
    assert (merged.text, merged.outlet, merged.language, merged.metadata) == (new.text, "Wire", "en", {"section": "World"})
    assert query(ours.path, "SELECT id, hotkey, color FROM labels WHERE name = 'Source'") == [
        (theirs.label("Source").id, None, theirs.label("Source").color)]
    assert ours.label("Claim").hotkey == "1"
    assert query(ours.path, "SELECT count(*) FROM labels WHERE name = 'Unused'") == [(0,)]
    assert [e.name for e in ours.entities()] == ["Syrian Observatory"]
    actor = ours.annotation(theirs.annotations(label="Actor")[0].id)
    assert actor.entity_id == ours.entities()[0].id
    assert [(r.source_id, r.target_id, r.label) for r in ours.relations()] == [
        (r.source_id, r.target_id, r.label) for r in theirs.relations()]
    assert ours.annotation(claim_id).note == "lead claim"
    assert query(ours.path, "SELECT name FROM annotators ORDER BY name") == [("ana",), ("ben",)]
    # The other file was only read.
    assert len(theirs.annotations()) == 4 and len(theirs.documents()) == 6


def test_merging_again_changes_nothing(ours: Project, theirs: Project) -> None:
    merge_project(ours, theirs.path)
    before = snapshot(ours.path)
    undo_text = ours.history.undo_text
    changes = []
    ours.subscribe(changes.append)

    again = merge_project(ours, theirs.path)

    assert again.total_added == 0 and again.conflicts == []
    assert again.skipped == {"documents": 6, "labels": 3, "entities": 1, "annotations": 4, "relations": 1}
    assert snapshot(ours.path) == before
    assert changes == [] and ours.history.undo_text == undo_text
    # And the other way round: ana's work goes into ben's file, then nothing more.
    assert merge_project(theirs, ours.path).added["annotations"] == 3
    assert merge_project(theirs, ours.path).total_added == 0
    same = ("SELECT a.id, d.sha256, a.start, a.end, l.name, a.annotator, a.note FROM annotations a "
            "JOIN documents d ON d.id = a.document_id JOIN labels l ON l.id = a.label_id ORDER BY a.id")
    assert query(theirs.path, same) == query(ours.path, same)


def test_conflicting_edits_are_reported_and_never_overwritten(ours: Project, theirs: Project) -> None:
    merge_project(ours, theirs.path)
    resized = theirs.annotations(label="Actor")[0].id
    relabelled = next(a.id for a in theirs.annotations(label="Claim") if a.note == "lead claim")
    theirs.update_annotation(resized, start=31)  # ben widens his span in his own file
    ours.update_annotation(relabelled, label="Figure")  # the lead reviewer relabels ben's claim here
    theirs.update_annotation(relabelled, note="edited in ben's file too")
    fresh = theirs.add_annotation(theirs.documents()[3].id, 0, 4, "Claim", annotator="ben")
    theirs.set_document_status(theirs.documents()[0].id, "done")  # matched by text: not a conflict
    new_doc = next(d for d in theirs.documents() if d.title == "Ben's find")
    theirs.set_document_status(new_doc.id, "done")  # same id in both files: a conflict
    ours_before = snapshot(ours.path)

    report = merge_project(ours, theirs.path)

    assert report.added == {"documents": 0, "labels": 0, "entities": 0, "annotations": 1, "relations": 0}
    assert ours.annotation(fresh.id).annotator == "ben"
    by_id = {c.id: c for c in report.conflicts}
    assert set(by_id) == {resized, relabelled, new_doc.id}
    assert by_id[resized].table == "annotations"
    assert by_id[resized].fields == ("start", "quote", "prefix")
    assert (by_id[resized].ours["start"], by_id[resized].theirs["start"]) == (32, 31)
    assert by_id[relabelled].fields == ("label_id", "note")
    assert by_id[relabelled].ours["label_id"] == ours.label("Figure").id
    assert by_id[relabelled].theirs["label_id"] == ours.label("Claim").id  # translated to this project's id
    assert by_id[new_doc.id].table == "documents" and by_id[new_doc.id].fields == ("status",)
    # This project's rows are untouched; only the new annotation was added.
    after = snapshot(ours.path)
    assert {t: rows for t, rows in after.items() if t != "annotations"} == {
        t: rows for t, rows in ours_before.items() if t != "annotations"}
    assert set(after["annotations"]) - set(ours_before["annotations"]) == set(query(
        ours.path, "SELECT * FROM annotations WHERE id = ?", [fresh.id]))
    assert ours.annotation(resized).start == 32
    assert ours.annotation(relabelled).label == "Figure" and ours.annotation(relabelled).note == "lead claim"
    assert ours.document(new_doc.id).status == "not started"
    json.dumps(report.to_dict(), allow_nan=False)


def test_undo_of_a_merge_removes_what_it_added_and_redo_brings_it_back(ours: Project, theirs: Project) -> None:
    before = snapshot(ours.path)
    merge_project(ours, theirs.path)
    merged = snapshot(ours.path)
    assert merged != before

    undone = ours.undo()

    assert undone is not None and undone.description.startswith("Merge ben.db")
    assert snapshot(ours.path) == before  # one undo step removes all of it
    assert ours.history.undo_text is None
    ours.redo()
    assert snapshot(ours.path) == merged


def test_dry_run_reports_the_same_and_writes_nothing(ours: Project, theirs: Project, tmp_path: Path) -> None:
    before = snapshot(ours.path)
    dry = merge_project(ours, theirs.path, dry_run=True)
    assert snapshot(ours.path) == before and ours.history.undo_text is None
    assert dry.dry_run and dry.change is None
    real = merge_project(ours, theirs.path)
    assert (dry.added, dry.skipped, dry.conflicts) == (real.added, real.skipped, real.conflicts)
    assert real.change is not None and len(real.change.rows) == real.total_added


def test_into_an_empty_project_everything_keeps_its_ids(theirs: Project, tmp_path: Path) -> None:
    empty = Project.create(tmp_path / "empty.db")
    try:
        report = merge_project(empty, theirs.path)
        assert report.added["documents"] == 6 and report.documents_remapped == 0
        assert [d.id for d in empty.documents()] == [d.id for d in theirs.documents()]
        assert [(a.id, a.document_id, a.label, a.start, a.end) for a in empty.annotations()] == [
            (a.id, a.document_id, a.label, a.start, a.end) for a in theirs.annotations()]
    finally:
        empty.close()


def test_a_label_renamed_in_a_copy_is_the_same_label(ours: Project, tmp_path: Path) -> None:
    copy_path = tmp_path / "copy.db"
    ours.db.execute("VACUUM INTO ?", [str(copy_path)])
    with Project.open(copy_path) as copy:
        copy.update_label("Claim", name="Assertion")
        added = copy.add_annotation(copy.documents()[2].id, 0, 5, "Assertion", annotator="cem")
    report = merge_project(ours, copy_path)
    assert report.added["labels"] == 0 and report.added["annotations"] == 1
    assert [(c.table, c.fields, c.ours, c.theirs) for c in report.conflicts] == [
        ("labels", ("name",), {"name": "Claim"}, {"name": "Assertion"})]
    assert ours.annotation(added.id).label == "Claim"
    assert [label.name for label in ours.labels()] == ["Claim", "Actor", "Figure"]


@pytest.mark.parametrize("kind", ["missing", "folder", "text", "plain sqlite"])
def test_a_path_that_is_not_a_project_is_refused(ours: Project, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "other.db"
    if kind == "folder":
        path.mkdir()
    elif kind == "text":
        path.write_text("not a database at all, just words\n" * 20)
    elif kind == "plain sqlite":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    before = snapshot(ours.path)
    with pytest.raises(NotAProjectError):
        merge_project(ours, path)
    assert snapshot(ours.path) == before and ours.history.undo_text is None
