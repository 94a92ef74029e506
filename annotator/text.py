"""Text helpers shared by import, storage and export. Offsets are code points, end exclusive."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache

CONTEXT = 32
"""How many characters of prefix/suffix an annotation keeps for re-anchoring (W3C TextQuoteSelector)."""

_CR = re.compile(r"\r\n?")


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF; nothing else changes."""
    return _CR.sub("\n", text)


def newline_offset_map(text: str) -> Callable[[int], int]:
    """Map offsets in ``text`` to offsets in ``normalize_newlines(text)``.

    Each CRLF loses its CR; an offset between CR and LF maps to the position of the LF.
    """
    lf_after_cr = [m.start() + 1 for m in re.finditer(r"\r\n", text)]
    if not lf_after_cr:
        return lambda offset: offset
    return lambda offset: offset - bisect_right(lf_after_cr, offset)


_last_digest: tuple[str, str] = ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


def sha256(text: str) -> str:
    """The hex SHA-256 of ``text`` in UTF-8. The last text's digest is kept: an import hashes each new text
    three times (the duplicate check, its row, the row's check), always the same string object."""
    global _last_digest
    last = _last_digest
    if text is last[0]:
        return last[1]
    import hashlib  # not at start-up (~7 ms)

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _last_digest = (text, digest)
    return digest


def first_line(text: str, limit: int = 200) -> str:
    """The first non-empty line, trimmed: the title of a plain-text document."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str, str]:
    """Quote, prefix and suffix of a span."""
    return text[start:end], text[max(0, start - width) : start], text[end : end + width]


_SENTENCE = re.compile(r"\S(?:[^\n]*?(?:[.!?…]+[\"'”’)\]]*(?=\s)|(?=\n)|\Z))", re.DOTALL)


@lru_cache(maxsize=64)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence, code points: it ends at . ! ? … (and closing quotes) before
    whitespace, or at a line break; surrounding space left out, sentences without a letter or digit
    skipped. One splitter for attribution, the figure frame, same-claim suggestions and copies."""
    out = []
    for m in _SENTENCE.finditer(text):
        found = m.group().rstrip()
        if any(ch.isalnum() for ch in found):
            out.append((m.start(), m.start() + len(found)))
    return tuple(out)
