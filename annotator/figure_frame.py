"""A figure's frame: who it counts (victims), the period it covers and its source, proposed from
its sentence and accepted in one step (the inspector's key, or ``accept_frame`` from a script).

The proposal fills only what is missing: an attribute the reviewer set (even to another value)
is kept, and a figure already attributed gets no source proposal. Stored as the figure label's
attributes ``victims``, ``period`` (the words), ``period-start`` and ``period-end`` (ISO dates);
the source as an ``attributed-to`` relation (see ``annotator.attribution``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.attribution import SourceProposal, accept_sources, propose_source
from annotator.figures import parse_figure
from annotator.periods import parse_period
from annotator.project import Project
from annotator.text import sentences
from annotator.victims import VICTIMS_ATTRIBUTE, propose_victims, victim_categories

__all__ = ["FRAME_ATTRIBUTES", "FrameProposal", "accept_frame", "propose_frame"]

FRAME_ATTRIBUTES = (VICTIMS_ATTRIBUTE, "period", "period-start", "period-end")


@dataclass(frozen=True)
class FrameProposal:
    """Attribute values to add (only those not set yet) and the source to attribute to, if any."""

    annotation_id: str
    attributes: dict[str, Any] = field(default_factory=dict)
    source: SourceProposal | None = None

    def __bool__(self) -> bool:
        return bool(self.attributes) or self.source is not None

    def to_dict(self) -> dict[str, Any]:
        return {"annotation_id": self.annotation_id, "attributes": dict(self.attributes),
                "source": self.source.to_dict() if self.source else None}


def propose_frame(project: Project, annotation_id: str) -> FrameProposal:
    """What the figure's sentence says about its victims, period and source, for what is not set yet."""
    annotation = project.annotation(annotation_id)
    document = project.document(annotation.document_id)
    text = document.text
    a, b = annotation.start, annotation.end
    own = [(s, t) for s, t in sentences(text) if s < b and a < t] or [(a, b)]
    s_start, s_end = own[0][0], own[-1][1]
    attributes: dict[str, Any] = {}
    have = annotation.attributes
    if project.role_of(annotation.label_id) == "figure":
        if have.get(VICTIMS_ATTRIBUTE) in (None, ""):
            figure = parse_figure(annotation.quote)
            victims = propose_victims(annotation.quote, text[b:s_end], victim_categories(project),
                                      counts_people=figure is not None and figure.unit != "%")
            if victims is not None:
                attributes[VICTIMS_ATTRIBUTE] = victims
        if all(have.get(name) in (None, "") for name in ("period", "period-start", "period-end")):
            sentence = text[s_start:s_end]
            masked = sentence[: a - s_start] + " " * (b - a) + sentence[b - s_start:]  # the figure is no date
            period = parse_period(masked, document.published, near=a - s_start)
            if period is not None:
                attributes.update({"period": period.text, "period-start": period.start, "period-end": period.end})
    attributed = any(r.label == "attributed-to" for r in project.relations(annotation_id=annotation.id))
    source = None if attributed else propose_source(project, annotation, text)
    return FrameProposal(annotation.id, attributes, source)


def accept_frame(project: Project, annotation_id: str, annotator: str, proposal: FrameProposal | None = None) -> FrameProposal:
    """Store the proposal (``propose_frame``'s unless given) as one undo step; return what was applied."""
    proposal = propose_frame(project, annotation_id) if proposal is None else proposal
    if not proposal:
        return proposal
    with project.group("Accept the figure's victims, period and source"):
        if proposal.attributes:
            annotation = project.annotation(annotation_id)
            project.update_annotation(annotation_id, attributes={**annotation.attributes, **proposal.attributes})
        if proposal.source is not None:
            accept_sources(project, [proposal.source], annotator)
    return proposal
