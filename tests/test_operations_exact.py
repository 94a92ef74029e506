"""Every public write, table-driven: do, undo and redo are exact row for row; a failure half-way
through changes nothing; bad input is refused with an ``AnnotatorError`` and changes nothing.

Snapshots are read over a separate sqlite3 connection (``db_helpers.snapshot``), so they show what
the file holds, not what this process believes. Reviewers used here are registered in the fixture:
the ``annotators`` registry is kept on undo by design (a name is not a change).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from db_helpers import seeded_project, snapshot

from annotator import Project
from annotator.annotate_all import annotate_all, occurrences
from annotator.attribution import SourceProposal, accept_sources
from annotator.comparison import accept_all_agreed, accept_into_gold
from annotator.crosssource import link_actor
from annotator.errors import AnnotatorError
from annotator.figure_frame import FrameProposal, accept_frame
from annotator.importers.base import ImportedDocument, ImportedSpan
from annotator.importers.labelled import PendingAnnotation, PendingDocument, PendingRelation, PendingSet
from annotator.merge import merge_project
from annotator.revisions import import_revision, previous_version
from annotator.suggest import accept, reject, reject_all, suggest
from annotator.victims import add_victim_category, victim_categories

Ctx = dict[str, Any]


def _setup(path: Path) -> tuple[Project, Ctx]:
    """Five documents; ana and ben agree on a Claim; an Actor linked to an entity; a relation; a spare entity."""
    project = seeded_project(path)
    docs = [d.id for d in project.documents(with_text=False)]
    text = project.document_text(docs[0])
    for name in ("ana", "ben", "judge", "import"):
        project.register_annotator(name)
    entity = project.add_entity("Syrian Observatory", "organisation", aliases=["SOHR"])
    spare = project.add_entity("Reuters", "organisation")
    claim = project.add_annotation(docs[0], 0, 20, "Claim", annotator="ana", note="first")
    project.add_annotation(docs[0], 0, 20, "Claim", annotator="ben")
    actor = project.add_annotation(docs[0], 30, 40, "Actor", annotator="ana", entity_id=entity.id)
    relation = project.add_relation(claim.id, actor.id, "attributed-to", annotator="ana")
    project.add_label("Causes", kind="relation")
    project.history.clear()
    assert text[0:20] and len(text) > 60
    return project, {"docs": docs, "text": text, "claim": claim.id, "actor": actor.id, "entity": entity.id,
                     "spare": spare.id, "relation": relation.id, "path": path}


def _other_file(path: Path) -> Path:
    other_path = path.with_name(f"{path.stem}-other.db")
    if other_path.exists():  # the same other file, merged again after a failed attempt
        return other_path
    with Project.create(other_path) as other:
        doc = other.add_document("A new report from elsewhere: 12 people were killed on Monday.", title="Other")
        other.add_annotation(doc.id, 0, 12, "Claim", annotator="ana")
    return other_path


def _labelled(ctx: Ctx) -> PendingSet:
    pending = PendingSet()
    document = PendingDocument("set.jsonl", 1, "Officials said 40 people died. The army denied it.")
    document.annotations = [PendingAnnotation("a", 0, 9, "Actor", entity_id="e-new"),
                            PendingAnnotation("b", 15, 29, "Figure", attributes={"value": 40, "qualifier": "exact"})]
    pending.documents.append(document)
    pending.relations.append(PendingRelation("b", "a", "attributed-to", Path("set.jsonl"), 1))
    pending.entities["e-new"] = {"name": "Officials", "type": "other"}
    return pending


@dataclass(frozen=True)
class Op:
    name: str
    do: Callable[[Project, Ctx], Any]
    check: Callable[[Project, Ctx, Any], bool]


def _ann(p: Project, ctx: Ctx) -> Any:
    return p.annotation(ctx["claim"])


OPS = [
    Op("add annotation", lambda p, c: p.add_annotation(c["docs"][1], 2, 9, "Claim", annotator="ana"),
       lambda p, c, r: p.annotation(r.id).start == 2),
    Op("update bounds", lambda p, c: p.update_annotation(c["claim"], start=1, end=25),
       lambda p, c, r: (_ann(p, c).start, _ann(p, c).quote) == (1, c["text"][1:25])),
    Op("update label", lambda p, c: p.update_annotation(c["claim"], label="Actor"), lambda p, c, r: _ann(p, c).label == "Actor"),
    Op("update attributes", lambda p, c: p.update_annotation(c["claim"], attributes={"certainty": "alleged"}),
       lambda p, c, r: _ann(p, c).attributes == {"certainty": "alleged"}),
    Op("update note", lambda p, c: p.update_annotation(c["claim"], note="why"), lambda p, c, r: _ann(p, c).note == "why"),
    Op("update annotation entity", lambda p, c: p.update_annotation(c["claim"], entity_id=c["spare"]),
       lambda p, c, r: _ann(p, c).entity_id == c["spare"]),
    Op("update layer", lambda p, c: p.update_annotation(c["claim"], layer="gold"), lambda p, c, r: _ann(p, c).layer == "gold"),
    Op("delete annotation", lambda p, c: p.delete_annotation(c["claim"]),
       lambda p, c, r: not p.has_row("annotations", c["claim"]) and not p.has_row("relations", c["relation"])),
    Op("add label", lambda p, c: p.add_label("Event", "#112233", attributes=[{"name": "n", "type": "number"}]),
       lambda p, c, r: p.label("Event").attributes == [{"name": "n", "type": "number"}]),
    Op("update label fields", lambda p, c: p.update_label("Claim", name="Assertion", color="#abcdef", hotkey="2"),
       lambda p, c, r: (r.name, r.color, r.hotkey, p.label("Actor").hotkey) == ("Assertion", "#ABCDEF", "2", None)),
    Op("delete label", lambda p, c: p.delete_label("Figure"), lambda p, c, r: "Figure" not in [x.name for x in p.labels()]),
    Op("add relation", lambda p, c: p.add_relation(c["actor"], c["claim"], "supports", annotator="ben"),
       lambda p, c, r: p.has_relation(c["actor"], c["claim"], "supports")),
    Op("delete relation", lambda p, c: p.delete_relation(c["relation"]), lambda p, c, r: not p.relations()),
    Op("add entity", lambda p, c: p.add_entity("UN", "organisation"), lambda p, c, r: p.entity(r.id).name == "UN"),
    Op("update entity", lambda p, c: p.update_entity(c["entity"], name="SOHR", type="other", aliases=["Observatory"]),
       lambda p, c, r: (r.name, r.type, list(r.aliases)) == ("SOHR", "other", ["Observatory"])),
    Op("delete entity", lambda p, c: p.delete_entity(c["entity"]),
       lambda p, c, r: p.annotation(c["actor"]).entity_id is None and not p.has_row("entities", c["entity"])),
    Op("link entity", lambda p, c: p.link_entity(c["actor"], c["spare"]),
       lambda p, c, r: p.annotation(c["actor"]).entity_id == c["spare"]),
    Op("merge entities", lambda p, c: p.merge_entities(c["spare"], [c["entity"]]),
       lambda p, c, r: p.annotation(c["actor"]).entity_id == c["spare"] and "Syrian Observatory" in r.aliases),
    Op("split entity", lambda p, c: p.split_entity(c["entity"], [c["actor"]], "Observatory (Damascus)"),
       lambda p, c, r: p.annotation(c["actor"]).entity_id == r.id and r.type == "organisation"
       and not p.entity_mentions(c["entity"])),
    Op("entity description and external id", lambda p, c: p.update_entity(c["entity"], description="monitor", external_id="Q1"),
       lambda p, c, r: (p.entity(c["entity"]).note, p.entity(c["entity"]).external_id) == ("monitor", "Q1")),
    Op("assign document", lambda p, c: p.assign_document(c["docs"][0], "ana"),
       lambda p, c, r: p.documents_assigned_to("ana") == [c["docs"][0]]),
    Op("add document", lambda p, c: p.add_document("A brand new text.", title="New"), lambda p, c, r: p.document(r.id).title == "New"),
    Op("update document", lambda p, c: p.update_document(c["docs"][0], title="Renamed", outlet="Wire"),
       lambda p, c, r: (r.title, r.outlet) == ("Renamed", "Wire")),
    Op("set status", lambda p, c: p.set_document_status(c["docs"][0], "done"), lambda p, c, r: r.status == "done"),
    Op("set statuses", lambda p, c: p.set_documents_status(c["docs"][:3], "in progress"),
       lambda p, c, r: {p.document(d).status for d in c["docs"][:3]} == {"in progress"}),
    Op("delete document", lambda p, c: p.delete_document(c["docs"][0]),
       lambda p, c, r: not p.annotations(c["docs"][0]) and not p.relations()),
    Op("import plain", lambda p, c: p.import_documents([ImportedDocument("Plain one.", {"title": "P1"}, source="a.txt"),
                                                        ImportedDocument("Plain two.", {"title": "P2"}, source="b.txt",
                                                                         spans=[ImportedSpan(0, 5, "Claim")])]),
       lambda p, c, r: len(r.added) == 2 and r.annotations == 1),
    Op("import labelled", lambda p, c: p.import_documents(_labelled(c)),
       lambda p, c, r: (len(r.added), r.annotations, r.relations, r.entities) == (1, 2, 1, 1)),
    Op("merge project", lambda p, c: merge_project(p, _other_file(c["path"])),
       lambda p, c, r: r.added["documents"] == 1 and r.added["annotations"] == 1),
    Op("accept into gold", lambda p, c: accept_into_gold(p, c["claim"], "judge"),
       lambda p, c, r: r.layer == "gold" and r.note == "first"),
    Op("accept all agreed", lambda p, c: accept_all_agreed(p, c["docs"][0], ["ana", "ben"], "judge"),
       lambda p, c, r: r == 1 and len(p.annotations(layer="gold")) == 1),
    Op("link actor to a new entity", lambda p, c: link_actor(p, c["actor"], name="Some Group", type="armed group"),
       lambda p, c, r: p.annotation(c["actor"]).entity_id == r.id and r.type == "armed group"),
    Op("annotate all", lambda p, c: annotate_all(p, occurrences(p, "Syria", "Actor", "ana"), "Actor", "ana"),
       lambda p, c, r: len(r) > 1 and {a.quote for a in r} == {"Syria"}),
    Op("accept suggestions", lambda p, c: accept(p, suggest(p, "figures", document_id=c["docs"][0]), "ana"),
       lambda p, c, r: len(r) > 0 and all(p.annotation(a.id).label == "Figure" for a in r)),
    Op("reject suggestion", lambda p, c: reject(p, suggest(p, "figures", document_id=c["docs"][0], annotator="ana")[0], "ana"),
       lambda p, c, r: r.of("suggestion_rejections").added[0]["annotator"] == "ana"
       and r.of("suggestion_rejections").added[0]["start"] not in
       {s.start for s in suggest(p, "figures", document_id=c["docs"][0], annotator="ana")}),
    Op("reject suggestions", lambda p, c: reject_all(p, suggest(p, "figures", document_id=c["docs"][0]), "ana"),
       lambda p, c, r: len(r.rows) > 1 and suggest(p, "figures", document_id=c["docs"][0], annotator="ana") == []),
    Op("link actor to an entity", lambda p, c: link_actor(p, c["actor"], entity_id=c["spare"]),
       lambda p, c, r: p.annotation(c["actor"]).entity_id == c["spare"]),
    Op("accept sources", lambda p, c: accept_sources(p, [_source_proposal(p, c)], "ana"),
       lambda p, c, r: len(r) == 1 and p.annotation(r[0].target_id).entity_id == c["entity"]),
    Op("accept frame", lambda p, c: accept_frame(p, _ben(p, c), "ana", FrameProposal(
        _ben(p, c), {"victims": "civilians", "period-start": "2025-03-10"}, _source_proposal(p, c))),
       lambda p, c, r: p.annotation(_ben(p, c)).attributes["victims"] == "civilians"
       and len(p.relations(annotation_id=_ben(p, c))) == 1),
    Op("add victim category", lambda p, c: add_victim_category(p, "journalists"),
       lambda p, c, r: r[-1] == "journalists" and "journalists" in victim_categories(p)),
    Op("import revision", lambda p, c: import_revision(p, c["docs"][0], "Updated first.\n" + c["text"]),
       lambda p, c, r: len(r.placed) == 3 and r.relations == 1 and previous_version(p, r.document.id) == c["docs"][0]),
]


def _ben(project: Project, ctx: Ctx) -> str:
    return next(a.id for a in project.annotations(ctx["docs"][0]) if a.annotator == "ben")


def _source_proposal(project: Project, ctx: Ctx) -> SourceProposal:
    """Ben's claim, attributed to the entity through a new Actor on 50-60."""
    return SourceProposal(_ben(project, ctx), ctx["docs"][0], "", ctx["entity"], "Syrian Observatory", "said", 50, 60,
                          "sentence")


