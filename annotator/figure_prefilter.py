"""Which quotes cannot hold a figure, told without running the figure parser.

``figures.parse_figure`` finds a figure only where its pattern matches, and every branch of that
pattern holds a digit or one of a few number words ("three", "dozens", "a few", "half a million"):
a quote with neither has no figure. The Figures table parses every figure quote whose numbers a
reviewer has not confirmed, and on a large project half of them hold no number at all; this check
costs a few substring searches where the parser scans the text with every branch at every position.

The pattern matches case-insensitively, as ``re.IGNORECASE`` does: besides the ASCII capitals, four
other characters match an ASCII letter ("İ" and dotless "ı" match ``i``, long "ſ" ``s``, the Kelvin
sign ``k``), so they are mapped to it before the search. ``tests/test_figure_prefilter.py`` checks
that list against every code point, and the check against the parser on random text.
"""

from __future__ import annotations

import re

from annotator.figures import _BIG, _FRACTIONS, _MULT, _SMALL, _TENS, _VAGUE_PLURALS, CASE_FOLDS

__all__ = ["CASE_FOLDS", "NUMBER_WORDS", "may_hold_figure"]

NUMBER_WORDS = tuple(sorted({*_SMALL, *_TENS, *_BIG, *_MULT, *_FRACTIONS, *_VAGUE_PLURALS, "tens", "scores",
                             "several", "few", "handful"}))
"""Every word the figure pattern can match without a digit (its vague, fraction and number-word branches)."""
_SEARCHED = tuple(w for w in NUMBER_WORDS if not any(other != w and other in w for other in NUMBER_WORDS))
"""The words searched for: one that holds another ("sixteen", "six") is found with it."""

_DIGIT = re.compile(r"\d")  # the parser's \d: any Unicode decimal digit


def may_hold_figure(text: str) -> bool:
    """False only when ``parse_figure(text)`` is certainly None (no digit and no number word in it)."""
    if _DIGIT.search(text):
        return True
    folded = (text.translate(CASE_FOLDS) if not text.isascii() else text).lower()
    return any(word in folded for word in _SEARCHED)
