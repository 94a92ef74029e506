"""Read Annotator's lossless JSON Lines (``export --format jsonl``) back: ids, timestamps and all.

Each line is one document as ``annotator.exporters.jsonl`` writes it. Shape errors are reported
here with file and line; ``labelled.apply`` then checks offsets, labels and references against
the project before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.errors import ImportFileError
from annotator.exporters.jsonl import DOCUMENT_FIELDS, VERSION
from annotator.importers.labelled import PendingAnnotation, PendingDocument, PendingRelation, PendingSet
from annotator.importers.plain import json_lines

SUFFIXES = (".jsonl",)


def _field(path: Path, line: int, data: dict[str, Any], key: str, kind: type | tuple[type, ...],
           what: str, required: bool = True) -> Any:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ImportFileError(path, f"{what}: {key!r} is missing or not a {_kind_name(kind)}", line)
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "string", int: "whole number", list: "list", dict: "object"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _objects(path: Path, line: int, record: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = record.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ImportFileError(path, f"{key!r} must be a list of objects", line)
    return items


def read_line(path: Path, number: int, record: Any, pending: PendingSet) -> None:
    if not isinstance(record, dict):
        raise ImportFileError(path, "each line must be a JSON object (one document)", number)
    version = record.get("annotator_jsonl")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportFileError(path, "not an Annotator lossless line (no \"annotator_jsonl\" version); for "
                              "doccano files use --format doccano", number)
    if version > VERSION:
        raise ImportFileError(path, f"written by a newer Annotator (format {version}; this one reads {VERSION})",
                              number)
    text = _field(path, number, record, "text", str, "document")
    metadata = record.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise ImportFileError(path, "\"metadata\" must be an object", number)
    document = PendingDocument(
        path, number, text, metadata=metadata, id=_field(path, number, record, "id", str, "document"),
        sha256=_field(path, number, record, "sha256", str, "document", required=False),
        row={key: record.get(key) for key in DOCUMENT_FIELDS})
    for item in _objects(path, number, record, "annotations"):
        what = f"annotation {item.get('id', '')}".strip()
        document.annotations.append(PendingAnnotation(
            key=_field(path, number, item, "id", str, what),
            start=_field(path, number, item, "start", int, what), end=_field(path, number, item, "end", int, what),
            label=_field(path, number, item, "label", str, what), line=number, id=item["id"],
            annotator=_field(path, number, item, "annotator", str, what),
            layer=item.get("layer") or "reviewer",
            attributes=_field(path, number, item, "attributes", dict, what, required=False) or {},
            note=_field(path, number, item, "note", str, what, required=False),
            entity_id=_field(path, number, item, "entity_id", str, what, required=False),
            quote=_field(path, number, item, "quote", str, what, required=False),
            created_at=_field(path, number, item, "created_at", str, what, required=False),
            updated_at=_field(path, number, item, "updated_at", str, what, required=False)))
    pending.documents.append(document)
    for item in _objects(path, number, record, "relations"):
        what = f"relation {item.get('id', '')}".strip()
        pending.relations.append(PendingRelation(
            source=_field(path, number, item, "source_id", str, what),
            target=_field(path, number, item, "target_id", str, what),
            label=_field(path, number, item, "label", str, what), path=path, line=number,
            id=_field(path, number, item, "id", str, what, required=False),
            annotator=_field(path, number, item, "annotator", str, what, required=False),
            layer=item.get("layer") or "reviewer",
            note=_field(path, number, item, "note", str, what, required=False),
            created_at=_field(path, number, item, "created_at", str, what, required=False)))
    for item in _objects(path, number, record, "labels"):
        pending.labels.setdefault(_field(path, number, item, "name", str, "label"), item)
    for item in _objects(path, number, record, "entities"):
        pending.entities.setdefault(_field(path, number, item, "id", str, "entity"), item)


def read(path: Path, lines: list[tuple[int, Any]] | None = None) -> PendingSet:
    """Every document line of one file (or the ``lines`` already parsed from it); blank lines are allowed."""
    pending = PendingSet()
    for number, record in json_lines(path) if lines is None else lines:
        read_line(path, number, record, pending)
    if not pending.documents:
        raise ImportFileError(path, "the file has no documents")
    return pending