def _steps(project: Project) -> int:
    return len(project.history._undo)


@pytest.mark.parametrize("op", OPS, ids=[op.name for op in OPS])
def test_do_undo_redo_are_exact(tmp_path: Path, op: Op) -> None:
    project, ctx = _setup(tmp_path / "p.db")
    with project:
        before = snapshot(ctx["path"])
        result = op.do(project, ctx)
        after = snapshot(ctx["path"])
        assert after != before and op.check(project, ctx, result)
        assert _steps(project) == 1  # one undo step, whatever it wrote
        project.undo()
        assert snapshot(ctx["path"]) == before
        project.redo()
        assert snapshot(ctx["path"]) == after
        assert op.check(project, ctx, result)  # and this process reads what the file holds
        project.undo()
        assert snapshot(ctx["path"]) == before
        assert project.history.peek_undo() is None and project.history.peek_redo() is not None


def _written_rows(op: Op, tmp_path: Path) -> int:
    project, ctx = _setup(tmp_path / "count.db")
    with project:
        op.do(project, ctx)
        change = project.history.peek_undo()
        assert change is not None
        return len(change.rows)


MULTI = [op for op in OPS if op.name in {
    "delete annotation", "update label fields", "delete entity", "merge entities", "set statuses",
    "delete document", "import plain", "import labelled", "merge project", "link actor to a new entity",
    "reject suggestions"}]


