"""doccano's JSON lines built from annotation rows: the standard library only.

``doccano`` writes every line in the exporting process; above a size (and with no relation in the export,
whose entity and relation numbers run on across documents) it hands the last documents to a
second process (``store/export_part.py`` serving this file, ``exporters/second_process.py``), which loads nothing of
``annotator`` but this module and ``annotator/store/export_part.py``, both by path: the same functions write
the same bytes in both, and the exporting process appends their lines after its own.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from itertools import repeat
from operator import add

TYPE_CHECKING = False  # not typing's: importing typing costs the second process 10 ms
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_START = re.Match.start
COLUMNS = ("start", "end", "id", "label_id")
"""What the second process reads of each annotation (after the document id): the offsets, the id that orders
spans at the same offsets (``ExportJob.text_order_rows``'s order) and the label."""


def ascii_line(data: Any) -> str:
    """One JSON Lines record in pure ASCII: whatever encoding doccano's "Auto" guesses, it reads the same text."""
    return json.dumps(data, ensure_ascii=True) + "\n"


def label_triples(text: str, starts: Sequence[Any], ends: Sequence[Any], names: Iterable[str]) -> list[tuple[Any, Any, str]]:
    """``[start, end, label]`` of each span, offsets in UTF-16 units.

    ``utf16_offsets`` mapped over the columns in C instead of a call per offset. An ASCII text (a flag
    CPython keeps) has no astral character to count; tuples are the same JSON arrays as lists."""
    astral = [] if text.isascii() else list(map(_START, _ASTRAL.finditer(text)))  # the positions, in C too
    if not astral:
        return list(zip(starts, ends, names))
    return list(zip(map(add, starts, map(bisect_left, repeat(astral), starts)),
                    map(add, ends, map(bisect_left, repeat(astral), ends)), names))


def plain_line(document_id: str, text: str, triples: list[tuple[Any, Any, str]],
               metadata: Iterable[tuple[str, Any]]) -> str:
    """A document's line without relations: text, label triples, the metadata keys, the document id."""
    line: dict[str, Any] = {"text": text, "label": triples}
    line.update(metadata)
    line["document_id"] = document_id
    return ascii_line(line)


TEXT_BATCH = 200
"""Documents whose texts are read at a time: never every text in memory at once."""


def run_part(task: dict[str, Any], store: Any) -> dict[str, Any]:
    """The second process's work: read its documents' rows and texts (``store``: ``store/export_part.py``) and
    return their lines, in order, as ASCII bytes."""
    documents = task["documents"]  # (id, metadata as (key, value) pairs)
    names = task["labels"]
    conn = store.connect(task["path"])
    lines: list[str] = []
    try:
        grouped = store.rows_within(conn, COLUMNS, task["where"], task["params"], [d[0] for d in documents])
        for start in range(0, len(documents), TEXT_BATCH):
            batch = documents[start:start + TEXT_BATCH]
            texts = store.texts_of(conn, [d[0] for d in batch])
            for document_id, metadata in batch:
                text = texts[document_id]
                rows = grouped.pop(document_id, None)
                if rows:
                    _, starts, ends, _, label_ids = zip(*rows)
                    triples = label_triples(text, starts, ends, map(names.get, label_ids, repeat("?")))
                else:
                    triples = []
                lines.append(plain_line(document_id, text, triples, metadata))
    finally:
        conn.close()
    return {"lines": "".join(lines).encode("ascii")}
