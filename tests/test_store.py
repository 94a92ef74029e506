"""The project file: creating, opening, the label schema, documents, annotations, relations, entities."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from db_helpers import query

from annotator import Project
from annotator.errors import (
    AnnotatorError,
    DuplicateDocumentError,
    ImportFileError,
    NotAProjectError,
    NotFoundError,
    ProjectExistsError,
    SpanError,
    UnknownLabelError,
)
from annotator.importers import ImportedDocument, ImportedSpan, read_paths
from annotator.store import schema
from annotator.text import CONTEXT

TEXT = "The ministry said at least 1,200 people were killed in Latakia, according to SOHR."


def dump(path: Path) -> list[str]:
    """Everything in the file as SQL, read through a separate connection."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


# -- creating and opening ----------------------------------------------------------------------


def test_create_then_open_sees_what_was_written(project_path: Path) -> None:
    with Project.create(project_path) as proj:
        doc = proj.add_document(TEXT, title="Toll")
        proj.add_annotation(doc.id, *span(TEXT, "1,200"), "Figure", annotator="ana")
    assert project_path.is_file()
    with Project.open(project_path) as proj:
        [found] = proj.documents()
        assert found.id == doc.id and found.text == TEXT and found.title == "Toll"
        [annotation] = proj.annotations()
        assert annotation.quote == "1,200" and annotation.label == "Figure" and annotation.annotator == "ana"
        assert proj.history.undo_text is None  # a reopened project starts a fresh history


def test_open_accepts_str_path(project_path: Path) -> None:
    Project.create(project_path).close()
    with Project.open(str(project_path)) as proj:
        assert proj.documents() == []


def _missing(tmp: Path) -> Path:
    return tmp / "nothing-here.db"


def _folder(tmp: Path) -> Path:
    folder = tmp / "folder.db"
    folder.mkdir()
    return folder


def _not_sqlite(tmp: Path) -> Path:
    path = tmp / "notes.db"
    path.write_text("These are my notes, not a database.\n" * 50, encoding="utf-8")
    return path


def _empty_file(tmp: Path) -> Path:
    path = tmp / "empty.db"
    path.write_bytes(b"")
    return path


