"""``claimreview``: the claims a reviewer rated, as schema.org ClaimReview JSON-LD (what fact-checkers
publish and search engines read).

A claim is exported when its label plays the claim role and its ``rating`` attribute is set
(vocabulary in ``annotator.defaults.CLAIM_RATINGS``). Fields follow Google's fact-check
structured data documentation (https://developers.google.com/search/docs/appearance/structured-data/factcheck)
and schema.org/ClaimReview; ``docs/formats.md`` lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

import orjson

from annotator.defaults import CLAIM_RATINGS
from annotator.exporters.common import ExportFormat, ExportJob
from annotator.models import Annotation, Document
from annotator.store import claim_reads
from annotator.store.file import json_column

__all__ = ["BEST_RATING", "FORMAT", "RATING_VALUES", "WORST_RATING", "claim_review", "write"]

RATING_VALUES: dict[str, int] = dict(zip(CLAIM_RATINGS[:5], (5, 4, 3, 2, 1)))
"""ratingValue on a 1 (false) to 5 (true) scale; "unproven" (and a word added to the vocabulary) has none."""
BEST_RATING, WORST_RATING = 5, 1
PERSON_TYPES = ("person",)


def _agent(name: str, entity_type: str | None) -> dict[str, Any]:
    """An author node: a Person for a person entity, an Organization for any other kind (or none known)."""
    return {"@type": "Person" if entity_type in PERSON_TYPES else "Organization", "name": name}


def _claim_author(job: ExportJob, claim: Claim, links: _Links) -> dict[str, Any] | None:
    """The source the claim is attributed to (its ``attributed-to`` actor): a Person or an Organization by
    the actor's entity type, else by the actor's own ``type`` attribute. An actor of unknown kind gives no
    author, with a warning: schema.org has no author that is neither, and guessing would publish a wrong one."""
    project = job.project
    for label, other_id in links.of(claim.id):
        if label != ATTRIBUTED_TO:
            continue
        actor = links.annotation(other_id)
        if project.role_of(actor.label_id) != "actor":
            continue
        if actor.entity_id:
            entity = project.entity(actor.entity_id)
            return _agent(entity.name, entity.type)
        name = " ".join(actor.quote.split())
        kind = actor.attributes.get("type")
        if kind:
            return _agent(name, str(kind))
        job.warn(f"claim {claim.id[:8]}: its source {name!r} is not linked to an entity and has no type, "
                 "so the review names no author; link the actor to an entity")
        return None
    return None


ATTRIBUTED_TO, SAME_CLAIM = "attributed-to", "same-claim"


class _Links:
    """The ``attributed-to`` and ``same-claim`` relations by either end, the annotations at their other ends and
    the documents the reviews name, each read once. Asked per claim (two relation queries, an annotation and a
    document with its text), they were half of a ClaimReview export of 33,000 rated claims (1.3 of 2.8 s)."""

    def __init__(self, job: ExportJob) -> None:
        self.project = job.project
        self.by_claim: dict[str, list[tuple[str, str]]] = {}  # either end of a link -> (label, the other end)
        for source, target, label in claim_reads.linked(self.project.db, (ATTRIBUTED_TO, SAME_CLAIM)):
            for claim, other in ((source, target),) if source == target else ((source, target), (target, source)):
                self.by_claim.setdefault(claim, []).append((label, other))
        self.annotations: dict[str, Annotation] = {}
        self.documents: dict[str, Document] = {d.id: d for d in job.selection.documents}  # their text is not read
        self.appearances: dict[str, dict[str, Any]] = {}
        self.ratings: dict[str, dict[str, Any]] = {}
        self.items: dict[str, dict[str, Any]] = {}  # document id -> the item of its claims that have no links

    def of(self, claim_id: str) -> list[tuple[str, str]]:
        """(relation label, the other end's id) of each relation of the claim, oldest first."""
        return self.by_claim.get(claim_id, [])

    def annotation(self, id: str) -> Annotation:
        found = self.annotations.get(id)
        if found is None:
            found = self.annotations[id] = self.project.annotation(id)
        return found

    def rating(self, rating: str) -> dict[str, Any]:
        """The ``Rating`` node of ``rating``, made once."""
        found = self.ratings.get(rating)
        if found is None:
            found = self.ratings[rating] = _review_rating(rating)
        return found

    def item(self, job: ExportJob, claim: Claim) -> dict[str, Any]:
        """``_item``: made once per document for the claims with no link (no author, their article alone)."""
        if claim.id in self.by_claim:
            return _item(job, claim, self)
        found = self.items.get(claim.document_id)
        if found is None:
            found = self.items[claim.document_id] = _item(job, claim, self)
        return found

    def appearance(self, document: Document) -> dict[str, Any]:
        """``_appearance(document)``, made once per document: the reviews share it (orjson writes each in full)."""
        found = self.appearances.get(document.id)
        if found is None:
            found = self.appearances[document.id] = _appearance(document)
        return found

    def document(self, id: str) -> Document:
        """A document the selection holds, or another (a same-claim article the filters leave out), read once."""
        found = self.documents.get(id)
        if found is None:
            found = self.documents[id] = self.project.document(id)
        return found


def _appearance(document: Document) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if document.url:
        work["url"] = document.url
    work["headline"] = document.title
    if document.published:
        work["datePublished"] = document.published[:10]
    if document.outlet:
        work["publisher"] = {"@type": "Organization", "name": document.outlet}
    return work


def _documents_of(claim: Claim, links: _Links) -> list[Document]:
    """The claim's own article, then those of claims linked to it as ``same-claim`` (the same claim elsewhere)."""
    ids = [claim.document_id]
    for label, other_id in links.of(claim.id):
        if label == SAME_CLAIM:
            ids.append(links.annotation(other_id).document_id)
    return [links.document(id) for id in dict.fromkeys(ids)]


def claim_review(job: ExportJob, claim: Claim, author: dict[str, Any], url: str,
                 links: _Links | None = None) -> dict[str, Any]:
    """One ClaimReview for a rated claim (``links``: the export's, read once; else the claim's alone). The nodes
    many reviews hold alike (a rating, the claim's article) are one object each, which orjson writes in full."""
    links = links or _Links(job)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": _folded(claim.quote),
        "datePublished": claim.updated_at[:10],
        "author": author,
        "reviewRating": links.rating(str(claim.attributes["rating"]).strip()),
        "itemReviewed": links.item(job, claim),
    }


