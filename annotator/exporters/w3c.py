"""``w3c``: W3C Web Annotation Data Model, JSON-LD: one ``AnnotationCollection`` of all annotations.

The interoperable way to hand annotations to other tools: each span targets its document with a
``TextPositionSelector`` (code points, as the model requires) and a ``TextQuoteSelector``
(quote with prefix and suffix), so it can be re-anchored even where offsets disagree. Relations
are ``linking`` annotations whose targets are the two span annotations. Items are written one
per line so a reader's error can name a line; the file is still one JSON document.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from annotator.exporters.common import ExportAnnotation as Annotation
from annotator.exporters.common import ExportFormat, ExportJob, without_collector
from annotator.models import Document, Relation

CONTEXT: list[Any] = ["http://www.w3.org/ns/anno.jsonld", {
    "annotator": "urn:annotator:",
    "annotator:document": {"@id": "urn:annotator:document", "@type": "@id"},
    "annotator:from": {"@id": "urn:annotator:from", "@type": "@id"},
    "annotator:to": {"@id": "urn:annotator:to", "@type": "@id"},
}]
"""The Web Annotation context, plus our few extension terms (layer, sha256, document, from/to);
the ones that point at resources are typed ``@id`` so a JSON-LD reader sees links, not strings."""


def urn(id_: str) -> str:
    return f"urn:uuid:{id_}"


def source(document: Document) -> str:
    """What a target's ``source`` is: the article's URL when it has one (other tools know the article by
    it), else the document's ``urn:uuid``. The document id always travels as ``annotator:document``."""
    url = (document.url or "").strip()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in url):
        return url
    return urn(document.id)


