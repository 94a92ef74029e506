"""Importing labelled datasets (``import --format``): what readers produce, and one validating writer.

Readers (``dataset``, ``doccano``, ``brat``, ``w3c``) turn files into a ``PendingSet``: documents
with their spans, relations between spans, and the label and entity definitions a file carries.
``apply`` checks all of it against the project first (labels, offsets, quotes, references) and
raises one ``ImportFileError`` naming file and line; only then does it write, in one transaction
and one undo step. So a bad file leaves the project as it was.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.backups import before_import
from annotator.defaults import RELATION_TYPES
from annotator.documents import DOCUMENT_COLUMNS, document_row
from annotator.errors import AnnotatorError, ImportFileError
from annotator.history import Row, RowChange
from annotator.importers.base import ImportedDocument
from annotator.importers.guard import check_json
from annotator.models import Document, Label
from annotator.project import ImportReport
from annotator.revisions import RevisionReport, revision_target
from annotator.revisions import _carry_over as carry_over
from annotator.store import new_id
from annotator.store.schema import now
from annotator.text import newline_offset_map, normalize_newlines, sha256
from annotator.validation import annotation_problems, document_problems, entity_problems, relation_problems, span_problem

if TYPE_CHECKING:
    from annotator.project import Project


@dataclass
class PendingAnnotation:
    """A span as a file gives it: offsets are code points into the document's text *as given*."""

    key: str  # how relations in the files refer to it; unique over one import
    start: int
    end: int
    label: str
    line: int | None = None
    id: str | None = None  # keep this id (lossless formats); None: a new one
    annotator: str | None = None
    layer: str = "reviewer"
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    entity_id: str | None = None
    quote: str | None = None  # when given, must be the text at the offsets
    created_at: str | None = None
    updated_at: str | None = None
    coerce: bool = False  # attribute values are strings to be typed by the label's schema (brat)
    anchor: tuple[str, str] | None = None  # (prefix, suffix): no offsets, find ``quote`` in the text (W3C)


@dataclass
class PendingRelation:
    source: str  # PendingAnnotation.key, or the id of an annotation already in the project
    target: str
    label: str
    path: Path
    line: int | None = None
    id: str | None = None
    annotator: str | None = None
    layer: str = "reviewer"
    note: str | None = None
    created_at: str | None = None


@dataclass
class PendingDocument:
    """A document with its spans. ``text=None`` attaches the spans to a document already in the project."""

    path: Path | str
    line: int | None
    text: str | None
    metadata: dict[str, Any] = field(default_factory=dict)
    id: str | None = None  # lossless: keep it; w3c: find the document by it
    sha256: str | None = None  # lossless: must match the text; w3c: find the document by it
    url: str | None = None  # w3c: a target's source URL, matched against the documents' url
    row: dict[str, Any] | None = None  # lossless: the document's exported fields, kept as they are
    annotations: list[PendingAnnotation] = field(default_factory=list)
    revision_of: str | None = None  # import as a new version of this document (``--as-revision-of``)


@dataclass
class PendingSet:
    documents: list[PendingDocument] = field(default_factory=list)
    relations: list[PendingRelation] = field(default_factory=list)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)  # definitions the files carry, by name
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)  # entity rows the files carry, by id
    warnings: list[str] = field(default_factory=list)  # guesses the readers made (a stray byte read as cp1252)

    def extend(self, other: PendingSet) -> None:
        self.documents += other.documents
        self.warnings += other.warnings
        self.relations += other.relations
        for name, definition in other.labels.items():
            self.labels.setdefault(name, definition)
        for id_, entity in other.entities.items():
            self.entities.setdefault(id_, entity)


