"""Finding a string or a pattern in one text: what Ctrl+F in a pane, the corpus search and
"annotate all" share. Offsets are code points, end exclusive, like every span in the project."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.errors import AnnotatorError
from annotator.text import context as span_context


class PatternError(AnnotatorError):
    """A regular expression or search query that cannot be read."""


@dataclass(frozen=True)
class FindOptions:
    case: bool = False
    whole_word: bool = False
    regex: bool = False


def compile_pattern(query: str, options: FindOptions = FindOptions()) -> re.Pattern[str] | None:
    """The pattern for ``query`` under ``options``; None for an empty query. A bad regex is a user error."""
    if not query:
        return None
    body = query if options.regex else re.escape(query)
    if options.whole_word:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    try:
        return re.compile(body, 0 if options.case else re.IGNORECASE)
    except re.error as error:
        raise PatternError(f"not a regular expression: {query!r} ({error})") from None


def find_all(text: str, query: str, options: FindOptions = FindOptions(), limit: int | None = None) -> list[tuple[int, int]]:
    """Every non-empty match of ``query`` in ``text`` as (start, end), in order, at most ``limit``."""
    pattern = compile_pattern(query, options)
    return [] if pattern is None else spans(pattern, text, limit)


def spans(pattern: re.Pattern[str], text: str, limit: int | None = None) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        if match.end() > match.start():  # an empty match (a regex like "a*") is no hit
            found.append(match.span())
            if limit is not None and len(found) >= limit:
                break
    return found


def context(text: str, start: int, end: int, width: int = 40) -> tuple[str, str]:
    """Up to ``width`` characters left and right of a hit, on one line (keyword in context)."""
    _, left, right = span_context(text, start, end, width)
    return left.replace("\n", " "), right.replace("\n", " ")
