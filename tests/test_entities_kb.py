"""Entities as a knowledge base and document management: core operations, CLI, and the migration
that turns the free-text Actor "entity" / Claim "attributed-to" attributes into links."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import Project
from annotator.cli import cli
from annotator.errors import AnnotatorError
from annotator.store import schema

TEXT = "Abu Mohammed al-Julani said 40 people died. SOHR said 50. A spokesman said 60."


def _v3_project(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A project at schema 3 whose labels still carry the free-text attributes, annotated with them."""
    with monkeypatch.context() as m:
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])
        m.setattr(schema, "SCHEMA_VERSION", 3)
        with Project.create(path) as project:
            pass
        with sqlite3.connect(path) as db:
            for role, attribute in (("claim", "attributed-to"), ("actor", "entity")):
                (attributes,) = db.execute("SELECT attributes FROM labels WHERE role = ?", [role]).fetchone()
                definitions = [{"name": attribute, "type": "text"}, *json.loads(attributes)]
                db.execute("UPDATE labels SET attributes = ? WHERE role = ?", [json.dumps(definitions), role])
            # the document as that release wrote it (today's add_document also stores tokens, a later table)
            doc = "v3-doc"
            db.execute("INSERT INTO documents (id, title, text, sha256, imported_at) VALUES (?, 'T', ?, ?, ?)",
                       [doc, TEXT, hashlib.sha256(TEXT.encode("utf-8")).hexdigest(), "2025-03-10T12:00:00+00:00"])
        db.close()
        with Project.open(path) as project:
            sharaa = project.add_entity("Ahmed al-Sharaa", "person", aliases=["Abu Mohammed al-Julani"]).id
            ids = {
                "doc": doc, "sharaa": sharaa,
                "julani": project.add_annotation(doc, 0, 22, "Actor", annotator="ana",
                                                 attributes={"entity": "abu  mohammed AL-JULANI"}).id,
                "sohr": project.add_annotation(doc, 44, 48, "Actor", annotator="ana", attributes={"entity": "SOHR"}).id,
                "claim1": project.add_annotation(doc, 23, 43, "Claim", annotator="ana",
                                                 attributes={"attributed-to": "Ahmed al-Sharaa", "certainty": "reported"}).id,
                "claim2": project.add_annotation(doc, 49, 57, "Claim", annotator="ana", attributes={"attributed-to": "sohr"}).id,
                "claim3": project.add_annotation(doc, 58, 78, "Claim", annotator="ana", note="check",
                                                 attributes={"attributed-to": "a spokesman"}).id,
            }
    return ids


def test_migration_moves_free_text_attributes_into_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    ids = _v3_project(path, monkeypatch)
    with Project.open(path) as project:
        assert schema.version(project.db) == schema.SCHEMA_VERSION
        julani, sohr = project.annotation(ids["julani"]), project.annotation(ids["sohr"])
        assert julani.entity_id == ids["sharaa"] and julani.attributes == {} and julani.note is None
        assert sohr.entity_id is None and sohr.note == "Entity (was free text): SOHR"  # no such entity: kept
        relations = {(r.source_id, r.target_id, r.label) for r in project.relations()}
        # by the entity's name (the actor's entity, linked just before) and by the actor's quote
        assert relations == {(ids["claim1"], ids["julani"], "attributed-to"), (ids["claim2"], ids["sohr"], "attributed-to")}
        claim1, claim3 = project.annotation(ids["claim1"]), project.annotation(ids["claim3"])
        assert claim1.attributes == {"certainty": "reported"} and claim1.note is None
        assert claim3.attributes == {} and claim3.note == "check\nAttributed to (was free text): a spokesman"
        names = {label.name: [d["name"] for d in label.attributes] for label in project.labels()}
        assert "attributed-to" not in names["Claim"] and "entity" not in names["Actor"]


