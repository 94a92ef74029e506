"""Every view kept up to date from change sets equals the same view built afresh.

Each operation is done through the API while the window is open, then undone, then redone; after
each step every view's ``snapshot()`` must equal that of a new view of the same kind on the same
project and session. The docks are shown (floating) so they refresh incrementally, not lazily.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from shiboken6 import Shiboken

from annotator import Project
from annotator.importers.base import ImportedDocument
from ui.agreement_window import AgreementWindow
from ui.annotation_table import AnnotationTable
from ui.claims_dock import ClaimsDock
from ui.compare_window import CompareWindow
from ui.document_list import DocumentList
from ui.document_pane import DocumentPane
from ui.entities_dock import EntitiesDock
from ui.figures_dock import FiguresDock
from ui.inspector import Inspector
from ui.schema_editor import SchemaEditor
from ui.view import ChangeView

TEXT_B = "Over 1,200 Alawites were killed, the Syrian Observatory for Human Rights said."


@dataclass
class World:
    """The window and the ids the operations work on."""

    window: Any
    project: Project
    a: str  # the emoji document
    b: str  # the second report
    figure: str
    actor: str
    claim_a: str
    claim_b: str
    same_claim: str
    entity: str
    extra: dict[str, Any]


def build(window) -> World:
    project: Project = window.project
    a, b = (d.id for d in project.documents(with_text=False))
    start = TEXT_B.index("Syrian Observatory")
    figure = project.add_annotation(b, 5, 10, "Figure", annotator="ana",
                                    attributes={"value": 1200, "counted": "people killed"}).id
    actor = project.add_annotation(b, start, start + len("Syrian Observatory for Human Rights"), "Actor", annotator="ana").id
    project.add_relation(figure, actor, "attributed-to", annotator="ana")
    claim_a = project.add_annotation(a, 0, 8, "Claim", annotator="ana").id
    claim_b = project.add_annotation(b, 11, 31, "Claim", annotator="ben").id
    project.add_annotation(b, 11, 31, "Claim", annotator="ana")
    same_claim = project.add_relation(claim_a, claim_b, "same-claim", annotator="ana").id
    entity = project.add_entity("SOHR", type="organisation").id
    project.link_entity(actor, entity)
    window.panes.set_current(window.panes.pane_for(b))
    window.session.select(figure)
    for dock in (window.figures_dock, window.claims_dock, window.entities_dock):
        dock.setFloating(True)
        dock.show()
    extra = {
        "compare": window.open_compare(b, ["ana", "ben"]),
        "agreement": AgreementWindow(window.session, ["ana", "ben"]),
        "schema": SchemaEditor(project),
    }
    extra["schema"].show()
    return World(window, project, a, b, figure, actor, claim_a, claim_b, same_claim, entity, extra)


def views(world: World) -> dict[str, tuple[ChangeView, Callable[[], ChangeView]]]:
    """Each view the window keeps current, with a function that builds a fresh one of its kind."""
    w, session = world.window, world.window.session

    def table() -> AnnotationTable:
        fresh = AnnotationTable(session)
        fresh.show_document(w.table.model.document_id)
        return fresh

    def inspector() -> Inspector:
        fresh = Inspector(session)
        fresh.show_annotation(session.selected)
        return fresh

    def refreshed(kind):
        def make():
            fresh = kind(session)
            fresh.refresh()
            return fresh
        return make

    def schema() -> SchemaEditor:
        fresh = SchemaEditor(world.project)
        fresh.list.setCurrentRow(world.extra["schema"].list.currentRow())
        return fresh

    found: dict[str, tuple[ChangeView, Callable[[], ChangeView]]] = {
        "documents": (w.documents, lambda: DocumentList(session)),
        "table": (w.table, table),
        "inspector": (w.inspector, inspector),
        "figures": (w.figures, refreshed(FiguresDock)),
        "claims": (w.claims, refreshed(ClaimsDock)),
        "entities": (w.entities, refreshed(EntitiesDock)),
        "compare": (world.extra["compare"], lambda: CompareWindow(session, world.b, ["ana", "ben"])),
        "agreement": (world.extra["agreement"], lambda: AgreementWindow(session, ["ana", "ben"])),
        "schema": (world.extra["schema"], schema),
    }
    for pane in w.panes.panes():
        found[f"pane {pane.document.title}"] = (pane, lambda p=pane: DocumentPane(session, p.document_id))
    return found


def differences(world: World) -> list[str]:
    """The views whose snapshot differs from a fresh view's."""
    wrong = []
    for name, (view, make) in views(world).items():
        assert isinstance(view, ChangeView)
        fresh = make()
        try:
            if view.snapshot() != fresh.snapshot():
                wrong.append(f"{name}:\n  kept:  {view.snapshot()!r}\n  fresh: {fresh.snapshot()!r}")
        finally:
            if isinstance(fresh, SchemaEditor):
                fresh._unsubscribe()
            Shiboken.delete(fresh)
    return wrong


