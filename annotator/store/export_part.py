"""A second process's entry and what it reads for its part of an export: the standard library only.

A process started to build part of a large export runs this file (``main``: ``python -I -S export_part.py
SCRIPT``), which imports the format's lean module (``exporters/xmi_text.py``, ...) and nothing of ``annotator``
(but ``stored_tokens`` under a stand-in package, for the tokens); it opens the project read-only and reads its
documents' annotation rows in the order ``store.exports.annotation_columns_by_document`` gives them (start, end,
id within a document: SQLite's order, which that function also falls back to), and writes its result framed for
``result_of`` (``serve``: large byte strings after the marshalled rest).
"""

from __future__ import annotations

import json
import os
import sqlite3
from itertools import groupby
from operator import itemgetter

TYPE_CHECKING = False  # not typing's: importing it costs the second process 10 ms
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

COLUMNS = frozenset(("id", "document_id", "start", "end", "label_id", "quote", "prefix", "suffix", "annotator", "layer",
                     "entity_id", "attributes", "note", "created_at", "updated_at"))


WHOLE_OFFSETS = "typeof(start) = 'integer' AND typeof(\"end\") = 'integer'"
"""An annotation whose start and end are whole numbers: what every view and format can place. The schema's CHECK
(``start >= 0 AND end > start``) lets another program's fraction or text through (``annotations.placeable`` is
the same test on a row in Python)."""

_PLAIN = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.~")


def connect(path: str) -> sqlite3.Connection:
    """The project at ``path``, read-only (its URI percent-encoded here: urllib.parse cost 20 ms to import)."""
    absolute = os.path.abspath(path).replace(os.sep, "/")
    quoted = "".join(chr(byte) if byte in _PLAIN else f"%{byte:02X}" for byte in os.fsencode(absolute))
    return sqlite3.connect(f"file:{'' if quoted.startswith('/') else '/'}{quoted}?mode=ro", uri=True)


def within(where: str, params: Sequence[Any], document_ids: Sequence[str]) -> tuple[str, list[Any]]:
    """An export's annotation filter narrowed to ``document_ids`` (one JSON parameter, however many they are)."""
    return f"({where}) AND document_id IN (SELECT value FROM json_each(?))", [*params, json.dumps(list(document_ids))]


def rows_within(conn: sqlite3.Connection, columns: Sequence[str], where: str, params: Sequence[Any],
                document_ids: Sequence[str]) -> dict[str, list[tuple[Any, ...]]]:
    """The selected annotations of ``document_ids`` as rows of ``columns`` after the document id, grouped by
    document, each group in text order (start, end, id)."""
    _check(columns)
    narrowed, values = within(where, params, document_ids)
    sql = f"SELECT document_id, {', '.join(columns)} FROM annotations WHERE {narrowed} ORDER BY document_id, start"
    grouped = {document_id: list(rows) for document_id, rows in groupby(conn.execute(sql, values), itemgetter(0))}
    order = itemgetter(*(1 + list(columns).index(name) for name in ("start", "end", "id")))
    try:  # along the index, then each document's few rows sorted here (as store.exports does, for the same reason)
        for rows in grouped.values():
            rows.sort(key=order)
    except TypeError:  # a damaged value Python cannot compare with the others: SQLite's order
        sql += ", end, id"
        grouped = {document_id: list(rows) for document_id, rows in groupby(conn.execute(sql, values), itemgetter(0))}
    return grouped


