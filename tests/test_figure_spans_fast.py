"""The prefiltered, cached figure finder gives exactly what running the parser's atom pattern over
the whole text gives (the plain loop below, the finder before it was made fast); the qualifier
pattern built as a prefix trie matches what the flat alternation matched."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from suggest_heldout import BLIND_PARAGRAPHS, PARAGRAPHS

from annotator import figures as f
from annotator.figure_spans import FoundFigure, find_figures

TRICKY = ("Between 300 and 400 fighters, 5 to 6 million people, twenty-five soldiers and a dozen guards; "
          "A320 jets, 1,200+ Alawites, 200-odd men, 10% of voters on March 10, 2025 at 10:30 in 2011; "
          "tens of thousands of people, several hundred families, a few children, ٩٧٣ مدنيا, no one, 12k troops.")


def reference(text: str) -> list[FoundFigure]:
    masked = f._NOT_FIGURES.sub(lambda m: "\0" * len(m.group()), text)
    found: list[FoundFigure] = []
    last_end = 0
    for m in f._ATOM.finditer(masked):
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
            end = f._number(m)[2]
            if figure.is_range:
                sep = f._RANGE_SEP.match(masked, end)
                second = f._ATOM.match(masked, sep.end()) if sep else None
                if second is not None:
                    end = f._number(second)[2]
            suffix = f._SUFFIX.match(masked, end)
            end = suffix.end() if suffix else end
        if figure.unit and figure.unit != "%":
            at = masked.find(figure.unit, end, end + 60)
            if at >= 0:
                end = at + len(figure.unit)
        found.append(FoundFigure(start, end, replace(figure, text=text[start:end])))
        last_end = end
    return found


def test_same_figures_as_the_plain_scan() -> None:
    text = " ".join(p for p, _, _ in PARAGRAPHS + BLIND_PARAGRAPHS) + " " + TRICKY
    expected = reference(text)
    assert len(expected) > 40
    assert find_figures(text) == expected
    assert find_figures(TRICKY) == reference(TRICKY)


def test_results_are_cached_but_not_shared() -> None:
    first = find_figures(TRICKY)
    first.clear()
    assert find_figures(TRICKY) == reference(TRICKY)
    assert find_figures("no numbers here at all") == []


def test_trie_qualifier_pattern_matches_the_flat_alternation() -> None:
    flat = re.compile(r"(?<!\w)(?P<q>" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in f._QUALIFIER_PHRASES) + r")\s*$",
                      re.IGNORECASE)
    text = " ".join(p for p, _, _ in PARAGRAPHS) + " " + TRICKY + " well  over, no fewer than, Approx. ~ just short of"
    checked = 0
    for end in range(len(text) + 1):
        a = flat.search(text, max(0, end - 40), end)
        b = f._QUALIFIER_BEFORE.search(text, max(0, end - 40), end)
        assert (a and a.span("q")) == (b and b.span("q")), text[max(0, end - 40):end]
        checked += a is not None
    assert checked > 30


def test_a_text_whose_lower_case_is_longer_is_scanned_as_written() -> None:
    """"İ" lower-cases to two code points, so the lower-cased scan would shift every offset after it."""
    text = "İzmir: over 1,200 people fled; Three hundred families stayed. " + TRICKY
    assert len(text.lower()) != len(text)
    found = find_figures(text)
    assert found == reference(text)
    assert [x.figure.text for x in found[:2]] == ["over 1,200 people", "Three hundred families"]


@given(st.integers(0, 10**15), st.sampled_from(["", " thousand", " million", "bn", "k"]), st.booleans())
def test_integer_values_equal_the_decimal_arithmetic(number: int, scale: str, commas: bool) -> None:
    digits = f"{number:,}" if commas else str(number)
    m = f._ATOM.search(f"x {digits}{scale} people")
    assert m is not None and m["int"] is not None
    factor = f._SCALE.get(scale.strip().lower(), 1)
    assert f._number(m)[0] == float(Decimal(str(number)) * factor)