@pytest.mark.parametrize("op", MULTI, ids=[op.name for op in MULTI])
def test_a_failure_half_way_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, op: Op) -> None:
    """The second row written raises: the first is rolled back, and no step is recorded."""
    rows = _written_rows(op, tmp_path)
    assert rows >= 2, f"{op.name} writes {rows} row(s): not a multi-row operation"
    project, ctx = _setup(tmp_path / "p.db")
    with project:
        before, labels = snapshot(ctx["path"]), project.labels(kind=None)
        calls: list[Any] = []

        def failing(real: Callable[[Any], None]) -> Callable[[Any], None]:
            def write(rows: Any) -> None:  # a RowChange (_write) or a run of inserts (_insert)
                calls.append(rows)
                if len(calls) == 2:
                    raise RuntimeError("disk gremlin")
                real(rows)
            return write

        monkeypatch.setattr(project, "_write", failing(project._write))
        monkeypatch.setattr(project, "_insert", failing(project._insert))
        with pytest.raises(RuntimeError, match="disk gremlin"):
            op.do(project, ctx)
        monkeypatch.undo()
        assert len(calls) == 2  # it did fail half-way, after writing one row
        assert snapshot(ctx["path"]) == before
        assert _steps(project) == 0 and project.history.peek_redo() is None
        # caches were dropped with the rollback: the process reads what the file holds, and can work on
        assert project.labels(kind=None) == labels
        assert {e.id for e in project.entities()} == {ctx["entity"], ctx["spare"]}
        result = op.do(project, ctx)
        assert op.check(project, ctx, result)