def counted_rows(conn: sqlite3.Connection, columns: Sequence[str], where: str, params: Sequence[Any],
                 also: tuple[str, Sequence[Any]] | None = None) -> dict[Any, list[tuple[Any, ...]]]:
    """The annotations ``where`` selects as rows of ``columns`` alone, grouped by document (id -> rows), each group
    in the index's order (by start only: for a writer that sorts them its own way, as CoNLL does). ``also``: one
    more column after them, an SQL expression and its parameters (CoNLL's ``Codes.sql``).

    No document id in each row: how many rows each document has is read first (from the index alone), then the
    rows in the same order, cut by those counts. The id was a seventh of what CoNLL's read cost (a string per row).
    A commit between the two reads, by another connection (``PRAGMA data_version``) or by this one
    (``total_changes``), or counts that do not add up to the rows, and they are read again with the document id in
    every row, in one statement."""
    _check(columns)
    selected, values = ", ".join(columns), list(params)
    if also is not None:
        selected, values = f"{selected}, {also[0]}", [*also[1], *params]
    before = _version(conn)
    counts = conn.execute(f"SELECT document_id, count(*) FROM annotations WHERE {where} GROUP BY document_id "
                          "ORDER BY document_id", list(params)).fetchall()
    order = f"FROM annotations WHERE {where} ORDER BY document_id, start"
    rows = conn.execute(f"SELECT {selected} {order}", values).fetchall()
    if _version(conn) != before or sum(count for _, count in counts) != len(rows):
        return {document_id: [row[1:] for row in group] for document_id, group in groupby(
            conn.execute(f"SELECT document_id, {selected} {order}", values), itemgetter(0))}
    grouped, first = {}, 0
    for document_id, count in counts:
        grouped[document_id] = rows[first:first + count]
        first += count
    return grouped


def _version(conn: sqlite3.Connection) -> tuple[int, int]:
    """What changes when anyone commits to the file: other connections (``data_version``), this one (``total_changes``)."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


def _check(columns: Sequence[str]) -> None:
    unknown = set(columns) - COLUMNS
    if unknown:
        raise ValueError(f"not annotation columns: {', '.join(sorted(unknown))}")


def spans(conn: sqlite3.Connection, columns: Sequence[str], where: str, params: Sequence[Any]
          ) -> dict[str, list[tuple[Any, ...]]]:
    """Rows ``(start, end, id, *columns, document_id)`` of the annotations ``where`` selects, by document, each
    group in text order (``store.exports.spans_by_document``, which runs this for the exporting process).

    Read in the table's own order and grouped by runs of one document: reading along the
    ``(document_id, start)`` index looked every row up in the table (a seek per annotation, a sixth of the
    read). Each group is then sorted as tuples, with no key function:
    ``(start, end, id)`` lead and ids are unique, so a tie never reaches the other columns. Python orders
    ints, reals and strings as SQLite does; a damaged row Python cannot compare (text where a number
    belongs, a NULL id twice) makes the whole read go through SQLite's ORDER BY instead."""
    unknown = set(columns) - COLUMNS
    if unknown:
        raise ValueError(f"not annotation columns: {', '.join(sorted(unknown))}")
    selected = ", ".join(("start", "end", "id", *columns, "document_id"))
    last = itemgetter(3 + len(columns))
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for document_id, run in groupby(conn.execute(f"SELECT {selected} FROM annotations WHERE {where}", list(params)), last):
        known = grouped.get(document_id)
        if known is None:
            grouped[document_id] = list(run)
        else:
            known.extend(run)  # the document's rows were not all written together
    try:
        for rows in grouped.values():
            rows.sort()
    except TypeError:
        sql = f"SELECT {selected} FROM annotations WHERE {where} ORDER BY document_id, start, end, id"
        return {document_id: list(rows) for document_id, rows in groupby(conn.execute(sql, list(params)), last)}
    return grouped


