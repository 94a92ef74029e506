"""Plain text and Markdown: detect the encoding (never assume UTF-8, never guess silently), title from the first line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.decoding import decode_bytes
from annotator.errors import ImportFileError
from annotator.importers.base import ImportedDocument, warn
from annotator.importers.guard import load_json, refuse_disguised
from annotator.text import first_line


def decode(path: Path, data: bytes) -> str:
    """The file's text (see ``annotator.decoding``); what had to be guessed goes to ``warn``."""
    decoded = decode_bytes(data, path)
    for message in decoded.warnings:
        warn(message)
    return decoded.text


def json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line of a JSON Lines file.

    Lines end at \n only: str.splitlines() would also split inside strings that hold U+2028,
    U+0085 and other characters JSON allows unescaped."""
    for number, line in enumerate(decode(path, path.read_bytes()).split("\n"), start=1):
        if line.strip():
            yield number, load_json(path, line, number)


def json_objects(path: Path, lines: Iterable[tuple[int, Any]] | None = None) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(line number, object, its non-empty "text") for each line of a text-per-line JSONL file (or of ``lines`` read from it)."""
    for number, record in json_lines(path) if lines is None else lines:
        if not isinstance(record, dict):
            raise ImportFileError(path, "each line must be a JSON object", number)
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ImportFileError(path, 'missing or empty "text"', number)
        yield number, record, text


def read_text(path: Path) -> list[ImportedDocument]:
    data = path.read_bytes()
    refuse_disguised(path, data, "a text file", "an HTML page")
    text = decode(path, data)
    if not text.strip():
        raise ImportFileError(path, "the file is empty")
    return [ImportedDocument(text, {"title": first_line(text), "source_format": "txt"}, source=path)]


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def read_markdown(path: Path) -> list[ImportedDocument]:
    """Markdown stays as written (offsets refer to the source); the title drops heading marks."""
    data = path.read_bytes()
    refuse_disguised(path, data, "a Markdown file", "an HTML page")
    text = decode(path, data)
    if not text.strip():
        raise ImportFileError(path, "the file is empty")
    title = first_line(text)
    match = _HEADING.match(title)
    return [ImportedDocument(text, {"title": match.group(1) if match else title, "source_format": "md"}, source=path)]
