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
            ELSE 1 END
        ORDER BY document_id, start, end, id"""
    values = [*params, json.dumps(list(claim_label_ids)), f'$."{attribute}"']
    return {document_id: list(rows) for document_id, rows in groupby(db.execute(sql, values), _DOCUMENT)}
