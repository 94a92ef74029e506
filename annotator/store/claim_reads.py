"""What the ClaimReview export reads: the selected claims that may carry a rating, not every annotation.

Reading and parsing every selected annotation to keep the few rated claims cost more than the
floor of writing all of them as JSON; SQLite leaves out the annotations with no attributes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from annotator.store.database import Database
from annotator.store.exports import spans_by_document

CLAIM_COLUMNS = ("label_id", "quote", "annotator", "attributes", "updated_at")
"""What a review is made of besides the start, end and id: not the prefix, suffix, note or layer of the fifteen
columns (reading those of 40,000 rated claims was a third of the read)."""


def rating_candidates(db: Database, where: str, params: Sequence[Any],
                      claim_label_ids: Sequence[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Selected annotations as ``spans_by_document`` reads them (``(start, end, id, *CLAIM_COLUMNS, document_id)``,
    by document, in text order) that are claims with any attributes, plus every other one whose attributes are not
    a JSON object: the caller parses them all, keeps the rated claims and raises on a bad value, as a full read
    would, rather than a bad row being skipped unseen. Python decides; this only narrows. The usual ``'{}'`` is left
    out without SQLite parsing it, and a claim's attributes are parsed once, by the caller (SQLite's three JSON
    tests of each were a fifth of the read)."""
    narrowed = (f"({where}) AND CASE WHEN attributes = '{{}}' THEN 0 WHEN label_id IN (SELECT value FROM json_each(?)) "
                "THEN 1 WHEN json_valid(attributes) THEN json_type(attributes) <> 'object' ELSE 1 END")
    return spans_by_document(db, CLAIM_COLUMNS, narrowed, [*params, json.dumps(list(claim_label_ids))])


def linked(db: Database, labels: Sequence[str]) -> list[tuple[str, str, str]]:
    """(source_id, target_id, label) of every relation of ``labels``, oldest first, ties by id (as every relation read
    orders them: ``relations.of_annotation`` gives one annotation's), read once for all claims, not twice per claim."""
    sql = ("SELECT source_id, target_id, label FROM relations WHERE label IN (SELECT value FROM json_each(?)) "
           "ORDER BY created_at, id")
    return db.execute(sql, [json.dumps(list(labels))]).fetchall()
