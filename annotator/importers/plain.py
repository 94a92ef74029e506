"""Plain text and Markdown: detect the encoding (never assume UTF-8), title from the first line."""

from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from annotator.errors import ImportFileError
from annotator.importers.base import ImportedDocument
from annotator.text import first_line


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else what charset-normalizer finds."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(path, "looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ImportFileError(path, "cannot tell the text encoding (is it a text file?)")
    return str(best)


def read_text(path: Path) -> list[ImportedDocument]:
    text = decode(path, path.read_bytes())
    if not text.strip():
        raise ImportFileError(path, "the file is empty")
    return [ImportedDocument(text, {"title": first_line(text), "source_format": "txt"}, source=path)]


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def read_markdown(path: Path) -> list[ImportedDocument]:
    """Markdown stays as written (offsets refer to the source); the title drops heading marks."""
    text = decode(path, path.read_bytes())
    if not text.strip():
        raise ImportFileError(path, "the file is empty")
    title = first_line(text)
    match = _HEADING.match(title)
    return [ImportedDocument(text, {"title": match.group(1) if match else title, "source_format": "md"}, source=path)]
