"""What every exporter shares: filters, one pass over the selected part of a project, results.

The selection is worked out once, before anything is written, so a bad filter (an unknown label,
a status that does not exist) stops the export with one clear error and no half-written files.
Writers then stream documents one at a time: text, the annotations that pass the filters, and
the relations whose both ends are exported.
"""

from __future__ import annotations

import functools
import gc
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import orjson

from annotator.annotations import LAYERS
from annotator.defaults import DOCUMENT_STATUSES
from annotator.errors import AnnotatorError
from annotator.exporters import xmi_text
from annotator.exporters.left_out import Dropped, LeftOut
from annotator.models import Document, Entity, Label, Relation
from annotator.store import exports as export_rows
from annotator.store.file import json_column

if TYPE_CHECKING:
    from annotator.project import Project

T = TypeVar("T")

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called with 0 first, then after each document is written."""


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(dict.fromkeys(str(v) for v in value))


@dataclass(frozen=True)
class Filters:
    """Which part of a project to export. Empty means "all"; several values mean "any of these".

    Document filters choose documents; annotation filters (reviewers, layer, labels) choose the
    annotations inside them, so a document with no matching annotation is still exported (as text
    with no spans, which training sets need as negative examples).
    """

    annotators: tuple[str, ...] = ()
    layer: str | None = None
    labels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("annotators", "labels", "statuses", "documents"):
            object.__setattr__(self, name, _names(getattr(self, name)))

    def describe(self) -> list[str]:
        """One line per filter in force, for DATASET.md and the CLI."""
        lines = []
        if self.documents:
            lines.append(f"documents: {', '.join(self.documents)}")
        if self.statuses:
            lines.append(f"document status: {' or '.join(self.statuses)}")
        if self.annotators:
            lines.append(f"reviewers: {', '.join(self.annotators)}")
        if self.layer:
            lines.append(f"layer: {self.layer}")
        if self.labels:
            lines.append(f"labels: {', '.join(self.labels)}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {"annotators": list(self.annotators), "layer": self.layer, "labels": list(self.labels),
                "statuses": list(self.statuses), "documents": list(self.documents)}




@dataclass
class ExportResult:
    """What an export wrote: the data file or folder, its dataset card, counts and what was left out."""

    format: str
    data: Path
    readme: Path
    documents: int = 0
    annotations: int = 0
    relations: int = 0
    entities: int = 0
    warnings: list[str] = field(default_factory=list)
    dropped: LeftOut = field(default_factory=LeftOut)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format, "data": str(self.data), "readme": str(self.readme),
            "documents": self.documents, "annotations": self.annotations, "relations": self.relations,
            "entities": self.entities, "warnings": list(self.warnings),
            "dropped": [vars(d) for d in self.dropped],
        }


class ExportAnnotation(NamedTuple):
    """An annotation as writers read it: ``models.Annotation``'s fields, as a tuple.

    An export touches every annotation of a project, and building a frozen dataclass per row
    (plus a dict per row and parsing ``'{}'``) cost more than writing the output; a tuple built
    straight from the SQL row costs almost nothing. ``attributes`` is parsed, the label is its name.
    """

    id: str
    document_id: str
    start: int
    end: int
    label: str
    label_id: str
    quote: str
    prefix: str
    suffix: str
    annotator: str
    layer: str
    entity_id: str | None
    attributes: dict[str, Any]
    note: str | None
    created_at: str
    updated_at: str


def _attributes(id_: str, value: str | None) -> dict[str, Any]:
    """The attributes column parsed, by orjson (a third of json's time: ClaimReview parses 40,000); what it
    refuses or what is not an object (NaN, a number past 64 bits, a lone surrogate, a damaged value) as everywhere
    else (``json_column``, which reads NaN as json does and raises on a bad value). Where both read a value they
    give the same dict."""
    if value == "{}":
        return {}
    try:
        parsed = orjson.loads(value)  # type: ignore[arg-type]  # None: TypeError, read by json_column below
    except (orjson.JSONDecodeError, TypeError):
        parsed = None
    if type(parsed) is dict:
        return parsed
    result: dict[str, Any] = json_column({"id": id_, "attributes": value}, "annotations", "attributes", "{}")
    return result


def annotation_records(rows: Iterable[tuple[Any, ...]], label_names: dict[str, str]) -> list[ExportAnnotation]:
    """``store.exports.annotations_by_document`` rows as ``ExportAnnotation``s (an unknown label id is named ``?``)."""
    new, cls, name = tuple.__new__, ExportAnnotation, label_names.get
    return [new(cls, (id_, document_id, start, end, name(label_id, "?"), label_id, quote, prefix, suffix, annotator, layer,
                      entity_id, {} if attributes == "{}" else _attributes(id_, attributes), note, created, updated))
            for (id_, document_id, start, end, label_id, quote, prefix, suffix, annotator, layer, entity_id, attributes,
                 note, created, updated) in rows]


@dataclass
class ExportDocument:
    """One document as a writer sees it: the text, its selected annotations (text order), its relations.

    ``relations`` are those whose *source* lies in this document; the target may be in another
    exported document.
    """

    document: Document
    annotations: list[ExportAnnotation]
    relations: list[Relation]


@dataclass
class Selection:
    """The exported part of a project, worked out before anything is written.

    Annotations are counted in SQL (``store.exports.summary``); the id -> document map of every
    selected annotation is read only when something asks for it (relations, casualties), since
    reading 100,000 ids to count them cost as much as writing a format.
    """

    documents: list[Document]  # without text: writers get the text from ``ExportJob.documents()``
    where: str  # the annotation filters, as ``store.exports`` reads them again per document
    params: list[Any]
    relations: dict[str, list[Relation]]  # document id of the source -> relations
    relations_left_out: int
    entities: list[Entity]
    labels: list[Label]  # the whole schema, in palette order
    _counts: Counter[tuple[str, str, str]] | None  # (label, reviewer, layer) -> annotations; None: ``_read_counts``
    _per_document: Counter[str] | None = None  # document id -> selected annotations; None: ``_read_counts``
    total: int = 0  # selected annotations
    _annotation_documents: dict[str, str] | None = None
    _read_annotation_documents: Callable[[], dict[str, str]] | None = None
    _read_counts: Callable[[], tuple[Counter[tuple[str, str, str]], Counter[str]]] | None = None
    _bad_offsets: Callable[[], export_rows.BadOffsets] | None = None  # store.exports.bad_offsets (the card's counts')

    def check_offsets(self, path: Any) -> None:
        """Refuse a selection holding an annotation whose start or end is not a whole number (another program's
        write to the file at ``path``): no format can say where it is. Counted by the card counts' scan beside the
        writer (waited for here); for a writer that counts its own rows, which checks them as it reads them, by a
        scan of its own, made only when that writer stopped (``store.exports.bad_offsets``)."""
        count, first = self._bad_offsets() if self._bad_offsets else (0, None)
        if count:
            where = f" (first {first[0]}: start {first[1]!r}, end {first[2]!r})" if first else ""
            raise AnnotatorError(f"{path}: {count} annotation(s) have a start or end that is not a whole number{where}: "
                                 "the file was changed by another program; correct them in sqlite3 (or delete them) "
                                 "and export again")

    @property
    def counts(self) -> Counter[tuple[str, str, str]]:
        """(label, reviewer, layer) -> selected annotations (read beside the writer: waited for on first use)."""
        if self._counts is None:
            self._read()
        assert self._counts is not None
        return self._counts

    @property
    def per_document(self) -> Counter[str]:
        """Document id -> selected annotations (read beside the writer, with ``counts``)."""
        if self._per_document is None:
            self._read()
        assert self._per_document is not None
        return self._per_document

    def _read(self) -> None:
        self._counts, self._per_document = self._read_counts() if self._read_counts else (Counter(), Counter())

    def counted(self, label_counts: Mapping[tuple[Any, Any, Any], int], per_document: Mapping[str, int]) -> bool:
        """Take ``counts`` and ``per_document`` from a writer that counted the rows it read ((label id, reviewer,
        layer) -> annotations; document id -> annotations, documents with none left out): no scan of their own
        (80 ms of CPU for CoNLL's 100,000 annotations, on the core its second process needs). Only when they count
        every selected annotation (``total``): annotations of no selected document (another program's writes,
        read by no writer) are counted as before, when first asked."""
        if self._counts is not None or sum(per_document.values()) != self.total:
            return False
        self._counts = by_label_name(((*combo, count) for combo, count in label_counts.items()), self.labels)
        self._per_document = Counter(per_document)
        return True

    @property
    def annotation_documents(self) -> dict[str, str]:
        """Annotation id -> document id, for every exported annotation (read on first use)."""
        if self._annotation_documents is None:
            self._annotation_documents = self._read_annotation_documents() if self._read_annotation_documents else {}
        return self._annotation_documents

    @property
    def annotations(self) -> int:
        return self.total

    @property
    def relation_count(self) -> int:
        return sum(len(r) for r in self.relations.values())


def by_label_name(label_counts: Iterable[tuple[str, Any, Any, int]], labels: Sequence[Label]
                  ) -> Counter[tuple[str, str, str]]:
    """(label id, reviewer, layer, count) rows as ``Selection.counts`` holds them: by label name (``?`` for an id
    the schema lacks), two ids of one name added up."""
    names = {label.id: label.name for label in labels}
    counts: Counter[tuple[str, str, str]] = Counter()
    for label_id, annotator, layer, count in label_counts:
        counts[(names.get(label_id, "?"), annotator, layer)] += count
    return counts


def select(project: Project, filters: Filters, *, beside: bool = True) -> Selection:
    """Check the filters against the project and work out what will be exported. ``beside``: the dataset card's
    counts read in a thread meanwhile; false: when first asked, unless the writer counted them (``Selection.counted``)."""
    labels = project.labels(kind=None)
    for status in filters.statuses:
        if status not in DOCUMENT_STATUSES:
            raise AnnotatorError(f"unknown document status {status!r} (one of: {', '.join(DOCUMENT_STATUSES)})")
    if filters.layer is not None and filters.layer not in LAYERS:
        raise AnnotatorError(f"layer must be one of {', '.join(LAYERS)}, not {filters.layer!r}")
    if filters.annotators:
        known = set(project.annotators()) | export_rows.relation_annotators(project.db)
        for name in filters.annotators:
            if name not in known:
                raise AnnotatorError(f"no annotations by reviewer {name!r} (reviewers: {', '.join(sorted(known)) or 'none'})")
    document_ids = [project.resolve_document(d) for d in filters.documents]
    label_ids = [project.label(name).id for name in filters.labels] if filters.labels else []
    db = project.db
    selected = export_rows.select_documents(db, filters.statuses, document_ids, filters.annotators, filters.layer, label_ids)
    documents = [Document.from_row(row) for row in selected.documents]
    where, params = selected.where, selected.params
    summary = export_rows.summary(db, where, params, counts=False)
    missing, first = export_rows.without_reviewer(db, where, params)
    if missing:  # every format names reviewers (the card's table, qdpx users, xmi files): none would be a guess
        raise AnnotatorError(f"{project.path}: {missing} annotation(s) have no reviewer (annotator is NULL, first "
                             f"{first}): the file was changed by another program; give them one in sqlite3 "
                             f"({export_rows.FILL_REVIEWERS}) and export again")
    # the card's counts scan every selected annotation: in a second thread, on a second connection; the same scan
    # counts the annotations whose offsets are not whole numbers (``check_offsets``), which a writer that counts its
    # own rows checks as it reads them (CoNLL)
    card_counts = functools.cache(export_rows.read_beside(  # asked twice: the offsets' check, then the card
        db, project.path, lambda other: export_rows.card_counts(other, where, params), "export-counts", summary.total)
        if beside else lambda: export_rows.card_counts(db, where, params))

    def named_counts() -> tuple[Counter[tuple[str, str, str]], Counter[str]]:
        label_counts, per_document, _ = card_counts()
        return by_label_name(label_counts, labels), Counter(dict(per_document))

    annotation_documents = export_rows.annotation_documents(db, where, params) if selected.relations else None
    relations: dict[str, list[Relation]] = defaultdict(list)
    left_out = 0
    for row in selected.relations:
        assert annotation_documents is not None
        relation = Relation.from_row(row)
        source = annotation_documents.get(relation.source_id)
        if source is None and relation.target_id not in annotation_documents:
            continue  # wholly outside the selection: not worth a mention
        if source is None or relation.target_id not in annotation_documents:
            left_out += 1
            continue
        relations[source].append(relation)
    entities = [e for e in project.entities() if e.id in summary.entity_ids]
    return Selection(documents, where, params, dict(relations), left_out, entities, labels, None, None, summary.total,
                     annotation_documents, lambda: export_rows.annotation_documents(db, where, params), named_counts,
                     (lambda: card_counts()[2]) if beside else lambda: export_rows.bad_offsets(db, where, params))


@dataclass
class ExportJob:
    """Everything a format's writer needs; writers report what they leave out through ``drop``/``warn``."""

    project: Project
    filters: Filters
    selection: Selection
    result: ExportResult
    progress: Progress | None = None
    _label_names: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)  # format-specific settings (claimreview: review_author)
    reason_kinds: Counter[str] | None = None  # reason_counts(result.dropped), kept by a writer as it made the reasons

    def __post_init__(self) -> None:
        self._label_names = {label.id: label.name for label in self.selection.labels}

    @property
    def labels(self) -> list[Label]:
        return self.selection.labels

    def label(self, name: str) -> Label | None:
        return next((label for label in self.selection.labels if label.name == name), None)

    def documents(self) -> Iterator[ExportDocument]:
        """The selected documents in list order, with text, annotations and relations; reports progress."""
        total = len(self.selection.documents)
        if self.progress:
            self.progress(0, total)
        db = self.project.db
        grouped = export_rows.annotations_by_document(db, self.selection.where, self.selection.params)
        texts = export_rows.document_texts(db, [d.id for d in self.selection.documents])
        for done, (listed, text) in enumerate(zip(self.selection.documents, texts), start=1):
            document = replace(listed, text=text)
            rows = grouped.pop(listed.id, [])
            yield ExportDocument(document, annotation_records(rows, self._label_names), self.selection.relations.get(listed.id, []))
            if self.progress:
                self.progress(done, total)

    def _part(self, part: slice | None) -> tuple[int, list[Document], int, str, list[Any]]:
        """What a reader of ``part`` of the selected documents needs (all: ``None``): how many are selected, those in
        the part, the index of its first, and the annotation filter narrowed to them; progress starts at 0 once."""
        total = len(self.selection.documents)
        documents = list(self.selection.documents if part is None else self.selection.documents[part])
        first = 0 if part is None else range(total)[part].start
        if self.progress and not first:
            self.progress(0, total)
        where, params = self.selection.where, list(self.selection.params)
        if part is not None:
            where, params = export_rows.within(where, params, [d.id for d in documents])
        return total, documents, first, where, params

    def document_rows(self, columns: Sequence[str], part: slice | None = None,
                      ) -> Iterator[tuple[Document, list[tuple[Any, ...]], list[Relation]]]:
        """``documents()`` for a writer that needs only some annotation ``columns`` (names from
        ``store.exports.ANNOTATION_COLUMNS``): each document with its annotations as raw rows, those
        columns in that order after a leading ``document_id``; ``label_id`` is the id (``label_name`` names it),
        ``attributes`` unparsed (``parse_attributes``). Reading 15 columns of every annotation cost more than
        writing doccano or csv, which use half of them. ``part``: only those of the selected documents (progress
        counts all of them), their annotations alone read (a second process writes the others)."""
        total, documents, first, where, params = self._part(part)
        grouped = export_rows.annotation_columns_by_document(self.project.db, columns, where, params)
        relations = self.selection.relations
        for listed, text in self._with_texts(documents, first, total):
            yield replace(listed, text=text), grouped.pop(listed.id, []), relations.get(listed.id, [])

    def read_part(self, read: Callable[[Any, str, list[Any]], T], part: slice | None = None,
                  ) -> tuple[T, Iterator[tuple[Document, str]]]:
        """What ``read(connection, where, params)`` (the project's SQLite connection) makes of the annotations of
        ``part`` of the selected documents (all: ``None``; read now), and those documents (without their text) each
        with its text, as they are taken (progress as ``document_rows`` counts it): for a writer with a read of its
        own, which its second process runs too (CoNLL's ``conll_text.coded_rows``)."""
        total, documents, first, where, params = self._part(part)
        return read(self.project.db.conn, where, params), self._with_texts(documents, first, total)

    def _with_texts(self, documents: list[Document], first: int, total: int) -> Iterator[tuple[Document, str]]:
        texts = export_rows.document_texts(self.project.db, [d.id for d in documents])
        for done, pair in enumerate(zip(documents, texts), start=first + 1):
            yield pair
            if self.progress:
                self.progress(done, total)

    def texts(self) -> Iterator[tuple[str, str]]:
        """(document id, text) of every selected document in list order, read ``TEXT_BATCH`` at a time (never every
        text in memory at once), for a writer that writes the texts apart from the annotations."""
        ids = [d.id for d in self.selection.documents]
        return zip(ids, export_rows.document_texts(self.project.db, ids))

    def text_order_rows(self, columns: Sequence[str], *, texts: bool = True, part: slice | None = None
                        ) -> Iterator[tuple[Document, str, list[tuple[Any, ...]], list[Relation]]]:
        """``document_rows`` for a writer that reads a document's fields and text apart: each document (without
        its text), its text (``""`` when ``texts`` is false: not read), its annotations as ``(start, end, id,
        *columns, document_id)`` rows in text order (``store.exports.spans_by_document``) and its relations.
        No copy of the document per text. ``part``: as ``document_rows``'s (a second process writes the others)."""
        total, documents, first, where, params = self._part(part)
        db = self.project.db
        grouped = export_rows.spans_by_document(db, columns, where, params)
        ids = [d.id for d in documents]
        texts_read = export_rows.document_texts(db, ids) if texts else repeat("")
        relations = self.selection.relations
        for done, (listed, text) in enumerate(zip(documents, texts_read), start=first + 1):
            yield listed, text, grouped.pop(listed.id, []), relations.get(listed.id, [])
            if self.progress:
                self.progress(done, total)

    def left_out_counts(self) -> tuple[int, int]:
        """How many selected annotations hold some attribute, and how many a note, for a format that writes neither
        and says so: counted in SQL, each distinct attributes value parsed once, instead of reading every value.
        A bad value raises as ``count_attributes`` over the rows in export order would (naming the first
        annotation that holds a bad value)."""
        return self._left_out(*export_rows.attribute_and_note_counts(self.project.db, self.selection.where,
                                                                     self.selection.params))

    def left_out_counts_beside(self) -> Callable[[], tuple[int, int]]:
        """``left_out_counts`` with its scan on a second connection in a thread (``store.exports.read_beside``),
        for a writer that starts it before its own reads and takes the result after: returns the function
        that waits for it."""
        db, where, params = self.project.db, self.selection.where, self.selection.params
        counted = export_rows.read_beside(db, self.project.path,
                                          lambda other: export_rows.attribute_and_note_counts(other, where, params),
                                          "export-left-out", self.selection.total)
        return lambda: self._left_out(*counted())

    def _left_out(self, values: list[tuple[Any, int]], notes: int) -> tuple[int, int]:
        db, where, params = self.project.db, self.selection.where, self.selection.params
        count = 0
        try:
            for value, holding in values:
                count += holding if self.parse_attributes("", value) else 0
        except AnnotatorError:
            grouped = export_rows.annotation_columns_by_document(db, ("id", "attributes"), where, params)
            parsed: dict[Any, bool] = {}
            for document in self.selection.documents:
                rows = grouped.get(document.id, [])
                self.count_attributes([row[1] for row in rows], [row[2] for row in rows], parsed)
            raise
        return count, notes

    def count_attributes(self, ids: Sequence[str], values: Sequence[Any], parsed: dict[Any, bool]) -> int:
        """How many raw ``attributes`` values (``document_rows``) hold some attribute, for a writer that only
        counts them; a bad value raises (``parse_attributes``). ``parsed`` remembers each value seen (most
        repeat, and ``json.loads`` was most of the count)."""
        if values.count("{}") == len(values):
            return 0
        count = 0
        for id_, value in zip(ids, values):
            if value != "{}":
                known = parsed.get(value)
                if known is None:
                    known = parsed[value] = bool(self.parse_attributes(id_, value))
                count += known
        return count

    def left_out(self) -> tuple[int, int] | None:
        """``left_out_counts``, or ``None`` when some attributes value does not parse: a writer that builds in two
        processes then counts per row as it writes (``count_attributes``), so the error comes where it always did."""
        try:
            return self.left_out_counts()
        except AnnotatorError:
            return None

    def label_name(self, label_id: str) -> str:
        """A label id's name, ``?`` for an unknown one (as ``ExportAnnotation.label``)."""
        return self._label_names.get(label_id, "?")

    @staticmethod
    def parse_attributes(id_: str, value: str | None) -> dict[str, Any]:
        """An ``attributes`` column as ``ExportAnnotation.attributes`` holds it (a bad value raises)."""
        return {} if value == "{}" else _attributes(id_, value)

    def warn(self, message: str) -> None:
        self.result.warnings.append(message)

    def warn_merged_reviewers(self, format_name: str) -> None:
        """For formats with no notion of reviewer: say so when several reviewers' spans end up together."""
        pairs = {(reviewer, layer) for _, reviewer, layer in self.selection.counts}
        if len(pairs) > 1:
            self.warn(f"{format_name} has no reviewers or layers: the annotations of {len(pairs)} reviewer/layer "
                      "pairs are merged (export one reviewer, or the gold layer, to keep them apart)")

    def drop(self, document_id: str, item: ExportAnnotation | Relation, reason: str) -> None:
        quote = "" if isinstance(item, Relation) else item.quote
        self.result.dropped.append(Dropped(document_id, item.id, item.label, quote, reason))


def json_line(data: Any) -> str:
    """One JSON Lines record: UTF-8 as is, but never a character that ``str.splitlines`` breaks at."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085") + "\n"


def json_line_bytes(data: Any, parsed: Iterable[Any] = ()) -> bytes:
    """``json_line`` with compact separators (no space after ``,`` and ``:``), as UTF-8 bytes, encoded in C.

    ``json.dumps`` of a document line was the largest cost of the jsonl export; ``orjson`` writes the
    same bytes as ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` (it escapes the same
    characters), except for floats (``1e-07`` is ``1e-7``; NaN is ``null``) and integers beyond 64
    bits (refused): a line with one of those goes through ``json.dumps``, so the output is always
    ``json.dumps``'. Only values parsed from JSON (attributes, metadata) can hold a float: ``parsed``
    lists them, so the rest of the line is not walked."""
    try:
        text = orjson.dumps(data)
    except (orjson.JSONEncodeError, TypeError):
        text = _plain_compact(data)
    else:
        if any(_has_float(value) for value in parsed):
            text = _plain_compact(data)
    if b"\xe2\x80\xa8" in text or b"\xe2\x80\xa9" in text or b"\xc2\x85" in text:  # UTF-8 of U+2028, U+2029, U+0085
        text = text.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029").replace(b"\xc2\x85", b"\\u0085")
    return text + b"\n"


def _plain_compact(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _has_float(value: Any) -> bool:
    """Whether a float hides in ``value`` (dicts and lists walked)."""
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_float(v) for v in value)
    return False


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def utf16_offsets(text: str) -> Callable[[int], int]:
    """Map code-point offsets in ``text`` to UTF-16 code units (JavaScript string indices)."""
    from bisect import bisect_left

    astral = [m.start() for m in _ASTRAL.finditer(text)]  # in C: a loop over every character cost seconds
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect_left(astral, offset)


create_file = xmi_text.create_file
"""``open(path, "wb").write(data)`` in three system calls, for the folder formats (brat, xmi): defined in the
lean ``xmi_text``, which XMI's second process runs without the package."""


Writer = Callable[[ExportJob, Path], None]


def without_collector(write: Writer) -> Writer:
    """``write`` with Python's cycle collector paused while it runs (and resumed after, if it was on).

    A writer holds 100,000 freshly read rows (and Label Studio its tasks) while it allocates a few
    objects more per row; every 700 allocations the collector ran, and its full passes walked all
    of them again: a third of the Label Studio export, a sixth of W3C's. Rows, records and
    lines make no reference cycles; whatever else does is collected by a later full pass.

    Resumed, the collector's first pass walked every object the writer left alive (CoNLL: its 44,000 left-out
    rows, 30-40 ms after the export's work). Where nothing is frozen (the CLI, the API),
    ``gc.freeze()`` then ``gc.unfreeze()`` moves them without a walk to the oldest generation, where
    objects that live on end up anyway. The app keeps its start frozen (``ui.app.collect_garbage``),
    which ``unfreeze`` would undo: there the collector resumes as it was.
    """
    @functools.wraps(write)
    def paused(job: ExportJob, target: Path) -> None:
        was_on = gc.isenabled()
        gc.disable()
        try:
            write(job, target)
        finally:
            if was_on:
                if not gc.get_freeze_count():
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()
    return paused


@dataclass(frozen=True)
class ExportFormat:
    """A format as the CLI and the Export dialog list it.

    ``filename`` is the data file written inside an output folder (empty: the format *is* a
    folder of files); an output path ending in one of ``suffixes`` is written as that file instead,
    with DATASET.md beside it.
    """

    name: str
    title: str
    filename: str
    suffixes: tuple[str, ...]
    importable: bool
    notes: str
    write: Writer
    check: Callable[[], None] | None = None
    relations: bool = True  # False: the format has no place for relations (counted as 0 exported)
    requires: str = ""  # an optional module the writer imports ("spacy"); empty: nothing beyond our own
    install: str = ""  # the pip requirement that provides ``requires`` ("spacy>=3.7")
    writes: tuple[str, ...] = ()  # a folder format: glob patterns of the files it writes (clash check)
    counts_rows: bool = False  # the writer counts the card's annotations from its rows (Selection.counted) and checks
    # their offsets as it reads them (Selection.check_offsets): nothing read beside

    @property
    def folder(self) -> bool:
        return not self.filename

    @property
    def card(self) -> str:
        """The dataset card's name in an output folder: one per format, so formats share a folder."""
        return f"{self.name}{CARD_SUFFIX}"


CARD_SUFFIX = ".DATASET.md"
"""Dataset cards are ``<format>.DATASET.md`` in an output folder, ``<data file stem>.DATASET.md`` beside a named file."""


def card_for(data: Path) -> Path:
    """The dataset card beside a data file the user named: ``out/gold.jsonl`` -> ``out/gold.DATASET.md``."""
    return data.with_name(data.stem + CARD_SUFFIX)


def _cell(value: Any) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text.replace("|", "\\|")


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


MAX_DROPPED_LISTED = 200


def reason_counts(dropped: Iterable[Dropped]) -> Counter[str]:
    """How many left-out items each kind of reason (its text before ``:``) has, kinds in the order first met.

    Each distinct reason counted in C first, then split once: a CoNLL export leaves 78,000 spans out with
    one reason per winning span, and splitting every reason in a Python loop cost 20-50 ms after the export."""
    kinds: Counter[str] = Counter()
    for reason, count in Counter(map(_REASON, dropped)).items():
        kinds[reason.split(":")[0]] += count
    return kinds


_REASON = attrgetter("reason")


def dataset_markdown(job: ExportJob, fmt: ExportFormat, when: str) -> str:
    """The dataset card: what is in the export, how it was chosen, the label schema, and what was left out."""
    from annotator import __version__

    selection, result = job.selection, job.result
    project = job.project
    out: list[str] = [f"# Dataset: {Path(project.path).stem}", ""]
    out.append(f"Exported {when} by Annotator {__version__} from `{Path(project.path).name}` "
               f"in the **{fmt.name}** format ({fmt.title}).")
    out.append("")
    out.append(f"- Data: `{result.data.name}`{'/' if fmt.folder else ''}")
    out.append(f"- {result.documents} documents, {result.annotations} annotations, {result.relations} relations, "
               f"{result.entities} entities")
    out.append("- Offsets: Unicode code points, start inclusive, end exclusive (Python string indices), "
               "unless the format notes below say otherwise.")
    out += ["", "## How it was chosen", ""]
    described = job.filters.describe()
    out += [f"- {line}" for line in described] or ["- everything in the project (no filters)"]
    if selection.relations_left_out:
        out.append(f"- {selection.relations_left_out} relations left out: one end is not in the export")
    out += ["", "## Format", "", fmt.notes.strip(), ""]

    reviewers = sorted({reviewer for _, reviewer, _ in selection.counts})
    by_label: dict[str, Counter[str]] = defaultdict(Counter)
    for (label, reviewer, layer), count in selection.counts.items():
        by_label[label][reviewer] += count
        by_label[label]["(gold)"] += count if layer == "gold" else 0
    out += ["## Annotations per label and reviewer", ""]
    headers = ["label", *reviewers, "of which gold", "total"]
    rows = []
    for label in [lab.name for lab in selection.labels if lab.name in by_label] + sorted(
            set(by_label) - {lab.name for lab in selection.labels}):
        counts = by_label[label]
        rows.append([label, *(counts[r] for r in reviewers), counts["(gold)"], sum(counts[r] for r in reviewers)])
    out += _table(headers, rows) if rows else ["No annotations."]

    out += ["", "## Label schema", ""]
    out += _table(["label", "kind", "description", "attributes"], [
        [lab.name, lab.kind, lab.description, "; ".join(_attribute_text(a) for a in lab.attributes)]
        for lab in selection.labels])

    per_document = selection.per_document
    outlets: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for document in selection.documents:
        outlet = document.outlet or "(none)"
        outlets[outlet][0] += 1
        outlets[outlet][1] += per_document[document.id]
    out += ["", "## Outlets", ""]
    out += _table(["outlet", "documents", "annotations"], [[o, d, a] for o, (d, a) in sorted(outlets.items())])
    out += ["", "## Documents", ""]
    out += _table(["#", "id", "title", "outlet", "published", "status", "annotations"], [
        [n, d.id, d.title, d.outlet, d.published, d.status, per_document[d.id]]
        for n, d in enumerate(selection.documents, start=1)])

    if result.dropped or result.warnings:
        out += ["", "## Left out or changed", ""]
        out += [f"- {w}" for w in result.warnings]
        if result.dropped:
            kinds = job.reason_kinds  # CoNLL's 78,000: counted again here, 20-25 ms after its two processes were done
            if kinds is None or kinds.total() != len(result.dropped):  # none kept, or not of every item
                kinds = reason_counts(result.dropped)
            out += [f"- {count} × {reason}" for reason, count in kinds.most_common()]
            out += ["", *_table(["document", "id", "label", "quote", "reason"], [
                [d.document_id[:8], d.item_id[:8], d.label, d.quote[:60], d.reason]
                for d in result.dropped[:MAX_DROPPED_LISTED]])]
            if len(result.dropped) > MAX_DROPPED_LISTED:
                out.append(f"\n… and {len(result.dropped) - MAX_DROPPED_LISTED} more.")
    return "\n".join(out) + "\n"


def _attribute_text(definition: dict[str, Any]) -> str:
    text = f"{definition.get('name')} ({definition.get('type', 'text')})"
    if definition.get("choices"):
        text += ": " + " / ".join(map(str, definition["choices"]))
    return text
