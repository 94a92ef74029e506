"""Every figure phrase in a whole text, with its span: the figures parser (``annotator.figures``)
run over a document rather than over one highlighted quote. A span runs from the qualifier
("over", "between") through the number or range and its suffix ("+", "%", "or more") to the
counted noun ("1,200 Alawites"), as a reviewer would highlight it.

Speed: a long document is mostly prose without numbers, so one cheap regex finds where a figure
could start (a digit, a number word, a vague quantity) and the parser's big pattern is only tried
there; results are cached per text, since the GUI asks again for the same document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from annotator import figures as f


@dataclass(frozen=True)
class FoundFigure:
    start: int
    end: int
    figure: f.ParsedFigure


_VAGUE_STARTS = ("tens", "hundreds", "dozens", "scores", "thousands", "millions", "billions", "several", "a", "half")


# Every place f._ATOM can match starts with one of these (the atom's own lookbehinds then decide). Scanned over
# the lower-cased text when lower-casing keeps every offset (it nearly always does): re's IGNORECASE folds the
# case at every position tried, which took twice as long.
_CANDIDATE_WORDS = r"\d+|(?<!\w)" + f.trie({*f._SMALL, *f._TENS, *_VAGUE_STARTS}) + r"\b"
_CANDIDATE = re.compile(_CANDIDATE_WORDS, re.IGNORECASE)
_CANDIDATE_LOWER = re.compile(_CANDIDATE_WORDS)
# f._NOT_FIGURES with its first character checked up front: each branch starts with a digit, a month's capital or
# (earthquakes) an M.
_NOT_FIGURES = re.compile(r"(?=[\dJFMASONDm])(?:" + f._NOT_FIGURES.pattern + ")", f._NOT_FIGURES.flags)


def find_figures(text: str) -> list[FoundFigure]:
    """Figure phrases in text order; years and dates are not figures (the parser's rules)."""
    return list(_find_figures(text))


@lru_cache(maxsize=8)
def _find_figures(text: str) -> tuple[FoundFigure, ...]:
    if _CANDIDATE.search(text) is None:
        return ()
    masked = _NOT_FIGURES.sub(lambda m: "\0" * len(m.group()), text)
    found: list[FoundFigure] = []
    resume = last_end = 0  # where _ATOM.finditer would go on; where the last figure ended
    lower = (masked if masked.isascii() else masked.translate(f.CASE_FOLDS)).lower()  # "sıx" is a candidate too
    candidates = _CANDIDATE_LOWER.finditer(lower) if len(lower) == len(masked) else _CANDIDATE.finditer(masked)
    for c in candidates:
        if c.start() < resume:
            continue
        m = f._ATOM.match(masked, c.start())
        if m is None:
            continue
        resume = m.end()
        if m.start() < last_end:
            continue
        hit = f._figure_span_at(masked, m)
        if hit is None:
            continue
        fields, start, end = hit
        found.append(FoundFigure(start, end, f.ParsedFigure(*fields, text[start:end])))
        last_end = end
    return tuple(found)
