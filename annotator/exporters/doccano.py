"""``doccano``: doccano's sequence-labelling JSONL, so a project can be loaded into doccano and back.

doccano counts offsets the way JavaScript indexes strings, in UTF-16 code units (an emoji is
two), unless a project uses its "grapheme" mode; we write UTF-16 offsets and read them back the
same way (``annotator.importers.doccano``). Documents with relations need doccano's relation
form (``entities``/``relations``); one file must have one form, so if any relation is exported
every line uses it.

What doccano's importer (``backend/data_import`` in doccano 1.8) needs, and why each line looks
as it does: it reads the lines into one pandas DataFrame, so a key missing from some lines
becomes NaN in the others' metadata, which fails the database's ``JSON_VALID(meta)`` check
(doccano issue #2229); every line therefore carries every metadata key, ``""`` when a document
has no value (never ``null``: pandas turns that into NaN too). Its default "Auto" encoding asks
chardet, which guesses a code page for UTF-8 with few non-ASCII characters; the file is ASCII
(``\\uXXXX`` escapes), which every guess reads the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import repeat
from pathlib import Path
from typing import Any, TextIO

from annotator.exporters import doccano_text
from annotator.exporters.common import ExportFormat, ExportJob, utf16_offsets, without_collector
from annotator.exporters.doccano_text import ascii_line, label_triples, plain_line
from annotator.exporters.second_process import SecondProcess, append_part, start_on_last
from annotator.models import Document, Relation

__all__ = ["FORMAT", "ascii_line", "label_triples", "write"]

READ = ("label_id",)
"""What a line carries of each annotation beyond its offsets and id (``ExportJob.text_order_rows``: the id orders spans
at the same offsets and links relations). Attributes and notes are left out and only counted, in SQL."""
METADATA = ("title", "outlet", "author", "url", "published", "language")

PROCESS_ABOVE = 20_000
"""Selected annotations from which, in an export without relations, the last documents' lines (``SECOND_SHARE``) are built
by a second process (``doccano_text``), as the xmi export's (``inception_xmi.PROCESS_ABOVE``): building a line is
Python under one GIL (json.dumps of a document's spans, ~0.4 s of 100,000 annotations besides reading them)."""

Rows = Iterator[tuple[Document, str, list[tuple[Any, ...]], list[Relation]]]

SECOND_SHARE = 0.45
"""The part of the documents (the last ones) the second process builds: it starts 40-60 ms behind and its lines are
copied back after; at half, this process waited 20-110 ms for it."""


def write(job: ExportJob, target: Path) -> None:
    with_relations = job.selection.relation_count > 0
    left_out = job.left_out_counts_beside()  # counted beside the writing, taken at the end
    part = None if with_relations else _start(job)
    try:
        with target.open("w", encoding="ascii", newline="\n") as stream:
            if with_relations:
                _write_related(job, job.text_order_rows(READ), stream)
            else:
                _write_plain(job, job.text_order_rows(READ, part=slice(0, part.first) if part else None), stream)
            if part is not None:
                result = part.finish()
                if result is None:  # the process failed: its documents are written here
                    _write_plain(job, job.text_order_rows(READ, part=slice(part.first, None)), stream)
                else:
                    append_part(job, stream, result["lines"])
    finally:
        if part is not None:
            part.stop()
    with_attributes, with_notes = left_out()
    if with_attributes or with_notes:
        job.warn(f"doccano has no attributes or notes: left out those of {with_attributes} and {with_notes} "
                 "annotations")
    job.warn_merged_reviewers("doccano")


def _metadata(document: Document) -> list[tuple[str, Any]]:
    """The metadata keys of a line, the same on every line."""
    return [(key, _meta(getattr(document, key))) for key in METADATA]


def _write_plain(job: ExportJob, documents: Rows, stream: TextIO) -> None:
    """The lines of an export without relations: ``label`` triples."""
    label_names = {label.id: label.name for label in job.labels}  # job.label_name's map
    for document, text, rows, _ in documents:
        if rows:
            starts, ends, _, label_ids, _ = zip(*rows)
            triples = label_triples(text, starts, ends, map(label_names.get, label_ids, repeat("?")))
        else:
            triples = []
        stream.write(plain_line(document.id, text, triples, _metadata(document)))


def _write_related(job: ExportJob, documents: Rows, stream: TextIO) -> None:
    """The lines of an export with relations: ``entities`` and ``relations``, numbered across the file."""
    next_entity = next_relation = 1
    for document, text, rows, document_relations in documents:
        line: dict[str, Any] = {"text": text}
        units = utf16_offsets(text)
        numbers: dict[str, int] = {}
        entities = []
        for start, end, id_, label_id, _ in rows:
            numbers[id_] = next_entity
            entities.append({"id": next_entity, "label": job.label_name(label_id),
                             "start_offset": units(start), "end_offset": units(end)})
            next_entity += 1
        links = []
        for r in document_relations:
            if r.target_id not in numbers:
                job.drop(document.id, r, "relation across documents: doccano links spans of one text only")
                continue
            links.append((numbers[r.source_id], numbers[r.target_id], r.label))
        relations = []
        for from_id, to_id, label in sorted(links):  # by span, not by creation time: stable round trips
            relations.append({"id": next_relation, "from_id": from_id, "to_id": to_id, "type": label})
            next_relation += 1
        line["entities"], line["relations"] = entities, relations
        line.update(_metadata(document))  # same keys on every line
        line["document_id"] = document.id
        stream.write(ascii_line(line))


def _start(job: ExportJob) -> SecondProcess | None:
    """A second process on the last documents (``SECOND_SHARE``, ``doccano_text``), each with its metadata, or ``None``."""
    return start_on_last(job, os.fspath(doccano_text.__file__), PROCESS_ABOVE, SECOND_SHARE,
                         lambda d: (d.id, _metadata(d)))


def _meta(value: Any) -> str | int | float:
    """A metadata value doccano stores as is: never None (pandas would make it NaN, which is not JSON)."""
    if value is None:
        return ""
    return value if isinstance(value, str | int | float) and not isinstance(value, bool) else str(value)


FORMAT = ExportFormat(
    name="doccano",
    title="doccano sequence-labelling JSONL",
    filename="doccano.jsonl",
    suffixes=(".jsonl",),
    importable=True,
    write=without_collector(write),
    notes="""
doccano's JSONL for sequence labelling: one document per line, `{"text": ..., "label": [[start,
end, "Label"], ...]}`; when the export holds relations, every line uses doccano's relation form
instead: `"entities": [{"id", "label", "start_offset", "end_offset"}]` and `"relations": [{"id",
"from_id", "to_id", "type"}]`. Document metadata (`title`, `outlet`, `author`, `url`,
`published`, `language`, `document_id`) are extra keys, which doccano keeps as metadata: every
line has all of them (`""` where a document has none), because doccano's importer reads the file
as one table and rejects a line whose metadata lacks a key another line has.

The file is ASCII (other characters are JSON `\\uXXXX` escapes), so doccano's default "Auto"
encoding reads it right; any JSON reader gets the same text back.

**Offsets are UTF-16 code units**, as doccano counts them (JavaScript string indices): every
character outside the Basic Multilingual Plane (most emoji) counts two. In Python:
`text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")` is the span. doccano's
"count grapheme clusters as one character" project option is not supported.

**The doccano project this file needs** (Create project in doccano 1.8):

- Project type **Sequence Labeling**.
- **Allow overlapping spans** ticked: otherwise doccano silently drops every span that overlaps
  an earlier one, and (with relations) its import stops half way on a relation whose span it dropped.
- If the file holds relations (`entities`/`relations` keys): **Use relation labeling** ticked,
  and import it with the file format **JSONL(Relation)**; otherwise the format **JSONL**.
- Encoding: leave **Auto** (or pick `ascii` or `utf_8`); column names: leave `text` and `label`.

Not written: reviewer, layer, attributes, notes, entity links; relations across documents.
""",
)