def _folded(quote: str) -> str:
    """``" ".join(quote.split())``: runs of whitespace made one space, none at the ends. A printable quote holds no
    whitespace but U+0020 (``str.isprintable`` is false for every other space and line break), so one without two
    spaces together or at its ends is already so: split and joined, 40,000 quotes took 35 ms."""
    if quote.isprintable() and "  " not in quote and quote[:1] != " " and quote[-1:] != " ":
        return quote
    return " ".join(quote.split())


def _review_rating(rating: str) -> dict[str, Any]:
    review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": rating}
    if rating in RATING_VALUES:
        review_rating["ratingValue"] = RATING_VALUES[rating]
    review_rating.update({"bestRating": BEST_RATING, "worstRating": WORST_RATING})
    return review_rating


def _item(job: ExportJob, claim: Claim, links: _Links) -> dict[str, Any]:
    """The reviewed ``Claim``: its source (``_claim_author``), first date and articles."""
    documents = _documents_of(claim, links)
    item: dict[str, Any] = {"@type": "Claim"}
    source = _claim_author(job, claim, links)
    if source:
        item["author"] = source
    dates = sorted(d.published[:10] for d in documents if d.published)
    if dates:
        item["datePublished"] = dates[0]
    item["appearance"] = [links.appearance(d) for d in documents]
    return item


class Claim(Protocol):
    """What a review is made of: a ``_Candidate``, or an ``ExportAnnotation`` (the plain path the tests compare)."""

    @property
    def id(self) -> str: ...
    @property
    def document_id(self) -> str: ...
    @property
    def label_id(self) -> str: ...
    @property
    def quote(self) -> str: ...
    @property
    def annotator(self) -> str: ...
    @property
    def attributes(self) -> dict[str, Any]: ...
    @property
    def updated_at(self) -> str: ...


class _Candidate(NamedTuple):
    """A ``claim_reads.CLAIM_COLUMNS`` row with its attributes parsed (``_parsed``)."""

    id: str
    document_id: str
    start: int
    end: int
    label_id: str
    quote: str
    annotator: str
    attributes: dict[str, Any]
    updated_at: str


def _parsed(id_: str, value: Any) -> dict[str, Any]:
    """An attributes value parsed by orjson; one it refuses or that is not an object (NaN, a huge number, a damaged
    value) as every export parses it (``json_column``, which raises on a bad one)."""
    if value == "{}":
        return {}
    try:
        parsed = orjson.loads(value)
    except (orjson.JSONDecodeError, TypeError):
        parsed = None
    if type(parsed) is dict:
        return parsed
    attributes: dict[str, Any] = json_column({"id": id_, "attributes": value}, "annotations", "attributes", "{}")
    return attributes