@dataclass
class DatasetReport(ImportReport):
    """``ImportReport`` plus what only labelled datasets bring."""

    relations: int = 0
    entities: int = 0
    attached: int = 0  # annotations added to documents that were already in the project
    already_present: int = 0  # annotations and relations whose id the project already had
    revisions: list[RevisionReport] = field(default_factory=list)  # documents imported as new versions

    def extra(self) -> dict[str, Any]:
        return {"relations": self.relations, "entities": self.entities, "attached": self.attached,
                "already_present": self.already_present, "revisions": [r.to_dict() for r in self.revisions]}

    def summary(self, project: object) -> str:
        """One line for the CLI: what was added where."""
        parts = []
        if self.added:
            parts.append(f"{len(self.added)} document{'s' if len(self.added) != 1 else ''}")
        if self.annotations:
            attached = f" ({self.attached} on documents already there)" if self.attached else ""
            parts.append(f"{self.annotations} annotations{attached}")
        if self.relations:
            parts.append(f"{self.relations} relations")
        if self.entities:
            parts.append(f"{self.entities} entities")
        if not parts:
            return f"Nothing imported: {project} already holds everything given"
        if len(parts) == 2 and self.added and not self.attached:  # plain documents with their spans
            parts = [f"{parts[0]} with {parts[1]}"]
        skipped = f"; {self.already_present} already there" if self.already_present else ""
        return f"Imported {', '.join(parts)} into {project}{skipped}"


def pending_from(documents: Iterable[ImportedDocument]) -> PendingSet:
    """Plain readers' documents (and the spans a labelled .jsonl gives) as a ``PendingSet``: one checking path for all."""
    pending = PendingSet()
    for item in documents:
        document = PendingDocument(item.source, item.line, item.text, metadata=dict(item.metadata))
        document.annotations = [
            PendingAnnotation(new_id(), span.start, span.end, span.label, line=span.line or item.line,
                              annotator=span.annotator, attributes=dict(span.attributes or {}), note=span.note)
            for span in item.spans]
        pending.documents.append(document)
    return pending


def coerce_attributes(label: Label | None, attributes: dict[str, Any]) -> dict[str, Any]:
    """Type string values by the label's attribute definitions (number, boolean); JSON lists and objects parsed.

    For formats that can only hold text (brat); a name written with ``_`` for spaces gets its spaces back.
    """
    definitions = {d.get("name"): d for d in label.attributes} if label else {}
    result: dict[str, Any] = {}
    for name, value in attributes.items():
        if name not in definitions and name.replace("_", " ") in definitions:
            name = name.replace("_", " ")
        kind = definitions.get(name, {}).get("type")
        if isinstance(value, str):
            if kind == "number" and re.fullmatch(r"[-+]?\d+", value):
                value = int(value)
            elif kind == "number":
                try:
                    number = float(value)
                except ValueError:
                    number = math.nan
                value = number if math.isfinite(number) else value  # "nan", "inf": keep the text
            elif kind == "boolean" and value in ("true", "false"):
                value = value == "true"
            elif value[:1] in ("[", "{"):
                try:
                    parsed = json.loads(value)
                    check_json(Path("attribute"), parsed)
                    value = parsed
                except (ValueError, RecursionError, ImportFileError):
                    pass  # not JSON we can keep: the text stays
        result[name] = value
    return result


def anchor(text: str, exact: str, prefix: str, suffix: str) -> int | None:
    """Where ``exact`` is in ``text``: its one occurrence with that prefix and suffix, or its only occurrence."""
    found, start = [], text.find(exact) if exact else -1
    while start >= 0:
        found.append(start)
        start = text.find(exact, start + 1)
    fitting = [s for s in found if text[max(0, s - len(prefix)):s].endswith(prefix)
               and text[s + len(exact):s + len(exact) + len(suffix)] == suffix]
    if len(fitting) == 1:
        return fitting[0]
    return found[0] if len(found) == 1 else None


def _same_text(a: str, b: str) -> bool:
    """Equal, counting any whitespace character as equal to any other (formats rewrite line breaks)."""
    return len(a) == len(b) and re.sub(r"\s", " ", a) == re.sub(r"\s", " ", b)


@dataclass
class _Planned:
    pending: PendingDocument
    document_id: str
    row: Row | None  # None: the document is already in the project
    text: str
    spans: list[tuple[PendingAnnotation, int, int]]  # with offsets into the stored (normalised) text
    revises: str | None = None  # the document this one is a new version of


