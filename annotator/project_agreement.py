"""Inter-annotator agreement over a project's reviewer layer.

``project_agreement`` feeds ``annotator.agreement.agreement_report`` from the project file;
``documents_by_agreement`` ranks documents, lowest agreement first, for adjudication.

Who *took part* in a document: a reviewer who has at least one annotation (of any label) in
the reviewer layer of that document. The agreement report counts a reviewer's empty span list
as "annotated, found nothing", so a reviewer who never opened a document must not appear there;
the project does not record "looked and found nothing", and one annotation is the evidence.
Documents in which none of the selected reviewers took part are left out. The gold layer is
never part of agreement.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

from annotator.agreement import agreement_report, span_prf
from annotator.errors import AnnotatorError
from annotator.store import reads

if TYPE_CHECKING:
    from annotator.project import Project

Span = tuple[int, int, str]


def reviewers(project: Project, document_id: str | None = None) -> list[str]:
    """Reviewers with at least one reviewer-layer annotation (in one document, or anywhere), sorted."""
    return project.annotators(layer="reviewer", document_id=document_id)


def _check_annotators(project: Project, annotators: Iterable[str] | None) -> list[str]:
    known = reviewers(project)
    if annotators is None:
        chosen = known
    else:
        chosen = list(dict.fromkeys(a.strip() for a in annotators if a and a.strip()))
        unknown = [a for a in chosen if a not in known]
        if unknown:
            raise AnnotatorError(f"no reviewer-layer annotations by {', '.join(map(repr, unknown))} "
                                 f"(reviewers: {', '.join(known) or 'none'})")
    if len(chosen) < 2:
        raise AnnotatorError(f"agreement needs at least two reviewers, not {len(chosen)} "
                             f"(reviewers with annotations: {', '.join(known) or 'none'})")
    return chosen


def _labels(project: Project, label: str | Sequence[str] | None) -> list[str] | None:
    if label is None:
        return None
    names = [label] if isinstance(label, str) else list(label)
    return [project.label(name).name for name in names]  # raises UnknownLabelError


def _spans(project: Project, annotators: list[str]) -> dict[str, dict[str, list[Span]]]:
    """document id -> reviewer -> spans, for the reviewers who took part, in text order."""
    rows = reads.reviewer_spans(project.db, annotators)
    found: dict[str, dict[str, list[Span]]] = {}
    for document_id, annotator, start, end, name in rows:
        found.setdefault(document_id, {}).setdefault(annotator, []).append((start, end, name))
    return found


def agreement_docs(
    project: Project, annotators: list[str], document_ids: Iterable[str] | None = None
) -> list[tuple[str, str, dict[str, list[Span]]]]:
    """``(document_id, text, {reviewer: spans})`` in document list order, as ``agreement_report`` takes them."""
    spans = _spans(project, annotators)
    wanted = None
    if document_ids is not None:
        wanted = set()
        for document_id in document_ids:
            wanted.add(project.document(document_id).id)  # raises NotFoundError
    docs = []
    for document in project.documents(with_text=True):  # every text in one query, not one per document
        if document.id not in spans or (wanted is not None and document.id not in wanted):
            continue
        by_reviewer = spans[document.id]
        docs.append((document.id, document.text, {a: by_reviewer[a] for a in annotators if a in by_reviewer}))
    return docs


def project_agreement(
    project: Project,
    annotators: Iterable[str] | None = None,
    label: str | Sequence[str] | None = None,
    document_ids: Iterable[str] | None = None,
    *,
    per_document: bool = False,
) -> dict[str, Any]:
    """``agreement_report`` over the project's reviewer layer (see docs/agreement.md).

    ``annotators``: reviewers to compare (default: everyone with reviewer-layer annotations; at
    least two). ``label``: one label name (or several) to restrict the report to. ``document_ids``:
    only these documents. ``doc_id`` in the report is the document id. The per-document blocks
    (``documents``) are made only with ``per_document=True`` (otherwise the list is empty): they
    cost more than the corpus block (with 50 reviewers, 1,225 pairs per document and label).
    """
    chosen = _check_annotators(project, annotators)
    labels = _labels(project, label)
    return agreement_report(agreement_docs(project, chosen, document_ids), chosen, labels, per_document=per_document)


def documents_by_agreement(
    project: Project, annotators: Iterable[str] | None = None, label: str | None = None
) -> list[tuple[str, str, float | None]]:
    """``(document_id, title, score)``, lowest agreement first.

    The score is the **mean pairwise overlap F1** (``span_prf(..., mode="overlap")``: same label,
    at least one shared character, one-to-one matching) over the pairs of selected reviewers who
    both took part in the document. Documents fewer than two of them took part in are left out.
    A pair whose F1 is undefined (with ``label``: neither used it) does not count; a document
    with no defined pair scores ``None`` and sorts last. Ties keep document list order.
    """
    chosen = _check_annotators(project, annotators)
    names = _labels(project, label)
    wanted = names[0] if names else None
    spans = _spans(project, chosen)
    ranked: list[tuple[str, str, float | None]] = []
    for document in project.documents(with_text=False):
        by_reviewer = spans.get(document.id, {})
        scores = []
        pairs = [(a, b) for a, b in combinations(chosen, 2) if a in by_reviewer and b in by_reviewer]
        if not pairs:
            continue
        for a, b in pairs:
            f1 = span_prf(by_reviewer[a], by_reviewer[b], "overlap", wanted).f1
            if not math.isnan(f1):
                scores.append(f1)
        ranked.append((document.id, document.title, sum(scores) / len(scores) if scores else None))
    return sorted(ranked, key=lambda item: (item[2] is None, item[2] or 0.0))
