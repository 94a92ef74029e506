"""Read W3C Web Annotations (JSON-LD) and attach them to documents already in the project.

Takes an ``AnnotationCollection`` (with embedded pages), an ``AnnotationPage``, a list of
annotations or one annotation. A span annotation's target names its document by
``urn:uuid:DOCUMENT-ID`` (as ``source`` or ``annotator:document``), by the article's URL as
``source`` (matched against the documents' ``url``, as another tool annotating the web page
writes it) or by ``annotator:sha256`` (the hash of the text), so annotations made on the same
texts in another project or tool find their documents. ``TextPositionSelector`` offsets are
code points (as the model specifies) and must agree with the ``TextQuoteSelector``; with only a
quote selector, the quote is looked up in the text, using prefix and suffix to choose.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from annotator.errors import ImportFileError
from annotator.importers.guard import load_json
from annotator.importers.labelled import PendingAnnotation, PendingDocument, PendingRelation, PendingSet
from annotator.importers.plain import decode

SUFFIXES = (".jsonld", ".json")
URN = "urn:uuid:"
_ID = re.compile(r'"id"\s*:\s*"([^"]+)"')


def _strip(value: str) -> str:
    return value[len(URN):] if value.startswith(URN) else value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _items(path: Path, data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ImportFileError(path, "not a Web Annotation document (expected a JSON object or list)")
    kinds = set(_list(data.get("type")))
    if "AnnotationCollection" in kinds:
        items, page = [], data.get("first")
        while isinstance(page, dict):
            items += _list(page.get("items"))
            page = page.get("next")
        return items
    if "AnnotationPage" in kinds:
        return _list(data.get("items"))
    if "Annotation" in kinds:
        return [data]
    raise ImportFileError(path, "not a Web Annotation document (no Annotation, AnnotationPage or AnnotationCollection)")


def _lines(raw: str) -> dict[str, int]:
    """Line of each id's first appearance, so errors can name a line (our export has one item per line)."""
    found: dict[str, int] = {}
    for number, line in enumerate(raw.split("\n"), start=1):
        for match in _ID.finditer(line):
            found.setdefault(match[1], number)
    return found


def _creator(item: dict[str, Any]) -> str | None:
    for creator in _list(item.get("creator")):
        if isinstance(creator, str):
            return creator
        if isinstance(creator, dict) and (creator.get("name") or creator.get("nickname")):
            return str(creator.get("name") or creator.get("nickname"))
    return None


def _bodies(path: Path, line: int | None, item: dict[str, Any]) -> tuple[str | None, dict[str, Any], str | None]:
    """Label (tagging or classifying body), attributes (describing JSON body) and note (commenting bodies)."""
    label, attributes, notes = None, {}, []
    for body in _list(item.get("body")):
        if not isinstance(body, dict):
            continue
        purposes = set(_list(body.get("purpose")))
        value = body.get("value")
        if purposes & {"tagging", "classifying"} and isinstance(value, str) and label is None:
            label = value
        elif "describing" in purposes and body.get("format") == "application/json" and isinstance(value, str):
            parsed = load_json(path, value, line)
            if not isinstance(parsed, dict):
                raise ImportFileError(path, "the attributes body must be a JSON object", line)
            attributes.update(parsed)
        elif "commenting" in purposes and isinstance(value, str):
            notes.append(value)
    return label, attributes, "\n".join(notes) or None


def _selectors(path: Path, line: int | None, target: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    position, quote = {}, {}
    for selector in _list(target.get("selector")):
        if isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
            position = selector
        elif isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            quote = selector
    if not position and not quote:
        raise ImportFileError(path, "the target has no TextPositionSelector or TextQuoteSelector", line)
    return position, quote


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def read(path: Path) -> PendingSet:
    raw = decode(path, path.read_bytes())
    data = load_json(path, raw)
    lines = _lines(raw)
    pending = PendingSet()
    documents: dict[tuple[str | None, str | None, str | None], PendingDocument] = {}
    for index, item in enumerate(_items(path, data), start=1):
        if not isinstance(item, dict):
            raise ImportFileError(path, f"item {index} is not an annotation object")
        raw_id = item.get("id") if isinstance(item.get("id"), str) else None
        line = lines.get(raw_id or "")
        key = _strip(raw_id) if raw_id else f"{path}#{index}"
        own_id = key if raw_id and raw_id.startswith(URN) else None
        label, attributes, note = _bodies(path, line, item)
        if label is None:
            raise ImportFileError(path, f"annotation {raw_id or index} has no label (a TextualBody with purpose "
                                  "tagging)", line)
        layer = item.get("annotator:layer") or "reviewer"
        targets = _list(item.get("target"))
        if "linking" in _list(item.get("motivation")) or (len(targets) == 2 and all(isinstance(t, str) for t in targets)):
            ends = [item.get("annotator:from"), item.get("annotator:to")]
            if not all(isinstance(e, str) for e in ends):
                ends = [t if isinstance(t, str) else (t or {}).get("id") for t in targets]
            source, target = ends if len(ends) == 2 else (None, None)
            if not isinstance(source, str) or not isinstance(target, str):
                raise ImportFileError(path, f"linking annotation {raw_id or index} needs two targets", line)
            pending.relations.append(PendingRelation(
                _strip(source), _strip(target), label, path, line, id=own_id, annotator=_creator(item),
                layer=layer, note=note, created_at=_text(item.get("created"))))
            continue
        if len(targets) != 1 or not isinstance(targets[0], dict):
            raise ImportFileError(path, f"annotation {raw_id or index} must have one target with selectors", line)
        target = targets[0]
        source = target.get("source")
        if isinstance(source, dict):  # an External Web Resource given as an object
            source = source.get("id")
        named = target.get("annotator:document")
        document_id = next((_strip(s) for s in (named, source) if isinstance(s, str) and s.startswith(URN)), None)
        url = source.strip() if isinstance(source, str) and not source.startswith(URN) and source.strip() else None
        digest = target.get("annotator:sha256") if isinstance(target.get("annotator:sha256"), str) else None
        if document_id is None and digest is None and url is None:
            raise ImportFileError(path, f"annotation {raw_id or index}: the target names no document "
                                  "(a source URL or urn:uuid:ID, or annotator:sha256)", line)
        document = documents.get((document_id, digest, url))
        if document is None:
            document = documents[(document_id, digest, url)] = PendingDocument(path, line, None, id=document_id,
                                                                               sha256=digest, url=url)
            pending.documents.append(document)
        position, quote = _selectors(path, line, target)
        document.annotations.append(PendingAnnotation(
            key, position.get("start", -1), position.get("end", -1), label, line=line, id=own_id,
            annotator=_creator(item), layer=layer, attributes=attributes, note=note,
            quote=_text(quote.get("exact")), created_at=_text(item.get("created")),
            updated_at=_text(item.get("modified")),
            anchor=(_text(quote.get("prefix")) or "", _text(quote.get("suffix")) or "") if not position else None))
    if not pending.documents and not pending.relations:
        raise ImportFileError(path, "the file has no annotations")
    return pending
