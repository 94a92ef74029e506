"""``csv``: one row per annotation, for spreadsheets and pandas.

Spreadsheets run a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula, and a quote
from a news article can begin that way ("-5%", "=", "@user"); such cells get a leading ``'``
(OWASP's advice for CSV injection; tab and carriage return are neutralised the same way).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from annotator.exporters.common import ExportFormat, ExportJob

COLUMNS = ("document_id", "document_title", "outlet", "published", "annotation_id", "label", "quote", "start", "end",
           "reviewer", "layer", "note", "entity")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet will show as text, never evaluate."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return "'" + str(value)
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def attribute_columns(job: ExportJob) -> list[tuple[str, str]]:
    """(attribute name, column name) in schema order; a name that clashes with a fixed column is prefixed."""
    names: dict[str, None] = {}
    for label in job.labels:
        if label.kind == "span" and (not job.filters.labels or label.name in job.filters.labels):
            for definition in label.attributes:
                names.setdefault(definition["name"], None)
    return [(name, f"attribute:{name}" if name in COLUMNS else name) for name in names]


def write(job: ExportJob, target: Path) -> None:
    columns = attribute_columns(job)
    known = {name for name, _ in columns}
    entities = {e.id: e.name for e in job.selection.entities}
    extra: set[str] = set()
    # utf-8-sig: Excel reads a UTF-8 file as the local code page unless it starts with a BOM.
    with target.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*COLUMNS, *(column for _, column in columns)])
        for item in job.documents():
            d = item.document
            for a in item.annotations:
                extra |= set(a.attributes) - known
                row = [d.id, d.title, d.outlet, d.published, a.id, a.label, a.quote, a.start, a.end, a.annotator,
                       a.layer, a.note, entities.get(a.entity_id or "", "")]
                row += [a.attributes.get(name) for name, _ in columns]
                writer.writerow([neutralise(_cell(v)) for v in row])
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

**Formula neutralising**: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
gets a leading `'`, so no spreadsheet runs it as a formula (the quote `-5%` is written `'-5%`).
Strip one leading `'` from such cells to get the value back.
""",
)
