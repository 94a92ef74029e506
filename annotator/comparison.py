"""Comparing reviewers on one document, and adjudicating their spans into the gold layer.

``compare_document`` explains every reviewer-layer span of the listed reviewers on a document
by exactly one ``Difference``. Spans are taken in this order, each at most once:

1. ``agreed``: the same start, end and label from *every* listed reviewer (one Difference per
   such span; a reviewer's duplicates of it belong to it too).
2. ``label differs``: spans with the same start and end from two or more reviewers, with two or
   more labels among them.
3. ``boundary differs``: per label, a group of spans that overlap one another (transitively)
   from two or more reviewers, not all with the same start and end.
4. What is left is grouped by overlap regardless of label:

   * a span no other reviewer's remaining span overlaps is ``only`` that reviewer's (one
     Difference per span; ``title`` reads "only ana");
   * spans from several reviewers with identical start, end and label, and nothing else
     overlapping (possible with three or more reviewers: two agree, the third has nothing), are
     one ``only`` Difference of those reviewers ("only ana, ben");
   * anything else overlaps with both another label and other boundaries:
     ``label and boundary differ``.

Spans already explained at an earlier step do not count as overlapping at a later one: an Actor
that one reviewer marked inside a Claim both reviewers agree on is "only" that reviewer's.

A Difference is *covered* when a gold-layer annotation (by anyone) has the same start, end and
label as one of its spans. ``adjudication_progress`` counts covered Differences.

Adjudication writes the gold layer: ``accept_into_gold`` copies one annotation (new id,
``layer="gold"``, ``annotator`` = the adjudicator, attributes, note and entity link copied, and
the attribute ``"source_annotation"`` = the id it was copied from); ``accept_all_agreed`` does
that for every uncovered agreed span of a document. Each is one undo step.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.errors import AnnotatorError
from annotator.history import Row, RowChange
from annotator.models import Annotation

if TYPE_CHECKING:
    from annotator.project import Project

AGREED = "agreed"
LABEL_DIFFERS = "label differs"
BOUNDARY_DIFFERS = "boundary differs"
LABEL_AND_BOUNDARY_DIFFER = "label and boundary differ"
ONLY = "only"
KINDS = (AGREED, LABEL_DIFFERS, BOUNDARY_DIFFERS, LABEL_AND_BOUNDARY_DIFFER, ONLY)
SOURCE_ATTRIBUTE = "source_annotation"
"""The gold copy's attribute naming the annotation it was accepted from."""


@dataclass(frozen=True, slots=True)
class ReviewerSpan:
    id: str
    annotator: str
    start: int
    end: int
    label: str

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)


@dataclass(frozen=True)
class Difference:
    """One place where the listed reviewers agree or differ, with the spans involved."""

    kind: str
    reviewers: tuple[str, ...]
    """The reviewers with a span in this Difference, in the order they were listed."""
    spans: tuple[ReviewerSpan, ...]
    """By reviewer (listed order), then start, end, id."""
    gold_ids: tuple[str, ...] = ()
    """Gold-layer annotations with the same start, end and label as one of ``spans``."""

    @property
    def start(self) -> int:
        return min(s.start for s in self.spans)

    @property
    def end(self) -> int:
        return max(s.end for s in self.spans)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(sorted({s.label for s in self.spans}))

    @property
    def annotations(self) -> dict[str, tuple[str, ...]]:
        """Annotation ids per reviewer."""
        return {r: tuple(s.id for s in self.spans if s.annotator == r) for r in self.reviewers}

    @property
    def covered(self) -> bool:
        return bool(self.gold_ids)

    @property
    def title(self) -> str:
        """The kind as a reader sees it: "only ana" for ``only``, otherwise the kind."""
        return f"only {', '.join(self.reviewers)}" if self.kind == ONLY else self.kind

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "labels": list(self.labels),
            "reviewers": list(self.reviewers),
            "annotations": {r: list(ids) for r, ids in self.annotations.items()},
            "spans": [{"id": s.id, "annotator": s.annotator, "start": s.start, "end": s.end, "label": s.label}
                      for s in self.spans],
            "gold_ids": list(self.gold_ids),
            "covered": self.covered,
        }


def _components(spans: Iterable[ReviewerSpan]) -> list[list[ReviewerSpan]]:
    """Groups of spans that overlap (share a character), transitively."""
    groups: list[list[ReviewerSpan]] = []
    reach = -1
    for span in sorted(spans, key=lambda s: (s.start, s.end, s.id)):
        if groups and span.start < reach:
            groups[-1].append(span)
            reach = max(reach, span.end)
        else:
            groups.append([span])
            reach = span.end
    return groups


def _check_reviewers(annotators: Iterable[str]) -> list[str]:
    if isinstance(annotators, str):
        annotators = [annotators]
    chosen = list(dict.fromkeys(a.strip() for a in annotators if a and a.strip()))
    if len(chosen) < 2:
        raise AnnotatorError(f"comparing needs at least two reviewers, not {len(chosen)}")
    return chosen