def external(world: World) -> None:
    """Another connection to the same file writes; the window picks it up."""
    with Project.open(world.project.path) as other:
        other.update_annotation(world.actor, end=other.annotation(world.actor).end - len(" Rights"))
        other.update_label("Figure", color="#112233")
        other.add_annotation(world.b, 33, 36, "Actor", annotator="ben")
    world.window.check_other_writers()


def imported(world: World) -> None:
    world.project.import_documents([ImportedDocument("New text about 50 people killed.", {"title": "Imported"})])


OPERATIONS: dict[str, Callable[[World], object]] = {
    "add": lambda w: w.project.add_annotation(w.b, 33, 36, "Figure", annotator="ana"),
    "resize linked actor": lambda w: w.project.update_annotation(w.actor, end=w.project.annotation(w.actor).end - 7),
    "resize shown figure": lambda w: w.project.update_annotation(w.figure, start=0, end=10),
    "relabel": lambda w: w.project.update_annotation(w.claim_b, label="Actor"),
    "attributes": lambda w: w.project.update_annotation(w.figure, attributes={"value": 1300, "counted": "civilians killed"}),
    "note": lambda w: w.project.update_annotation(w.figure, note="checked against the source"),
    "delete linked actor": lambda w: w.project.delete_annotation(w.actor),
    "delete shown figure": lambda w: w.project.delete_annotation(w.figure),
    "link relation": lambda w: w.project.add_relation(w.claim_b, w.claim_a, "supports", annotator="ana"),
    "delete relation": lambda w: w.project.delete_relation(w.same_claim),
    "entity add": lambda w: w.project.add_entity("Observatory", type="organisation"),
    "entity link": lambda w: w.project.link_entity(w.actor, w.project.add_entity("Observatory", type="organisation").id),
    "entity rename": lambda w: w.project.update_entity(w.entity, name="Syrian Observatory"),
    "entity merge": lambda w: w.project.merge_entities(w.project.add_entity("Observatory").id, [w.entity]),
    "label rename": lambda w: w.project.update_label("Claim", name="Assertion"),
    "label recolour": lambda w: w.project.update_label("Figure", color="#123456"),
    "document status": lambda w: w.project.set_document_status(w.b, "done"),
    "document metadata": lambda w: w.project.update_document(w.b, title="Renamed report", outlet="Wire 3"),
    "import": imported,
    # a document and its annotations in one change: the list reads the row back with its count, and must not add them again
    "annotated new document": lambda w: w.project.add_annotation(w.project.add_document("Ten killed.", title="New").id, 0, 3, "Figure",
                                                                 annotator="ana"),
    "external": external,
}


