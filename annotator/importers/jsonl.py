"""JSON Lines: one document per line, ``{"text": ..., "title": ..., "label": [[start, end, "Label"], ...]}``.

Offsets are code points into the text as given; if the text has CRLF line endings they are
mapped onto the normalised text, so spans keep covering the same characters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.errors import ImportFileError
from annotator.importers.base import ImportedDocument, ImportedSpan
from annotator.importers.plain import json_objects
from annotator.text import newline_offset_map


def _spans(path: Path, number: int, text: str, raw: Any) -> list[ImportedSpan]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ImportFileError(path, '"label" must be a list of [start, end, "Label"]', number)
    to_normal = newline_offset_map(text)
    spans = []
    for item in raw:
        if (
            not isinstance(item, list | tuple) or len(item) != 3
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in item[:2])
            or not isinstance(item[2], str)
        ):
            raise ImportFileError(path, f'each label must be [start, end, "Label"], not {json.dumps(item)}', number)
        start, end, label = item
        if not (0 <= start < end <= len(text)):
            raise ImportFileError(path, f"span [{start}, {end}] ({label}) is outside the text (0–{len(text)})", number)
        spans.append(ImportedSpan(to_normal(start), to_normal(end), label, line=number))
    return spans


def read_jsonl(path: Path) -> list[ImportedDocument]:
    documents = []
    for number, record, text in json_objects(path):
        spans = _spans(path, number, text, record.get("label"))
        metadata = {k: v for k, v in record.items() if k not in ("text", "label") and isinstance(v, str | int | float)}
        metadata["source_format"] = "jsonl"
        documents.append(ImportedDocument(text, metadata, spans, source=path, line=number))
    if not documents:
        raise ImportFileError(path, "the file has no documents")
    return documents
