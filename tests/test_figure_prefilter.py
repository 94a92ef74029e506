"""``may_hold_figure`` may say yes to a quote without a figure, never no to one with a figure."""

from __future__ import annotations

import re
import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotator.figure_prefilter import CASE_FOLDS, NUMBER_WORDS, may_hold_figure
from annotator.figures import parse_figure

FRAGMENTS = [*NUMBER_WORDS, *(w.upper() for w in NUMBER_WORDS), *(w.title() for w in NUMBER_WORDS), " ", "  ", "-", ",",
             ".", "a ", "A ", "of ", "and ", "no ", "at least ", "over ", "about ", "up to ", "between ", "to ", "or so",
             "1", "12", "1,200", "973", "2011", "10:30", "March ", "10 March 2025", "%", "+", "k", "bn", "th", "people",
             "civilians", "Alawites", "killed", "قتل", "٣", "١٢", "𝟕", "👨‍👩‍👧", "é", "e\u0301", "ı", "İ", "ſ", "\u212a",
             "s\u0131x", "S\u0130X", "\u017feveral", "tw", "o", "thi", "rd", "doz", "en", "h", "alf", "magnitude "]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join))
@example("s\u0131x people")  # dotless i: re.IGNORECASE reads it as "six"
@example("\u017fEVERAL hundred")  # long s
@example("٣ civilians")  # an Arabic-Indic digit is a digit
@example("a dozen")
@example("half a million")
def test_a_quote_with_a_figure_is_never_ruled_out(text: str) -> None:
    assert not _parser_reads_something(text) or may_hold_figure(text)


def _parser_reads_something(text: str) -> bool:
    """A figure, or the parser's KeyError on "s\u0131x" (it matches case-insensitively, then looks the word up
    as written): the check must hand those to the parser too, so the Figures table fails as it did before."""
    try:
        return parse_figure(text) is not None
    except KeyError:
        return True


def test_quotes_without_a_digit_or_number_word_are_ruled_out() -> None:
    for text in ("", "the ministry said", "officials denied the figure", "قال مسؤولون إن", "👨‍👩‍👧 fled"):
        assert not may_hold_figure(text) and parse_figure(text) is None
    for text in ("over 1,200 civilians", "dozens killed", "a few", "S\u0130X people", "\u212a"[:0] + "973"):
        assert may_hold_figure(text)


def test_case_folds_are_every_character_ignorecase_reads_as_an_ascii_letter() -> None:
    letter = re.compile("[a-z]", re.IGNORECASE).fullmatch
    ascii_letters = set(string.ascii_lowercase)
    found, lowered_to_ascii = {}, set()
    for code in range(128, 0x110000):
        char = chr(code)
        if letter(char):
            found[code] = next(a for a in string.ascii_lowercase if re.fullmatch(a, char, re.IGNORECASE))
        if ascii_letters & set(char.lower()):
            lowered_to_ascii.add(code)
    assert found == CASE_FOLDS
    assert lowered_to_ascii <= set(CASE_FOLDS)  # lower() makes no other ASCII letter (nor a longer folded text)
