"""Word boundaries for snapping selections and resizing spans a word at a time.

A word is a run of letters, digits, underscores and combining marks (so "é" written as
e + U+0301 and Arabic with harakat stay whole), with an apostrophe or hyphen inside it allowed
("Hay’at", "al-Sharaa"). Offsets are code points, end exclusive.
"""

from __future__ import annotations

import unicodedata

JOINERS = frozenset("’'-\u2011\u200d")


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def _inside(text: str, i: int) -> bool:
    """Is text[i] part of a word (a joiner counts only between two word characters)?"""
    if not 0 <= i < len(text):
        return False
    ch = text[i]
    if is_word_char(ch):
        return True
    return ch in JOINERS and 0 < i < len(text) - 1 and is_word_char(text[i - 1]) and is_word_char(text[i + 1])


def word_at(text: str, pos: int) -> tuple[int, int] | None:
    """The word containing ``pos`` (or ending just before it), for double-click selection."""
    if not _inside(text, pos):
        if _inside(text, pos - 1):
            pos -= 1
        else:
            return None
    start, end = pos, pos + 1
    while _inside(text, start - 1):
        start -= 1
    while _inside(text, end):
        end += 1
    return start, end


def _cuts(text: str, i: int) -> bool:
    """Does a boundary at ``i`` fall between two letters of a word?

    A boundary right before or after an apostrophe or hyphen is taken as meant ("al-Sharaa|’s")."""
    return 0 < i < len(text) and is_word_char(text[i - 1]) and is_word_char(text[i])


def snap(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Grow a selection that cuts through a word to the whole word and trim white space at its
    edges; None if nothing is left. A selection that stops at an apostrophe or hyphen stays."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    if _cuts(text, start) or (text[start] in JOINERS and _inside(text, start)):
        while _inside(text, start - 1):
            start -= 1
    if _cuts(text, end) or (text[end - 1] in JOINERS and _inside(text, end - 1)):
        while _inside(text, end) and text[end] not in "’'":
            end += 1
    return start, end


def next_word_end(text: str, pos: int) -> int:
    """End of the next word at or after ``pos`` (len(text) if there is none)."""
    while pos < len(text) and not _inside(text, pos):
        pos += 1
    while pos < len(text) and _inside(text, pos):
        pos += 1
    return pos


def previous_word_start(text: str, pos: int) -> int:
    """Start of the word before ``pos`` (0 if there is none)."""
    while pos > 0 and not _inside(text, pos - 1):
        pos -= 1
    while pos > 0 and _inside(text, pos - 1):
        pos -= 1
    return pos


def widen(text: str, start: int, end: int, side: str) -> tuple[int, int]:
    """Take in one more word on ``side`` ("start" or "end")."""
    if side == "end":
        return start, next_word_end(text, end)
    return previous_word_start(text, start), end


def narrow(text: str, start: int, end: int, side: str) -> tuple[int, int]:
    """Drop one word from ``side``; a one-word span stays as it is."""
    if side == "end":
        cut = previous_word_start(text, end)
        new_end = cut
        while new_end > start and not _inside(text, new_end - 1):
            new_end -= 1
        return (start, new_end) if new_end > start else (start, end)
    cut = next_word_end(text, start)
    new_start = cut
    while new_start < end and not _inside(text, new_start):
        new_start += 1
    return (new_start, end) if new_start < end else (start, end)
