"""ClaimReview reads only the claims that may carry a rating (``store.claim_reads``); the output must be the one
the plain path (every selected annotation, through ``job.documents()``) writes, whatever the attributes hold,
and a damaged attributes value must still stop the export rather than be skipped."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator import Project
from annotator.exporters import claimreview, export
from annotator.exporters.common import Filters
from annotator.store.file import BadRowError

RAW_ATTRIBUTES = [
    '{"rating": "false"}', '{"rating": 0}', '{"rating": false}', '{"rating": null}', '{"rating": "  "}',
    '{"rating": 3}', '{"r\\u0061ting": "true"}', '{"rating": "true", "rating": ""}', '{"rating": "", "rating": "mixed"}',
    '{"rating": NaN}', '{"certainty": "reported"}', "{}", "", '{"rating": ["a"]}', '{"rating": {"x": 1}}',
]


def _plain(job):  # type: ignore[no-untyped-def]
    return (a for item in job.documents() for a in item.annotations)


def _exports(project: Project, folder: Path, filters: Filters | None = None) -> tuple[str, str]:
    fast = export(project, "claimreview", folder / "fast.jsonld", filters, force=True, options={"review_author": "Desk"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(claimreview, "_rated_claims", _plain)
        plain = export(project, "claimreview", folder / "plain.jsonld", filters, force=True, options={"review_author": "Desk"})
    assert fast.warnings == plain.warnings
    return fast.data.read_text(encoding="utf-8"), plain.data.read_text(encoding="utf-8")


@pytest.fixture
def claims(seeded: Project, raw_db: sqlite3.Connection) -> list[str]:
    project = seeded
    ids = []
    for number, document in enumerate(project.documents(with_text=False)):
        for index, raw in enumerate(RAW_ATTRIBUTES):
            start = 10 + 7 * index
            label = "Claim" if index % 4 else ("Actor" if number % 2 else "Claim")  # a rating on an Actor is not reviewed
            annotator = "ana" if index % 3 else "ben"
            id = project.add_annotation(document.id, start, start + 5, label, annotator=annotator, attributes={}).id
            raw_db.execute("UPDATE annotations SET attributes = ? WHERE id = ?", [raw, id])
            raw_db.commit()  # before the project's next write takes the lock
            ids.append(id)
    return ids


def test_claimreview_reads_the_rated_claims_as_the_plain_path_does(seeded: Project, claims: list[str], tmp_path: Path) -> None:
    fast, plain = _exports(seeded, tmp_path)
    assert fast == plain
    assert fast.count('"@type": "ClaimReview"') >= 4 * len(seeded.documents())
    fast, plain = _exports(seeded, tmp_path, Filters(annotators=("ben",)))
    assert fast == plain and '"ClaimReview"' in fast


@pytest.mark.parametrize("damaged", ["not json", "[1]", '"rating"'])
def test_a_damaged_attributes_value_still_stops_the_export(seeded: Project, raw_db: sqlite3.Connection,
                                                            tmp_path: Path, damaged: str) -> None:
    document = seeded.documents(with_text=False)[0]
    id = seeded.add_annotation(document.id, 0, 5, "Actor", annotator="ana", attributes={}).id  # not even a claim
    raw_db.execute("UPDATE annotations SET attributes = ? WHERE id = ?", [damaged, id])
    raw_db.commit()
    with pytest.raises(BadRowError, match=id):
        export(seeded, "claimreview", tmp_path / "out.jsonld")
    assert not (tmp_path / "out.jsonld").exists()