def _bad_pending(**annotation: Any) -> PendingSet:
    pending = PendingSet()
    document = PendingDocument("bad.jsonl", 3, "Officials said 40 people died.")
    document.annotations = [PendingAnnotation("a", **{"start": 0, "end": 9, "label": "Actor", **annotation})]
    pending.documents.append(document)
    return pending


BAD: list[tuple[str, Callable[[Project, Ctx], Any], str]] = [
    # add annotation: span, label, attributes, layer, reviewer, entity
    ("add: reversed span", lambda p, c: p.add_annotation(c["docs"][1], 9, 2, "Claim", annotator="ana"), "empty or reversed"),
    ("add: past the end", lambda p, c: p.add_annotation(c["docs"][1], 0, 10**6, "Claim", annotator="ana"), "outside the text"),
    ("add: float offset", lambda p, c: p.add_annotation(c["docs"][1], 0.5, 3, "Claim", annotator="ana"), "whole numbers"),
    ("add: unknown label", lambda p, c: p.add_annotation(c["docs"][1], 0, 3, "Nope", annotator="ana"), "unknown label"),
    ("add: relation-kind label", lambda p, c: p.add_annotation(c["docs"][1], 0, 3, "Causes", annotator="ana"), "not 'span'"),
    ("add: number attribute as text", lambda p, c: p.add_annotation(c["docs"][1], 0, 3, "Figure", annotator="ana",
                                                                    attributes={"value": "many"}), "'value' must be a number"),
    ("add: choice not among choices", lambda p, c: p.add_annotation(c["docs"][1], 0, 3, "Figure", annotator="ana",
                                                                    attributes={"qualifier": "lots"}), "'qualifier' must be one of"),
    ("add: NaN attribute", lambda p, c: p.add_annotation(c["docs"][1], 0, 3, "Figure", annotator="ana",
                                                         attributes={"value": float("nan")}), "JSON values"),
    ("add: bad layer", lambda p, c: p.add_annotation(c["docs"][1], 0, 3, "Claim", annotator="ana", layer="draft"), "layer"),
    ("add: no reviewer", lambda p, c: p.add_annotation(c["docs"][1], 0, 3, "Claim", annotator=" "), "reviewer"),
    ("add: unknown entity", lambda p, c: p.add_annotation(c["docs"][1], 0, 3, "Actor", annotator="ana", entity_id="x"), "no entity"),
    # update annotation
    ("update: bounds past the end", lambda p, c: p.update_annotation(c["claim"], end=10**6), "outside the text"),
    ("update: attribute type", lambda p, c: p.update_annotation(c["claim"], attributes={"certainty": 3}), "'certainty' must be one of"),
    ("update: relabel to a relation label", lambda p, c: p.update_annotation(c["claim"], label="Causes"), "not 'span'"),
    ("update: bad layer", lambda p, c: p.update_annotation(c["claim"], layer="draft"), "layer"),
    ("update: unknown entity", lambda p, c: p.update_annotation(c["claim"], entity_id="x"), "no entity"),
    # labels
    ("label: bad colour", lambda p, c: p.add_label("Event", "red"), "#RRGGBB"),
    ("label: colour not text", lambda p, c: p.add_label("Event", 5), "#RRGGBB"),
    ("label: bad kind", lambda p, c: p.add_label("Event", kind="chapter"), "kind must be one of"),
    ("label: choice without choices", lambda p, c: p.add_label("Event", attributes=[{"name": "k", "type": "choice"}]), "needs choices"),
    ("label: attribute type", lambda p, c: p.add_label("Event", attributes=[{"name": "k", "type": "colour"}]), "type must be one of"),
    ("label: duplicate name", lambda p, c: p.add_label("Claim"), "already exists"),
    ("label: role on a relation", lambda p, c: p.add_label("Effects", kind="relation", role="figure"), "only span labels"),
    ("update label: bad colour", lambda p, c: p.update_label("Claim", color="#12345"), "#RRGGBB"),
    ("update label: attributes not a list", lambda p, c: p.update_label("Claim", attributes={"name": "x"}), "must be a list"),
    ("update label: unknown field", lambda p, c: p.update_label("Claim", kind="relation"), "no editable field"),
    ("delete label in use", lambda p, c: p.delete_label("Claim"), "used by"),
    # relations
    ("relation: unknown type", lambda p, c: p.add_relation(c["claim"], c["actor"], "likes", annotator="ana"), "unknown relation"),
    ("relation: to itself", lambda p, c: p.add_relation(c["claim"], c["claim"], "supports", annotator="ana"), "two different"),
    ("relation: bad layer", lambda p, c: p.add_relation(c["claim"], c["actor"], "supports", annotator="ana", layer="x"), "layer"),
    ("relation: no reviewer", lambda p, c: p.add_relation(c["claim"], c["actor"], "supports", annotator=""), "annotator is"),
    ("relation: missing end", lambda p, c: p.add_relation(c["claim"], "nope", "supports", annotator="ana"), "no annotation"),
    # entities
    ("entity: no name", lambda p, c: p.add_entity("  "), "needs a name"),
    ("entity: bad type", lambda p, c: p.add_entity("X", "alien"), "entity type must be one of"),
    ("entity: aliases a string", lambda p, c: p.add_entity("X", aliases="SOHR"), "aliases must be a list"),
    ("update entity: bad type", lambda p, c: p.update_entity(c["entity"], type="alien"), "entity type must be one of"),
    ("update entity: unknown field", lambda p, c: p.update_entity(c["entity"], created_at="x"), "no editable field"),
    ("merge entities: unknown", lambda p, c: p.merge_entities(c["entity"], ["nope"]), "no entity"),
    ("link actor: bad type", lambda p, c: link_actor(p, c["actor"], name="X", type="alien"), "entity type"),
    # documents
    ("document: empty", lambda p, c: p.add_document("   "), "needs some text"),
    ("document: NUL", lambda p, c: p.add_document("a\x00b"), "NUL"),
    ("document: bad status", lambda p, c: p.add_document("Fresh text.", status="finished"), "status must be one of"),
    ("document: duplicate", lambda p, c: p.add_document(c["text"]), "already in the project"),
    ("update document: bad status", lambda p, c: p.set_document_status(c["docs"][0], "finished"), "status must be one of"),
    ("update document: title not text", lambda p, c: p.update_document(c["docs"][0], title=3), "title is not text"),
    ("update document: text", lambda p, c: p.update_document(c["docs"][0], text="x"), "no editable field"),
    ("statuses: one bad id", lambda p, c: p.set_documents_status([c["docs"][1], "nope"], "done"), "no document"),
    # import: the same rules, naming file and line
    ("import: past the end", lambda p, c: p.import_documents(_bad_pending(end=999)), "outside the text"),
    ("import: number as text", lambda p, c: p.import_documents(_bad_pending(label="Figure", attributes={"value": "x"})),
     "must be a number"),
    ("import: bad layer", lambda p, c: p.import_documents(_bad_pending(layer="draft")), "layer"),
    ("import: quote differs", lambda p, c: p.import_documents(_bad_pending(quote="Nobody")), "do not match"),
    ("import: unknown entity", lambda p, c: p.import_documents(_bad_pending(entity_id="e9")), "neither the file"),
    ("import: attributes not a mapping", lambda p, c: p.import_documents(_bad_pending(attributes=[1])), "an object"),
    ("import plain: unknown label", lambda p, c: p.import_documents(
        [ImportedDocument("Plain.", source="a.txt", spans=[ImportedSpan(0, 3, "Nope")])]), "unknown label"),
    # adjudication
    ("gold: no adjudicator", lambda p, c: accept_into_gold(p, c["claim"], " "), "reviewer"),
    ("gold: unknown annotation", lambda p, c: accept_into_gold(p, "nope", "judge"), "no annotation"),
    ("agreed: one reviewer", lambda p, c: accept_all_agreed(p, c["docs"][0], ["ana"], "judge"), "at least two"),
]