def grouped(operation: Callable[[World], object]) -> Callable[[World], None]:
    """Two-step operations (add an entity, then link it) as one undo step."""
    def run(world: World) -> None:
        with world.project.group("operation"):
            operation(world)
    return run


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_every_view_equals_a_fresh_one_after_do_undo_redo(window, name: str) -> None:
    world = build(window)
    assert differences(world) == []
    operation = OPERATIONS[name]
    (operation if name == "external" else grouped(operation))(world)
    assert differences(world) == [], "after the operation"
    if name == "external":
        return  # another program's write is not on this window's undo stack
    assert window.project.undo() is not None
    assert differences(world) == [], "after undo"
    assert window.project.redo() is not None
    assert differences(world) == [], "after redo"


def test_the_check_fails_when_a_view_does_not_refresh(window) -> None:
    """A view that misses a change is caught: the comparison is not vacuous."""
    world = build(window)
    window.session.changed.disconnect(window.session.docks.receiver(window.figures.apply_change))  # docks follow through it
    world.project.update_annotation(world.figure, attributes={"value": 1300})
    wrong = differences(world)
    assert len(wrong) == 1 and wrong[0].startswith("figures:")


def test_inspector_follows_its_annotation_and_linked_ones(window) -> None:
    world = build(window)
    inspector = window.inspector
    world.project.update_annotation(world.actor, end=world.project.annotation(world.actor).end - len(" for Human Rights"))
    assert any("“Syrian Observatory”" in window.inspector.links.item(i).text() for i in range(inspector.links.count()))
    world.project.update_annotation(world.figure, start=0, end=10)
    assert inspector.quote.text() == "“Over 1,200”"
    with Project.open(world.project.path) as other:
        other.update_annotation(world.figure, start=5)
    window.check_other_writers()
    assert inspector.quote.text() == "“1,200”"
    world.project.delete_annotation(world.figure)
    assert inspector.annotation is None and inspector.snapshot() is None and not inspector.body.isVisibleTo(inspector)


def test_docks_update_only_the_rows_a_change_touched(window, monkeypatch) -> None:
    import ui.figures_dock

    world = build(window)
    assert window.figures.isVisible() and window.entities.isVisible() and window.claims.isVisible()
    other = world.project.add_annotation(world.a, 44, 47, "Figure", annotator="ana", attributes={"value": 973}).id
    built: list[set[str] | None] = []
    real = ui.figures_dock.figure_rows
    monkeypatch.setattr(ui.figures_dock, "figure_rows",
                        lambda *a, **k: built.append(set(k["annotation_ids"]) if "annotation_ids" in k else None) or real(*a, **k))
    resets: list[str] = []
    for model in (window.table.model, window.documents.model, window.figures.model):
        model.modelReset.connect(lambda: resets.append("reset"))
        model.layoutChanged.connect(lambda: resets.append("layout"))
    world.project.update_annotation(world.actor, end=world.project.annotation(world.actor).end - 7)
    world.project.set_document_status(world.b, "done")
    world.project.add_annotation(world.b, 33, 36, "Claim", annotator="ana")
    assert resets == []
    assert built and None not in built and all(other not in ids for ids in built)  # the untouched figure's row was not rebuilt
    assert differences(world) == []


def test_hidden_docks_do_no_work_until_shown(window, monkeypatch) -> None:
    import ui.figures_dock

    calls: list[object] = []
    real = ui.figures_dock.figure_rows
    monkeypatch.setattr(ui.figures_dock, "figure_rows", lambda *a, **k: calls.append(k) or real(*a, **k))
    assert not window.figures.isVisible()
    b = window.project.documents(with_text=False)[1].id
    window.project.add_annotation(b, 5, 10, "Figure", annotator="ana", attributes={"value": 1200})
    assert calls == []
    window.figures_dock.show()
    window.figures_dock.raise_()
    assert len(calls) == 1 and window.figures.snapshot()[0] == "1 figures in 1 documents"


def test_no_view_writes_raw_rows() -> None:
    """Views call named core operations; only the core builds ``RowChange``s and commits them."""
    import re
    from pathlib import Path

    import ui

    for path in Path(ui.__file__).parent.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\bRowChange\b|\.commit\(|\brc\.(after|before|table)\b", source), path.name
