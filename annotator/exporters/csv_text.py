"""CSV cells and the csv export's rows: the standard library only.

``csvio`` (every CSV the project writes) takes its cells and dialect from here, and ``csv_table`` its rows. Above a
size the csv export hands the last documents to a second process (``store/export_part.py`` serving this file,
``exporters/second_process.py``), which loads nothing of ``annotator`` but this module and
``annotator/store/export_part.py``, both by path: the same functions neutralise the same cells and write the same
bytes in both, and the exporting process appends the other's after its own.
"""

from __future__ import annotations

import csv
import io
import json
import re
from itertools import chain, compress, repeat

TYPE_CHECKING = False  # not typing's: importing typing costs the second process 10 ms
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import IO, Any

LINE_END = "\r\n"
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
MAY_NEED_QUOTE = frozenset(FORMULA_STARTS)

READ = ("label_id", "quote", "annotator", "layer", "entity_id", "attributes", "note")
"""The annotation columns the csv export reads after the start, end and id (``ExportJob.text_order_rows``)."""
_RISKY_START = re.compile("\n[" + "".join(map(re.escape, FORMULA_STARTS)) + "\\s]")
"""A value of a column joined by line breaks (and led by one) that ``cell`` might change: one starting
with a formula character or with whitespace. A line break inside a value may match too: that only costs the
fast path, never a cell."""
_RISKY_VALUE = re.compile("[" + "".join(map(re.escape, FORMULA_STARTS)) + "\\s]").match
"""Whether a text value might be changed by ``cell`` (its first character a formula start or whitespace:
``\\s`` is ``str.isspace``); a ``None`` match leaves it as it is."""


def cell_text(value: Any) -> str:
    """A value as cell text: None empty, booleans ``true``/``false``, lists and objects JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def neutralise(text: str) -> str:
    """Cell text a spreadsheet shows as text and never evaluates; a plain number is returned as is."""
    if text.startswith(("\t", "\r")):
        return "'" + text
    if text.lstrip().startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text.strip()):
        return "'" + text
    return text


def cell(value: Any) -> Any:
    """One cell as ``csvio.write_rows`` writes it (``neutralise(cell_text(value))``, ints and None left to the writer)."""
    if type(value) is str:
        return neutralise(value) if value and (value[0] in MAY_NEED_QUOTE or value[0].isspace()) else value
    if value is None:
        return ""
    return value if type(value) is int else neutralise(cell_text(value))


def writer(stream: IO[str]) -> Any:
    """The dialect: RFC 4180 quoting, CRLF line ends."""
    return csv.writer(stream, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL)


def safe(values: tuple[Any, ...]) -> bool:
    """Whether ``cell`` leaves every value as it is: all text, none starting with a formula character or
    whitespace (``_RISKY_START`` on the column joined, in C, instead of a test per cell)."""
    try:
        joined = "\n".join(values)
    except TypeError:  # a damaged row: a number or NULL where text belongs
        return False
    return _RISKY_START.search("\n" + joined) is None


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


class Rows:
    """A document's rows (``__call__``) from its ``text_order_rows`` spans, with the cells of the export's labels
    (an unknown label id is named "?"), entities (a falsy entity id is written "") and layers made once each.

    ``attribute_cells`` gives the attribute cells of each row from the ids and raw ``attributes`` values of a
    document; ``width``: how many attribute columns."""

    def __init__(self, label_cells: dict[Any, Any], entity_cells: dict[Any, Any], width: int,
                 attribute_cells: Callable[[tuple[Any, ...], tuple[Any, ...]], Iterable[tuple[Any, ...]]]) -> None:
        self.label_cells = label_cells
        self.entity_cells = {key: name for key, name in entity_cells.items() if key}
        self.no_attributes: list[Iterable[Any]] = [repeat("")] * width
        self.attribute_cells = attribute_cells
        self.layers: dict[Any, Any] = {}

    def layer_cell(self, layer: Any) -> Any:
        converted = self.layers.get(layer)
        if converted is None:
            converted = self.layers[layer] = cell(layer)
        return converted

    def __call__(self, head: Sequence[Any], spans: list[tuple[Any, ...]]) -> Iterable[Sequence[Any]]:
        """A document's rows, zipped in C from its columns, each column converted as a whole: as it is when
        ``cell`` would leave every value (nearly always), value by value otherwise; a document's fields
        (``head``, cells already), labels, layers, entity names and attribute values are converted once each."""
        if not spans:
            return ()
        starts, ends, ids, label_ids, quotes, annotators, layer_values, entity_ids, attributes, notes, _ = zip(*spans)
        if attributes.count("{}") == len(attributes):
            attribute_values: Iterable[Iterable[Any]] = self.no_attributes
        else:  # parsed even when the schema has no attributes: unknown ones are warned of, bad ones raise
            attribute_values = zip(*self.attribute_cells(ids, attributes))
        return zip(*map(repeat, head), text_column(ids), map(self.label_cells.get, label_ids, repeat("?")),
                   text_column(quotes), starts, ends, text_column(annotators),
                   layer_values if safe(layer_values) else map(self.layer_cell, layer_values),
                   distinct_cells(notes) if any(notes) else notes, map(self.entity_cells.get, entity_ids, repeat("")),
                   *attribute_values)


def run_part(task: dict[str, Any], store: Any) -> dict[str, Any]:
    """The second process's work: read its documents' spans (``store``: ``store/export_part.py``) and return
    their rows as CSV, UTF-8 bytes without a byte-order mark. Its documents come as (id, cells of id, title,
    outlet, published); the attribute cells of every distinct ``attributes`` value were made by the exporting
    process (a value missing here fails this process, and that one writes these documents itself)."""
    documents = task["documents"]
    conn = store.connect(task["path"])
    try:
        grouped = store.spans(conn, READ, *store.within(task["where"], task["params"], [d[0] for d in documents]))
    finally:
        conn.close()
    parsed = task["attributes"]
    rows = Rows({key: cell(name) for key, name in task["labels"].items()}, task["entities"], task["width"],
                lambda ids, values: map(parsed.__getitem__, values))
    data = io.BytesIO()
    out = io.TextIOWrapper(data, encoding="utf-8", newline="")  # encoded as it goes: a StringIO's text cost 30% more
    writer(out).writerows(chain.from_iterable(rows(head, grouped.pop(document_id, [])) for document_id, *head in documents))
    out.flush()
    return {"text": data.getvalue()}