@pytest.mark.parametrize("call,message", [(b[1], b[2]) for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_refused_and_changes_nothing(tmp_path: Path, call: Callable[[Project, Ctx], Any], message: str) -> None:
    project, ctx = _setup(tmp_path / "p.db")
    with project:
        before = snapshot(ctx["path"])
        with pytest.raises(AnnotatorError, match=message):
            call(project, ctx)
        assert snapshot(ctx["path"]) == before
        assert _steps(project) == 0


def test_figure_proposals_pass_the_rules(tmp_path: Path) -> None:
    """What the figures parser proposes is valid for the default Figure definitions (a number, a listed qualifier)."""
    with Project.create(tmp_path / "f.db") as project:
        doc = project.add_document("Over 1,200 civilians, about 300 fighters and dozens of others were killed.")
        for quote in ("Over 1,200 civilians", "about 300 fighters", "dozens of others"):
            start = project.document_text(doc.id).index(quote)
            figure = project.add_annotation(doc.id, start, start + len(quote), "Figure", annotator="ana")
            assert figure.attributes.get("qualifier")
        assert project.annotations()[0].attributes["value"] == 1200


def _writers() -> set[str]:
    """Every public function or method in the core that writes through the store (calls ``_commit`` or ``group``)."""
    import ast

    root = Path(__file__).resolve().parent.parent / "annotator"
    found: set[str] = set()
    for path in root.rglob("*.py"):
        if "store" in path.relative_to(root).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        private = {id(f) for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and c.name.startswith("_") for f in c.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and id(node) not in private:
                calls = {c.func.attr for c in ast.walk(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                         and isinstance(c.func.value, ast.Name) and c.func.value.id in ("self", "project")}
                if calls & {"_commit", "group"}:
                    found.add(node.name)
    return found


def test_every_writing_operation_is_in_the_table() -> None:
    """A new operation fails here until OPS checks that its do, undo and redo are exact."""
    import inspect

    table = inspect.getsource(inspect.getmodule(test_do_undo_redo_are_exact))
    covered = {name for name in _writers() if re.search(rf"\b{name}\(", table.split("OPS = [", 1)[1].split("\n]\n", 1)[0])}
    assert _writers() - covered == set(), "operations without a do/undo/redo test"
    assert len(_writers()) >= 20


def test_an_operation_leaves_its_typed_change_set(tmp_path: Path) -> None:
    project, ctx = _setup(tmp_path / "p.db")
    annotation = project.add_annotation(ctx["docs"][1], 2, 9, "Claim", annotator="ana")
    change = project.last_change
    assert change is not None and change.origin.value == "do"
    assert [row["id"] for row in change.of("annotations").added] == [annotation.id]
    project.update_annotation(annotation.id, start=1)
    (before, after), = project.last_change.of("annotations").updated
    assert (before["start"], after["start"]) == (2, 1)
    assert project.last_change.of("annotations").changed_fields() >= {"start", "quote"}
    project.undo()
    assert project.last_change.origin.value == "undo"
    project.delete_annotation(annotation.id)
    assert [row["id"] for row in project.last_change.of("annotations").removed] == [annotation.id]