class _Plan:
    """Everything ``apply`` will write, worked out and checked first."""

    def __init__(self, project: Project, pending: PendingSet, annotator: str, create_labels: bool) -> None:
        self.project = project
        self.pending = pending
        self.annotator = annotator
        self.known = {label.name: label for label in project.labels(kind=None)}
        self.missing: dict[str, str] = {}  # label name -> kind
        self.documents: list[_Planned] = []
        self.keys: dict[str, str] = {}  # PendingAnnotation.key -> annotation id
        self.relations: list[Row] = []
        self.entities: list[Row] = []
        self.report = DatasetReport()
        self.create_labels = create_labels

    def label(self, name: str, kind: str, path: Path | str, line: int | None) -> str:
        if name in self.known or (kind == "relation" and name in RELATION_TYPES):
            return name
        spaced = name.replace("_", " ")
        if spaced in self.known:  # brat and CoNLL-style names cannot hold spaces
            return spaced
        if not name.strip():
            raise ImportFileError(path, "empty label", line)
        if not self.create_labels:
            known = ", ".join(sorted(self.known))
            raise ImportFileError(path, f"unknown label {name!r} (known: {known}; create missing labels with "
                                  "--create-labels)", line)
        self.missing.setdefault(name, kind)
        return name

    def check(self) -> None:
        by_hash = self.project.document_ids_by_hash()
        by_id = {id_: sha for sha, id_ in by_hash.items()}
        seen_ids: set[str] = set()
        for pending in self.pending.documents:
            self.documents.append(self._document(pending, by_id, by_hash, seen_ids))
        self._check_entities()
        self._check_relations()

    def _by_url(self, url: str | None) -> str | None:
        """The one document whose ``url`` is ``url`` (ignoring a trailing slash); None when none or several."""
        if not url:
            return None
        if not hasattr(self, "_urls"):
            urls: dict[str, list[str]] = {}
            for d in self.project.documents(with_text=False):
                if d.url:
                    urls.setdefault(d.url.strip().rstrip("/"), []).append(d.id)
            self._urls = urls
        found = self._urls.get(url.rstrip("/"), [])
        return found[0] if len(found) == 1 else None

    def _document(self, pending: PendingDocument, by_id: dict[str, str], by_hash: dict[str, str],
                  seen_ids: set[str]) -> _Planned:
        path, line = pending.path, pending.line
        row: Row | None
        revises = None
        if pending.text is None:
            found = ((pending.id if pending.id in by_id else None) or self._by_url(pending.url)
                     or by_hash.get(pending.sha256 or ""))
            if found is None:
                named = f"id {pending.id}" if pending.id else f"URL {pending.url}" if pending.url else "that id"
                raise ImportFileError(path, f"no document in the project with {named} or that text "
                                      "(sha256); import the documents first", line)
            raw = text = self.project.document_text(found)
            row, document_id = None, found
        else:
            raw = pending.text
            text = normalize_newlines(raw)
            if not text.strip():
                raise ImportFileError(path, "the document has no text", line)
            digest = sha256(text)
            if pending.sha256 and pending.sha256 != digest:
                raise ImportFileError(path, "the text does not match its sha256 (was it edited?)", line)
            if pending.id and pending.id in by_id and by_id[pending.id] != digest:
                raise ImportFileError(path, f"document id {pending.id} is already in the project with another text",
                                      line)
            found = by_hash.get(digest)
            if found:
                self.report.skipped.append((f"{path}, line {line}" if line else str(path), found))
                row, document_id = None, found
            else:
                row = self._document_row(pending, text)
                document_id = row["id"]
                by_hash[digest] = document_id  # a second copy in the same import is a duplicate too
                by_id[document_id] = digest
                revises = pending.revision_of or (None if pending.row is not None else revision_target(
                    self.project, row["title"], row["outlet"], row["url"]))
        existing = self._existing_spans(found)
        to_stored = newline_offset_map(raw)
        spans = []
        for a in pending.annotations:
            offsets = self._span(a, raw, text, to_stored, path, a.line or line)
            # Already there: the same id, or (formats without ids) the same span, label and reviewer.
            exists = a.id is not None and self.project.has_row("annotations", a.id)
            if a.id and a.id in seen_ids:
                raise ImportFileError(path, f"annotation id {a.id} appears twice", a.line or line)
            if a.id:
                seen_ids.add(a.id)
            same = existing.get((*offsets, a.label, a.annotator or self.annotator)) if a.id is None else None
            self.keys[a.key] = a.id if exists and a.id is not None else same or a.id or new_id()
            if exists or same:
                self.report.already_present += 1
                continue
            a.id = self.keys[a.key]
            existing[(*offsets, a.label, a.annotator or self.annotator)] = a.id
            spans.append((a, *offsets))
        return _Planned(pending, document_id, row, text, spans, revises)

    def _span(self, a: PendingAnnotation, raw: str, text: str, to_stored: Callable[[int], int], path: Path | str,
              where: int | None) -> tuple[int, int]:
        """Check one span against the text as the file gives it, then as it will be stored (the rules every
        entry shares, ``annotator.validation``); its offsets in the stored text."""
        if a.anchor is not None:
            found_at = anchor(raw, a.quote or "", *a.anchor)
            if found_at is None:
                raise ImportFileError(path, f"cannot place the quote {a.quote!r}: it is not in the text, or it "
                                      "is there more than once and prefix/suffix do not tell which", where)
            a.start, a.end = found_at, found_at + len(a.quote or "")
        if (problem := span_problem(a.start, a.end, len(raw))) is not None:
            raise ImportFileError(path, f"{a.label}: {problem}", where)
        if a.quote is not None and not _same_text(raw[a.start:a.end], a.quote):
            raise ImportFileError(path, f"offsets do not match the text: {a.start}–{a.end} is "
                                  f"{raw[a.start:a.end]!r} in the text, the file says {a.quote!r}", where)
        start, end = to_stored(a.start), to_stored(a.end)
        if start >= end:
            raise ImportFileError(path, f"span {a.start}–{a.end} covers only a line break", where)
        a.label = self.label(a.label, "span", path, where)
        label = self.known.get(a.label)
        if a.coerce and isinstance(a.attributes, dict):
            a.attributes = coerce_attributes(label, a.attributes)
        try:
            values = json.dumps(a.attributes, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise ImportFileError(path, f"attributes must be JSON values: {error}", where) from None
        row = {"id": a.id or "new", "annotator": a.annotator or self.annotator, "prefix": "", "suffix": "",
               "note": a.note, "start": start, "end": end, "quote": text[start:end], "layer": a.layer, "attributes": values}
        kind = label.kind if label else self.pending.labels.get(a.label, {}).get("kind") or "span"
        # a label this import creates is checked (with its definitions) when it is added
        problems = annotation_problems(row, text, {"name": a.label, "kind": kind}, label.attributes if label else None)
        if problems:
            raise ImportFileError(path, "; ".join(problems), where)
        return start, end

    def _existing_spans(self, document_id: str | None) -> dict[tuple[int, int, str, str], str]:
        if document_id is None:
            return {}
        names = {label.id: label.name for label in self.known.values()}
        return {(start, end, names.get(label_id, "?"), annotator): id_
                for id_, start, end, label_id, annotator, _layer in self.project.span_rows(document_id)}

    def _document_row(self, pending: PendingDocument, text: str) -> Row:
        if pending.row is None:
            metadata = {"source_path": str(pending.path), **pending.metadata}
            try:
                return document_row(text, metadata, 0)
            except AnnotatorError as error:  # a bad status: name the file and line
                raise ImportFileError(pending.path, str(error), pending.line) from None
        fields = pending.row
        status = fields.get("status") or "not started"
        row = document_row(text, {}, 0)
        row.update({column: fields.get(column) for column in DOCUMENT_COLUMNS})
        row.update(
            id=pending.id or row["id"], title=fields.get("title") or row["title"], status=status,
            metadata=json.dumps(pending.metadata, ensure_ascii=False, sort_keys=True, default=str),
            imported_at=fields.get("imported_at") or row["imported_at"],
            position=int(fields.get("position") or 0),
        )
        if problems := document_problems(row):
            raise ImportFileError(pending.path, "; ".join(problems), pending.line)
        return row

    def _check_entities(self) -> None:
        linked = {(a.entity_id, p.pending.path, a.line or p.pending.line)
                  for p in self.documents for a, _, _ in p.spans if a.entity_id}
        have = self.project.ids("entities")
        for entity_id, path, line in sorted(linked, key=lambda t: (str(t[1]), t[2] or 0)):
            if entity_id in have:
                continue
            entity = self.pending.entities.get(entity_id)
            if entity is None:
                raise ImportFileError(path, f"links to entity {entity_id}, which neither the file nor the project has",
                                      line)
            row = {
                "id": entity_id, "name": entity.get("name"), "type": entity.get("type", "other"),
                "aliases": json.dumps(entity.get("aliases") or [], ensure_ascii=False), "note": entity.get("note") or None,
                "created_at": entity.get("created_at") or now()}
            if problems := entity_problems(row):
                raise ImportFileError(path, f"entity {entity_id}: {'; '.join(problems)}", line)
            self.entities.append(row)
            have.add(entity_id)

    def _check_relations(self) -> None:
        for r in self.pending.relations:
            ends = []
            for key in (r.source, r.target):
                found = self.keys.get(key)
                if found is None and self.project.has_row("annotations", key):
                    found = key
                if found is None:
                    raise ImportFileError(r.path, f"relation {r.label!r} refers to annotation {key!r}, which is "
                                          "neither in the file nor in the project", r.line)
                ends.append(found)
            label = self.label(r.label, "relation", r.path, r.line)
            row = {"id": r.id or new_id(), "source_id": ends[0], "target_id": ends[1], "label": label,
                   "annotator": r.annotator or self.annotator, "layer": r.layer, "note": r.note or None,
                   "created_at": r.created_at or now()}
            relation_labels = {n for n, lab in self.known.items() if lab.kind == "relation"} | set(self.missing)
            if problems := relation_problems(row, set(ends), relation_labels):
                raise ImportFileError(r.path, "; ".join(problems), r.line)
            if (self.project.has_row("relations", r.id) if r.id
                    else self.project.has_relation(ends[0], ends[1], label)):
                self.report.already_present += 1
                continue
            self.relations.append(row)

    def write(self) -> DatasetReport:
        project, report = self.project, self.report
        new_documents = [p for p in self.documents if p.row is not None]
        if not new_documents and not any(p.spans for p in self.documents) and not self.relations:
            return report
        base = project.next_position() - 1
        described = (f"Import {len(new_documents)} document{'s' if len(new_documents) != 1 else ''}" if new_documents
                     else f"Import {sum(len(p.spans) for p in self.documents)} annotations")
        with project.group(described):
            for name, kind in self.missing.items():
                carried = self.pending.labels.get(name, {})
                project.add_label(name, color=carried.get("color"), description=carried.get("description") or "",
                                  attributes=carried.get("attributes") or [], kind=carried.get("kind") or kind)
                report.labels_created.append(name)
            if self.entities:
                project._commit(described, [RowChange("entities", None, row) for row in self.entities])
                report.entities = len(self.entities)
            added = 0
            for planned in self.documents:
                if planned.row is not None:
                    added += 1
                    keep = planned.pending.row is not None  # lossless: keep the order the file gives
                    planned.row["position"] = base + (planned.row["position"] if keep else added)
                    project._commit(described, [RowChange("documents", None, planned.row)])
                    report.added.append(Document.from_row(planned.row))
                    if planned.revises:
                        report.revisions.append(carry_over(project, planned.revises, planned.document_id,
                                                                  planned.text))
                rows = [RowChange("annotations", None, self._annotation_row(planned, a, start, end))
                        for a, start, end in planned.spans]
                if rows:
                    for name in {r.after["annotator"] for r in rows if r.after}:
                        project.register_annotator(name)
                    project._commit(described, rows)
                report.annotations += len(rows)
                report.attached += len(rows) if planned.row is None else 0
            if self.relations:
                for name in {r["annotator"] for r in self.relations}:
                    project.register_annotator(name)
                project._commit(described, [RowChange("relations", None, row) for row in self.relations])
                report.relations = len(self.relations)
        return report

    def _annotation_row(self, planned: _Planned, a: PendingAnnotation, start: int, end: int) -> Row:
        try:
            row = self.project.annotation_row(
                planned.document_id, start, end, a.label, annotator=a.annotator or self.annotator,
                attributes=dict(a.attributes), note=a.note, layer=a.layer, entity_id=a.entity_id, id=a.id)
        except AnnotatorError as error:  # checked above; name the place if something slipped through
            raise ImportFileError(planned.pending.path, str(error), a.line or planned.pending.line) from None
        if a.created_at:
            row["created_at"] = a.created_at
            row["updated_at"] = a.updated_at or a.created_at
        return row


def apply(project: Project, pending: PendingSet, *, annotator: str = "import",
          create_labels: bool = False) -> DatasetReport:
    """Check everything in ``pending`` against the project, then write it as one undoable step."""
    plan = _Plan(project, pending, annotator, create_labels)
    plan.check()
    before_import(project, len(pending.documents) + sum(len(d.annotations) for d in pending.documents))
    return plan.write()
