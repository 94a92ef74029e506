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
