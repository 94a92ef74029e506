"""Who a figure or claim is attributed to: the source proposed from its sentence, and accepting it.

Attribution is an ``attributed-to`` relation from the figure or claim to an Actor annotation
linked to an entity (``annotator.crosssource`` reads it). A proposal names an entity of the
registry whose name or alias appears next to a source cue:

    cue before the name   "according to X", "citing X", "reported by X", "figures from X",
                          "data from X", "reports from X", "documented by X", "per X"
    cue after the name    "X reported", "X said", "X noted", "X told", "X documented",
                          "X stated", "X estimated", "X recorded", "X's figures" (data, count, toll)

Between the cue and the name at most a few words may stand ("according to the UK-based X",
"X, the monitor, said"), never the end of a clause (. ; ! ?). Names of four characters or fewer
("SOHR") match with their case; longer names ignore case. The sentence holding the annotation is
searched first; news leads often give the toll first and the source later, so without a cue
there the rest of its paragraph is searched, then the next paragraph. When several names carry a
cue, the one nearest the annotation wins. ``scope`` says where the proposal came from.

Accepting a proposal reuses an Actor annotation on that mention when there is one, otherwise
adds one linked to the entity, then adds the relation; all proposals accepted together are one
undo step.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from annotator.errors import AnnotatorError
from annotator.models import Annotation, Entity, Relation
from annotator.project import Project
from annotator.text import sentences

__all__ = ["ATTRIBUTED_TO", "SourceProposal", "accept_sources", "propose_source", "propose_sources", "source_roles"]

ATTRIBUTED_TO = "attributed-to"
SOURCE_ROLES = ("figure", "claim")
_GAP = r"[^.;!?\n]{0,45}?"
_BEFORE = re.compile(
    r"\b(?:according\s+to|citing|cited\s+by|reported\s+by|documented\s+by|compiled\s+by|counted\s+by|"
    r"figures\s+from|data\s+from|reports?\s+from|a\s+report\s+by|statistics\s+from|per)\s+" + _GAP + r"$",
    re.IGNORECASE)
_AFTER = re.compile(
    r"^(?:['’]s\s+(?:latest\s+|own\s+)?(?:figures?|data|count|tally|toll|estimates?|report|numbers?)\b"
    r"|" + _GAP + r"\b(?:reported|reports|said|says|noted|notes|told|tells|documented|documents|stated|states|"
    r"estimated|estimates|recorded|records|counted|confirmed|announced|put\s+the)\b)",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SourceProposal:
    """The entity proposed as the source of one figure or claim, and the words that gave it away."""

    annotation_id: str
    document_id: str
    quote: str
    entity_id: str
    entity_name: str
    evidence: str
    mention_start: int
    mention_end: int
    scope: str  # "sentence", "paragraph" or "next paragraph"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_roles() -> tuple[str, ...]:
    """Label roles whose annotations are attributed to a source."""
    return SOURCE_ROLES


class _Names:
    """Every entity name and alias as one pattern, and who each spelling belongs to."""

    def __init__(self, entities: list[Entity]) -> None:
        self.owner: dict[str, Entity] = {}
        exact: list[str] = []
        folded: list[str] = []
        for entity in entities:
            for name in (entity.name, *entity.aliases):
                name = " ".join(name.split())
                if not name:
                    continue
                key = name if len(name) <= 4 else name.casefold()
                self.owner.setdefault(key, entity)
                (exact if len(name) <= 4 else folded).append(name)

        def alternation(names: list[str]) -> str:
            return "|".join(r"\s+".join(map(re.escape, n.split())) for n in sorted(set(names), key=len, reverse=True))

        parts = []
        if folded:
            parts.append(f"(?i:{alternation(folded)})")
        if exact:
            parts.append(alternation(exact))
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)") if parts else None

    def entity(self, spelling: str) -> Entity | None:
        spelling = " ".join(spelling.split())
        return self.owner.get(spelling) or self.owner.get(spelling.casefold())


def _cued(text: str, start: int, end: int, names: _Names) -> list[tuple[int, int, Entity, str]]:
    """Mentions with a source cue in ``text[start:end]``: (mention start, end, entity, evidence words)."""
    if names.pattern is None:
        return []
    found = []
    for m in names.pattern.finditer(text, start, end):
        entity = names.entity(m.group())
        if entity is None:
            continue
        before = _BEFORE.search(text, start, m.start())
        after = _AFTER.match(text[m.end():end])
        if before is not None:
            evidence = text[before.start():m.end()]
        elif after is not None:
            evidence = text[m.start():m.end() + after.end()]
        else:
            continue
        found.append((m.start(), m.end(), entity, " ".join(evidence.split())))
    return found


def _paragraph(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def propose_source(project: Project, annotation: Annotation, text: str | None = None,
                   names: _Names | None = None) -> SourceProposal | None:
    """The source proposed for one annotation (whether or not it already has one), or None."""
    text = project.document_text(annotation.document_id) if text is None else text
    names = _Names(project.entities()) if names is None else names
    a, b = annotation.start, annotation.end
    own = [(s, t) for s, t in sentences(text) if s < b and a < t] or [(a, b)]
    p_start, p_end = _paragraph(text, a)
    searches = [("sentence", own[0][0], own[-1][1]), ("paragraph", p_start, p_end)]
    if p_end < len(text):
        searches.append(("next paragraph", *_paragraph(text, p_end + 1)))
    for scope, start, end in searches:
        cued = _cued(text, start, end, names)
        if cued:
            m_start, m_end, entity, evidence = min(cued, key=lambda c: (min(abs(c[0] - b), abs(c[1] - a)), c[0]))
            return SourceProposal(annotation.id, annotation.document_id, annotation.quote, entity.id, entity.name,
                                  evidence, m_start, m_end, scope)
    return None


def _attributed(project: Project) -> set[str]:
    relations = [r for r in project.relations() if r.label == ATTRIBUTED_TO]
    return {r.source_id for r in relations} | {r.target_id for r in relations}


def propose_sources(project: Project, annotator: str | None = None) -> list[SourceProposal]:
    """A proposal for each figure and claim (of ``annotator``, or everyone's) not yet attributed, in document order.

    An annotation is attributed when an ``attributed-to`` relation touches it either way."""
    roles = {label.id for label in project.labels() if label.role in SOURCE_ROLES}
    done = _attributed(project)
    names = _Names(project.entities())
    proposals = []
    for document in project.documents(with_text=False):
        annotations = [a for a in project.annotations(document.id)
                       if a.label_id in roles and a.id not in done and (annotator is None or a.annotator == annotator)]
        if not annotations:
            continue
        text = project.document_text(document.id)
        for annotation in sorted(annotations, key=lambda x: (x.start, x.end, x.id)):
            proposal = propose_source(project, annotation, text, names)
            if proposal is not None:
                proposals.append(proposal)
    return proposals


def _actor_label(project: Project) -> str:
    label = next((lab for lab in project.labels() if lab.role == "actor"), None)
    if label is None:
        raise AnnotatorError("the project has no actor label to mark a source with")
    return label.id


def accept_sources(project: Project, proposals: list[SourceProposal], annotator: str | None = None) -> list[Relation]:
    """Attribute each proposal's annotation to its entity, all in one undo step; return the relations added.

    What is added is recorded under ``annotator``, or (None) under the reviewer of the annotation attributed.

    The Actor annotation on the mention is reused when there is one (linked to the entity if it was
    not), else added; an annotation attributed meanwhile is left alone."""
    if not proposals:
        return []
    actor_label = _actor_label(project)
    done = _attributed(project)
    added: list[Relation] = []
    with project.group(f"Attribute {len(proposals)} annotation{'s' if len(proposals) != 1 else ''} to their sources"):
        for proposal in proposals:
            if proposal.annotation_id in done:
                continue
            reviewer = annotator or project.annotation(proposal.annotation_id).annotator
            actor = next((a for a in project.annotations(proposal.document_id)
                          if a.label_id == actor_label and (a.start, a.end) == (proposal.mention_start, proposal.mention_end)),
                         None)
            if actor is None:
                actor = project.add_annotation(proposal.document_id, proposal.mention_start, proposal.mention_end,
                                               actor_label, annotator=reviewer, entity_id=proposal.entity_id,
                                               propose=False)
            elif actor.entity_id is None:
                project.link_entity(actor.id, proposal.entity_id)
            added.append(project.add_relation(proposal.annotation_id, actor.id, ATTRIBUTED_TO, annotator=reviewer))
            done.add(proposal.annotation_id)
    return added
