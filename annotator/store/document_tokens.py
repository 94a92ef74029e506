"""``document_tokens``: each text's tokens, stored by the writes (``annotator/stored_tokens.py``).

A derived table: keyed by the text's SHA-256 and the tokenizer's version, not by document; not logged,
not synced or merged, safe to delete (every text is then a miss, tokenized again on read).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.store import export_part
from annotator.store.database import Database

Row = tuple[Any, Any, Any, Any, Any]
"""(sha256, tokenizer, starts, ends, words) as stored: the reader checks every field before believing it."""


def current(db: Database, hashes: Iterable[str], tokenizer: str) -> set[str]:
    """The hashes among ``hashes`` that have a row of ``tokenizer``'s version."""
    sql = ("SELECT t.sha256 FROM document_tokens t JOIN json_each(?) h ON t.sha256 = h.value "
           "WHERE t.tokenizer = ?")
    return {r[0] for r in db.execute(sql, [json.dumps(list(hashes)), tokenizer])}


def store(db: Database, rows: Sequence[tuple[str, str, bytes, bytes, str]]) -> None:
    """Insert or replace (sha256, tokenizer, starts, ends, words) rows (a row of another version is replaced)."""
    if rows:
        db.conn.executemany("INSERT OR REPLACE INTO document_tokens (sha256, tokenizer, starts, ends, words) "
                            "VALUES (?, ?, ?, ?, ?)", rows)


def by_document(db: Database, document_ids: Sequence[str]) -> dict[str, Row]:
    """Document id -> the stored row found through its ``documents.sha256`` (a hint only: the reader compares the
    row's key with the hash of the text it read). ``{}`` when the file has no such table (an older file opened
    read-only). The query is ``export_part.tokens_of``'s, which the CoNLL export's second process runs alone."""
    return export_part.tokens_of(db.conn, document_ids)


def in_order(db: Database, document_ids: Sequence[str], batch: int) -> Iterator[Row | None]:
    """``by_document``'s row of each of ``document_ids`` in that order (None: none stored), read ``batch``
    documents per query: an export reads its texts as many at a time."""
    for first in range(0, len(document_ids), batch):
        ids = document_ids[first:first + batch]
        rows = by_document(db, ids)
        for document_id in ids:
            yield rows.get(document_id)


def texts_in_batches(db: Database, batch: int) -> Iterator[list[str]]:
    """Every document's text, ``batch`` at a time (in rowid order): never every text in memory at once."""
    last = -1
    while True:
        rows = db.execute("SELECT rowid, text FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?",
                          [last, batch]).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [text for _, text in rows if isinstance(text, str)]


def prune(db: Database, hashes: Iterable[str]) -> int:
    """Delete the rows of ``hashes`` that no document's ``sha256`` names any more (texts deleted); how many."""
    wanted = json.dumps(sorted(set(hashes)))
    return db.execute("DELETE FROM document_tokens WHERE sha256 IN (SELECT value FROM json_each(?)) "
                      "AND sha256 NOT IN (SELECT sha256 FROM documents WHERE sha256 IN (SELECT value FROM json_each(?)))",
                      [wanted, wanted]).rowcount


def prune_all(db: Database) -> int:
    """Delete every row whose key no document's ``sha256`` names (left by other programs' deletes); how many."""
    return db.execute("DELETE FROM document_tokens WHERE sha256 NOT IN (SELECT sha256 FROM documents)").rowcount


def counts(db: Database, tokenizer: str) -> tuple[int, int]:
    """(rows of ``tokenizer``'s version, rows of any other version)."""
    row = db.execute("SELECT count(*) FILTER (WHERE tokenizer = ?), count(*) FILTER (WHERE tokenizer <> ?) "
                     "FROM document_tokens", [tokenizer, tokenizer]).fetchone()
    return int(row[0]), int(row[1])
