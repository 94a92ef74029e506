"""``claimreview``: the claims a reviewer rated, as schema.org ClaimReview JSON-LD (what fact-checkers
publish and search engines read).

A claim is exported when its label plays the claim role and its ``rating`` attribute is set
(vocabulary in ``annotator.defaults.CLAIM_RATINGS``). Fields follow Google's fact-check
structured data documentation (https://developers.google.com/search/docs/appearance/structured-data/factcheck)
and schema.org/ClaimReview; ``docs/formats.md`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from annotator.attribution import ATTRIBUTED_TO
from annotator.defaults import CLAIM_RATINGS
from annotator.exporters import json_array
from annotator.exporters.common import ExportAnnotation, ExportFormat, ExportJob
from annotator.models import Annotation, Document
from annotator.store import claim_reads

__all__ = ["BEST_RATING", "FORMAT", "RATING_VALUES", "WORST_RATING", "claim_review", "write"]

RATING_VALUES: dict[str, int] = dict(zip(CLAIM_RATINGS[:5], (5, 4, 3, 2, 1)))
"""ratingValue on a 1 (false) to 5 (true) scale; "unproven" (and a word added to the vocabulary) has none."""
BEST_RATING, WORST_RATING = 5, 1
PERSON_TYPES = ("person",)
SAME_CLAIM = "same-claim"


class _Candidate(NamedTuple):
    """A ``claim_reads.rating_candidates`` row, its attributes parsed: what a review is made of."""

    start: int
    end: int
    id: str
    label_id: str
    quote: str
    annotator: str
    attributes: dict[str, Any]
    updated_at: str
    document_id: str


Claim = _Candidate | ExportAnnotation
"""A rated claim: a candidate, or an ``ExportAnnotation`` (the plain path the tests compare with)."""


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


K = TypeVar("K")
V = TypeVar("V")


def _once(made: dict[K, V], key: K, make: Callable[[], V]) -> V:
    """``made[key]``, made by ``make()`` the first time."""
    found = made.get(key)
    if found is None:
        found = made[key] = make()
    return found


class _Links:
    """What many reviews share, each read or built once: the ``attributed-to`` and ``same-claim`` relations by
    either end, the annotations at their other ends, the documents, and the nodes reviews repeat (a rating, an
    article, the item of a document's unlinked claims; orjson writes each in full). Asked per claim (two relation
    queries, an annotation and a document with its text), they were half of 2.8 s for 33,000 rated claims."""

    def __init__(self, job: ExportJob) -> None:
        self.job, self.project = job, job.project
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
        return _once(self.annotations, id, lambda: self.project.annotation(id))

    def document(self, id: str) -> Document:
        """A document the selection holds, or another (a same-claim article the filters leave out)."""
        return _once(self.documents, id, lambda: self.project.document(id))

    def rating(self, rating: str) -> dict[str, Any]:
        return _once(self.ratings, rating, lambda: _review_rating(rating))

    def appearance(self, document: Document) -> dict[str, Any]:
        return _once(self.appearances, document.id, lambda: _appearance(document))

    def item(self, claim: Claim) -> dict[str, Any]:
        """``_item``: one per document for the claims with no link (no author, their article alone)."""
        if claim.id in self.by_claim:
            return _item(self.job, claim, self)
        return _once(self.items, claim.document_id, lambda: _item(self.job, claim, self))


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


def claim_review(claim: Claim, author: dict[str, Any], url: str, links: _Links) -> dict[str, Any]:
    """One ClaimReview for a rated claim."""
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": _folded(claim.quote),
        "datePublished": claim.updated_at[:10],
        "author": author,
        "reviewRating": links.rating(str(claim.attributes["rating"]).strip()),
        "itemReviewed": links.item(claim),
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


def _rated_claims(job: ExportJob) -> Iterator[Claim]:
    """The selected claims that may hold a rating, in document list order then text order; reports progress
    per document as ``job.documents()`` does. Only the candidates are read (``store.claim_reads``): a
    project's annotations are mostly not rated claims, and reading them all cost more than the floor."""
    documents = job.selection.documents
    if job.progress:
        job.progress(0, len(documents))
    claim_ids = [label.id for label in job.labels if label.role == "claim"]
    grouped = claim_reads.rating_candidates(job.project.db, job.selection.where, job.selection.params, claim_ids)
    new, parse = tuple.__new__, job.parse_attributes  # tuple.__new__: NamedTuple's own is a Python function
    for done, document in enumerate(documents, start=1):
        for start, end, id_, label_id, quote, annotator, attributes, updated, document_id in grouped.pop(document.id, []):
            yield new(_Candidate, (start, end, id_, label_id, quote, annotator, parse(id_, attributes), updated,
                                   document_id))
        if job.progress:
            job.progress(done, len(documents))


CHUNK = 500
"""Reviews encoded and written at a time (``json_array``): 40,000 of them, 40 MB of JSON, are never in memory."""


def write(job: ExportJob, target: Path) -> None:
    organisation = (job.options.get("review_author") or "").strip()
    base = (job.options.get("review_url") or "").strip()
    roles = {label.id: label.role for label in job.labels}  # project.role_of's, without a walk of the schema per claim
    links = _Links(job)
    authors: dict[str, dict[str, Any]] = {}  # reviewer -> the Person node their reviews share

    def author(reviewer: str) -> dict[str, Any]:
        if organisation:
            return _once(authors, "", lambda: _agent(organisation, "organisation"))
        return _once(authors, reviewer, lambda: _agent(reviewer, "person"))

    def reviews() -> Iterator[dict[str, Any]]:
        for a in _rated_claims(job):
            if str(a.attributes.get("rating") or "").strip() and roles.get(a.label_id, "plain") == "claim":
                yield claim_review(a, author(a.annotator), f"{base.rstrip('/')}/{a.id}" if base else f"urn:uuid:{a.id}",
                                   links)

    with target.open("wb") as stream:
        json_array.write(stream, reviews(), CHUNK)
        stream.write(b"\n")
    if not organisation:
        job.warn("no --review-author given: each review's author is the reviewer who rated the claim (a Person)")
    if not base:
        job.warn("no --review-url given: each review's url is urn:uuid:<annotation id>; Google needs the page "
                 "that publishes the review")


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
