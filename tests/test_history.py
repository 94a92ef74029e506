"""Undo and redo of every kind of edit, grouping, and change notification."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator import Project
from annotator.history import Change, History, RowChange
from annotator.importers import ImportedDocument, ImportedSpan

TABLES = ("documents", "labels", "annotations", "relations", "entities")
"""What undo restores. ``annotators`` is a registry of names and is not part of the history."""


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of the undoable tables, read through a separate plain sqlite3 connection."""
    conn = sqlite3.connect(path)
    try:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall()) for table in TABLES}
    finally:
        conn.close()


@dataclass
class Scene:
    """A seeded project with a few annotations, a relation and two entities to act on."""

    project: Project
    doc: str
    claim: str
    actor: str
    figure: str
    relation: str
    entity: str
    other_entity: str


@pytest.fixture
def scene(seeded: Project) -> Scene:
    p = seeded
    doc = p.documents()[2]
    text = doc.text
    start = text.index("1,200")
    claim = p.add_annotation(doc.id, 0, 60, "Claim", annotator="ana")
    actor = p.add_annotation(doc.id, text.index("Ahmed al-Sharaa"), text.index("Ahmed al-Sharaa") + 15, "Actor",
                             annotator="ana")
    figure = p.add_annotation(doc.id, start, start + 5, "Figure", annotator="ben", attributes={"value": 1200})
    relation = p.add_relation(claim.id, actor.id, "attributed-to", annotator="ana")
    p.add_relation(figure.id, claim.id, "supports", annotator="ana")
    entity = p.add_entity("Ahmed al-Sharaa", "person", aliases=["al-Sharaa"])
    other = p.add_entity("Abu Mohammad al-Julani", "person", aliases=["al-Julani"])
    p.link_entity(actor.id, other.id)
    p.history.clear()
    return Scene(p, doc.id, claim.id, actor.id, figure.id, relation.id, entity.id, other.id)


def _delete_claim(s: Scene) -> None:
    s.project.delete_annotation(s.claim)
    assert s.project.relations() == []  # both relations hung on the claim


