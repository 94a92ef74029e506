"""Suggestions: spans the project proposes and a reviewer accepts or rejects. A suggestion is never
an annotation (not exported, not in agreement) until accepted; a rejection is remembered per
reviewer (an undo step, like every change). Everything runs offline on what the project already knows.

- figures: the figures parser over whole documents (digits, number words, qualifiers, ranges);
- claims: for a claim not yet joined by ``same-claim``, sentences of other documents that may
  state it (``annotator.claim_suggest``); accepting one tags the sentence as a claim and links it;
- actors: every occurrence of an entity's name or alias, and, when a spaCy pipeline is installed
  (the optional ``spacy`` extra plus a model), its PERSON / ORG / NORP / GPE entities.
"""

from __future__ import annotations

import re
import uuid
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Literal

from annotator import ner
from annotator.errors import AnnotatorError, NotFoundError
from annotator.figure_spans import find_figures
from annotator.history import Change, RowChange
from annotator.models import Annotation
from annotator.store import suggestions as rejection_rows
from annotator.store.schema import now

if TYPE_CHECKING:
    from annotator.project import Project

Kind = Literal["figures", "actors", "claims"]
KINDS: tuple[Kind, ...] = ("figures", "actors", "claims")
ROLES = {"figures": "figure", "actors": "actor", "claims": "claim"}
NER_TYPES = ner.TYPES


@dataclass(frozen=True)
class Suggestion:
    document_id: str
    start: int
    end: int
    label: str
    label_id: str
    text: str
    score: float
    value: float | None = None
    qualifier: str | None = None
    entity_id: str | None = None
    claim_id: str | None = None  # claims: the claim this sentence may restate, and how
    relation: str | None = None

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.document_id, self.start, self.end, self.label_id)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"document_id": self.document_id, "start": self.start, "end": self.end, "label": self.label,
                               "text": self.text, "score": self.score}
        if self.qualifier is not None:
            out["value"] = self.value
            out["qualifier"] = self.qualifier
        if self.claim_id is not None:
            out["claim_id"] = self.claim_id
            out["relation"] = self.relation
        return out


def _label(project: Project, role: str):
    labels = project.labels_with_role(role)
    if not labels:
        raise AnnotatorError(f"the project has no {role} label to suggest for (give a span label the role {role!r})")
    return labels[0]


def figure_suggestions(project: Project, text: str, document_id: str) -> list[Suggestion]:
    label = _label(project, "figure")
    out = []
    for found in find_figures(text):
        fig = found.figure
        score = 0.7 if fig.qualifier == "vague" else (1.0 if fig.unit else 0.85)
        out.append(Suggestion(document_id, found.start, found.end, label.name, label.id, text[found.start:found.end], score,
                              fig.lower if fig.is_range else fig.value, fig.qualifier))
    return out


def _names_pattern(project: Project) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, bool]]]:
    """One alternation of every entity name and alias, longest first; text -> (entity id, is the name)."""
    names: dict[str, tuple[str, bool]] = {}
    for entity in project.entities():
        for alias in entity.aliases:
            if alias.strip():
                names.setdefault(alias.strip(), (entity.id, False))
        names[entity.name.strip()] = (entity.id, True)
    names.pop("", None)
    if not names:
        return None, names
    # Longer names match whatever their case ("Al-Sharaa" opening a sentence); short ones, mostly
    # acronyms ("UN", "SDF"), only as written, so "un" or "sdf" in prose is not an actor.
    body = "|".join(f"(?i:{re.escape(n)})" if len(n) > 4 else re.escape(n) for n in sorted(names, key=len, reverse=True))
    # The first letters up front let the scan skip most positions of a long text at once.
    firsts = "".join(sorted({c for n in names for c in (n[0], n[0].lower(), n[0].upper())}))
    return re.compile(rf"(?=[{re.escape(firsts)}])(?<!\w)(?:{body})(?!\w)"), names


def actor_suggestions(project: Project, text: str, document_id: str,
                      names: tuple[re.Pattern[str] | None, dict[str, tuple[str, bool]]], nlp: Any = None) -> list[Suggestion]:
    """Registered names and aliases (score 1 / 0.9), then the pipeline's entities that overlap none (0.5)."""
    label = _label(project, "actor")
    pattern, table = names
    out: list[Suggestion] = []
    taken: list[tuple[int, int]] = []
    if pattern is not None:
        folded = {n.casefold(): v for n, v in table.items()}
        for m in pattern.finditer(text):
            entity_id, is_name = table.get(m.group()) or folded[m.group().casefold()]
            out.append(Suggestion(document_id, m.start(), m.end(), label.name, label.id, m.group(), 1.0 if is_name else 0.9,
                                  entity_id=entity_id))
            taken.append(m.span())
    if nlp is not None:
        registered = _Taken(taken)
        for start, end, _kind, found in ner.entities(nlp, text):
            if not registered.overlaps(start, end):
                out.append(Suggestion(document_id, start, end, label.name, label.id, found, 0.5))
    return sorted(out, key=lambda s: (s.start, s.end))


