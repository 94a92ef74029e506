"""Revisions: a news article updated after import (a death toll revised, paragraphs added) is a new version.

The new version is a new document linked to the one it revises (``document_versions``). Its
annotations are copies of the previous version's, re-anchored by their quote, prefix and suffix
the W3C TextQuoteSelector way: the exact quote first (the occurrence whose surrounding text best
fits prefix and suffix, then the one nearest its old place), then a fuzzy match (rapidfuzz's
``partial_ratio_alignment``) for quotes long enough to tell, never one whose digits changed (a
revised figure must be looked at). Those that cannot be placed stay on the old version, as every
original does, and are listed in ``unplaced_annotations`` for review. The whole import is one
transaction and one undo step.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from annotator.documents import DOCUMENT_COLUMNS, document_row
from annotator.errors import AnnotatorError, DuplicateDocumentError
from annotator.history import RowChange
from annotator.models import Annotation, Document
from annotator.store import annotations as annotation_rows
from annotator.store import new_id
from annotator.store import relations as relation_rows
from annotator.store import revisions as revision_rows
from annotator.store.schema import now
from annotator.text import context, normalize_newlines, sha256

if TYPE_CHECKING:
    from annotator.crosssource import FigureRow
    from annotator.project import Project

FUZZY_MIN_LENGTH = 12  # shorter quotes ("12", "Reuters") are placed exactly or not at all
FUZZY_MIN_SCORE = 90.0
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Placement:
    start: int
    end: int
    how: str  # "exact" or "fuzzy"


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def reanchor(text: str, quote: str, prefix: str = "", suffix: str = "", hint: int = 0) -> Placement | None:
    """Where the span quoted ``quote`` (between ``prefix`` and ``suffix``, once near ``hint``) is in ``text``."""
    if not quote:
        return None
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    if found:
        def fit(s: int) -> tuple[int, int]:
            around = _common_suffix(text[max(0, s - len(prefix)):s], prefix) + _common_prefix(
                text[s + len(quote):s + len(quote) + len(suffix)], suffix)
            return around, -abs(s - hint)
        best = max(found, key=fit)
        return Placement(best, best + len(quote), "exact")
    if len(quote.strip()) < FUZZY_MIN_LENGTH:
        return None
    aligned = fuzz.partial_ratio_alignment(quote, text, score_cutoff=FUZZY_MIN_SCORE)
    if aligned is None:
        return None
    start, end = aligned.dest_start, aligned.dest_end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start or _DIGITS.findall(quote) != _DIGITS.findall(text[start:end]):
        return None
    return Placement(start, end, "fuzzy")


@dataclass
class RevisionReport:
    """What importing a revision did: the new version, the annotations carried over and those left for review."""

    document: Document
    previous_id: str
    placed: list[tuple[str, str, str]] = field(default_factory=list)  # (old id, new id, "exact" | "fuzzy")
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (old id, reason)
    relations: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"document_id": self.document.id, "previous_id": self.previous_id,
                "placed": [{"annotation_id": o, "new_annotation_id": n, "how": h} for o, n, h in self.placed],
                "unplaced": [{"annotation_id": o, "reason": r} for o, r in self.unplaced],
                "relations": self.relations}


def _carry_over(project: Project, previous_id: str, version_id: str, text: str) -> RevisionReport:
    """Link ``version_id`` to ``previous_id`` and copy the previous version's annotations (and the relations
    between them) onto it; list the ones that cannot be placed. Call inside ``project.group``."""
    old_text = project.document_text(previous_id)
    rows: list[RowChange] = [RowChange("document_versions", None,
                                       {"id": version_id, "previous_id": previous_id, "created_at": now()})]
    report = RevisionReport(Document.from_row(project.fetch_row("documents", version_id, "document")), previous_id)
    new_ids: dict[str, str] = {}
    scale = len(text) / max(1, len(old_text))
    for old in annotation_rows.of_document(project.db, previous_id):
        placed = reanchor(text, old["quote"], old["prefix"], old["suffix"], int(old["start"] * scale))
        if placed is None:
            reason = "the quoted text is not in the new version" if old["quote"] not in text else "cannot be placed"
            report.unplaced.append((old["id"], reason))
            rows.append(RowChange("unplaced_annotations", None, {
                "id": new_id(), "version_id": version_id, "annotation_id": old["id"], "reason": reason}))
            continue
        quote, prefix, suffix = context(text, placed.start, placed.end)
        row = {**old, "id": new_id(), "document_id": version_id, "start": placed.start, "end": placed.end,
               "quote": quote, "prefix": prefix, "suffix": suffix, "updated_at": now()}
        new_ids[old["id"]] = row["id"]
        report.placed.append((old["id"], row["id"], placed.how))
        rows.append(RowChange("annotations", None, row))
    for relation in relation_rows.touching(project.db, list(new_ids)):
        if relation["source_id"] in new_ids and relation["target_id"] in new_ids:
            rows.append(RowChange("relations", None, {**relation, "id": new_id(), "source_id": new_ids[relation["source_id"]],
                                                      "target_id": new_ids[relation["target_id"]]}))
            report.relations += 1
    # inserts are batched per table and column set: annotations first, then what refers to them
    order = {"document_versions": 0, "annotations": 1, "relations": 2, "unplaced_annotations": 3}
    project._commit("Carry annotations to the new version", sorted(rows, key=lambda r: order[r.table]))
    return report


def import_revision(project: Project, previous_id: str, text: str, **metadata: Any) -> RevisionReport:
    """Add ``text`` as a new version of document ``previous_id`` (its metadata unless given), carrying the
    annotations over: one transaction, one undo step."""
    previous = project.document(previous_id)
    text = normalize_newlines(text)
    if not text.strip():
        raise AnnotatorError("a document needs some text")
    if sha256(text) == previous.sha256:
        raise AnnotatorError(f"the text is the same as document {previous_id}: not a revision")
    if existing := project.document_id_for_hash(sha256(text)):
        raise DuplicateDocumentError(f"the same text is already in the project as document {existing}", existing)
    inherited = {c: getattr(previous, c) for c in DOCUMENT_COLUMNS if c not in ("status", "source_path", "source_format")}
    row = document_row(text, {**{k: v for k, v in inherited.items() if v}, **metadata}, project.next_position())
    if "title" not in metadata and previous.title:
        row["title"] = previous.title
    with project.group(f"Import “{row['title']}” as a new version"):
        project._commit("Add the new version", [RowChange("documents", None, row)])
        return _carry_over(project, previous_id, row["id"], row["text"])


def versions(project: Project, document_id: str) -> list[str]:
    """Every version of the article ``document_id`` belongs to, oldest first."""
    links = revision_rows.links(project.db)
    first = document_id
    while first in links:
        first = links[first]
    chain, seen = [first], {first}
    following = {previous: version for version, previous in links.items()}
    while chain[-1] in following and following[chain[-1]] not in seen:
        chain.append(following[chain[-1]])
        seen.add(chain[-1])
    return chain


def previous_version(project: Project, document_id: str) -> str | None:
    return revision_rows.previous(project.db, document_id)


def unplaced(project: Project, version_id: str | None = None) -> list[tuple[str, Annotation, str]]:
    """(version id, the annotation left on the previous version, why) for review."""
    return [(version, project.annotation(annotation_id), reason)
            for _, version, annotation_id, reason in revision_rows.unplaced(project.db, version_id)]


@dataclass(frozen=True, slots=True)
class Hunk:
    """One difference between two versions: ``old[old_start:old_end]`` became ``new[new_start:new_end]``."""

    tag: str  # "replace", "delete", "insert"
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    old_text: str
    new_text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_PIECE = re.compile(r"\s*\S+")


def diff(old: str, new: str) -> list[Hunk]:
    """Word-level differences (difflib), as code-point ranges of both texts."""
    a = [(m.start(), m.end()) for m in _PIECE.finditer(old)]
    b = [(m.start(), m.end()) for m in _PIECE.finditer(new)]
    matcher = difflib.SequenceMatcher(None, [old[s:e] for s, e in a], [new[s:e] for s, e in b], autojunk=False)
    hunks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old_start = a[i1][0] if i1 < len(a) else len(old)
        old_end = a[i2 - 1][1] if i2 > i1 else old_start
        new_start = b[j1][0] if j1 < len(b) else len(new)
        new_end = b[j2 - 1][1] if j2 > j1 else new_start
        hunks.append(Hunk(tag, old_start, old_end, new_start, new_end, old[old_start:old_end], new[new_start:new_end]))
    return hunks


@dataclass(frozen=True, slots=True)
class FigureChange:
    """A figure in two versions: ``change`` is "same", "changed", "removed" or "added"."""

    change: str
    old: FigureRow | None
    new: FigureRow | None

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.change, "old": self.old.to_dict() if self.old else None,
                "new": self.new.to_dict() if self.new else None}


def _figure_key(row: FigureRow) -> tuple[Any, ...]:
    return (row.value, row.lower, row.upper, row.qualifier)


def figure_changes(project: Project, old_id: str, new_id: str) -> list[FigureChange]:
    """How each figure changed from version ``old_id`` to ``new_id``: paired by what is counted, in text order."""
    from annotator.crosssource import figure_rows

    def rows(document_id: str) -> list[FigureRow]:
        ids = [a.id for a in project.annotations(document_id=document_id)]
        return sorted(figure_rows(project, annotation_ids=ids), key=lambda r: (r.start, r.end))

    old_rows, new_rows = rows(old_id), rows(new_id)
    changes: list[FigureChange] = []
    remaining = list(new_rows)
    for old in old_rows:
        same_quote = next((n for n in remaining if n.quote == old.quote and n.counted == old.counted), None)
        match = same_quote or next((n for n in remaining if n.counted == old.counted), None)
        if match is None:
            changes.append(FigureChange("removed", old, None))
            continue
        remaining.remove(match)
        changes.append(FigureChange("same" if _figure_key(old) == _figure_key(match) else "changed", old, match))
    changes += [FigureChange("added", None, n) for n in remaining]
    return changes


def revision_target(project: Project, title: str | None, outlet: str | None, url: str | None) -> str | None:
    """The document an imported article revises: same URL, or same title and outlet (its newest version)."""
    return revision_rows.latest_matching(project.db, url, title, outlet)