ACTIONS: dict[str, Callable[[Scene], object]] = {
    "add annotation": lambda s: s.project.add_annotation(s.doc, 5, 20, "Claim", annotator="cy"),
    "delete annotation with relations": _delete_claim,
    "relabel": lambda s: s.project.update_annotation(s.claim, label="Figure"),
    "resize": lambda s: s.project.update_annotation(s.figure, start=s.project.annotation(s.figure).start - 5),
    "edit attributes": lambda s: s.project.update_annotation(s.figure, attributes={"value": 1200, "qualifier": "more than"}),
    "edit note": lambda s: s.project.update_annotation(s.claim, note="check the source"),
    "rename label": lambda s: s.project.update_label("Figure", name="Number"),
    "recolour and re-key label": lambda s: s.project.update_label("Figure", color="#000000", hotkey="1"),
    "add label": lambda s: s.project.add_label("Place", hotkey="2"),
    "merge entities": lambda s: s.project.merge_entities(s.entity, [s.other_entity]),
    "delete entity": lambda s: s.project.delete_entity(s.other_entity),
    "link entity": lambda s: s.project.link_entity(s.claim, s.entity),
    "add relation": lambda s: s.project.add_relation(s.actor, s.figure, "contradicts", annotator="ana"),
    "delete relation": lambda s: s.project.delete_relation(s.relation),
    "document status": lambda s: s.project.set_document_status(s.doc, "done"),
    "document metadata": lambda s: s.project.update_document(s.doc, outlet="Al Jazeera", title="Renamed"),
    "delete document": lambda s: s.project.delete_document(s.doc),
    "add document": lambda s: s.project.add_document("A brand new text.", title="New"),
    "import": lambda s: s.project.import_documents(
        [ImportedDocument("One.", spans=[ImportedSpan(0, 3, "Claim")]), ImportedDocument("Two.")]),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_undo_and_redo(scene: Scene, name: str) -> None:
    """Each action changes the file; undo restores it exactly; redo makes it again, in one step each."""
    p = scene.project
    before = snapshot(p.path)
    ACTIONS[name](scene)
    after = snapshot(p.path)
    assert after != before
    assert p.history.undo_text  # the action is one step...

    undone = p.undo()
    assert isinstance(undone, Change) and undone
    assert snapshot(p.path) == before
    assert p.history.undo_text is None  # ...and only one
    assert p.undo() is None

    assert p.redo() is not None
    assert snapshot(p.path) == after
    assert p.redo() is None
    p.undo()
    assert snapshot(p.path) == before


def test_undo_delete_restores_relations_and_reads(scene: Scene) -> None:
    p = scene.project
    relations = p.relations()
    claim = p.annotation(scene.claim)
    p.delete_annotation(scene.claim)
    p.undo()
    assert p.annotation(scene.claim) == claim
    assert p.relations() == relations


def test_undo_label_rename_is_seen_by_reads(scene: Scene) -> None:
    p = scene.project
    p.update_label("Figure", name="Number")
    assert p.annotation(scene.figure).label == "Number"
    p.undo()
    assert p.annotation(scene.figure).label == "Figure"
    assert [lab.name for lab in p.labels()] == ["Claim", "Actor", "Figure"]
    p.redo()
    assert [x.id for x in p.annotations(label="Number")] == [scene.figure]


def test_undo_delete_label(scene: Scene) -> None:
    p = scene.project
    unused = p.add_label("Unused", color="#112233", hotkey="9", attributes=[{"name": "x", "type": "text"}])
    p.delete_label("Unused")
    assert "Unused" not in [lab.name for lab in p.labels()]
    p.undo()
    assert p.label("Unused") == unused
    p.undo()
    assert [lab.name for lab in p.labels()] == ["Claim", "Actor", "Figure"]


def test_undo_merge_restores_entities_and_links(scene: Scene) -> None:
    p = scene.project
    entities = p.entities()
    p.merge_entities(scene.entity, [scene.other_entity])
    assert p.annotation(scene.actor).entity_id == scene.entity
    assert p.entity(scene.entity).aliases == ["al-Sharaa", "Abu Mohammad al-Julani", "al-Julani"]
    p.undo()
    assert p.entities() == entities
    assert p.annotation(scene.actor).entity_id == scene.other_entity


def test_undo_resize_and_edits_restore_quote(scene: Scene) -> None:
    p = scene.project
    original = p.annotation(scene.figure)
    p.update_annotation(scene.figure, start=original.start - 5)
    p.update_annotation(scene.figure, attributes={"value": 1}, note="n")
    p.update_annotation(scene.figure, label="Claim")
    assert p.history.undo_text.startswith("Relabel")
    p.undo()
    assert p.annotation(scene.figure).label == "Figure"
    p.undo()
    assert p.annotation(scene.figure).attributes == {"value": 1200} and p.annotation(scene.figure).note is None
    p.undo()
    assert p.annotation(scene.figure) == original


def test_group_is_one_undo_step(scene: Scene) -> None:
    p = scene.project
    before = snapshot(p.path)
    seen: list[Change] = []
    p.subscribe(seen.append)
    with p.group("Split claim"):
        first = p.add_annotation(scene.doc, 0, 30, "Claim", annotator="ana")
        p.add_annotation(scene.doc, 31, 60, "Claim", annotator="ana")
        p.add_relation(first.id, scene.actor, "attributed-to", annotator="ana")
        p.delete_annotation(scene.claim)
        with p.group("inner"):  # nested groups join the outer one
            p.set_document_status(scene.doc, "in progress")
    assert len(seen) == 1 and seen[0].description == "Split claim"
    assert seen[0].tables == {"annotations", "relations", "documents"}
    assert p.history.undo_text == "Split claim"
    p.undo()
    assert snapshot(p.path) == before
    assert p.history.undo_text is None
    p.redo()
    assert len(p.annotations(document_id=scene.doc)) == 4
    assert p.document(scene.doc).status == "in progress"


def test_empty_group_is_no_step(scene: Scene) -> None:
    p = scene.project
    with p.group("nothing"):
        pass
    assert p.history.undo_text is None


def test_new_change_clears_redo(scene: Scene) -> None:
    p = scene.project
    p.set_document_status(scene.doc, "done")
    p.update_annotation(scene.claim, note="one")
    p.undo()
    assert p.history.redo_text == "Edit note"
    p.update_annotation(scene.claim, note="two")
    assert p.history.redo_text is None
    assert p.redo() is None
    assert p.annotation(scene.claim).note == "two"
    p.undo()
    p.undo()
    assert p.document(scene.doc).status == "not started"
    assert p.annotation(scene.claim).note is None


def test_history_descriptions(scene: Scene) -> None:
    p = scene.project
    p.update_annotation(scene.figure, start=p.annotation(scene.figure).start - 1)
    assert p.history.undo_text.startswith("Resize")
    p.update_annotation(scene.figure, note="x")
    assert p.history.undo_text == "Edit note"
    p.delete_annotation(scene.claim)
    assert p.history.undo_text.startswith("Delete")
    p.undo()
    assert p.history.redo_text.startswith("Delete")


def test_subscribers_get_every_change_with_document_ids(scene: Scene) -> None:
    p = scene.project
    seen: list[Change] = []
    unsubscribe = p.subscribe(seen.append)
    other_doc = p.documents()[0].id

    a = p.add_annotation(other_doc, 0, 5, "Claim", annotator="ana")
    assert len(seen) == 1
    assert seen[0].document_ids == {other_doc}
    assert seen[0].ids("annotations") == {a.id} and seen[0].tables == {"annotations"}

    p.delete_annotation(scene.claim)  # the relations go with it
    assert seen[-1].document_ids == {scene.doc}
    assert seen[-1].tables == {"annotations", "relations"}

    p.undo()
    assert len(seen) == 3
    assert seen[-1].document_ids == {scene.doc}
    assert scene.claim in seen[-1].ids("annotations")
    p.redo()
    assert len(seen) == 4 and seen[-1].document_ids == {scene.doc}

    p.set_document_status(other_doc, "done")
    assert seen[-1].document_ids == {other_doc} and seen[-1].tables == {"documents"}
    p.add_entity("SOHR")
    assert seen[-1].document_ids == set() and seen[-1].tables == {"entities"}

    # an edit that changes nothing notifies nobody
    count = len(seen)
    p.update_annotation(a.id, note=None)
    assert len(seen) == count

    unsubscribe()
    p.add_annotation(other_doc, 5, 9, "Claim", annotator="ana")
    assert len(seen) == count
    unsubscribe()  # twice is harmless


def test_subscriber_sees_the_committed_state(scene: Scene) -> None:
    p = scene.project
    observed = []
    p.subscribe(lambda change: observed.append(len(p.annotations(document_id=scene.doc))))
    p.add_annotation(scene.doc, 1, 2, "Claim", annotator="ana")
    p.undo()
    assert observed == [4, 3]


def test_undo_is_visible_to_another_connection(scene: Scene) -> None:
    """Undo writes the file at once: a separate plain sqlite3 connection sees the restored rows."""
    p = scene.project
    conn = sqlite3.connect(p.path)
    try:
        count = lambda: conn.execute("SELECT count(*) FROM annotations").fetchone()[0]  # noqa: E731
        relations = lambda: conn.execute("SELECT count(*) FROM relations").fetchone()[0]  # noqa: E731
        assert (count(), relations()) == (3, 2)
        p.delete_annotation(scene.claim)
        assert (count(), relations()) == (2, 0)
        p.undo()
        assert (count(), relations()) == (3, 2)
        quote = conn.execute("SELECT quote FROM annotations WHERE id = ?", [scene.claim]).fetchone()[0]
        assert quote == p.document_text(scene.doc)[0:60]
        p.update_label("Claim", name="Statement")
        p.undo()
        assert conn.execute("SELECT name FROM labels ORDER BY position").fetchall() == [
            ("Claim",), ("Actor",), ("Figure",)]
    finally:
        conn.close()


def test_history_survives_nothing_across_reopen(scene: Scene) -> None:
    p = scene.project
    p.set_document_status(scene.doc, "done")
    p.close()
    with Project.open(p.path) as reopened:
        assert reopened.undo() is None
        assert reopened.document(scene.doc).status == "done"


def test_history_limit_and_inverse() -> None:
    history = History(limit=3)
    changes = [Change(f"c{i}", (RowChange("t", None, {"id": str(i)}),)) for i in range(5)]
    for change in changes:
        history.push(change)
    assert [history.pop_undo().description for _ in range(3)] == ["c4", "c3", "c2"]
    assert history.pop_undo() is None
    assert history.pop_redo().description == "c2"

    change = Change("two rows", (RowChange("t", None, {"id": "a"}), RowChange("t", {"id": "b", "v": 1}, {"id": "b", "v": 2})))
    inverse = change.inverted()
    assert [r.key for r in inverse.rows] == ["b", "a"]
    assert inverse.rows[0] == RowChange("t", {"id": "b", "v": 2}, {"id": "b", "v": 1})
    assert inverse.rows[1] == RowChange("t", {"id": "a"}, None)
    assert inverse.inverted() == change
    assert not Change("empty", ())


def test_marking_several_documents_is_one_undo_step(seeded):
    ids = [d.id for d in seeded.documents(with_text=False)][:3]
    seeded.set_documents_status(ids, "done")
    assert [d.status for d in seeded.documents(with_text=False)] == ["done"] * 3 + ["not started"] * 2
    seeded.undo()
    assert {d.status for d in seeded.documents(with_text=False)} == {"not started"}
