"""``csv``: one row per annotation, for spreadsheets and pandas.

Written by ``csvio`` (RFC 4180, UTF-8 with a byte-order mark, formula cells neutralised), so this
export, ``annotator figures --csv`` and the Figures dock write the same dialect. Above ``PROCESS_ABOVE`` annotations
the last documents' rows are built by a second process (``csv_text``, the standard library only: the same
``Rows`` and cells as here) and appended after this process's own; every distinct ``attributes`` value is parsed
here first (a bad one: no second process, and the rows written here raise as they always did).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError
from annotator.exporters import csv_text, csvio
from annotator.exporters.common import ExportFormat, ExportJob, without_collector
from annotator.exporters.csv_text import READ, Rows, safe
from annotator.exporters.csvio import FORMULA_STARTS, neutralise
from annotator.exporters.second_process import append_part, start_on_last
from annotator.models import Document
from annotator.store import exports as export_rows

COLUMNS = ("document_id", "document_title", "outlet", "published", "annotation_id", "label", "quote", "start", "end",
           "reviewer", "layer", "note", "entity")
DANGEROUS = (*FORMULA_STARTS, "\t", "\r")
"""What a neutralised cell starts with after its ``'`` (kept for callers that strip it again)."""
__all__ = ["COLUMNS", "DANGEROUS", "FORMAT", "READ", "attribute_columns", "neutralise", "safe", "write"]

PROCESS_ABOVE = 20_000
"""Selected annotations from which the last documents' rows (``SECOND_SHARE``) are built by a second process
(``csv_text``), as the other text exports' (``conll.PROCESS_ABOVE``): the rows and the CSV writer are Python and C
under one GIL (~0.6 s of 100,000 annotations besides reading them)."""

SECOND_SHARE = 0.45
"""The part of the documents (the last ones) the second process builds: it starts ~30 ms behind (the interpreter,
csv and sqlite3) and its 9.5 MB are copied back after. On the benchmark's project this process waited for it
1-12 ms at 42-45%, ~40 ms at 48%, ~80 ms at 50% (medians of 5-7 exports)."""


def attribute_columns(job: ExportJob) -> list[tuple[str, str]]:
    """(attribute name, column name) in schema order; a name that clashes with a fixed column is prefixed."""
    names: dict[str, None] = {}
    for label in job.labels:
        if label.kind == "span" and (not job.filters.labels or label.name in job.filters.labels):
            for definition in label.attributes:
                names.setdefault(definition["name"], None)
    return [(name, f"attribute:{name}" if name in COLUMNS else name) for name in names]


class Attributes:
    """The attribute cells of each distinct ``attributes`` value, parsed once, and the attributes found that the
    schema has no column for (warned of)."""

    def __init__(self, job: ExportJob, names: list[str]) -> None:
        self.job, self.names, self.known = job, names, set(names)
        self.cells: dict[Any, tuple[Any, ...]] = {"{}": ("",) * len(names)}
        self.extra: set[str] = set()

    def add(self, id_: str, value: Any) -> None:
        """``value``'s cells (a bad value raises naming ``id_``)."""
        parsed = self.job.parse_attributes(id_, value)
        self.extra.update(set(parsed) - self.known)
        cell = csv_text.cell
        self.cells[value] = tuple(cell(parsed.get(name)) for name in self.names) if parsed else self.cells["{}"]

    def column(self, ids: tuple[Any, ...], attributes: tuple[Any, ...]) -> Iterable[tuple[Any, ...]]:
        """The attribute cells of each row; each distinct value parsed once, in row order (a bad one raises
        naming the first annotation that holds it)."""
        cells = self.cells
        for value in dict.fromkeys(attributes):
            if value not in cells:
                self.add(ids[attributes.index(value)], value)
        return map(cells.__getitem__, attributes)

    def of(self, document_ids: list[str]) -> dict[str, Any] | None:
        """Every distinct value of those documents' selected annotations parsed now (one scan in SQL, on a
        connection of its own: called by the thread that feeds the second process), for that process:
        ``{"attributes": cells}``; ``None`` when some value is bad (the rows, written here, raise naming the
        first annotation that holds it)."""
        job = self.job
        values = export_rows.distinct_attributes_beside(job.project.path, job.selection.where, job.selection.params,
                                                        document_ids)
        try:
            for value in values:
                self.add("", value)
        except AnnotatorError:
            return None
        return {"attributes": self.cells}


def write(job: ExportJob, target: Path) -> None:
    columns = attribute_columns(job)
    names = [name for name, _ in columns]
    cell = csv_text.cell
    attributes, theirs = Attributes(job, names), Attributes(job, names)  # theirs: the second process's, parsed beside
    entities = {e.id: cell(e.name) for e in job.selection.entities}
    rows = Rows({label.id: cell(label.name) for label in job.labels}, entities, len(names), attributes.column)

    def all_rows(part: slice | None) -> Iterator[Iterable[Any]]:
        # only the columns written (text_order_rows): no text, prefix, suffix or timestamps
        for d, _, spans, _ in job.text_order_rows(READ, texts=False, part=part):
            yield rows(_head(d), spans)

    def later(task: dict[str, Any]) -> dict[str, Any] | None:
        """What the second process needs beyond its documents, worked out beside this process's rows."""
        parsed = theirs.of([document_id for document_id, *_ in task["documents"]])
        return None if parsed is None else {**parsed, "entities": entities, "width": len(names)}

    part = start_on_last(job, os.fspath(csv_text.__file__), PROCESS_ABOVE, SECOND_SHARE, lambda d: (d.id, *_head(d)), later)
    try:
        with csvio.open_file(target) as stream:
            csvio.write_cells(stream, [*COLUMNS, *(column for _, column in columns)],
                              chain.from_iterable(all_rows(slice(0, part.first) if part else None)))
            if part is not None:
                result = part.finish()
                if result is None:  # the process failed: its documents are written here
                    csv_text.writer(stream).writerows(chain.from_iterable(all_rows(slice(part.first, None))))
                else:
                    append_part(job, stream, result["text"])
    finally:
        if part is not None:
            part.stop()
    extra = attributes.extra | theirs.extra
    if extra:
        job.warn(f"attributes not in the label schema are not written: {', '.join(sorted(extra))}")


def _head(document: Document) -> tuple[Any, ...]:
    """A document's cells on each of its rows."""
    cell = csv_text.cell
    return cell(document.id), cell(document.title), cell(document.outlet), cell(document.published)


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
