"""ClaimReview reads only the claims that may carry a rating (``store.claim_reads``); the output must be the one
the plain path (every selected annotation, through ``job.documents()``) writes, whatever the attributes hold,
and a damaged attributes value must still stop the export rather than be skipped."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

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


def _expected_item(project: Project, claim_id: str) -> tuple[Any, list[str]]:
    """The rules as the documentation states them, through the public API one claim at a time: the author is the
    first attributed-to actor (its entity's name, else its quote with a type), the appearances the claim's own
    article then those of its same-claim claims, oldest link first."""
    author, documents = None, [project.annotation(claim_id).document_id]
    for relation in project.relations(annotation_id=claim_id):
        other = project.annotation(relation.target_id if relation.source_id == claim_id else relation.source_id)
        if relation.label == "same-claim":
            documents.append(other.document_id)
        elif relation.label == "attributed-to" and author is None and project.role_of(other.label_id) == "actor":
            author = project.entity(other.entity_id).name if other.entity_id else (
                " ".join(other.quote.split()) if other.attributes.get("type") else "")
    return author or None, [project.document(id).title for id in dict.fromkeys(documents)]


def test_claim_links_are_read_once_and_give_what_each_claim_s_relations_give(seeded: Project, tmp_path: Path) -> None:
    """Authors and appearances from relations read once for all claims: an actor shared by two claims, a link
    whose claim is the target, a non-actor source before the actor, an actor with a type and one without (no
    author, a warning), same-claim links into other documents, one outside the filtered documents and one in the
    claim's own document (listed once)."""
    project = seeded
    documents = project.documents()
    entity = project.add_entity("Syrian Observatory for Human Rights", "organisation")

    def span(document: Any, label: str, number: int, **fields: Any) -> str:
        start = 3 + 9 * number
        return project.add_annotation(document.id, start, start + 6, label, annotator="ana", **fields).id

    first, second, third = documents[0], documents[1], documents[2]
    monitor = span(first, "Actor", 0, entity_id=entity.id)
    typed = span(first, "Actor", 1, attributes={"type": "organisation"})
    untyped = span(first, "Actor", 2)
    figure = span(first, "Figure", 3)
    claims = [span(first, "Claim", 4 + n, attributes={"rating": rating})
              for n, rating in enumerate(("false", "mixed", "true", "unproven"))]
    elsewhere = span(second, "Claim", 0, attributes={"rating": "false"})
    outside = span(third, "Claim", 0)
    same_document = span(first, "Claim", 9)
    project.add_relation(claims[0], figure, "attributed-to", annotator="ana")
    project.add_relation(claims[0], monitor, "attributed-to", annotator="ana")
    project.add_relation(monitor, claims[1], "attributed-to", annotator="ana")  # the claim as target
    project.add_relation(claims[2], typed, "attributed-to", annotator="ana")
    project.add_relation(claims[3], untyped, "attributed-to", annotator="ana")
    project.add_relation(claims[0], elsewhere, "same-claim", annotator="ana")
    project.add_relation(outside, claims[0], "same-claim", annotator="ana")
    project.add_relation(claims[0], same_document, "same-claim", annotator="ana")
    project.add_relation(claims[1], elsewhere, "contradicts", annotator="ana")
    for filters in (None, Filters(documents=(first.id, second.id))):
        result = export(project, "claimreview", tmp_path / "out.jsonld", filters, force=True,
                        options={"review_author": "Desk"})
        reviews = {r["url"].removeprefix("urn:uuid:"): r for r in
                   json.loads((tmp_path / "out.jsonld").read_text(encoding="utf-8"))}
        assert set(reviews) == {*claims, elsewhere}
        for claim_id, review in reviews.items():
            author, titles = _expected_item(project, claim_id)
            item = review["itemReviewed"]
            assert item.get("author", {}).get("name") == author, claim_id
            assert [a["headline"] for a in item["appearance"]] == titles, claim_id
        assert reviews[claims[0]]["itemReviewed"]["author"]["name"] == entity.name
        assert len(reviews[claims[0]]["itemReviewed"]["appearance"]) == 3  # own, elsewhere, outside; not twice its own
        assert sum("is not linked to an entity" in w for w in result.warnings) == 1


@pytest.mark.parametrize("chunk", [1, 2, claimreview.CHUNK])
def test_claimreview_bytes_are_json_dumps_indented(seeded: Project, claims: list[str], raw_db: sqlite3.Connection,
                                                   tmp_path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """orjson writes what ``json.dumps(reviews, ensure_ascii=False, indent=2)`` wrote, and a file that ends in a
    line break, however many reviews each chunk holds: quotes in Arabic and emoji, and a rating another program
    wrote with control characters."""
    monkeypatch.setattr(claimreview, "CHUNK", chunk)
    raw_db.execute("UPDATE annotations SET attributes = ? WHERE id = ?",
                   [json.dumps({"rating": "ok\u0001\t\"\\\u2028 😀 مدنيين"}), claims[1]])
    raw_db.commit()
    export(seeded, "claimreview", tmp_path / "out.jsonld", options={"review_author": "Desk"})
    written = (tmp_path / "out.jsonld").read_bytes()
    assert "\u2028 😀 مدنيين" in written.decode("utf-8")
    assert written == (json.dumps(json.loads(written), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert len(json.loads(written)) > 2  # several chunks at 1 and 2


def test_no_rated_claim_is_an_empty_array(seeded: Project, tmp_path: Path) -> None:
    export(seeded, "claimreview", tmp_path / "out.jsonld")
    assert (tmp_path / "out.jsonld").read_bytes() == b"[]\n"
