"""Read doccano's sequence-labelling JSONL (what doccano exports, and what ``export --format doccano`` writes).

Accepts both of doccano's shapes: ``"label": [[start, end, "Label"]]`` (also the older
``"labels"``), and the relation form ``"entities": [{"id", "label", "start_offset",
"end_offset"}]`` with ``"relations": [{"from_id", "to_id", "type"}]``. Offsets are UTF-16 code
units, as doccano counts them; they are turned into code points here. Other keys with plain
values (title, outlet, ...) become document metadata.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeGuard

from annotator.errors import ImportFileError
from annotator.importers.labelled import PendingAnnotation, PendingDocument, PendingRelation, PendingSet
from annotator.importers.plain import json_objects

SUFFIXES = (".jsonl", ".json")
RESERVED = {"id", "text", "label", "labels", "entities", "relations", "Comments", "comments", "document_id",
            "meta", "metadata", "cats"}


def code_points(text: str) -> Callable[[int], int | None]:
    """Map UTF-16 offsets to code points; None for an offset inside a surrogate pair."""
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    if not astral:
        return lambda unit: unit
    # Code point i starts at UTF-16 unit i + (astral characters before i).
    starts = [i + n for n, i in enumerate(astral)]  # UTF-16 start of each astral character

    def convert(unit: int) -> int | None:
        before = bisect_left(starts, unit)  # astral characters that start before this unit
        if before and unit == starts[before - 1] + 1:
            return None
        return unit - before

    return convert


def _int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _spans(path: Path, number: int, record: dict[str, Any]) -> list[tuple[Any, int, int, str]]:
    """(doccano id, start, end, label) in UTF-16 units, from either shape."""
    raw = record.get("entities", record.get("label", record.get("labels")))
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ImportFileError(path, "\"label\" / \"entities\" must be a list", number)
    spans = []
    for index, item in enumerate(raw):
        if isinstance(item, dict):
            doccano_id, start, end, label = item.get("id", index), item.get("start_offset"), item.get("end_offset"), item.get("label")
        elif isinstance(item, list | tuple) and len(item) == 3:
            doccano_id, (start, end, label) = index, item
        else:
            raise ImportFileError(path, f"a span must be [start, end, \"Label\"] or an entity object, not "
                                  f"{json.dumps(item, ensure_ascii=False)}", number)
        if not (_int(start) and _int(end) and isinstance(label, str)):
            raise ImportFileError(path, f"a span needs whole-number offsets and a label: "
                                  f"{json.dumps(item, ensure_ascii=False)}", number)
        spans.append((doccano_id, start, end, label))
    return spans


def _metadata(record: dict[str, Any]) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    for source in (record.get("meta"), record.get("metadata"), record):
        if isinstance(source, dict):
            for key, value in source.items():
                if key not in RESERVED and isinstance(value, str | int | float) and not isinstance(value, bool):
                    metadata.setdefault(key, value)
    metadata["source_format"] = "doccano"
    return metadata


def read(path: Path, lines: list[tuple[int, Any]] | None = None) -> PendingSet:
    pending = PendingSet()
    for number, record, text in json_objects(path, lines):
        to_cp = code_points(text)
        document = PendingDocument(path, number, text, metadata=_metadata(record))
        keys: dict[Any, str] = {}
        for doccano_id, start, end, label in _spans(path, number, record):
            first, last = to_cp(start), to_cp(end)
            if first is None or last is None:
                raise ImportFileError(path, f"span [{start}, {end}] ({label}) splits a character in two: doccano "
                                      "offsets are UTF-16 code units", number)
            key = keys[doccano_id] = f"{path}:{number}:{doccano_id}"
            document.annotations.append(PendingAnnotation(key, first, last, label, line=number))
        pending.documents.append(document)
        relations = record.get("relations") or []
        if not isinstance(relations, list):
            raise ImportFileError(path, "\"relations\" must be a list", number)
        for item in relations:
            if not isinstance(item, dict) or not isinstance(item.get("type"), str):
                raise ImportFileError(path, "a relation must be {\"from_id\", \"to_id\", \"type\"}", number)
            source, target = (keys.get(item.get(k)) for k in ("from_id", "to_id"))
            if source is None or target is None:
                raise ImportFileError(path, f"relation {item.get('id', '')} links entity ids that are not on this "
                                      "line", number)
            pending.relations.append(PendingRelation(source, target, item["type"], path, number))
    if not pending.documents:
        raise ImportFileError(path, "the file has no documents")
    return pending
