"""Number words spelled with a letter that re.IGNORECASE matches to an ASCII one ("sıx", "mıllion", "ſeven").

The pattern matched such a word, then the parser looked it up as written and raised KeyError: the
Figures table and the casualties export showed a traceback on such a quote.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.figure_spans import find_figures
from annotator.figures import CASE_FOLDS, parse_figure

PHRASES = ["six people", "over seven hundred killed", "two million displaced", "between six and ten houses",
           "several thousand fled", "tens of thousands displaced", "a few dozen", "one and a half million",
           "at least 1,200 civilians", "some 740 people"]
SWAPS = {"i": ["\u0131", "\u0130"], "s": ["\u017f"], "k": ["\u212a"]}


def spelled(phrase: str, picks: list[int]) -> str:
    """``phrase`` with every i, s and k swapped for a look-alike that IGNORECASE equates with it."""
    out, n = [], 0
    for ch in phrase:
        if ch in SWAPS:
            out.append(SWAPS[ch][picks[n % len(picks)] % len(SWAPS[ch])] if picks else ch)
            n += 1
        else:
            out.append(ch)
    return "".join(out)


@pytest.mark.parametrize("phrase", PHRASES)
def test_the_look_alike_spelling_parses_to_the_same_numbers(phrase: str) -> None:
    plain = parse_figure(phrase)
    assert plain is not None
    for pick in range(2):
        odd = parse_figure(spelled(phrase, [pick]))
        assert odd is not None
        assert (odd.value, odd.lower, odd.upper, odd.qualifier, odd.is_range) == (
            plain.value, plain.lower, plain.upper, plain.qualifier, plain.is_range)


@given(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4), st.lists(st.integers(0, 1), max_size=6))
def test_finding_figures_never_raises_on_look_alikes(phrases: list[str], picks: list[int]) -> None:
    text = " and ".join(spelled(p, picks) for p in phrases)
    found = find_figures(text)
    assert len(found) >= 1


def test_every_fold_is_one_ascii_letter() -> None:
    for code, letter in CASE_FOLDS.items():
        assert letter.isascii() and len(letter) == 1
        assert re.fullmatch(letter, chr(code), re.IGNORECASE)