class _Taken:
    """Spans already tagged, asked "does anything overlap [start, end)?" in log time (a long document
    has thousands of both suggestions and annotations)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(accumulate((b for _, b in spans), max))  # furthest end among spans starting up to here

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # spans[:i] start before end
        return i > 0 and self.reach[i - 1] > start


def suggest(project: Project, kind: Kind = "figures", *, document_id: str | None = None,
            annotator: str | None = None, ner_model: str | None = None) -> list[Suggestion]:
    """Suggestions in document and text order, leaving out spans that already carry the label
    (overlapping an annotation of it, by ``annotator`` if given) and those ``annotator`` rejected.

    Actors also come from the spaCy pipeline ``ner_model`` (a package name or a saved folder;
    ``NerModelMissing`` when it cannot be loaded), or the first installed one when None."""
    if kind not in KINDS:
        raise AnnotatorError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    ids = [project.resolve_document(document_id)] if document_id else [d.id for d in project.documents(with_text=False)]
    label = _label(project, ROLES[kind])
    rejected = rejection_rows.rejected(project.db, annotator) if annotator else set()
    if kind == "claims":
        return [s for s in claim_suggestions(project, label, ids) if s.key not in rejected]
    names = _names_pattern(project) if kind == "actors" else (None, {})
    nlp = ner.pipeline(ner_model) if kind == "actors" else None
    out: list[Suggestion] = []
    for doc_id in ids:
        text = project.document_text(doc_id)
        found = figure_suggestions(project, text, doc_id) if kind == "figures" else actor_suggestions(project, text, doc_id, names, nlp)
        taken = _Taken((a.start, a.end) for a in project.annotations(doc_id, annotator=annotator, label=label.id))
        out.extend(s for s in found if (not rejected or s.key not in rejected) and not taken.overlaps(s.start, s.end))
    return out


def claim_suggestions(project: Project, label: Any, document_ids: list[str]) -> list[Suggestion]:
    """Claims of these documents without a same-claim relation, each with its best candidates elsewhere."""
    from annotator.claim_suggest import candidates

    relations = project.relations()
    joined = {end for r in relations if r.label == "same-claim" for end in (r.source_id, r.target_id)}
    claims = [a for doc_id in document_ids for a in project.annotations(doc_id, label=label.id) if a.id not in joined]
    if not claims:
        return []
    spans = {a.id: (a.document_id, a.start, a.end) for a in project.annotations(label=label.id)}
    linked: dict[str, set[tuple[str, int, int]]] = {}
    for r in relations:
        for mine, other in ((r.source_id, r.target_id), (r.target_id, r.source_id)):
            if other in spans:
                linked.setdefault(mine, set()).add(spans[other])
    return [Suggestion(c.document_id, c.start, c.end, label.name, label.id, c.text, c.score, claim_id=c.claim_id, relation=c.relation)
            for c in candidates(project, [a.id for a in claims], _names_pattern(project), linked)]


def accept(project: Project, chosen: Iterable[Suggestion], annotator: str) -> list[Annotation]:
    """Make suggestions annotations of ``annotator`` as one undo step (figures get their parsed attributes).
    A claim suggestion tags its sentence as a claim unless one is there already, and links the two."""
    chosen = list(chosen)
    if not chosen:
        return []
    added: list[Annotation] = []
    with project.group(f"Accept {len(chosen)} suggestion(s)"):
        for s in chosen:
            if s.claim_id is None:
                added.append(project.add_annotation(s.document_id, s.start, s.end, s.label_id, annotator=annotator, entity_id=s.entity_id))
                continue
            same_start = project.annotations(s.document_id, label=s.label_id, starting_from=s.start, starting_before=s.start + 1)
            there = next((a for a in same_start if a.end == s.end), None)
            if there is None:
                there = project.add_annotation(s.document_id, s.start, s.end, s.label_id, annotator=annotator)
                added.append(there)
            project.add_relation(s.claim_id, there.id, s.relation or "same-claim", annotator=annotator)
    return added


def reject(project: Project, suggestion: Suggestion, annotator: str) -> Change:
    """Remember that ``annotator`` does not want this suggestion (kept across sessions), as one undo
    step: undo offers it again, redo rejects it again. Returns the change set (also
    ``project.last_change``); rejecting what this reviewer already rejected changes nothing and
    returns an empty one."""
    name = annotator.strip() if isinstance(annotator, str) else ""
    if not name:
        raise AnnotatorError("a rejection needs the reviewer's name")
    if not project.has_row("documents", suggestion.document_id):
        raise NotFoundError(f"no document with id {suggestion.document_id!r}")
    description = f"Reject suggestion {suggestion.text[:40]!r}"
    if rejection_rows.rejection(project.db, suggestion.key, name) is not None:
        return Change(description, ())
    document_id, start, end, label_id = suggestion.key
    row = {"id": str(uuid.uuid4()), "document_id": document_id, "start": start, "end": end, "label_id": label_id,
           "annotator": name, "rejected_at": now()}
    return project._commit(description, [RowChange("suggestion_rejections", None, row)])


def reject_all(project: Project, chosen: Iterable[Suggestion], annotator: str) -> Change:
    """Reject several suggestions for ``annotator`` as one undo step (``annotator suggest --reject``);
    those already rejected are skipped. Returns the change set (empty when nothing was new)."""
    chosen = list(chosen)
    description = f"Reject {len(chosen)} suggestion(s)"
    rows: list[RowChange] = []
    with project.group(description):
        for s in chosen:
            rows.extend(reject(project, s, annotator).rows)
    return Change(description, tuple(rows))
