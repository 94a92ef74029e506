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


# Every place f._ATOM can match starts with one of these (the atom's own lookbehinds then decide).
_CANDIDATE = re.compile(r"\d+|(?<!\w)" + f.trie({*f._SMALL, *f._TENS, *_VAGUE_STARTS}) + r"\b", re.IGNORECASE)
# f._NOT_FIGURES with its first character checked up front: each branch starts with a digit, a month's capital or
# (earthquakes) an M.
_NOT_FIGURES = re.compile(r"(?=[\dJFMASONDm])(?:" + f._NOT_FIGURES.pattern + ")", f._NOT_FIGURES.flags)


def _number_end(m: re.Match[str]) -> int:
    """Where a digits or words atom's number ends; only words need parsing (digits end with the atom)."""
    return m.end() if m["words"] is None else f._number(m)[2]


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
    for c in _CANDIDATE.finditer(masked):
        if c.start() < resume:
            continue
        m = f._ATOM.match(masked, c.start())
        if m is None:
            continue
        resume = m.end()
        if m.start() < last_end:
            continue
        figure = f._figure_at(masked, m, text)
        if figure is None:
            continue
        start = m.start()
        if figure.qualifier not in ("exact", "vague") or figure.is_range:
            q = f._QUALIFIER_BEFORE.search(masked, max(0, m.start() - 40), m.start())
            if q is not None:
                start = q.start("q")
        if figure.qualifier == "vague":
            end = m.end()
        else:
            end = _number_end(m)
            if figure.is_range:
                sep = f._RANGE_SEP.match(masked, end)
                second = f._ATOM.match(masked, sep.end()) if sep else None
                if second is not None:
                    end = _number_end(second)
            suffix = f._SUFFIX.match(masked, end)
            end = suffix.end() if suffix else end
        if figure.unit and figure.unit != "%":
            at = masked.find(figure.unit, end, end + 60)
            if at >= 0:
                end = at + len(figure.unit)
        found.append(FoundFigure(start, end, f.ParsedFigure(figure.value, figure.lower, figure.upper, figure.qualifier,
                                                           figure.is_range, figure.unit, text[start:end])))
        last_end = end
    return tuple(found)
