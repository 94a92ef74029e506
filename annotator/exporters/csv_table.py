"""``csv``: one row per annotation, for spreadsheets and pandas.

Written by ``csvio`` (RFC 4180, UTF-8 with a byte-order mark, formula cells neutralised), so this
export, ``annotator figures --csv`` and the Figures dock write the same dialect.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, compress, repeat
from pathlib import Path
from typing import Any

from annotator.exporters import csvio
from annotator.exporters.common import ExportFormat, ExportJob, without_collector
from annotator.exporters.csvio import FORMULA_STARTS, neutralise

COLUMNS = ("document_id", "document_title", "outlet", "published", "annotation_id", "label", "quote", "start", "end",
           "reviewer", "layer", "note", "entity")
READ = ("label_id", "quote", "annotator", "layer", "entity_id", "attributes", "note")
"""The annotation columns this export reads after the start, end and id (``ExportJob.text_order_rows``)."""
DANGEROUS = (*FORMULA_STARTS, "\t", "\r")
"""What a neutralised cell starts with after its ``'`` (kept for callers that strip it again)."""
_RISKY_START = re.compile("\n[" + "".join(map(re.escape, FORMULA_STARTS)) + "\\s]")
"""A value of a column joined by line breaks (and led by one) that ``csvio.cell`` might change: one starting
with a formula character or with whitespace. A line break inside a value may match too: that only costs the
fast path, never a cell."""
_RISKY_VALUE = re.compile("[" + "".join(map(re.escape, FORMULA_STARTS)) + "\\s]").match
"""Whether a text value might be changed by ``csvio.cell`` (its first character a formula start or whitespace:
``\\s`` is ``str.isspace``); a ``None`` match leaves it as it is."""
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
    layers: dict[str, Any] = {}
    extra: set[str] = set()

    names = [name for name, _ in columns]
    no_attributes = [""] * len(names)

    known_entities = {key: name for key, name in entities.items() if key}  # a falsy entity_id is written ""

    label_cells = {label.id: cell(label.name) for label in job.labels}  # an unknown label id is named "?"

    attribute_cells: dict[Any, tuple[Any, ...]] = {"{}": tuple(no_attributes)}

    def text_column(values: tuple[Any, ...]) -> Sequence[Any] | Iterable[Any]:
        """A text column as ``cell`` makes it: the values themselves when none changes (checked in C), else
        ``cell`` of only the values that start with a formula character or whitespace (found in C)."""
        if safe(values):
            return values
        try:
            risky = list(map(_RISKY_VALUE, values))
        except TypeError:  # a damaged value: a number or NULL where text belongs
            return map(cell, values)
        column = list(values)
        for index in compress(range(len(column)), risky):
            column[index] = cell(column[index])
        return column

    def distinct_cells(values: tuple[Any, ...]) -> Iterable[Any]:
        """A column of few distinct values (notes: most are NULL) with ``cell`` of each value once."""
        converted = {value: cell(value) for value in dict.fromkeys(values)}
        return map(converted.__getitem__, values)

    def layer_cell(layer: Any) -> Any:
        converted = layers.get(layer)
        if converted is None:
            converted = layers[layer] = cell(layer)
        return converted

    def attribute_column(ids: tuple[Any, ...], attributes: tuple[Any, ...]) -> Iterable[tuple[Any, ...]]:
        """The attribute cells of each row; each distinct value parsed once, in row order (a bad one raises
        naming the first annotation that holds it)."""
        for value in dict.fromkeys(attributes):
            if value not in attribute_cells:
                parsed = job.parse_attributes(ids[attributes.index(value)], value)
                extra.update(set(parsed) - known)
                attribute_cells[value] = tuple(cell(parsed.get(name)) for name in names) if parsed else tuple(no_attributes)
        return map(attribute_cells.__getitem__, attributes)

    def document_rows(head: list[Any], spans: list[tuple[Any, ...]]) -> Iterable[Sequence[Any]]:
        """A document's rows, zipped in C from its columns, each column converted as a whole: as it is when
        ``cell`` would leave every value (nearly always), value by value otherwise; a document's fields,
        labels, layers, entity names and attribute values are converted once each."""
        if not spans:
            return ()
        starts, ends, ids, label_ids, quotes, annotators, layer_values, entity_ids, attributes, notes, _ = zip(*spans)
        if attributes.count("{}") == len(attributes):
            attribute_values: Iterable[Iterable[Any]] = [repeat("")] * len(names)
        else:  # parsed even when the schema has no attributes: unknown ones are warned of, bad ones raise
            attribute_values = zip(*attribute_column(ids, attributes))
        return zip(*map(repeat, head), text_column(ids), map(label_cells.get, label_ids, repeat("?")), text_column(quotes), starts, ends,
                   text_column(annotators), layer_values if safe(layer_values) else map(layer_cell, layer_values),
                   distinct_cells(notes) if any(notes) else notes, map(known_entities.get, entity_ids, repeat("")),
                   *attribute_values)

    def all_rows() -> Iterator[Iterable[Sequence[Any]]]:
        # only the columns written (text_order_rows): no text, prefix, suffix or timestamps
        for d, _, spans, _ in job.text_order_rows(READ, texts=False):
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
    write=without_collector(write),
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
