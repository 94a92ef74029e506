"""Parsing of Figure annotation text (annotator.figures)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.figures import QUALIFIERS, ParsedFigure, parse_figure

M = 1_000_000

# text, value, lower, upper, qualifier, unit
FIGURES = [
    # exact
    ("42", 42, 42, 42, "exact", ""),
    ("three", 3, 3, 3, "exact", ""),
    ("twenty-five", 25, 25, 25, "exact", ""),
    ("a dozen", 12, 12, 12, "exact", ""),
    ("two dozen rebels", 24, 24, 24, "exact", "rebels"),
    # fractions of a scale word: "a million" inside them is not the figure
    ("half a million children", 500_000, 500_000, 500_000, "exact", "children"),
    ("More than half a million children", 500_000, 500_000, None, "more than", "children"),
    ("Roughly a quarter of a million people", 250_000, None, None, "approximately", "people"),
    ("three quarters of a million refugees", 750_000, 750_000, 750_000, "exact", "refugees"),
    ("two thirds of a million voters", 666_667, 666_667, 666_667, "exact", "voters"),
    ("half a dozen villages", 6, 6, 6, "exact", "villages"),
    ("a quarter million homes", 250_000, 250_000, 250_000, "exact", "homes"),
    ("one hundred", 100, 100, 100, "exact", ""),
    ("two hundred and fifty", 250, 250, 250, "exact", ""),
    ("1.5 million", 1.5 * M, 1.5 * M, 1.5 * M, "exact", ""),
    ("2 billion dollars", 2e9, 2e9, 2e9, "exact", "dollars"),
    ("30 thousand", 30_000, 30_000, 30_000, "exact", ""),
    ("12k", 12_000, 12_000, 12_000, "exact", ""),
    ("$3.5bn in aid", 3.5e9, 3.5e9, 3.5e9, "exact", ""),
    ("1,200 people were killed", 1200, 1200, 1200, "exact", "people"),
    ("14 years of civil war", 14, 14, 14, "exact", "years"),
    ("1999 people", 1999, 1999, 1999, "exact", "people"),
    ("10%", 10, 10, 10, "exact", "%"),
    ("40 per cent of homes", 40, 40, 40, "exact", "%"),
    ("In March 2011, 300 people died", 300, 300, 300, "exact", "people"),
    # at least
    ("at least 973", 973, 973, None, "at least", ""),
    ("no fewer than 12 children", 12, 12, None, "at least", "children"),
    ("a minimum of 20 fighters", 20, 20, None, "at least", "fighters"),
    ("1,000 or more", 1000, 1000, None, "at least", ""),
    ("at least 2000", 2000, 2000, None, "at least", ""),
    # more than
    ("over 1,200", 1200, 1200, None, "more than", ""),
    ("more than 740 civilians", 740, 740, None, "more than", "civilians"),
    ("the deaths of over 1,200 Alawites", 1200, 1200, None, "more than", "Alawites"),
    ("upwards of 600", 600, 600, None, "more than", ""),
    ("in excess of 1,000 detainees", 1000, 1000, None, "more than", "detainees"),
    ("1,200+", 1200, 1200, None, "more than", ""),
    ("1,200-plus Alawites", 1200, 1200, None, "more than", "Alawites"),
    ("more than a dozen", 12, 12, None, "more than", ""),
    ("just over 1,000", 1000, 1000, None, "more than", ""),
    # nearly
    ("nearly 30,000", 30_000, None, 30_000, "nearly", ""),
    ("almost 100 villages", 100, None, 100, "nearly", "villages"),
    ("close to 2,000", 2000, None, 2000, "nearly", ""),
    ("just under 3,000", 3000, None, 3000, "nearly", ""),
    # approximately
    ("approximately 1,700", 1700, None, None, "approximately", ""),
    ("some 230 security personnel", 230, None, None, "approximately", "security personnel"),
    ("about 150", 150, None, None, "approximately", ""),
    ("around 5,000 families", 5000, None, None, "approximately", "families"),
    ("roughly 500", 500, None, None, "approximately", ""),
    ("an estimated 1.5 million Syrians", 1.5 * M, None, None, "approximately", "Syrians"),
    ("~1,200", 1200, None, None, "approximately", ""),
    ("200-odd", 200, None, None, "approximately", ""),
    ("about a dozen", 12, None, None, "approximately", ""),
    # up to
    ("up to 5,000", 5000, None, 5000, "up to", ""),
    ("as many as 300", 300, None, 300, "up to", ""),
    ("no more than 40", 40, None, 40, "up to", ""),
    ("at most 7", 7, None, 7, "up to", ""),
    ("fewer than 10 journalists", 10, None, 10, "up to", "journalists"),
    # ranges
    ("between 1,000 and 1,500", None, 1000, 1500, "range", ""),
    ("1,000-1,500", None, 1000, 1500, "range", ""),
    ("1,000 to 1,500", None, 1000, 1500, "range", ""),
    ("from 10 to 20", None, 10, 20, "range", ""),
    ("1,000 – 1,500 people", None, 1000, 1500, "range", "people"),
    ("between 5 and 6 million refugees", None, 5 * M, 6 * M, "range", "refugees"),
    ("between three and four thousand", None, 3000, 4000, "range", ""),
    ("between 900 and 1.2 million", None, 900, 1.2 * M, "range", ""),
    ("10-20%", None, 10, 20, "range", "%"),
    # vague
    ("dozens", 24, 24, None, "vague", ""),
    ("dozens of civilians", 24, 24, None, "vague", "civilians"),
    ("hundreds", 200, 200, None, "vague", ""),
    ("thousands of displaced people", 2000, 2000, None, "vague", "displaced people"),
    ("tens of thousands", 20_000, 20_000, None, "vague", ""),
    ("hundreds of thousands of refugees", 200_000, 200_000, None, "vague", "refugees"),
    ("scores of bodies", 40, 40, None, "vague", "bodies"),
    ("a handful of fighters", 3, 3, 9, "vague", "fighters"),
    ("several", 3, 3, 9, "vague", ""),
    ("several hundred", 300, 300, 900, "vague", ""),
]

NOT_FIGURES = [
    "in 2011",
    "The magnitude 7.8 earthquake",
    "a 6.3-magnitude aftershock",
    "a quake of 5.9 on the Richter scale",
    "the strongest of magnitude 5.1",
    "2025",
    "since 1982",
    "the 2011 uprising",
    "the 2011 elections",
    "between 2011 and 2015",
    "2011-2015",
    "March 10",
    "March 10, 2025",
    "10 March 2025",
    "the 3rd of June",
    "10/03/2025",
    "2025-03-10",
    "10:30",
    "9 a.m.",
    "14th",
    "twenty-first",
    "the 1990s",
    "COVID-19",
    "the regime",
    "no one",
    "",
]


@pytest.mark.parametrize(("text", "value", "lower", "upper", "qualifier", "unit"), FIGURES)
def test_parse_figure(
    text: str, value: float | None, lower: float | None, upper: float | None, qualifier: str, unit: str
) -> None:
    figure = parse_figure(text)
    assert figure is not None
    assert (figure.value, figure.lower, figure.upper, figure.qualifier) == (value, lower, upper, qualifier)
    assert figure.is_range == (qualifier == "range")
    assert figure.unit == unit
    assert figure.text == text


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_a_figure(text: str) -> None:
    assert parse_figure(text) is None


def test_first_figure_wins_and_dates_years_are_skipped() -> None:
    figure = parse_figure("On 10 March 2025, in the 2011-style crackdown, at least 50 people and 3 children died")
    assert figure is not None
    assert (figure.value, figure.qualifier, figure.unit) == (50, "at least", "people")


def test_as_dict() -> None:
    assert parse_figure("over 1,200 Alawites").as_dict() == {
        "value": 1200,
        "lower": 1200,
        "upper": None,
        "qualifier": "more than",
        "is_range": False,
        "unit": "Alawites",
        "text": "over 1,200 Alawites",
    }


def test_parsed_figure_is_frozen() -> None:
    figure = parse_figure("42")
    with pytest.raises(AttributeError):
        figure.value = 43  # type: ignore[misc]


counts = st.integers(min_value=0, max_value=10**12)


@given(counts)
def test_comma_formatted_integer_round_trips(n: int) -> None:
    figure = parse_figure(f"{n:,}")
    assert figure == ParsedFigure(n, n, n, "exact", False, "", f"{n:,}")


@given(counts)
def test_at_least_sets_lower_bound(n: int) -> None:
    figure = parse_figure(f"at least {n:,} civilians were killed")
    assert figure is not None
    assert (figure.value, figure.lower, figure.upper, figure.qualifier) == (n, n, None, "at least")
    assert figure.unit == "civilians"


@given(counts, counts)
def test_between_gives_ordered_range(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    figure = parse_figure(f"between {lo:,} and {hi:,} people")
    assert figure is not None
    assert (figure.value, figure.lower, figure.upper, figure.is_range) == (None, lo, hi, True)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9))
def test_decimal_millions(whole: int, tenth: int) -> None:
    figure = parse_figure(f"nearly {whole}.{tenth} million")
    assert figure is not None
    assert figure.upper == figure.value == (whole * 10 + tenth) * 100_000
    assert figure.qualifier == "nearly"


@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes_and_bounds_are_consistent(text: str) -> None:
    figure = parse_figure(text)
    if figure is not None:
        assert figure.qualifier in QUALIFIERS
        assert figure.text == text
        if figure.lower is not None and figure.upper is not None:
            assert figure.lower <= figure.upper