def _rated_claims(job: ExportJob) -> Iterator[Claim]:
    """The selected claims that may hold a rating, in document list order then text order; reports progress
    per document as ``job.documents()`` does. Only the candidates are read (``store.claim_reads``): a
    project's annotations are mostly not rated claims, and reading them all cost more than the floor."""
    documents = job.selection.documents
    if job.progress:
        job.progress(0, len(documents))
    claim_ids = [label.id for label in job.labels if label.role == "claim"]
    grouped = claim_reads.rating_candidates(job.project.db, job.selection.where, job.selection.params, claim_ids)
    new = tuple.__new__  # NamedTuple's own __new__ is a Python function: a call more per claim
    for done, document in enumerate(documents, start=1):
        for id_, document_id, start, end, label_id, quote, annotator, attributes, updated in grouped.pop(document.id, []):
            yield new(_Candidate, (id_, document_id, start, end, label_id, quote, annotator, _parsed(id_, attributes),
                                   updated))
        if job.progress:
            job.progress(done, len(documents))


def write(job: ExportJob, target: Path) -> None:
    organisation = (job.options.get("review_author") or "").strip()
    base = (job.options.get("review_url") or "").strip()
    roles = {label.id: label.role for label in job.labels}  # project.role_of's, without a walk of the schema per claim
    links = _Links(job)
    authors: dict[str, dict[str, Any]] = {}  # reviewer -> the Person node their reviews share
    reviews: list[dict[str, Any]] = []
    with target.open("wb") as stream:
        array = _Array(stream)
        for a in _rated_claims(job):
            if not str(a.attributes.get("rating") or "").strip() or roles.get(a.label_id, "plain") != "claim":
                continue
            if organisation:
                author = authors.get("") or authors.setdefault("", _agent(organisation, "organisation"))
            else:
                author = authors.get(a.annotator) or authors.setdefault(a.annotator, _agent(a.annotator, "person"))
            url = f"{base.rstrip('/')}/{a.id}" if base else f"urn:uuid:{a.id}"
            reviews.append(claim_review(job, a, author, url, links))
            if len(reviews) >= CHUNK:
                array.add(reviews)
                reviews = []
        array.add(reviews)
        array.close()
    if not organisation:
        job.warn("no --review-author given: each review's author is the reviewer who rated the claim (a Person)")
    if not base:
        job.warn("no --review-url given: each review's url is urn:uuid:<annotation id>; Google needs the page "
                 "that publishes the review")


CHUNK = 500
"""Reviews encoded and written at a time: 40,000 of them (40 MB of JSON) were never needed in memory at once."""


class _Array:
    """The bytes of ``json.dumps(reviews, ensure_ascii=False, indent=2)`` and a line break, written a chunk of
    reviews at a time: each chunk is encoded in C by orjson (``OPT_INDENT_2``: json's indenting encoder is Python,
    1.5 s of 33,000 reviews), and its ``[\n`` and ``\n]`` are left for the whole array's (tests compare the two)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.empty = stream, True

    def add(self, reviews: list[dict[str, Any]]) -> None:
        if reviews:
            self.stream.write(b"[\n" if self.empty else b",\n")
            self.stream.write(orjson.dumps(reviews, option=orjson.OPT_INDENT_2)[2:-2])
            self.empty = False

    def close(self) -> None:
        self.stream.write(b"[]\n" if self.empty else b"\n]\n")


FORMAT = ExportFormat(
    name="claimreview",
    title="ClaimReview JSON-LD, one review per rated claim",
    filename="claimreview.jsonld",
    suffixes=(".jsonld", ".json"),
    importable=False,
    write=write,
    relations=False,
    notes="""
A JSON array of schema.org `ClaimReview` objects, one per claim whose `rating` attribute is set
(each with its own `@context`, so any one can go into a page's
`<script type="application/ld+json">`). Fields, per Google's fact-check documentation
(https://developers.google.com/search/docs/appearance/structured-data/factcheck):
`url` (`--review-url BASE` + `/` + annotation id, else `urn:uuid:<id>`), `claimReviewed` (the
claim's words), `datePublished` (the day the rating was last changed), `author` (the
`--review-author` organisation, else the reviewer as a Person), `reviewRating` (`alternateName`
the rating word; `ratingValue` 5 true, 4 mostly true, 3 mixed, 2 mostly false, 1 false, none for
unproven; `bestRating` 5, `worstRating` 1) and `itemReviewed`, a `Claim` with `author` (the
source entity the claim is attributed to: Person or Organization), `datePublished` (earliest
article date) and `appearance` (the article and the articles of `same-claim` claims, with URL,
headline, date and outlet).
""",
)