def distinct_attributes(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[Any]:
    """Each distinct ``attributes`` value of the annotations ``where`` selects but ``'{}'`` (NULL and damaged values
    too): one scan, for a writer that parses them all before a second process writes their cells."""
    return [row[0] for row in conn.execute(
        f"SELECT DISTINCT attributes FROM annotations WHERE ({where}) AND attributes IS NOT '{{}}'", list(params))]


def texts_of(conn: sqlite3.Connection, document_ids: Sequence[str]) -> dict[str, str]:
    """Document id -> text of ``document_ids``."""
    return dict(conn.execute("SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                             [json.dumps(list(document_ids))]).fetchall())


def tokens_of(conn: sqlite3.Connection, document_ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """Document id -> its text's stored tokens row (sha256, tokenizer, starts, ends, words), found through
    ``documents.sha256`` (``store/document_tokens.by_document``'s query: the reader checks the row against the text
    it read); ``{}`` when the file has no such table."""
    try:
        return {r[0]: r[1:] for r in conn.execute(
            "SELECT d.id, t.sha256, t.tokenizer, t.starts, t.ends, t.words FROM documents d "
            "JOIN document_tokens t ON t.sha256 = d.sha256 WHERE d.id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(document_ids))])}
    except sqlite3.OperationalError:
        return {}


RAW_FROM = 1 << 16
"""Bytes in a result from which they follow the rest raw (``serve``), instead of being copied into its marshal."""
RAW = "\x00raw"
"""The key under which the marshalled rest names the raw values, in order: (key, length) pairs."""


def serve(run_part: Callable[[dict[str, Any], Any], dict[str, Any]]) -> None:
    """The second process's work (``main``): a ``marshal``led task on stdin, ``run_part(task, this module)``'s result
    on stdout (marshal: built in, where importing pickle cost 5 ms), framed for ``result_of``: the length of the
    marshalled rest (8 bytes, little-endian), the rest, then its large byte strings (``RAW_FROM``) as they are.
    Marshalling CoNLL's 2.6 MB of lines with the rest cost 4 ms more than the rest alone: the output grows by copies."""
    import marshal
    import sys

    task = marshal.loads(sys.stdin.buffer.read())
    result = run_part(task, sys.modules[__name__])
    raw = {key: value for key, value in result.items() if type(value) is bytes and len(value) >= RAW_FROM} \
        if type(result) is dict else {}
    head = marshal.dumps({**{key: value for key, value in result.items() if key not in raw},
                          RAW: [(key, len(value)) for key, value in raw.items()]} if raw else result)
    out = sys.stdout.buffer
    out.write(len(head).to_bytes(8, "little"))
    out.write(head)
    for value in raw.values():
        out.write(value)
    out.flush()


def result_of(output: bytes) -> Any:
    """What ``serve`` wrote: the marshalled rest with its raw byte strings back in place. Raises ``ValueError`` (or
    marshal's ``EOFError``/``TypeError``) when the output is not whole."""
    import marshal

    size = int.from_bytes(output[:8], "little")
    if len(output) < 8 + size:
        raise ValueError("a second process's output ended early")
    result = marshal.loads(memoryview(output)[8:8 + size])
    position = 8 + size
    if type(result) is dict and RAW in result:
        for key, length in result.pop(RAW):
            result[key] = output[position:position + length]
            position += length
    if position != len(output):
        raise ValueError("a second process's output is not as long as it says")
    return result


def stored_tokens() -> Any:
    """``annotator.stored_tokens``, in a second process without the package: an empty ``annotator`` module stands
    for it, so that only that module and its own imports (``tokens``, ``unicode_marks``) load; the package's
    ``__init__`` costs 0.14 s. In a process that has the package, the package's."""
    import sys

    if "annotator" not in sys.modules:
        stand_in = type(sys)("annotator")
        stand_in.__path__ = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
        sys.modules["annotator"] = stand_in
    from annotator import stored_tokens as module

    return module


def main() -> None:
    """``python -I -S export_part.py SCRIPT``: every second process (``exporters.second_process``). SCRIPT, a lean
    module that imports the standard library only (``exporters/xmi_text.py``, ``qde_text.py``, ``conll_text.py``,
    ``csv_text.py``, ``doccano_text.py``, ``annotator/stored_tokens_process.py``), is imported from its folder and its
    ``run_part(task, this module)`` served. The collector is off (one task, no cycles: it only walked the rows
    again), and the process ends without freeing what it made once its result is written: the parent reads until
    the pipe closes, and a normal exit's clean-up was 10-40 ms on its critical path."""
    import gc
    import sys

    gc.disable()
    script = os.path.abspath(sys.argv[1])
    sys.path.append(os.path.dirname(script))  # last: a module of its folder never stands for a standard one
    serve(__import__(os.path.splitext(os.path.basename(script))[0]).run_part)
    os._exit(0)


if __name__ == "__main__":
    main()
