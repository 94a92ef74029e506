"""``figure_parses``: each figure quote's parse, stored by the writes (``annotator/figure_values.py``).

A derived table: keyed by the quote text and the parser's version, not logged, not synced or
merged, safe to delete (every row is then a miss, parsed again on read).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from annotator.store.database import Database


def current(db: Database, quotes: Iterable[str], parser: int) -> set[str]:
    """The quotes among ``quotes`` that have a row of ``parser``'s version."""
    sql = ("SELECT p.quote FROM figure_parses p JOIN json_each(?) q ON p.quote = q.value "
           "WHERE p.parser = ?")
    return {r[0] for r in db.execute(sql, [json.dumps(list(quotes), ensure_ascii=False), parser])}


def stored(db: Database, parser: int, quotes: Iterable[str] | None = None) -> dict[str, str]:
    """Quote -> stored parse (JSON text) of ``parser``'s version: of ``quotes``, or of every quote when None (one
    scan of the table: cheaper than a lookup per figure when a read wants most of them)."""
    if quotes is None:
        return _every(db, parser)
    sql = ("SELECT p.quote, p.parsed FROM figure_parses p JOIN json_each(?) q ON p.quote = q.value "
           "WHERE p.parser = ?")
    return dict(db.execute(sql, [json.dumps(list(quotes), ensure_ascii=False), parser]).fetchall())


def _every(db: Database, parser: int) -> dict[str, str]:
    """Every stored parse of ``parser``'s version as one JSON object built by SQLite, decoded by orjson.

    A row at a time, ``sqlite3`` takes and gives back the GIL for each of ~30k rows: read beside the
    casualty table's own figure read (``store.exports.read_beside``), the two threads handed the GIL to
    each other row by row and each read took longer. One value is one step without the GIL and one decode
    (the same dict, in the same order; a quote that is not UTF-8 fails the fetch as the rows' read did).
    """
    import orjson  # not at start-up (see store.connection)

    text = db.execute("SELECT json_group_object(quote, parsed) FROM figure_parses WHERE parser = ?", [parser]).fetchone()[0]
    every: dict[str, str] = orjson.loads(text)
    return every


def prune(db: Database) -> int:
    """Delete the rows whose quote no figure annotation has (left by edits and deletes); how many."""
    return db.execute("DELETE FROM figure_parses WHERE quote NOT IN (SELECT quote FROM annotations "
                      "WHERE label_id IN (SELECT id FROM labels WHERE role = 'figure'))").rowcount


def store(db: Database, rows: Sequence[tuple[str, int, str]]) -> None:
    """Insert or replace (quote, parser, parsed) rows."""
    if rows:
        db.conn.executemany("INSERT OR REPLACE INTO figure_parses (quote, parser, parsed) VALUES (?, ?, ?)", rows)


def figure_quotes(db: Database, label_ids: Sequence[str] | None = None) -> set[str]:
    """The distinct quotes of the annotations of ``label_ids`` (default: every label whose role is ``figure``)."""
    if label_ids is None:
        return {r[0] for r in db.execute(
            "SELECT DISTINCT quote FROM annotations WHERE label_id IN (SELECT id FROM labels WHERE role = 'figure')")}
    return {r[0] for r in db.execute("SELECT DISTINCT quote FROM annotations WHERE label_id IN (SELECT value FROM json_each(?))",
                                     [json.dumps(list(label_ids))])}


def counts(db: Database, parser: int) -> tuple[int, int]:
    """(rows of ``parser``'s version, rows of any other version)."""
    row = db.execute("SELECT count(*) FILTER (WHERE parser = ?), count(*) FILTER (WHERE parser <> ?) FROM figure_parses",
                     [parser, parser]).fetchone()
    return int(row[0]), int(row[1])
