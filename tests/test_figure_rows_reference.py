"""``figure_rows`` reads figures and attributions in two queries; the plain path it replaced is kept here as
the reference, and both must give the same rows on a random project (figures with and without attributes,
attributions both ways and to entities, gold copies, several reviewers, a renamed figure label)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pytest

from annotator import AnnotatorError, Project
from annotator.crosssource import (
    ATTRIBUTED_TO,
    NUMBER_FIELDS,
    PARSED_FIELDS,
    FigureRow,
    figure_rows,
    order_figure_rows,
    selected_figure_rows,
)
from annotator.errors import NotFoundError
from annotator.exporters.common import Filters, select
from annotator.figure_values import as_number, as_text
from annotator.figures import parse_figure
from annotator.layers import GOLD
from annotator.models import Annotation
from annotator.proposals import is_figure_label

# -- the plain path, as figure_rows was before it read its own rows ----------------------------------


def _reference_values(annotation: Annotation) -> dict[str, Any]:
    attributes = annotation.attributes
    parsed = None
    if any(name not in attributes for name in PARSED_FIELDS):
        figure = parse_figure(annotation.quote)
        parsed = figure.as_dict() if figure is not None else {}
    values: dict[str, Any] = {}
    for name in PARSED_FIELDS:
        raw = attributes[name] if name in attributes else (parsed or {}).get(name)
        values[name] = as_number(raw) if name in NUMBER_FIELDS else as_text(raw)
    return values


def _reference_attributions(project: Project, figure_ids: set[str], position: dict[str, int]) -> dict[str, list[str]]:
    entity_names = {e.id: e.name for e in project.entities()}
    found: dict[str, list[Annotation]] = defaultdict(list)
    for relation in project.relations():
        if relation.label != ATTRIBUTED_TO:
            continue
        if relation.source_id in figure_ids:
            figure_id, other = relation.source_id, project.annotation(relation.target_id)
        elif relation.target_id in figure_ids and project.role_of(project.annotation(relation.source_id).label_id) == "actor":
            figure_id, other = relation.target_id, project.annotation(relation.source_id)
        else:
            continue
        found[figure_id].append(other)
    names = {}
    for figure_id, actors in found.items():
        actors.sort(key=lambda a: (position.get(a.document_id, 0), a.document_id, a.start, a.end, a.id))
        names[figure_id] = list(dict.fromkeys(
            entity_names[a.entity_id] if a.entity_id and a.entity_id in entity_names else " ".join(a.quote.split())
            for a in actors))
    return names


def reference_rows(project: Project, label: str | None = None, annotation_ids: Iterable[str] | None = None,
                   layer: str | None = None) -> list[FigureRow]:
    figure_labels = {lab.id for lab in project.labels() if is_figure_label(lab)}
    if label is not None:
        annotations = project.annotations(label=label)
    elif annotation_ids is not None:
        annotations = []
        for id in sorted(set(annotation_ids)):
            try:
                found = project.annotation(id)
            except NotFoundError:
                continue
            if found.label_id in figure_labels:
                annotations.append(found)
    else:
        annotations = [a for a in project.annotations() if a.label_id in figure_labels]
    if label is not None and annotation_ids is not None:
        annotations = [a for a in annotations if a.id in set(annotation_ids)]
    if layer is not None:
        annotations = [a for a in annotations if a.layer == layer]
    if not annotations:
        return []
    documents = {d.id: d for d in project.documents(with_text=False)}
    positions = {d.id: d.position for d in documents.values()}
    attributed = _reference_attributions(project, {a.id for a in annotations}, positions)
    rows = []
    for a in annotations:
        document = documents[a.document_id]
        names = attributed.get(a.id)
        rows.append(FigureRow(
            annotation_id=a.id, document_id=a.document_id, document_title=document.title, outlet=document.outlet,
            published=document.published, quote=a.quote, **_reference_values(a),
            counted=as_text(a.attributes.get("counted")), date=as_text(a.attributes.get("date")),
            attributed_to="; ".join(names) if names else None, annotator=a.annotator, start=a.start, end=a.end,
            victims=as_text(a.attributes.get("victims")), period_start=as_text(a.attributes.get("period-start")),
            period_end=as_text(a.attributes.get("period-end")),
            layer=a.layer, reviewer=a.annotator if a.layer != GOLD else None,
        ))
    return order_figure_rows(rows, positions)


# -- a random project ---------------------------------------------------------------------------------

ATTRIBUTE_CHOICES: list[dict[str, Any] | None] = [
    None,  # proposed from the quote
    {},  # nothing stored: every number parsed from the quote
    {"value": 1200, "lower": 1200, "qualifier": "at least", "counted": "civilians killed", "victims": "civilians"},
    {"value": 973, "counted": "  Civilians   killed ", "period-start": "2025-03-06", "period-end": "2025-03-10"},
    {"qualifier": "approximately", "unit": "people", "date": "2025-03-08"},
]


def build(project: Project, seed: int) -> list[str]:
    rng = random.Random(seed)
    documents = [d.id for d in project.documents(with_text=False)]
    entities = [project.add_entity("Syrian Observatory for Human Rights", "organisation", aliases=["SOHR"]).id,
                project.add_entity("Ahmed al-Sharaa", "person").id]
    ids: dict[str, list[str]] = defaultdict(list)
    for _ in range(120):
        document_id = rng.choice(documents)
        text = project.document_text(document_id)
        start = rng.randrange(0, len(text) - 60)
        end = start + rng.randrange(1, 60)
        label = rng.choice(("Figure", "Figure", "Actor", "Claim"))
        options: dict[str, Any] = {"annotator": rng.choice(("ana", "ben")), "layer": rng.choice(("reviewer", "reviewer", GOLD))}
        if label == "Figure":
            options["attributes"] = rng.choice(ATTRIBUTE_CHOICES)
        if label == "Actor" and rng.random() < 0.5:
            options["entity_id"] = rng.choice(entities)
        try:
            ids[label].append(project.add_annotation(document_id, start, end, label, **options).id)
        except AnnotatorError:  # a span the rules refuse (inside a surrogate pair, empty after trimming): skip it
            continue
    for _ in range(80):
        kind = rng.random()
        if kind < 0.5:  # figure -> actor, claim or figure: names whatever it points to
            source, target = rng.choice(ids["Figure"]), rng.choice(ids["Actor"] + ids["Claim"] + ids["Figure"])
        elif kind < 0.8:  # actor -> figure
            source, target = rng.choice(ids["Actor"]), rng.choice(ids["Figure"])
        else:  # claim -> figure: not an actor, names nothing
            source, target = rng.choice(ids["Claim"]), rng.choice(ids["Figure"])
        label = ATTRIBUTED_TO if rng.random() < 0.9 else "supports"
        try:
            project.add_relation(source, target, label, annotator="ana")
        except AnnotatorError:  # the same relation twice, or one to itself
            continue
    return ids["Figure"] + ids["Actor"][:5]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figure_rows_match_the_plain_path(seeded: Project, seed: int) -> None:
    project = seeded
    some = build(project, seed)
    assert len(figure_rows(project)) > 20
    assert figure_rows(project) == reference_rows(project)
    assert figure_rows(project, label="Figure") == reference_rows(project, label="Figure")
    assert figure_rows(project, label="Actor") == reference_rows(project, label="Actor")  # a named label, whatever its role
    assert figure_rows(project, layer=GOLD) == reference_rows(project, layer=GOLD)
    assert figure_rows(project, layer="reviewer") == reference_rows(project, layer="reviewer")
    wanted = [*some[::3], "no-such-annotation"]
    assert figure_rows(project, annotation_ids=wanted) == reference_rows(project, annotation_ids=wanted)
    assert figure_rows(project, label="Figure", annotation_ids=wanted) == reference_rows(project, label="Figure", annotation_ids=wanted)
    assert figure_rows(project, annotation_ids=[]) == []
    project.update_label("Figure", name="Toll")  # the role stays: the rows follow it, not the name
    assert figure_rows(project) == reference_rows(project)


def test_selected_figure_rows_are_the_selected_part_of_figure_rows(seeded: Project) -> None:
    project = seeded
    build(project, 4)
    selection = select(project, Filters(annotators=("ben",)))
    rows, attributes = selected_figure_rows(project, selection.where, selection.params)
    assert rows == [r for r in figure_rows(project) if r.annotator == "ben"]
    assert rows and attributes == {r.annotation_id: project.annotation(r.annotation_id).attributes for r in rows}
