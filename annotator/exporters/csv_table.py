"""``csv``: one row per annotation, for spreadsheets and pandas.

Written by ``csvio`` (RFC 4180, UTF-8 with a byte-order mark, formula cells neutralised), so this
export, ``annotator figures --csv`` and the Figures dock write the same dialect.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from annotator.exporters import csvio
from annotator.exporters.common import ExportFormat, ExportJob
from annotator.exporters.csvio import FORMULA_STARTS, neutralise

COLUMNS = ("document_id", "document_title", "outlet", "published", "annotation_id", "label", "quote", "start", "end",
           "reviewer", "layer", "note", "entity")
READ = ("id", "start", "end", "label_id", "quote", "annotator", "layer", "entity_id", "attributes", "note")
"""The annotation columns this export reads (``ExportJob.document_rows``)."""
DANGEROUS = (*FORMULA_STARTS, "\t", "\r")
"""What a neutralised cell starts with after its ``'`` (kept for callers that strip it again)."""
_RISKY_START = re.compile("\n[" + "".join(map(re.escape, FORMULA_STARTS)) + "\\s]")
"""A value of a column joined by line breaks (and led by one) that ``csvio.cell`` might change: one starting
with a formula character or with whitespace. A line break inside a value may match too: that only costs the
fast path, never a cell."""
__all__ = ["COLUMNS", "DANGEROUS", "FORMAT", "attribute_columns", "neutralise", "write"]


def attribute_columns(job: ExportJob) -> list[tuple[str, str]]:
    """(attribute name, column name) in schema order; a name that clashes with a fixed column is prefixed."""
    names: dict[str, None] = {}
    for label in job.labels:
        if label.kind == "span" and (not job.filters.labels or label.name in job.filters.labels):
            for definition in label.attributes:
                names.setdefault(definition["name"], None)
    return [(name, f"attribute:{name}" if name in COLUMNS else name) for name in names]


def safe(values: tuple[Any, ...]) -> bool:
    """Whether ``csvio.cell`` leaves every value as it is: all text, none starting with a formula character or
    whitespace (``_RISKY_START`` on the column joined, in C, instead of a test per cell)."""
    try:
        joined = "\n".join(values)
    except TypeError:  # a damaged row: a number or NULL where text belongs
        return False
    return _RISKY_START.search("\n" + joined) is None


def write(job: ExportJob, target: Path) -> None:
    columns = attribute_columns(job)
    known = {name for name, _ in columns}
    cell = csvio.cell
    entities = {e.id: cell(e.name) for e in job.selection.entities}
    labels: dict[str, Any] = {}
    layers: dict[str, Any] = {}
    extra: set[str] = set()

    names = [name for name, _ in columns]
    no_attributes = [""] * len(names)
    risky = csvio.FORMULA_STARTS

    known_entities = {key: name for key, name in entities.items() if key}  # a falsy entity_id is written ""

    def label_cell(label_id: Any) -> Any:
        converted = labels.get(label_id)
        if converted is None:
            converted = labels[label_id] = cell(job.label_name(label_id))
        return converted

    def document_rows(head: list[Any], spans: list[tuple[Any, ...]]) -> Iterable[Sequence[Any]]:
        """A document's rows as columns zipped in C when every cell is the value itself (no attributes, no
        note, no id, quote or reviewer that ``cell`` changes: nearly every document); else row by row."""
        if not spans:
            return ()
        _, ids, starts, ends, label_ids, quotes, annotators, layer_values, entity_ids, attributes, notes = zip(*spans)
        if attributes.count("{}") == len(attributes) and not any(notes) and safe(ids) and safe(quotes) \
                and safe(annotators) and safe(layer_values):
            return zip(*map(repeat, head), ids, map(label_cell, label_ids), quotes, starts, ends, annotators, layer_values,
                       notes, map(known_entities.get, entity_ids, repeat("")), *(repeat("") for _ in names))
        return rows(head, spans)

    def rows(head: list[Any], spans: list[tuple[Any, ...]]) -> Iterator[list[Any]]:
        # each cell as csvio.cell makes it; a value that repeats (a document's fields, labels, layers,
        # entity names) is converted once, the rest inline
        parse = job.parse_attributes
        for _, id_, start, end, label_id, quote, annotator, layer, entity_id, attributes, note in spans:
            attributes = parse(id_, attributes) if attributes != "{}" else None
            if attributes:
                extra.update(set(attributes) - known)
            layer_cell = layers.get(layer)
            if layer_cell is None:
                layer_cell = layers[layer] = cell(layer)
            yield [*head, id_ if id_ and id_[0] not in risky and not id_[0].isspace() else cell(id_), label_cell(label_id),
                   quote if quote and quote[0] not in risky and not quote[0].isspace() else cell(quote),
                   start, end,
                   annotator if annotator and annotator[0] not in risky and not annotator[0].isspace()
                   else cell(annotator),
                   layer_cell, cell(note) if note else note,
                   entities.get(entity_id, "") if entity_id else "",
                   *([cell(attributes.get(name)) for name in names] if attributes else no_attributes)]

    def all_rows() -> Iterator[Iterable[Sequence[Any]]]:
        # only the columns written (document_rows): no prefix, suffix or timestamps
        for d, spans, _ in job.document_rows(READ):
            yield document_rows([cell(d.id), cell(d.title), cell(d.outlet), cell(d.published)], spans)

    with csvio.open_file(target) as stream:
        csvio.write_cells(stream, [*COLUMNS, *(column for _, column in columns)], chain.from_iterable(all_rows()))
    if extra:
        job.warn(f"attributes not in the label schema are not written: {', '.join(sorted(extra))}")


FORMAT = ExportFormat(
    name="csv",
    title="CSV table, one row per annotation",
    filename="annotations.csv",
    suffixes=(".csv",),
    importable=False,
    write=write,
    relations=False,
    notes="""
One row per annotation, comma-separated, RFC 4180 quoting, UTF-8 with a byte-order mark (so Excel
reads Arabic and emoji correctly; `pandas.read_csv` and Python's `csv` with
`encoding="utf-8-sig"` drop it). Columns: `document_id`, `document_title`, `outlet`,
`published`, `annotation_id`, `label`, `quote`, `start`, `end` (code points, end exclusive),
`reviewer`, `layer`, `note`, `entity` (linked entity's name), then one column per attribute in
the label schema (named `attribute:NAME` if NAME is also a fixed column). Lists and objects are
JSON; booleans `true`/`false`.

Lines end CRLF (RFC 4180); a cell holding a comma, quote or line break is quoted.

**Formula neutralising**: a cell (header included) whose first non-space character is `=`, `+`,
`-`, `@` or a full-width `＝ ＋ － ＠`, or that begins with a tab or carriage return, gets a leading
`'`, so no spreadsheet runs it as a formula (the quote `-5%` is written `'-5%`). Plain numbers
(`-5`, `+3`, `-1.5`, `1e5`) are written as they are, so numeric columns read as numbers. Strip one
leading `'` from a cell that starts with `'` followed by one of those characters (or by spaces and
one of them) to get the value back.
""",
)
