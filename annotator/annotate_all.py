"""Annotate all: tag every occurrence of a string with a label, in one document or all, after a
preview; one transaction and one undo step. Occurrences that already carry the label (from the
same reviewer, at exactly that span) are listed but skipped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.errors import AnnotatorError
from annotator.models import Annotation
from annotator.search import DocumentFilter, Hit, search

if TYPE_CHECKING:
    from annotator.project import Project


@dataclass(frozen=True)
class Occurrence(Hit):
    """A search hit that may already carry the label (from this reviewer): never tagged twice."""

    already: bool = False


def occurrences(project: Project, text: str, label: str, annotator: str, *, ignore_case: bool = False,
                whole_word: bool = False, document_id: str | None = None) -> list[Occurrence]:
    """Every occurrence of ``text`` (exact, or ignoring case; whole words if asked), in order."""
    if not text.strip():
        raise AnnotatorError("give the text to annotate: it is empty")
    label_obj = project.label(label)
    if label_obj.kind != "span":
        raise AnnotatorError(f"{label_obj.name} is a {label_obj.kind} label: only span labels tag text")
    if document_id is not None:
        document_id = project.resolve_document(document_id)
    hits = search(project, text, "exact", ignore_case=ignore_case, whole_word=whole_word,
                  filters=DocumentFilter(document_id=document_id), limit=10**9)
    tagged = {(a.document_id, a.start, a.end) for a in project.annotations(document_id, annotator=annotator.strip() or None,
                                                                            layer="reviewer", label=label_obj.id)}
    return [Occurrence(h.document_id, h.start, h.end, h.text, h.left, h.right, (h.document_id, h.start, h.end) in tagged)
            for h in hits]


def annotate_all(project: Project, chosen: Iterable[Occurrence], label: str, annotator: str) -> list[Annotation]:
    """Tag the chosen occurrences (those not ``already`` tagged) as one undo step; return the new annotations."""
    todo = [o for o in chosen if not o.already]
    if not todo:
        return []
    name = project.label(label).name
    quote = todo[0].text if len(todo[0].text) <= 30 else todo[0].text[:29] + "…"
    added: list[Annotation] = []
    with project.group(f"Annotate all “{quote}” as {name} ({len(todo)})"):
        for o in todo:
            added.append(project.add_annotation(o.document_id, o.start, o.end, label, annotator=annotator))
    return added