def collection_id(name: str, page: int | None = None) -> str:
    """The collection's (or one page's) IRI: a name-based UUID of the project's name, so exporting again
    gives the same ids (the model requires both to have one; a project has no id of its own)."""
    part = "" if page is None else f"#page{page}"
    return urn(str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:annotator:collection:{name}{part}")))


def _common(item: Annotation | Relation) -> dict[str, Any]:
    return {"id": urn(item.id), "type": "Annotation"}


def _notes(note: str | None) -> list[dict[str, Any]]:
    return [{"type": "TextualBody", "purpose": "commenting", "value": note}] if note else []


def annotation_item(a: Annotation, document: Document) -> dict[str, Any]:
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": a.label}]
    if a.attributes:
        body.append({"type": "TextualBody", "purpose": "describing", "format": "application/json",
                     "value": json.dumps(a.attributes, ensure_ascii=False, sort_keys=True)})
    body += _notes(a.note)
    return {
        **_common(a), "motivation": "tagging", "created": a.created_at, "modified": a.updated_at,
        "creator": {"type": "Person", "name": a.annotator}, "annotator:layer": a.layer,
        "body": body,
        "target": {
            "source": source(document), "annotator:document": urn(document.id), "annotator:sha256": document.sha256,
            "selector": [
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
                {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix},
            ],
        },
    }


def target_head(document: Document) -> dict[str, Any]:
    """The part of every item's ``target`` that is the same for all annotations of ``document``."""
    return {"source": source(document), "annotator:document": urn(document.id), "annotator:sha256": document.sha256}


_TAGGING = {"type": "TextualBody", "purpose": "tagging"}


def annotation_json(a: Annotation, target: dict[str, Any]) -> bytes:
    """``json.dumps(annotation_item(a, document), ensure_ascii=False, separators=(",", ":"))`` as UTF-8, encoded in C.

    Encoding 100,000 nested items with ``json.dumps`` (and then a hand-written f-string with a
    string escape per value) was the slowest part of this export; orjson writes the same bytes (tests
    hold the two equal). ``target`` is ``target_head(document)``. A float in a damaged row (a number
    where a string belongs) is written in orjson's spelling of the same value (``1e-7``, not ``1e-07``).
    """
    (id_, _, start, end, label, _, quote, prefix, suffix, annotator, layer, _, attributes, note, created,
     updated) = a
    body: list[dict[str, Any]] = [{**_TAGGING, "value": label}]
    if attributes:
        body.append({"type": "TextualBody", "purpose": "describing", "format": "application/json",
                     "value": json.dumps(attributes, ensure_ascii=False, sort_keys=True)})
    if note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": note})
    return orjson.dumps({
        "id": f"urn:uuid:{id_}", "type": "Annotation", "motivation": "tagging", "created": created, "modified": updated,
        "creator": {"type": "Person", "name": annotator}, "annotator:layer": layer, "body": body,
        "target": {**target, "selector": [{"type": "TextPositionSelector", "start": start, "end": end},
                                          {"type": "TextQuoteSelector", "exact": quote, "prefix": prefix, "suffix": suffix}]},
    })


def relation_item(r: Relation) -> dict[str, Any]:
    return {
        **_common(r), "motivation": "linking", "created": r.created_at,
        "creator": {"type": "Person", "name": r.annotator}, "annotator:layer": r.layer,
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": r.label}, *_notes(r.note)],
        "target": [urn(r.source_id), urn(r.target_id)],
        "annotator:from": urn(r.source_id), "annotator:to": urn(r.target_id),
    }


def write(job: ExportJob, target: Path) -> None:
    total = job.selection.annotations + job.selection.relation_count
    name = Path(job.project.path).stem
    collection = collection_id(name)
    page = collection_id(name, 0)
    head = {"@context": CONTEXT, "id": collection, "type": "AnnotationCollection", "label": name,
            "total": total, "first": {"id": page, "type": "AnnotationPage", "partOf": collection,
                                      "startIndex": 0, "items": []}}
    opening = _compact(head)
    assert opening.endswith(b"[]}}")
    relations: list[Relation] = []
    with target.open("wb") as stream:
        stream.write(opening[:-3] + b"\n")
        separator = b""
        for item in job.documents():
            if item.annotations:
                head_json = target_head(item.document)
                stream.write(separator + b",\n".join([annotation_json(a, head_json) for a in item.annotations]))
                separator = b",\n"
            relations += item.relations
        for r in relations:
            stream.write(separator + _compact(relation_item(r)))
            separator = b",\n"
        stream.write(b"\n]}}\n")


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


FORMAT = ExportFormat(
    name="w3c",
    title="W3C Web Annotation (JSON-LD)",
    filename="annotations.jsonld",
    suffixes=(".jsonld", ".json"),
    importable=True,
    write=without_collector(write),
    notes="""
One JSON-LD document (`application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`): an
`AnnotationCollection` whose `first` page holds every annotation, one per line. The collection
and the page have `id`s (`urn:uuid:`, derived from the project's name, so they are stable
between exports); the page names its collection in `partOf`.

- A span is an `Annotation` (`motivation: tagging`) with `id` `urn:uuid:ANNOTATION-ID`,
  `creator` `{"type": "Person", "name": REVIEWER}`, `created`/`modified`, and bodies: the label
  (`TextualBody`, `purpose: tagging`), the attributes (`purpose: describing`, `format:
  application/json`, the attributes as a JSON object) and the note (`purpose: commenting`).
- Its `target.source` is the article's URL when the document has an http(s) one (so other
  tools find the article), else `urn:uuid:DOCUMENT-ID`; the document id always comes along as
  `target.annotator:document` (an IRI). `target.selector` has a
  `TextPositionSelector` (`start`/`end` in code points, end exclusive, as the W3C model
  specifies) and a `TextQuoteSelector` (`exact`, `prefix`, `suffix`: up to 32 characters of
  context).
- A relation is an `Annotation` with `motivation: linking`, the relation type as a tagging body,
  and the two span annotations as `target` (source first; also as `annotator:from`/`annotator:to`).
- Extension terms under the `annotator:` prefix (`urn:annotator:`): `layer` (reviewer or gold),
  `target.annotator:sha256` (SHA-256 of the document text, to find the document in another
  project), `target.annotator:document`, `from`/`to`; the context types `document`, `from` and
  `to` as `@id`, so JSON-LD readers see links, not strings.

`annotator import PROJECT FILE --format w3c` attaches the annotations to documents already in the
project, found by id (`urn:uuid:` source or `annotator:document`), by the article URL in `source`,
or by text hash. Not written: document texts and metadata, entity links.
""",
)