def test_new_projects_have_no_free_text_duplicates(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db") as project:
        assert "entity" not in [d["name"] for d in project.label("Actor").attributes]
        assert "attributed-to" not in [d["name"] for d in project.label("Claim").attributes]


@pytest.fixture
def kb(tmp_path: Path):
    project = Project.create(tmp_path / "p.db")
    doc = project.add_document(TEXT, title="T", outlet="Wire")
    entity = project.add_entity("Syrian Observatory", "organisation", aliases=["SOHR"])
    a = project.add_annotation(doc.id, 44, 48, "Actor", annotator="ana", entity_id=entity.id)
    b = project.add_annotation(doc.id, 0, 22, "Actor", annotator="ana", entity_id=entity.id)
    yield project, doc.id, entity.id, a.id, b.id
    project.close()


def test_split_moves_only_the_chosen_mentions_and_undoes(kb) -> None:
    project, _, entity, a, b = kb
    new = project.split_entity(entity, [b], "Ahmed al-Sharaa", "person")
    assert (project.annotation(a).entity_id, project.annotation(b).entity_id) == (entity, new.id)
    assert new.type == "person"
    project.undo()
    assert project.annotation(b).entity_id == entity and len(project.entities()) == 1
    with pytest.raises(AnnotatorError, match="not a mention"):
        project.split_entity(entity, ["nope"], "X")
    with pytest.raises(AnnotatorError, match="choose the mentions"):
        project.split_entity(entity, [], "X")


def test_entity_external_id_and_description(kb) -> None:
    project, _, entity, *_ = kb
    project.update_entity(entity, external_id=" Q123 ", description="monitor")
    assert (project.entity(entity).external_id, project.entity(entity).note) == ("Q123", "monitor")
    with pytest.raises(AnnotatorError, match="external identifier"):
        project.update_entity(entity, external_id=5)


def test_link_actor_never_guesses_person(kb) -> None:
    from annotator.crosssource import link_actor

    project, doc, *_ = kb
    actor = project.add_annotation(doc, 28, 30, "Actor", annotator="ana")
    assert link_actor(project, actor.id, name="Forty").type == "other"
    typed = project.add_annotation(doc, 55, 57, "Actor", annotator="ana", attributes={"type": "state"})
    assert link_actor(project, typed.id, name="Fifty").type == "state"


def test_assign_and_delete_document(kb) -> None:
    project, doc, *_ = kb
    project.assign_document(doc, " ana ")
    assert project.document(doc).assigned_to == "ana" and project.documents_assigned_to("ana") == [doc]
    before = sorted(a.to_dict().items() for a in project.annotations(doc))
    project.delete_document(doc)
    assert not project.documents() and not project.annotations()
    project.undo()
    assert sorted(a.to_dict().items() for a in project.annotations(doc)) == before
    from annotator.search import search

    assert search(project, "Julani")  # the index followed the undo


def _run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_entities(kb) -> None:
    project, _, entity, _a, b = kb
    path = project.path
    project.close()
    code, out, _ = _run("entities", path, "add", "Ahmed al-Sharaa", "--type", "person", "--alias", "Abu Mohammed al-Julani",
                        "--external-id", "Q1", "--json")
    assert code == 0
    sharaa = json.loads(out)
    assert (sharaa["type"], sharaa["aliases"], sharaa["external_id"]) == ("person", ["Abu Mohammed al-Julani"], "Q1")
    assert _run("entities", path, "edit", entity[:8], "--add-alias", "the Observatory", "--description", "UK")[0] == 0
    code, out, _ = _run("entities", path, "split", entity, b[:8], "--name", "Someone", "--json")
    assert code == 0
    split = json.loads(out)
    code, out, _ = _run("entities", path, "merge", sharaa["id"], split["id"], "--json")
    assert code == 0 and "Someone" in json.loads(out)["aliases"]
    listed = {e["name"]: e for e in json.loads(_run("entities", path, "--json")[1])}
    assert listed["Syrian Observatory"]["aliases"] == ["SOHR", "the Observatory"]
    assert listed["Syrian Observatory"]["note"] == "UK" and listed["Ahmed al-Sharaa"]["mentions"] == 1
    code, _, err = _run("entities", path, "add", "X")
    assert code == 2 and "--type" in err
    code, _, err = _run("entities", path, "edit", "zzz", "--name", "Y")
    assert code == 1 and err.startswith("Error: ")


def test_cli_documents(kb) -> None:
    project, doc, *_ = kb
    path = project.path
    project.close()
    assert _run("documents", path, "edit", doc[:6], "--outlet", "Reuters", "--date", "2025-03-11", "--title", "New")[0] == 0
    assert _run("documents", path, "assign", doc[:6], "ben")[0] == 0
    listed, = json.loads(_run("documents", path, "list", "--assigned-to", "ben", "--json")[1])
    assert (listed["title"], listed["outlet"], listed["published"], listed["assigned_to"]) == ("New", "Reuters", "2025-03-11", "ben")
    assert json.loads(_run("documents", path, "list", "--assigned-to", "ana", "--json")[1]) == []
    code, out, _ = _run("documents", path, "delete", doc)
    assert code == 0 and out == "Deleted “New” and 2 annotations\n"
    code, _, err = _run("documents", path, "delete", doc)
    assert code == 1 and err.startswith("Error: ")