def _foreign_sqlite(tmp: Path) -> Path:
    path = tmp / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO things (name) VALUES ('x')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_missing, "no such file"),
        (_folder, "folder"),
        (_not_sqlite, "not an SQLite database"),
        (_empty_file, "without Annotator's tables"),
        (_foreign_sqlite, "without Annotator's tables"),
    ],
    ids=["missing", "folder", "not-sqlite", "empty-file", "foreign-sqlite"],
)
def test_open_rejects_what_is_not_a_project(tmp_path: Path, make, words: str) -> None:
    path = make(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(NotAProjectError) as caught:
        Project.open(path)
    message = str(caught.value)
    assert str(path) in message
    assert words in message
    if before is not None:
        assert path.read_bytes() == before  # rejecting a file never touches it


def test_open_rejects_a_newer_schema(project_path: Path) -> None:
    Project.create(project_path).close()
    conn = sqlite3.connect(project_path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(NotAProjectError, match="newer Annotator"):
        Project.open(project_path)


def test_create_refuses_to_overwrite(project_path: Path) -> None:
    project_path.write_bytes(b"precious")
    with pytest.raises(ProjectExistsError) as caught:
        Project.create(project_path)
    assert str(project_path) in str(caught.value)
    assert project_path.read_bytes() == b"precious"


def test_create_refuses_an_existing_project(project_path: Path) -> None:
    with Project.create(project_path) as proj:
        proj.add_document(TEXT)
    with pytest.raises(ProjectExistsError):
        Project.create(project_path)
    with Project.open(project_path) as proj:
        assert len(proj.documents()) == 1


def test_create_in_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "p.db"
    with pytest.raises(NotAProjectError, match="does not exist"):
        Project.create(path)
    assert not path.parent.exists()


def test_opening_and_reading_does_not_modify_the_file(seeded: Project) -> None:
    doc = seeded.documents()[0]
    seeded.add_annotation(doc.id, 0, 10, "Claim", annotator="ana")
    path = seeded.path
    seeded.close()
    files_before = sorted(p.name for p in path.parent.iterdir())
    bytes_before = path.read_bytes()
    mtime_before = path.stat().st_mtime_ns

    with Project.open(path) as proj:
        assert len(proj.documents()) == 5
        assert proj.document_text(doc.id) == doc.text
        assert len(proj.annotations()) == 1
        assert proj.labels()[0].name == "Claim"
        assert proj.stats()["documents"] == 5
        proj.relations()
        proj.entities()

    assert sorted(p.name for p in path.parent.iterdir()) == files_before
    assert path.stat().st_mtime_ns == mtime_before
    assert path.read_bytes() == bytes_before


def test_wal_and_foreign_keys(project: Project) -> None:
    assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        project.db.execute(
            "INSERT INTO annotations (id, document_id, start, end, label_id, quote, annotator, created_at, updated_at)"
            " VALUES ('a', 'no-such-document', 0, 1, 'no-such-label', 'x', 'ana', 'now', 'now')"
        )
    path = project.path
    project.close()
    with Project.open(path) as reopened:  # foreign keys are per connection: on again after reopening
        assert reopened.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert reopened.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_schema_version_and_migrations_recorded(project: Project, raw_db: sqlite3.Connection) -> None:
    assert schema.SCHEMA_VERSION == len(schema.MIGRATIONS) >= 1
    assert raw_db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    rows = raw_db.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").fetchall()
    assert [r["version"] for r in rows] == list(range(1, schema.SCHEMA_VERSION + 1))
    assert [r["name"] for r in rows] == [name for name, _ in schema.MIGRATIONS]
    assert all(r["applied_at"] for r in rows)


def test_reopening_does_not_migrate_again(project_path: Path) -> None:
    Project.create(project_path).close()
    Project.open(project_path).close()
    conn = sqlite3.connect(project_path)
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()


def test_ids_are_uuids(project: Project) -> None:
    doc = project.add_document(TEXT)
    a = project.add_annotation(doc.id, 0, 3, "Claim", annotator="ana")
    b = project.add_annotation(doc.id, 4, 12, "Actor", annotator="ana")
    relation = project.add_relation(a.id, b.id, "attributed-to", annotator="ana")
    entity = project.add_entity("Ministry of Health", "organisation")
    label = project.add_label("Place")
    ids = [doc.id, a.id, b.id, relation.id, entity.id, label.id, *(lab.id for lab in project.labels())]
    for value in ids:
        assert str(uuid.UUID(value)) == value
    assert len(set(ids)) == len(ids) - 1  # Place appears twice: as `label` and in labels()


# -- labels ------------------------------------------------------------------------------------


def test_default_labels(project: Project) -> None:
    labels = project.labels()
    assert [(lab.name, lab.hotkey, lab.kind) for lab in labels] == [
        ("Claim", "1", "span"), ("Actor", "2", "span"), ("Figure", "3", "span")]
    colours = [lab.color for lab in labels]
    assert all(c.startswith("#") and len(c) == 7 for c in colours) and len(set(colours)) == 3
    assert all(lab.description for lab in labels)
    attributes = {lab.name: {a["name"]: a for a in lab.attributes} for lab in labels}
    assert {"certainty"} <= set(attributes["Claim"]) and "attributed-to" not in attributes["Claim"]  # a relation now
    assert "reported" in attributes["Claim"]["certainty"]["choices"]
    assert "type" in attributes["Actor"] and "entity" not in attributes["Actor"]  # a link now
    assert {"value", "lower", "upper", "qualifier", "unit"} <= set(attributes["Figure"])
    assert attributes["Figure"]["value"]["type"] == "number"
    assert "at least" in attributes["Figure"]["qualifier"]["choices"]


def test_add_and_update_label(project: Project) -> None:
    place = project.add_label("Place", color="#123abc", description="Where it happened",
                              attributes=[{"name": "country", "type": "text"}])
    assert place.color == "#123ABC" and place.hotkey is None
    assert place.attributes == [{"name": "country", "type": "text"}]
    assert [lab.name for lab in project.labels()] == ["Claim", "Actor", "Figure", "Place"]
    updated = project.update_label("Place", color="#00ff00", description="Location")
    assert (updated.color, updated.description) == ("#00FF00", "Location")
    with pytest.raises(AnnotatorError, match="already exists"):
        project.add_label("Claim")
    with pytest.raises(AnnotatorError, match="already exists"):
        project.update_label("Place", name="Actor")
    with pytest.raises(AnnotatorError, match="colour"):
        project.add_label("Bad", color="red")
    with pytest.raises(AnnotatorError, match="choice"):
        project.add_label("Bad", attributes=[{"name": "x", "type": "choice"}])
    with pytest.raises(AnnotatorError, match="kind"):  # a user error, not an sqlite3.IntegrityError
        project.add_label("Bad", kind="paragraph")
    assert project.add_label("refutes", kind="relation").kind == "relation"
    assert "refutes" not in [lab.name for lab in project.labels()]  # labels() lists span labels
    assert "Bad" not in [lab.name for lab in project.labels(kind=None)]


def test_rename_label_keeps_its_annotations(project: Project) -> None:
    doc = project.add_document(TEXT)
    a = project.add_annotation(doc.id, *span(TEXT, "ministry"), "Actor", annotator="ana")
    renamed = project.update_label("Actor", name="Source")
    assert renamed.id == project.label("Source").id
    assert project.annotation(a.id).label == "Source"
    assert [x.id for x in project.annotations(label="Source")] == [a.id]
    with pytest.raises(UnknownLabelError):
        project.label("Actor")
    project.close()
    with Project.open(project.path) as reopened:
        assert reopened.annotation(a.id).label == "Source"


def test_hotkey_taken_from_another_label_is_freed_there(project: Project) -> None:
    place = project.add_label("Place", hotkey="1")
    assert place.hotkey == "1"
    assert project.label("Claim").hotkey is None
    project.update_label("Actor", hotkey="3")
    hotkeys = {lab.name: lab.hotkey for lab in project.labels()}
    assert hotkeys == {"Claim": None, "Actor": "3", "Figure": None, "Place": "1"}
    # one undo step brings both hotkeys back
    project.undo()
    assert {lab.name: lab.hotkey for lab in project.labels()} == {
        "Claim": None, "Actor": "2", "Figure": "3", "Place": "1"}


def test_delete_label_refuses_when_used(project: Project) -> None:
    doc = project.add_document(TEXT)
    a = project.add_annotation(doc.id, 0, 3, "Figure", annotator="ana")
    with pytest.raises(AnnotatorError, match="used by 1 annotation"):
        project.delete_label("Figure")
    assert "Figure" in [lab.name for lab in project.labels()]
    project.delete_annotation(a.id)
    project.delete_label("Figure")
    assert [lab.name for lab in project.labels()] == ["Claim", "Actor"]


# -- annotations -------------------------------------------------------------------------------


def test_add_annotation_stores_quote_and_context(project: Project) -> None:
    text = "x" * 50 + " at least 1,200 people " + "y" * 50
    doc = project.add_document(text)
    start, end = span(text, "at least 1,200")
    a = project.add_annotation(doc.id, start, end, "Figure", annotator="ana", attributes={"value": 1200},
                               note="SOHR figure")
    assert a.quote == "at least 1,200"
    assert a.prefix == text[start - CONTEXT : start] and len(a.prefix) == CONTEXT
    assert a.suffix == text[end : end + CONTEXT] and len(a.suffix) == CONTEXT
    assert a.attributes == {"value": 1200} and a.note == "SOHR figure" and a.layer == "reviewer"
    [stored] = query(project.path, "SELECT quote, prefix, suffix, attributes FROM annotations WHERE id = ?", [a.id])
    assert stored == (a.quote, a.prefix, a.suffix, '{"value": 1200}')
    at_start = project.add_annotation(doc.id, 0, 3, "Claim", annotator="ana")
    assert at_start.prefix == "" and at_start.quote == "xxx"
    at_end = project.add_annotation(doc.id, len(text) - 2, len(text), "Claim", annotator="ana")
    assert at_end.suffix == "" and at_end.quote == "yy"
    assert project.annotators() == ["ana"]


@pytest.mark.parametrize(
    ("start", "end", "error", "words"),
    [
        (5, 5, SpanError, "empty or reversed"),
        (6, 5, SpanError, "empty or reversed"),
        (-1, 5, SpanError, "outside the text"),
        (0, len(TEXT) + 1, SpanError, "outside the text"),
        (len(TEXT), len(TEXT) + 3, SpanError, "outside the text"),
        (0.0, 5, SpanError, "whole numbers"),
        ("0", 5, SpanError, "whole numbers"),
        (0, True, SpanError, "whole numbers"),
        (None, 5, SpanError, "whole numbers"),
    ],
)
def test_add_annotation_rejects_bad_spans(project: Project, start, end, error, words: str) -> None:
    doc = project.add_document(TEXT)
    with pytest.raises(error, match=words):
        project.add_annotation(doc.id, start, end, "Claim", annotator="ana")
    assert project.annotations() == []


def test_whole_text_is_a_valid_span(project: Project) -> None:
    doc = project.add_document(TEXT)
    assert project.add_annotation(doc.id, 0, len(TEXT), "Claim", annotator="ana").quote == TEXT


def test_add_annotation_rejects_unknown_label(project: Project) -> None:
    doc = project.add_document(TEXT)
    with pytest.raises(UnknownLabelError) as caught:
        project.add_annotation(doc.id, 0, 3, "Claimm", annotator="ana")
    message = str(caught.value)
    assert "'Claimm'" in message
    for name in ("Claim", "Actor", "Figure"):
        assert name in message
    assert project.annotations() == []


@pytest.mark.parametrize("annotator", ["", "   ", None])
def test_add_annotation_needs_an_annotator(project: Project, annotator) -> None:
    doc = project.add_document(TEXT)
    with pytest.raises(AnnotatorError, match="reviewer"):
        project.add_annotation(doc.id, 0, 3, "Claim", annotator=annotator)
    assert project.annotations() == []


def test_add_annotation_other_rejections(project: Project) -> None:
    doc = project.add_document(TEXT)
    with pytest.raises(NotFoundError):
        project.add_annotation("no-such-document", 0, 3, "Claim", annotator="ana")
    with pytest.raises(AnnotatorError, match="layer"):
        project.add_annotation(doc.id, 0, 3, "Claim", annotator="ana", layer="draft")
    with pytest.raises(AnnotatorError, match="attributes"):
        project.add_annotation(doc.id, 0, 3, "Claim", annotator="ana", attributes=["not", "a", "mapping"])
    with pytest.raises(AnnotatorError, match="JSON"):
        project.add_annotation(doc.id, 0, 3, "Claim", annotator="ana", attributes={"x": object()})
    assert project.annotations() == []


def test_update_annotation(project: Project) -> None:
    doc = project.add_document(TEXT)
    a = project.add_annotation(doc.id, *span(TEXT, "1,200"), "Claim", annotator="ana")
    start, end = span(TEXT, "at least 1,200 people")
    resized = project.update_annotation(a.id, start=start, end=end)
    assert (resized.start, resized.end, resized.quote) == (start, end, "at least 1,200 people")
    assert resized.prefix == TEXT[max(0, start - CONTEXT) : start] and resized.suffix == TEXT[end : end + CONTEXT]
    only_end = project.update_annotation(a.id, end=span(TEXT, "at least 1,200")[1])
    assert only_end.quote == "at least 1,200" and only_end.start == start
    relabelled = project.update_annotation(a.id, label="Figure")
    assert relabelled.label == "Figure" and relabelled.label_id == project.label("Figure").id
    edited = project.update_annotation(a.id, attributes={"value": 1200, "qualifier": "at least"}, note="check")
    assert edited.attributes == {"value": 1200, "qualifier": "at least"} and edited.note == "check"
    cleared = project.update_annotation(a.id, note="")
    assert cleared.note is None
    assert project.annotation(a.id) == cleared
    for bad in ({"start": 10, "end": 10}, {"end": len(TEXT) + 1}, {"start": -2}):
        with pytest.raises(SpanError):
            project.update_annotation(a.id, **bad)
    with pytest.raises(UnknownLabelError):
        project.update_annotation(a.id, label="Nope")
    assert project.annotation(a.id) == cleared
    with pytest.raises(NotFoundError):
        project.update_annotation("no-such-annotation", note="x")


def test_update_annotation_without_change_is_not_a_change(project: Project) -> None:
    doc = project.add_document(TEXT)
    a = project.add_annotation(doc.id, 0, 3, "Claim", annotator="ana")
    undo_text = project.history.undo_text
    assert project.update_annotation(a.id, start=0, end=3, label="Claim") == a
    assert project.history.undo_text == undo_text


def test_delete_annotation_removes_its_relations(project: Project) -> None:
    doc = project.add_document(TEXT)
    claim = project.add_annotation(doc.id, *span(TEXT, "1,200 people were killed"), "Claim", annotator="ana")
    actor = project.add_annotation(doc.id, *span(TEXT, "ministry"), "Actor", annotator="ana")
    other = project.add_annotation(doc.id, *span(TEXT, "SOHR"), "Actor", annotator="ana")
    keep = project.add_relation(other.id, actor.id, "same-claim", annotator="ana")
    project.add_relation(claim.id, actor.id, "attributed-to", annotator="ana")
    project.add_relation(other.id, claim.id, "supports", annotator="ana")
    project.delete_annotation(claim.id)
    assert [r.id for r in project.relations()] == [keep.id]
    with pytest.raises(NotFoundError):
        project.annotation(claim.id)
    assert {a.id for a in project.annotations()} == {actor.id, other.id}


def test_annotations_filters(project: Project) -> None:
    d1 = project.add_document(TEXT)
    d2 = project.add_document("Another article about 42 people.")
    a = project.add_annotation(d1.id, 10, 14, "Claim", annotator="ana")
    b = project.add_annotation(d1.id, 0, 3, "Actor", annotator="ben")
    c = project.add_annotation(d2.id, 22, 24, "Figure", annotator="ana", layer="gold")
    d = project.add_annotation(d2.id, 0, 7, "Claim", annotator="ben", layer="gold")

    def ids(**kw) -> list[str]:
        return [x.id for x in project.annotations(**kw)]

    assert ids(document_id=d1.id) == [b.id, a.id]  # text order
    assert ids(document_id=d2.id) == [d.id, c.id]
    assert set(ids()) == {a.id, b.id, c.id, d.id}
    assert set(ids(annotator="ana")) == {a.id, c.id}
    assert set(ids(layer="gold")) == {c.id, d.id}
    assert set(ids(layer="reviewer")) == {a.id, b.id}
    assert set(ids(label="Claim")) == {a.id, d.id}
    assert ids(document_id=d2.id, annotator="ben", layer="gold", label="Claim") == [d.id]
    assert ids(document_id=d1.id, layer="gold") == []
    with pytest.raises(UnknownLabelError):
        project.annotations(label="Nope")
    assert project.annotation_counts() == {d1.id: 2, d2.id: 2}
    assert project.annotators() == ["ana", "ben"]


# -- relations and entities ----------------------------------------------------------------


def test_relations(project: Project) -> None:
    d1 = project.add_document(TEXT)
    d2 = project.add_document("SOHR said the toll was 1,200.")
    claim = project.add_annotation(d1.id, *span(TEXT, "1,200 people were killed"), "Claim", annotator="ana")
    actor = project.add_annotation(d1.id, *span(TEXT, "SOHR"), "Actor", annotator="ana")
    elsewhere = project.add_annotation(d2.id, 0, 28, "Claim", annotator="ana")
    r1 = project.add_relation(claim.id, actor.id, "attributed-to", annotator="ana", note="explicit")
    r2 = project.add_relation(claim.id, elsewhere.id, "same-claim", annotator="ben", layer="gold")
    assert (r1.source_id, r1.target_id, r1.label, r1.note) == (claim.id, actor.id, "attributed-to", "explicit")
    assert {r.id for r in project.relations()} == {r1.id, r2.id}
    assert [r.id for r in project.relations(annotation_id=actor.id)] == [r1.id]
    assert [r.id for r in project.relations(document_id=d2.id)] == [r2.id]  # across documents
    assert {r.id for r in project.relations(document_id=d1.id)} == {r1.id, r2.id}
    with pytest.raises(AnnotatorError, match="unknown relation"):
        project.add_relation(claim.id, actor.id, "likes", annotator="ana")
    with pytest.raises(AnnotatorError, match="two different"):
        project.add_relation(claim.id, claim.id, "supports", annotator="ana")
    with pytest.raises(NotFoundError):
        project.add_relation(claim.id, "no-such-annotation", "supports", annotator="ana")
    with pytest.raises(AnnotatorError, match="layer"):  # a user error, not an sqlite3.IntegrityError
        project.add_relation(claim.id, actor.id, "supports", annotator="ana", layer="draft")
    assert len(project.relations()) == 2
    project.delete_relation(r1.id)
    assert [r.id for r in project.relations()] == [r2.id]
    assert len(project.annotations()) == 3  # deleting a link keeps both ends


def test_entities_add_merge_delete(project: Project) -> None:
    text = "SOHR, the Syrian Observatory, and the Observatory said so. Rami spoke."
    doc = project.add_document(text)
    a = project.add_annotation(doc.id, *span(text, "SOHR"), "Actor", annotator="ana")
    b = project.add_annotation(doc.id, *span(text, "Syrian Observatory"), "Actor", annotator="ana")
    c = project.add_annotation(doc.id, *span(text, "the Observatory"), "Actor", annotator="ben")
    rami = project.add_annotation(doc.id, *span(text, "Rami"), "Actor", annotator="ben")
    sohr = project.add_entity("Syrian Observatory for Human Rights", "organisation", aliases=["SOHR", " sohr ", ""])
    assert sohr.aliases == ["SOHR"]
    e2 = project.add_entity("Syrian Observatory", "organisation", aliases=["the Observatory"])
    e3 = project.add_entity("Observatory", "organisation", aliases=["SOHR", "Syrian Observatory for Human Rights"])
    person = project.add_entity("Rami Abdurrahman", "person")
    with pytest.raises(AnnotatorError, match="entity type"):
        project.add_entity("X", "alien")
    project.link_entity(a.id, sohr.id)
    project.link_entity(b.id, e2.id)
    project.update_annotation(c.id, entity_id=e3.id)
    project.link_entity(rami.id, person.id)
    with pytest.raises(NotFoundError):
        project.link_entity(a.id, "no-such-entity")

    merged = project.merge_entities(sohr.id, [e2.id, e3.id, sohr.id])
    assert merged.id == sohr.id and merged.name == "Syrian Observatory for Human Rights"
    assert merged.aliases == ["SOHR", "Syrian Observatory", "the Observatory", "Observatory"]
    assert project.entity(sohr.id).aliases == merged.aliases
    assert {e.id for e in project.entities()} == {sohr.id, person.id}
    assert {x.id for x in project.entity_mentions(sohr.id)} == {a.id, b.id, c.id}
    assert project.annotation(b.id).entity_id == sohr.id

    project.delete_entity(sohr.id)
    assert [e.id for e in project.entities()] == [person.id]
    for x in (a, b, c):
        assert project.annotation(x.id).entity_id is None
    assert len(project.annotations()) == 4  # unlinked, not deleted
    assert project.annotation(rami.id).entity_id == person.id


def test_update_entity(project: Project) -> None:
    e = project.add_entity("HTS", "armed group")
    updated = project.update_entity(e.id, name="Hay'at Tahrir al-Sham", aliases=["HTS", "Hay'at Tahrir al-Sham"])
    assert updated.name == "Hay'at Tahrir al-Sham" and updated.aliases == ["HTS"]
    assert project.entity(e.id) == updated
    with pytest.raises(AnnotatorError):
        project.update_entity(e.id, colour="red")


# -- documents ---------------------------------------------------------------------------------


def test_documents_carry_metadata(project: Project) -> None:
    doc = project.add_document(TEXT, title="Toll rises", source="SANA", author="A. Writer", date="2025-03-11",
                               url="https://example.org/a", lang="en", section="World", words=14)
    assert (doc.title, doc.outlet, doc.author, doc.published, doc.url, doc.language) == (
        "Toll rises", "SANA", "A. Writer", "2025-03-11", "https://example.org/a", "en")
    assert doc.metadata == {"section": "World", "words": 14}
    assert doc.status == "not started"
    [stored] = project.documents()
    assert stored == doc
    assert project.document(doc.id) == doc
    assert json.loads(query(project.path, "SELECT metadata FROM documents")[0][0]) == doc.metadata
    untitled = project.add_document("\n\n  First line is the title  \nsecond line")
    assert untitled.title == "First line is the title"
    listed = project.documents(with_text=False)
    assert [d.id for d in listed] == [doc.id, untitled.id] and all(d.text == "" for d in listed)
    assert project.document_lengths() == {doc.id: len(TEXT), untitled.id: len(untitled.text)}


def test_document_edits(project: Project) -> None:
    doc = project.add_document(TEXT)
    assert project.set_document_status(doc.id, "in progress").status == "in progress"
    assert project.update_document(doc.id, outlet="Reuters", title="New").outlet == "Reuters"
    with pytest.raises(AnnotatorError, match="status"):
        project.set_document_status(doc.id, "finished")
    with pytest.raises(AnnotatorError, match="text"):
        project.update_document(doc.id, text="changed")
    assert project.document(doc.id).text == TEXT
    assert project.resolve_document(doc.id[:6]) == doc.id
    with pytest.raises(NotFoundError):
        project.resolve_document("zzzz")


def test_duplicate_text_is_refused(project: Project) -> None:
    doc = project.add_document(TEXT, title="first")
    with pytest.raises(DuplicateDocumentError) as caught:
        project.add_document(TEXT, title="second")
    assert caught.value.existing_id == doc.id
    assert len(project.documents()) == 1
    with pytest.raises(AnnotatorError, match="text"):
        project.add_document("   \n ")


def test_crlf_duplicate_is_the_same_text(project: Project) -> None:
    project.add_document("line one\nline two")
    with pytest.raises(DuplicateDocumentError):
        project.add_document("line one\r\nline two")


def test_delete_document_removes_its_annotations(project: Project) -> None:
    d1 = project.add_document(TEXT)
    d2 = project.add_document("Another text")
    a = project.add_annotation(d1.id, 0, 3, "Claim", annotator="ana")
    b = project.add_annotation(d2.id, 0, 7, "Claim", annotator="ana")
    project.add_relation(b.id, a.id, "same-claim", annotator="ana")
    project.delete_document(d1.id)
    assert [d.id for d in project.documents()] == [d2.id]
    assert [x.id for x in project.annotations()] == [b.id]
    assert project.relations() == []
    with pytest.raises(NotFoundError):
        project.document_text(d1.id)


# -- failed writes -------------------------------------------------------------------------


def test_import_with_unknown_label_in_second_document_adds_nothing(project: Project) -> None:
    before = dump(project.path)
    items = [
        ImportedDocument("First text, fine.", spans=[ImportedSpan(0, 5, "Claim")], source="a.jsonl", line=1),
        ImportedDocument("Second text, bad label.", spans=[ImportedSpan(0, 6, "Rumour")], source="a.jsonl", line=2),
    ]
    with pytest.raises(ImportFileError) as caught:
        project.import_documents(items)
    assert "a.jsonl, line 2" in str(caught.value) and "Rumour" in str(caught.value)
    assert project.documents() == [] and project.annotations() == []
    assert project.history.undo_text is None
    assert dump(project.path) == before


def test_failure_while_writing_rolls_back_the_whole_import(project: Project) -> None:
    """The second document's span fails only while being written: the first document must go too."""
    before = dump(project.path)
    seen = []
    project.subscribe(seen.append)
    items = [
        ImportedDocument("First text, fine.", spans=[ImportedSpan(0, 5, "Claim")], source="a.jsonl", line=1),
        ImportedDocument("Second text.", spans=[ImportedSpan(0, 6, "Claim", attributes={"x": object()})],
                         source="a.jsonl", line=2),
    ]
    with pytest.raises(AnnotatorError):
        project.import_documents(items)
    assert project.documents() == [] and project.annotations() == []
    assert project.history.undo_text is None and seen == []
    assert dump(project.path) == before
    # the project still works afterwards
    report = project.import_documents(items[:1])
    assert len(report.added) == 1 and report.annotations == 1


def test_failure_inside_a_group_rolls_back(project: Project) -> None:
    before = dump(project.path)
    with pytest.raises(RuntimeError), project.group("several things"):
        doc = project.add_document(TEXT)
        project.add_annotation(doc.id, 0, 3, "Claim", annotator="ana")
        project.add_label("Place")
        raise RuntimeError("boom")
    assert project.documents() == []
    assert "Place" not in [lab.name for lab in project.labels()]
    assert project.history.undo_text is None
    assert dump(project.path) == before


# -- text that is not plain ASCII ------------------------------------------------------------

HARD = "Report 👩‍👩‍👧 said ٩٧٣ قتيلا e\u0301te\r\nthe toll rose"


def test_emoji_arabic_combining_and_crlf(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "hard.txt"
    source.write_bytes(HARD.encode("utf-8"))
    documents, _ = read_paths([source])
    report = project.import_documents(documents)
    [doc] = report.added
    stored = project.document(doc.id).text
    assert stored == HARD.replace("\r\n", "\n")
    assert "\r" not in stored and "e\u0301te" in stored and "👩\u200d👩\u200d👧" in stored  # no NFC, no stripping
    assert doc.title == "Report 👩‍👩‍👧 said ٩٧٣ قتيلا e\u0301te"

    # "said" comes right after a family emoji of 5 code points (8 UTF-16 units): offsets are code points
    start = stored.index("said")
    assert start == len("Report ") + 5 + 1
    word = project.add_annotation(doc.id, start, start + 4, "Claim", annotator="ana")
    assert word.quote == "said"
    assert word.prefix == "Report 👩‍👩‍👧 "

    for piece, label in (("٩٧٣", "Figure"), ("قتيلا", "Claim"), ("e\u0301te", "Claim"), ("the toll", "Claim")):
        a = project.add_annotation(doc.id, *span(stored, piece), label, annotator="ana")
        assert a.quote == piece
    with Project.open(project.path) as other:
        assert sorted(a.quote for a in other.annotations()) == sorted(
            ["said", "٩٧٣", "قتيلا", "e\u0301te", "the toll"])


def test_wal_commits_skip_the_fsync_a_rollback_journal_keeps_it(tmp_path):
    """synchronous=NORMAL is crash-safe only in WAL mode: a project (WAL) gets it, a rollback-journal file keeps FULL."""
    path = tmp_path / "p.annotator"
    with Project.create(path) as project:
        assert project.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    with Project.open(path) as project:
        assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert project.db.execute("PRAGMA synchronous").fetchone()[0] == 1
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    with Project.open(path) as project:
        assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert project.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
