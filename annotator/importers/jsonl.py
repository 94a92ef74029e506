"""JSON Lines: one document per line, ``{"text": ..., "title": ..., "label": [[start, end, "Label"], ...]}``.

Offsets are code points into the text as given (an emoji is one), end exclusive; if the text
has CRLF line endings, ``labelled.apply`` maps them onto the normalised text, so spans keep
covering the same characters.

A ``.jsonl`` file may also be Annotator's lossless export or a doccano export: ``sniff`` tells
which from the keys its lines use, so a plain ``import`` never drops a file's annotations, and
refuses a file whose lines disagree instead of guessing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.errors import ImportFileError
from annotator.importers.base import ImportedDocument, ImportedSpan
from annotator.importers.plain import json_lines, json_objects

SUFFIXES = (".jsonl",)

KINDS = {
    "jsonl": "Annotator's lossless export",
    "doccano": "doccano",
    "documents": "documents with optional \"label\" spans",
}
"""What a ``.jsonl`` can be, by ``--format`` name."""

DOCCANO_KEYS = frozenset({"entities", "relations", "Comments", "comments", "labels", "cats", "document_id", "meta"})
"""Keys only doccano lines (or our doccano export) carry; a plain documents line has none of them."""

CHOICES = "--format " + "|".join(KINDS)


def kind_of(record: Any) -> str | None:
    """The kind one line belongs to; "text" for a line any text-carrying kind reads alike; None: no kind."""
    if not isinstance(record, dict):
        return None
    if "annotator_jsonl" in record:
        return "jsonl"
    if DOCCANO_KEYS & record.keys():
        return "doccano"
    if not isinstance(record.get("text"), str):
        return None
    return "documents" if "label" in record else "text"


def sniff(path: Path, lines: list[tuple[int, Any]]) -> str:
    """Which reader this file needs: one kind for every line, or an error naming the choices."""
    first: dict[str, int] = {}
    for number, record in lines:
        kind = kind_of(record)
        if kind is not None:
            first.setdefault(kind, number)
    strong = {kind: number for kind, number in first.items() if kind != "text"}
    if len(strong) > 1:
        found = ", ".join(f"line {number} is {KINDS[kind]}" for kind, number in sorted(strong.items(), key=lambda i: i[1]))
        raise ImportFileError(path, f"mixes kinds of JSON Lines ({found}); split it, or import it with {CHOICES}")
    if strong:
        return next(iter(strong))
    if first or not lines:
        return "documents"
    raise ImportFileError(path, "no line is a kind of JSON Lines this importer knows (documents with \"text\", "
                          f"doccano, Annotator's export); import it with {CHOICES}")


def _spans(path: Path, number: int, text: str, raw: Any) -> list[ImportedSpan]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ImportFileError(path, '"label" must be a list of [start, end, "Label"]', number)
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
        spans.append(ImportedSpan(start, end, label, line=number))
    return spans


def read_jsonl(path: Path, lines: Iterable[tuple[int, Any]] | None = None) -> list[ImportedDocument]:
    """Documents with optional spans (offsets into the text as given)."""
    documents = []
    for number, record, text in json_objects(path, lines):
        spans = _spans(path, number, text, record.get("label"))
        metadata = {k: v for k, v in record.items() if k not in ("text", "label") and isinstance(v, str | int | float)}
        metadata["source_format"] = "jsonl"
        documents.append(ImportedDocument(text, metadata, spans, source=path, line=number))
    if not documents:
        raise ImportFileError(path, "the file has no documents")
    return documents


def read(path: Path, lines: list[tuple[int, Any]] | None = None) -> Any:
    """``--format documents``: the same, as a ``PendingSet`` for ``labelled.apply``."""
    from annotator.importers.labelled import pending_from

    return pending_from(read_jsonl(path, lines))


def read_any(path: Path) -> Any:
    """A ``.jsonl`` of whichever kind ``sniff`` finds, as a ``PendingSet``; the file is parsed once."""
    from annotator.importers import dataset, doccano

    lines = list(json_lines(path))
    kind = sniff(path, lines)
    if kind == "jsonl":
        return dataset.read(path, lines)
    if kind == "doccano":
        return doccano.read(path, lines)
    return read(path, lines)
