"""Exports for the field: the casualty table (read back with pandas) and ClaimReview JSON-LD
(expanded with pyld, and checked for the fields Google's fact-check documentation requires:
https://developers.google.com/search/docs/appearance/structured-data/factcheck)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import ok, one_line_error, run
from fixtures_seed_figures import SOHR, TOLLS, annotate_seed_tolls

from annotator import Project
from annotator.defaults import CLAIM_RATINGS
from annotator.exporters import FORMATS, export
from annotator.store import schema
from annotator.store.database import Database

pd = pytest.importorskip("pandas")


@pytest.fixture
def tolls(seeded: Project) -> Project:
    ids = annotate_seed_tolls(seeded)
    seeded.ids = ids  # type: ignore[attr-defined]
    return seeded


def _read(path: Path):
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])


def test_casualty_table_has_one_row_per_source_claim(tolls: Project, tmp_path: Path) -> None:
    export(tolls, "casualties", tmp_path / "table.csv")
    table = _read(tmp_path / "table.csv")
    assert list(table.columns[:6]) == ["source", "counted", "category", "low", "best", "high"]
    sohr = table[table["source"] == SOHR]
    assert sorted(sohr["best"]) == sorted(t["value"] for t in TOLLS.values())  # each SOHR figure once
    assert (sohr["appearances"] == 1).all()
    row = sohr[sohr["best"] == 973].iloc[0]
    assert (row["low"], row["qualifier"], row["outlets"], row["quote"]) == (
        973, "at least", "The Cradle", "at least 973 Alawite civilians")
    assert pd.isna(row["high"]) and pd.isna(row["location"])
    assert sohr[sohr["best"] == 1200].iloc[0]["urls"] == "https://www.independent.co.uk"


def test_a_figure_repeated_by_another_outlet_is_one_row_with_two_appearances(tolls: Project, tmp_path: Path) -> None:
    original = tolls.annotation(tolls.ids["at least 973 Alawite civilians"])  # type: ignore[attr-defined]
    other = next(d for d in tolls.documents() if d.id != original.document_id and "at least 42" in d.text)
    start = other.text.index("at least 42")
    actor = next(a for a in tolls.annotations() if a.document_id == other.id and a.entity_id)
    with tolls.group("repeat"):
        copy = tolls.add_annotation(other.id, start, start + len("at least 42"), "Figure", annotator="maya",
                                    attributes={**original.attributes, "counted": "civilians killed", "value": 973,
                                                "lower": 973, "qualifier": "at least", "location": "Latakia",
                                                "period-start": "2025-03-06", "period-end": "2025-03-09"})
        tolls.add_relation(copy.id, actor.id, "attributed-to", annotator="maya")
    export(tolls, "casualties", tmp_path / "table.csv")
    table = _read(tmp_path / "table.csv")
    row = table[(table["source"] == SOHR) & (table["best"] == 973)]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["appearances"] == 2 and row["location"] == "Latakia"
    assert (row["period_start"], row["period_end"]) == ("2025-03-06", "2025-03-09")
    assert set(row["annotation_ids"].split("; ")) == {original.id, copy.id}


def test_casualty_export_follows_filters(tolls: Project, tmp_path: Path) -> None:
    first = tolls.annotation(tolls.ids["over 1,200 Alawites"])  # type: ignore[attr-defined]
    export(tolls, "casualties", tmp_path / "one.csv", filters=None)
    from annotator.exporters import Filters
    export(tolls, "casualties", tmp_path / "two.csv", Filters(documents=[first.document_id]))
    assert list(_read(tmp_path / "two.csv")["best"]) == [1200]


# -- ClaimReview --------------------------------------------------------------------------------

GOOGLE_REQUIRED = ("claimReviewed", "reviewRating", "url")


def _rate(project: Project, rating: str, *, entity: bool = True) -> str:
    document = next(d for d in project.documents() if d.url)
    sentence = document.text.split(".")[0]
    claim = project.add_annotation(document.id, 0, len(sentence), "Claim", annotator="maya",
                                   attributes={"rating": rating})
    if entity:
        actor = next(a for a in project.annotations() if a.document_id == document.id and a.entity_id)
        project.add_relation(claim.id, actor.id, "attributed-to", annotator="maya")
    return claim.id


def _expand(reviews: list[dict[str, Any]]) -> list[dict[str, Any]]:
    jsonld = pytest.importorskip("pyld.jsonld")

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        # No network: schema.org's context maps every term into its vocabulary (https://schema.org/docs/jsonldcontext.jsonld).
        assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
        return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": "https://schema.org/"}}}

    return jsonld.expand(reviews, {"documentLoader": loader})


def test_claimreview_has_googles_fields_and_expands(tolls: Project, tmp_path: Path) -> None:
    claim_id = _rate(tolls, "mostly false")
    _rate(tolls, "unproven", entity=False)
    result = export(tolls, "claimreview", tmp_path / "reviews.jsonld",
                    options={"review_author": "Syria Desk", "review_url": "https://factcheck.example/reviews/"})
    reviews = json.loads((tmp_path / "reviews.jsonld").read_text(encoding="utf-8"))
    assert len(reviews) == 2 and not result.warnings
    review = next(r for r in reviews if r["url"].endswith(claim_id))
    for name in GOOGLE_REQUIRED:
        assert review[name]
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"] == f"https://factcheck.example/reviews/{claim_id}"
    assert review["author"] == {"@type": "Organization", "name": "Syria Desk"}
    rating = review["reviewRating"]
    assert rating == {"@type": "Rating", "alternateName": "mostly false", "ratingValue": 2, "bestRating": 5,
                      "worstRating": 1}
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": SOHR}
    assert item["appearance"][0]["url"] == "https://www.independent.co.uk"
    assert len(review["datePublished"]) == 10
    unproven = next(r for r in reviews if r is not review)
    assert "ratingValue" not in unproven["reviewRating"] and unproven["reviewRating"]["alternateName"] == "unproven"
    expanded = _expand(reviews)
    node = next(n for n in expanded if n["https://schema.org/url"][0]["@value"].endswith(claim_id))
    assert node["@type"] == ["https://schema.org/ClaimReview"]
    reviewed = node["https://schema.org/itemReviewed"][0]
    assert reviewed["@type"] == ["https://schema.org/Claim"]
    assert reviewed["https://schema.org/author"][0]["https://schema.org/name"][0]["@value"] == SOHR
    value = node["https://schema.org/reviewRating"][0]["https://schema.org/ratingValue"][0]["@value"]
    assert value == 2


def test_unrated_claims_are_not_exported_and_cli_options(tolls: Project, tmp_path: Path) -> None:
    document = tolls.documents()[0]
    tolls.add_annotation(document.id, 0, 5, "Claim", annotator="maya")  # no rating
    _rate(tolls, "true")
    tolls.close()
    out = tmp_path / "r.jsonld"
    ok("export", tolls.path, "--format", "claimreview", "-o", out, "--review-author", "Desk")
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert [r["reviewRating"]["ratingValue"] for r in reviews] == [5]
    assert reviews[0]["url"].startswith("urn:uuid:")
    line = one_line_error(run("export", tolls.path, "--format", "csv", "-o", tmp_path / "x.csv", "--review-author", "D"))
    assert "claimreview" in line


def test_rating_vocabulary_and_migration_for_older_projects(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Project.create(path) as project:
        claim = project.label("Claim")
        assert next(d for d in claim.attributes if d["name"] == "rating")["choices"] == list(CLAIM_RATINGS)
    conn = sqlite3.connect(path)
    with conn:  # as a project made before the rating existed; then the migration, twice (it is idempotent)
        conn.execute("UPDATE labels SET attributes = (SELECT json_group_array(json(value)) FROM json_each(labels.attributes) "
                     "WHERE json_extract(value, '$.name') != 'rating') WHERE name = 'Claim'")
    assert "rating" not in conn.execute("SELECT attributes FROM labels WHERE name = 'Claim'").fetchone()[0]
    migration = dict(schema.MIGRATIONS)["claim labels get a rating attribute (ClaimReview export)"]
    assert callable(migration)
    for _ in range(2):
        migration(Database(conn))
    conn.close()
    with Project.open(path) as project:
        names = [d["name"] for d in project.label("Claim").attributes]
        assert names.count("rating") == 1 and names[-1] == "rating"
        assert [d["name"] for d in project.label("Actor").attributes] == ["type"]


def test_field_formats_are_registered() -> None:
    assert {"casualties", "claimreview"} <= set(FORMATS)


def test_a_source_of_unknown_kind_gives_no_author_and_says_so(tolls: Project, tmp_path: Path) -> None:
    """schema.org's Claim author is a Person or an Organization; an unlinked actor without a type is neither: no guess."""
    claim_id = _rate(tolls, "false", entity=False)
    claim = tolls.annotation(claim_id)
    actor = tolls.add_annotation(claim.document_id, claim.start, claim.start + 4, "Actor", annotator="maya")
    tolls.add_relation(claim_id, actor.id, "attributed-to", annotator="maya")
    result = export(tolls, "claimreview", tmp_path / "reviews.jsonld")
    [review] = json.loads((tmp_path / "reviews.jsonld").read_text(encoding="utf-8"))
    assert "author" not in review["itemReviewed"]
    assert any("no author" in w and claim_id[:8] in w for w in result.warnings)
    tolls.update_annotation(actor.id, attributes={"type": "person"})
    export(tolls, "claimreview", tmp_path / "again.jsonld")
    [review] = json.loads((tmp_path / "again.jsonld").read_text(encoding="utf-8"))
    assert review["itemReviewed"]["author"]["@type"] == "Person"
