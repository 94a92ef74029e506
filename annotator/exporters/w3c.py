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

from annotator.exporters.common import ExportAnnotation as Annotation
from annotator.exporters.common import ExportFormat, ExportJob
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


_text = json.encoder.encode_basestring
"""A string as ``json.dumps(..., ensure_ascii=False)`` writes it (the encoder's own function)."""


def _value(value: Any) -> str:
    return _text(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


def target_head(document: Document) -> str:
    """The part of every item's ``target`` that is the same for all annotations of ``document``."""
    return (f'"target": {{"source": {_text(source(document))}, "annotator:document": {_text(urn(document.id))}, '
            f'"annotator:sha256": {_value(document.sha256)}, '
            f'"selector": [{{"type": "TextPositionSelector", "start": ')


def annotation_json(a: Annotation, target: str) -> str:
    """``json.dumps(annotation_item(a, document), ensure_ascii=False)``, written directly.

    Encoding a nested dict per annotation was the slowest part of this export; here only the
    values are encoded (``target`` is ``target_head(document)``), and tests hold the two equal.
    The tuple is unpacked and each string encoded inline (a helper call per value was a third of
    the time); a value that is not a string (a damaged row) goes through ``_value``.
    """
    text, value = _text, _value
    (id_, _, start, end, label, _, quote, prefix, suffix, annotator, layer, _, attributes, note, created,
     updated) = a
    body = f'[{{"type": "TextualBody", "purpose": "tagging", "value": {text(label) if type(label) is str else value(label)}}}'
    if attributes:
        described = json.dumps(attributes, ensure_ascii=False, sort_keys=True)
        body += f', {{"type": "TextualBody", "purpose": "describing", "format": "application/json", "value": {text(described)}}}'
    if note:
        body += f', {{"type": "TextualBody", "purpose": "commenting", "value": {value(note)}}}'
    return (f'{{"id": {text(urn(id_))}, "type": "Annotation", "motivation": "tagging", '
            f'"created": {text(created) if type(created) is str else value(created)}, '
            f'"modified": {text(updated) if type(updated) is str else value(updated)}, '
            f'"creator": {{"type": "Person", "name": {text(annotator) if type(annotator) is str else value(annotator)}}}, '
            f'"annotator:layer": {text(layer) if type(layer) is str else value(layer)}, "body": {body}], '
            f'{target}{start!r}, "end": {end!r}}}, '
            f'{{"type": "TextQuoteSelector", "exact": {text(quote) if type(quote) is str else value(quote)}, '
            f'"prefix": {text(prefix) if type(prefix) is str else value(prefix)}, '
            f'"suffix": {text(suffix) if type(suffix) is str else value(suffix)}}}]}}}}')


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
    opening = json.dumps(head, ensure_ascii=False)
    assert opening.endswith("[]}}")
    relations: list[Relation] = []
    with target.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write(opening[:-3] + "\n")
        separator = ""
        for item in job.documents():
            if item.annotations:
                head_json = target_head(item.document)
                stream.write(separator + ",\n".join([annotation_json(a, head_json) for a in item.annotations]))
                separator = ",\n"
            relations += item.relations
        for r in relations:
            stream.write(separator + json.dumps(relation_item(r), ensure_ascii=False))
            separator = ",\n"
        stream.write("\n]}}\n")


FORMAT = ExportFormat(
    name="w3c",
    title="W3C Web Annotation (JSON-LD)",
    filename="annotations.jsonld",
    suffixes=(".jsonld", ".json"),
    importable=True,
    write=write,
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
