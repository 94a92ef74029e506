"""What the ClaimReview export reads: the selected claims that may carry a rating, not every annotation.

Reading and parsing every selected annotation to keep the few rated claims cost more than the
floor of writing all of them as JSON; SQLite's JSON functions keep the candidates in C.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from annotator.store.database import Database
from annotator.store.exports import ANNOTATION_COLUMNS

_DOCUMENT = itemgetter(1)
_TEXT_ORDER = itemgetter(2, 3, 0)  # start, end, id in ANNOTATION_COLUMNS


def rating_candidates(db: Database, where: str, params: Sequence[Any], claim_label_ids: Sequence[str],
                      attribute: str = "rating") -> dict[str, list[tuple[Any, ...]]]:
    """Selected annotations (``ANNOTATION_COLUMNS``, grouped by document, in text order) that are claims with
    an ``attribute`` key (or an escape, which SQLite's paths do not decode: ``"r\\u0061ting"`` is that key too),
    plus every one whose attributes are not a JSON object: the caller parses those and raises on them, as a
    full read would, rather than a bad row being skipped unseen. Python decides; this only narrows."""
    sql = f"""
        SELECT {ANNOTATION_COLUMNS} FROM annotations
        WHERE ({where}) AND CASE WHEN json_valid(attributes)
            THEN json_type(attributes) <> 'object'
                 OR (label_id IN (SELECT value FROM json_each(?))
                     AND (json_type(attributes, ?) IS NOT NULL OR instr(attributes, '\\') > 0))
            ELSE 1 END"""
    values = [*params, json.dumps(list(claim_label_ids)), f'$."{attribute}"']
    # grouped here and each document's rows sorted by (start, end, id): SQLite's ORDER BY sorted every candidate
    # with its fifteen columns first (a fifth of the read of 40,000 rated claims)
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for document_id, run in groupby(db.execute(sql, values), _DOCUMENT):
        grouped.setdefault(document_id, []).extend(run)
    try:
        for rows in grouped.values():
            rows.sort(key=_TEXT_ORDER)
    except TypeError:  # a damaged value Python cannot compare with the others: SQLite's order
        return {document_id: list(rows) for document_id, rows in groupby(
            db.execute(sql + " ORDER BY document_id, start, end, id", values), _DOCUMENT)}
    return grouped


def linked(db: Database, labels: Sequence[str]) -> list[tuple[str, str, str]]:
    """(source_id, target_id, label) of every relation of ``labels``, oldest first (ties as written): the order
    ``relations.of_annotation`` gives one annotation's, read once for all claims instead of twice per claim."""
    sql = ("SELECT source_id, target_id, label FROM relations WHERE label IN (SELECT value FROM json_each(?)) "
           "ORDER BY created_at, rowid")
    return db.execute(sql, [json.dumps(list(labels))]).fetchall()
