"""What the ClaimReview export reads: the selected claims that may carry a rating, not every annotation.

Reading and parsing every selected annotation to keep the few rated claims cost more than the
floor of writing all of them as JSON; SQLite leaves out the annotations with no attributes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from annotator.store.database import Database

_DOCUMENT = itemgetter(1)
_TEXT_ORDER = itemgetter(2, 3, 0)  # start, end, id in CLAIM_COLUMNS


CLAIM_COLUMNS = ("id", "document_id", "start", "end", "label_id", "quote", "annotator", "attributes", "updated_at")
"""What a review is made of, in this order: not the prefix, suffix, note or layer the other fifteen columns held
(reading those of 40,000 rated claims was a third of the read)."""


def rating_candidates(db: Database, where: str, params: Sequence[Any],
                      claim_label_ids: Sequence[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Selected annotations (``CLAIM_COLUMNS``, grouped by document, in text order) that are claims with any
    attributes, plus every other one whose attributes are not a JSON object: the caller parses them all, keeps
    the rated claims and raises on a bad value, as a full read would, rather than a bad row being skipped unseen.
    Python decides; this only narrows. The usual ``'{}'`` is left out without SQLite parsing it, and a claim's
    attributes are parsed once, by the caller (SQLite's three JSON tests of each were a fifth of the read)."""
    sql = f"""
        SELECT {", ".join(CLAIM_COLUMNS)} FROM annotations
        WHERE ({where}) AND CASE WHEN attributes = '{{}}' THEN 0 WHEN label_id IN (SELECT value FROM json_each(?)) THEN 1
            WHEN json_valid(attributes) THEN json_type(attributes) <> 'object' ELSE 1 END"""
    values = [*params, json.dumps(list(claim_label_ids))]
    # grouped here and each document's rows sorted by (start, end, id): SQLite's ORDER BY sorted every candidate
    # first (a fifth of the read of 40,000 rated claims)
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