def compare_document(project: Project, document_id: str, annotators: Sequence[str]) -> list[Difference]:
    """Every reviewer-layer span of ``annotators`` on the document, explained by one Difference each.

    Ordered by start, then end, then kind (in ``KINDS`` order). See the module docstring for the rules.
    """
    chosen = _check_reviewers(annotators)
    project.document(document_id)  # raises NotFoundError
    rank = {name: i for i, name in enumerate(chosen)}
    spans = [ReviewerSpan(a.id, a.annotator, a.start, a.end, a.label)
             for a in project.annotations(document_id, layer="reviewer") if a.annotator in rank]
    gold: dict[tuple[int, int, str], list[str]] = defaultdict(list)
    for a in project.annotations(document_id, layer="gold"):
        gold[(a.start, a.end, a.label)].append(a.id)

    found: list[Difference] = []
    left = {s.id: s for s in spans}

    def emit(kind: str, group: Iterable[ReviewerSpan]) -> None:
        group = sorted(group, key=lambda s: (rank[s.annotator], s.start, s.end, s.id))
        for s in group:
            left.pop(s.id, None)
        who = tuple(sorted({s.annotator for s in group}, key=rank.__getitem__))
        ids = tuple(dict.fromkeys(i for s in group for i in gold.get(s.key, ())))
        found.append(Difference(kind, who, tuple(group), ids))

    everyone = set(chosen)
    by_key: dict[tuple[int, int, str], list[ReviewerSpan]] = defaultdict(list)
    for s in spans:
        by_key[s.key].append(s)
    for group in by_key.values():
        if {s.annotator for s in group} == everyone:
            emit(AGREED, group)

    by_bounds: dict[tuple[int, int], list[ReviewerSpan]] = defaultdict(list)
    for s in left.values():
        by_bounds[(s.start, s.end)].append(s)
    for group in by_bounds.values():
        if len({s.annotator for s in group}) >= 2 and len({s.label for s in group}) >= 2:
            emit(LABEL_DIFFERS, group)

    by_label: dict[str, list[ReviewerSpan]] = defaultdict(list)
    for s in left.values():
        by_label[s.label].append(s)
    for same_label in by_label.values():
        for group in _components(same_label):
            if len({s.annotator for s in group}) >= 2 and len({(s.start, s.end) for s in group}) >= 2:
                emit(BOUNDARY_DIFFERS, group)

    for group in _components(list(left.values())):
        if len({s.annotator for s in group}) == 1:
            for s in group:
                emit(ONLY, [s])
        elif len({s.key for s in group}) == 1:
            emit(ONLY, group)
        else:
            emit(LABEL_AND_BOUNDARY_DIFFER, group)

    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(found, key=lambda d: (d.start, d.end, order[d.kind], d.spans[0].id))


# -- adjudication --------------------------------------------------------------------------------


def _gold_twin(project: Project, row: Row) -> str | None:
    return project.find_annotation(row["document_id"], row["start"], row["end"], row["label_id"], "gold")


def _gold_row(project: Project, source: Row, adjudicator: str) -> Row:
    attributes = json.loads(source["attributes"] or "{}")
    attributes[SOURCE_ATTRIBUTE] = source["id"]
    return project.annotation_row(
        source["document_id"], source["start"], source["end"], source["label_id"], annotator=adjudicator,
        attributes=attributes, note=source["note"], layer="gold", entity_id=source["entity_id"], propose=False)


def accept_into_gold(project: Project, annotation_id: str, adjudicator: str) -> Annotation | None:
    """Copy an annotation into the gold layer as ``adjudicator``; one undo step.

    Returns the new gold annotation, or ``None`` when a gold annotation with the same document,
    start, end and label already exists (nothing is written).
    """
    source = project.fetch_row("annotations", annotation_id, "annotation")
    if _gold_twin(project, source) is not None:
        return None
    row = _gold_row(project, source, adjudicator)
    project.register_annotator(row["annotator"])
    label = project.label(row["label_id"]).name
    project._commit(f"Accept {label} “{_short(row['quote'])}” into gold", [RowChange("annotations", None, row)])
    return project.annotation(row["id"])


def accept_all_agreed(project: Project, document_id: str, annotators: Sequence[str], adjudicator: str) -> int:
    """Accept every agreed span of the document not yet in gold; one undo step. Returns how many.

    The gold copy is made from the first listed reviewer's annotation (its attributes and note).
    """
    rows = []
    for difference in compare_document(project, document_id, annotators):
        if difference.kind != AGREED or difference.covered:
            continue
        source = project.fetch_row("annotations", difference.spans[0].id, "annotation")
        rows.append(RowChange("annotations", None, _gold_row(project, source, adjudicator)))
    if rows:
        project.register_annotator(adjudicator.strip())
        project._commit(f"Accept {len(rows)} agreed span{'s' if len(rows) != 1 else ''} into gold", rows)
    return len(rows)


def adjudication_progress(project: Project, document_id: str, annotators: Sequence[str]) -> tuple[int, int]:
    """``(resolved, total)``: Differences of the document, and how many a gold annotation covers."""
    differences = compare_document(project, document_id, annotators)
    return sum(1 for d in differences if d.covered), len(differences)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
