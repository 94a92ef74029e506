"""Agreement measures checked against reference implementations and published examples."""

from __future__ import annotations

import json
import math
import warnings
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from sklearn.metrics import confusion_matrix as sk_confusion_matrix

from annotator.agreement import (
    PRF,
    agreement_report,
    alpha_nominal,
    alpha_unitizing,
    alpha_unitizing_details,
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
    segment_distance,
    span_prf,
)
from annotator.tokens import token_labels, tokenize

TOL = 1e-9

labels_strategy = st.sampled_from(["O", "PER", "LOC", "ORG"])


def sk_kappa(a: list[str], b: list[str]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(a, b))


# Cohen's kappa -------------------------------------------------------------

# Krippendorff (1995: 57) example A, digitized into 24 one-character items
# (DKPro Statistics, Krippendorff1995Test.testDigitizedAgreement: kappa 0.385,
# alpha 0.329).
BERTHA = "001111111100001111110000"
BILL = "000011110000000110000000"


def test_cohen_kappa_matches_sklearn() -> None:
    a = ["PER", "PER", "O", "LOC", "O", "O", "ORG", "LOC", "O", "PER"]
    b = ["PER", "O", "O", "LOC", "O", "LOC", "ORG", "LOC", "O", "O"]
    assert cohen_kappa(a, b) == pytest.approx(sk_kappa(a, b), abs=TOL)


def test_cohen_kappa_published_digitized_example() -> None:
    assert cohen_kappa(list(BERTHA), list(BILL)) == pytest.approx(0.385, abs=5e-4)
    assert cohen_kappa(list(BERTHA), list(BILL)) == pytest.approx(sk_kappa(list(BERTHA), list(BILL)), abs=TOL)


def test_cohen_kappa_without_unannotated_tokens() -> None:
    a = ["O", "O", "PER", "PER", "O", "LOC", "O", "LOC"]
    b = ["O", "O", "PER", "O", "LOC", "LOC", "O", "PER"]
    kept = [i for i in range(len(a)) if not (a[i] == "O" and b[i] == "O")]
    expected = sk_kappa([a[i] for i in kept], [b[i] for i in kept])
    assert cohen_kappa(a, b, include_unannotated=False) == pytest.approx(expected, abs=TOL)
    assert cohen_kappa(a, b) == pytest.approx(sk_kappa(a, b), abs=TOL)


def test_cohen_kappa_degenerate_cases_are_nan() -> None:
    assert math.isnan(cohen_kappa([], []))
    assert math.isnan(cohen_kappa(["O", "O"], ["O", "O"]))  # one category only
    assert math.isnan(cohen_kappa(["O", "O"], ["O", "O"], include_unannotated=False))
    with pytest.raises(ValueError):
        cohen_kappa(["O"], ["O", "O"])


@given(st.lists(st.tuples(labels_strategy, labels_strategy), min_size=1, max_size=40))
def test_cohen_kappa_property_matches_sklearn(pairs: list[tuple[str, str]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    ours, reference = cohen_kappa(a, b), sk_kappa(a, b)
    if math.isnan(reference):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(reference, abs=TOL)


@given(st.lists(labels_strategy, min_size=2, max_size=40))
def test_identical_raters_have_kappa_one(a: list[str]) -> None:
    assume(len(set(a)) > 1)
    assert cohen_kappa(a, a) == 1.0
    assert fleiss_kappa([[x, x, x] for x in a]) == 1.0
    assert alpha_nominal([a, a]) == pytest.approx(1.0, abs=TOL)


# Fleiss' kappa -------------------------------------------------------------

# Fleiss (1971: 379), 30 subjects, 6 raters, 5 categories; kappa 0.430,
# P = 0.5556, P_e = 0.2201; category kappas 0.248, 0.248, 0.517, 0.470, 0.565.
FLEISS_1971 = [
    "444444", "222555", "233335", "555555", "222444",
    "113333", "333355", "113334", "114444", "555555",
    "144444", "124444", "222333", "144444", "224445",
    "333335", "111455", "111112", "224444", "133555",
    "555555", "244444", "224555", "114444", "144445",
    "222224", "111155", "224444", "133333", "555555",
]  # fmt: skip

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5
# categories (counts per category); kappa 0.210.
WIKIPEDIA_COUNTS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip


def counts_to_ratings(counts: list[list[int]]) -> list[list[str]]:
    return [[str(k) for k, n in enumerate(row) for _ in range(n)] for row in counts]


def test_fleiss_kappa_published_examples() -> None:
    assert fleiss_kappa([list(item) for item in FLEISS_1971]) == pytest.approx(0.430, abs=5e-4)
    assert fleiss_kappa(counts_to_ratings(WIKIPEDIA_COUNTS)) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_category_kappa_is_binarised_fleiss() -> None:
    """Fleiss' (1971) category-specific kappa equals Fleiss' kappa on "k vs. not k"."""
    expected = {"1": 0.248, "2": 0.248, "3": 0.517, "4": 0.470, "5": 0.565}
    for category, value in expected.items():
        binary = [["y" if r == category else "n" for r in item] for item in FLEISS_1971]
        assert fleiss_kappa(binary) == pytest.approx(value, abs=5e-3)


def test_fleiss_kappa_matches_statsmodels() -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    assert fleiss_kappa(counts_to_ratings(WIKIPEDIA_COUNTS)) == pytest.approx(
        inter_rater.fleiss_kappa(np.array(WIKIPEDIA_COUNTS)), abs=TOL
    )
    table, _ = inter_rater.aggregate_raters(np.array([[int(r) for r in item] for item in FLEISS_1971]))
    assert fleiss_kappa([list(item) for item in FLEISS_1971]) == pytest.approx(inter_rater.fleiss_kappa(table), abs=TOL)


@given(
    st.integers(2, 5).flatmap(
        lambda n: st.lists(st.lists(labels_strategy, min_size=n, max_size=n), min_size=1, max_size=25)
    )
)
def test_fleiss_kappa_property_matches_statsmodels(ratings: list[list[str]]) -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    codes = {"O": 0, "PER": 1, "LOC": 2, "ORG": 3}
    table, _ = inter_rater.aggregate_raters(np.array([[codes[r] for r in item] for item in ratings]))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        reference = float(inter_rater.fleiss_kappa(table))
    ours = fleiss_kappa(ratings)
    if math.isnan(reference):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(reference, abs=TOL)


def test_fleiss_kappa_degenerate_cases() -> None:
    assert math.isnan(fleiss_kappa([]))
    assert math.isnan(fleiss_kappa([["O", "O", "O"], ["O", "O", "O"]]))
    with pytest.raises(ValueError):
        fleiss_kappa([["O", "O", "O"], ["O", "O"]])


# Krippendorff's alpha (nominal) -----------------------------------------

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
# 4 observers, 12 units, missing values; nominal alpha 0.743.
KRIPPENDORFF_2011 = [
    "1 2 3 3 2 1 4 1 2 . . .",
    "1 2 3 3 2 2 4 1 2 5 . 3",
    ". 3 3 3 2 3 4 2 2 5 1 .",
    "1 2 3 3 2 4 4 1 2 5 1 .",
]


def nltk_alpha(ratings_by_rater: list[list[str | None]]) -> float:
    data = [
        (f"coder{i}", f"item{j}", value)
        for i, row in enumerate(ratings_by_rater)
        for j, value in enumerate(row)
        if value is not None
    ]
    return float(AnnotationTask(data=data).alpha())


def package_alpha(ratings_by_rater: list[list[str | None]]) -> float:
    codes = {v: i for i, v in enumerate(sorted({v for row in ratings_by_rater for v in row if v is not None}))}
    data = [[np.nan if v is None else codes[v] for v in row] for row in ratings_by_rater]
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def test_alpha_nominal_published_example_with_missing_values() -> None:
    ratings = [[None if v == "." else v for v in row.split()] for row in KRIPPENDORFF_2011]
    ours = alpha_nominal(ratings)
    assert ours == pytest.approx(0.743, abs=5e-4)
    assert ours == pytest.approx(package_alpha(ratings), abs=TOL)
    assert ours == pytest.approx(nltk_alpha(ratings), abs=TOL)


def test_alpha_nominal_published_digitized_example() -> None:
    ratings = [list(BERTHA), list(BILL)]
    assert alpha_nominal(ratings) == pytest.approx(0.329, abs=5e-4)
    assert alpha_nominal(ratings) == pytest.approx(nltk_alpha(ratings), abs=TOL)


@settings(deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda raters: st.integers(1, 15).flatmap(
            lambda items: st.lists(
                st.lists(st.one_of(st.none(), labels_strategy), min_size=items, max_size=items),
                min_size=raters,
                max_size=raters,
            )
        )
    )
)
def test_alpha_nominal_property_matches_nltk_and_package(ratings: list[list[str | None]]) -> None:
    ours = alpha_nominal(ratings)
    assume(not math.isnan(ours))
    assert ours == pytest.approx(package_alpha(ratings), abs=TOL)
    assert ours == pytest.approx(nltk_alpha(ratings), abs=TOL)


def test_alpha_nominal_degenerate_cases() -> None:
    assert math.isnan(alpha_nominal([]))
    assert math.isnan(alpha_nominal([["O", "O"], ["O", "O"]]))  # one value only
    assert math.isnan(alpha_nominal([["O", None], [None, "PER"]]))  # nothing pairable
    # PER only occurs in an item with a single rating: no expected disagreement.
    assert math.isnan(alpha_nominal([["O", "PER"], ["O", None]]))


# Confusion matrix ----------------------------------------------------------


@given(st.lists(st.tuples(labels_strategy, labels_strategy), min_size=1, max_size=40))
def test_confusion_matrix_matches_sklearn(pairs: list[tuple[str, str]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    names, matrix = confusion_matrix(a, b)
    assert names == sorted(set(a) | set(b))
    fixed = ["PER", "LOC", "ORG", "O"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns when only one label occurs
        assert matrix == sk_confusion_matrix(a, b, labels=names).tolist()
        assert confusion_matrix(a, b, fixed) == (fixed, sk_confusion_matrix(a, b, labels=fixed).tolist())


# Span precision / recall / F1 -------------------------------------------

REF = [(0, 5, "PER"), (10, 15, "LOC"), (20, 25, "ORG")]
CAND = [(0, 5, "PER"), (10, 14, "LOC"), (20, 25, "LOC"), (30, 35, "PER")]


def test_span_prf_exact() -> None:
    assert span_prf(REF, CAND) == PRF(0.25, 1 / 3, 2 / 7, tp=1, fp=3, fn=2)


def test_span_prf_overlap() -> None:
    assert span_prf(REF, CAND, mode="overlap") == PRF(0.5, 2 / 3, 4 / 7, tp=2, fp=2, fn=1)


def test_span_prf_per_label() -> None:
    assert span_prf(REF, CAND, label="LOC") == PRF(0.0, 0.0, 0.0, tp=0, fp=2, fn=1)
    assert span_prf(REF, CAND, mode="overlap", label="LOC") == PRF(0.5, 1.0, 2 / 3, tp=1, fp=1, fn=0)


def test_span_prf_overlap_is_one_to_one() -> None:
    long = [(0, 10, "A")]
    halves = [(0, 4, "A"), (5, 10, "A")]
    assert span_prf(long, halves, mode="overlap") == PRF(0.5, 1.0, 2 / 3, tp=1, fp=1, fn=0)
    assert span_prf(halves, long, mode="overlap") == PRF(1.0, 0.5, 2 / 3, tp=1, fp=0, fn=1)


def test_span_prf_overlap_needs_a_shared_character() -> None:
    assert span_prf([(0, 5, "A")], [(5, 9, "A")], mode="overlap").tp == 0
    assert span_prf([(0, 5, "A")], [(4, 9, "A")], mode="overlap").tp == 1


def test_span_prf_exact_counts_duplicates_once_each() -> None:
    assert span_prf([(0, 5, "A"), (0, 5, "A")], [(0, 5, "A")]) == PRF(1.0, 0.5, 2 / 3, tp=1, fp=0, fn=1)


def test_span_prf_empty_sides() -> None:
    both_empty = span_prf([], [])
    assert (both_empty.tp, both_empty.fp, both_empty.fn) == (0, 0, 0)
    assert all(math.isnan(x) for x in (both_empty.precision, both_empty.recall, both_empty.f1))
    only_candidate = span_prf([], [(0, 1, "A")])
    assert only_candidate.precision == 0.0 and only_candidate.f1 == 0.0
    assert math.isnan(only_candidate.recall)
    with pytest.raises(ValueError):
        span_prf([], [], mode="fuzzy")  # type: ignore[arg-type]


def test_prf_addition_is_micro_average() -> None:
    total = span_prf(REF, CAND) + span_prf([(0, 1, "A")], [(0, 1, "A")])
    assert total == PRF.from_counts(2, 3, 2)


span_strategy = st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from("AB")).map(
    lambda t: (t[0], t[0] + t[1], t[2])
)


@given(st.lists(span_strategy, max_size=8), st.lists(span_strategy, max_size=8))
def test_span_prf_is_symmetric(a: list, b: list) -> None:
    for mode in ("exact", "overlap"):
        ab, ba = span_prf(a, b, mode), span_prf(b, a, mode)
        assert (ab.tp, ab.fp, ab.fn) == (ba.tp, ba.fn, ba.fp)


# Krippendorff's alpha-u ------------------------------------------------------


def krippendorff_1995_example(stretch: float) -> tuple[int, dict[str, list[tuple[int, int, str]]]]:
    """Krippendorff (1995: 57), four two-coder examples A-D on a 24-unit continuum.

    As encoded in DKPro Statistics' Krippendorff1995Test.createExample: units are
    (offset, length, coder, category); ``stretch`` scales the continuum so that the
    discrete computation approaches the continuous one of the paper.
    """
    raw = [
        (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
        (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"),
        (4, 1, 1, "B"), (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
        (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"),
        (0, 2, 1, "C"), (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
        (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
        (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
    ]  # fmt: skip
    units: dict[str, list[tuple[int, int, str]]] = {"coder0": [], "coder1": []}
    for offset, length, coder, category in raw:
        start = int(offset * stretch)
        units[f"coder{coder}"].append((start, start + int(length * stretch), category))
    return int(24 * stretch), units


def krippendorff_2004_example() -> tuple[int, dict[str, list[tuple[int, int, str]]]]:
    """Krippendorff (2004: 254), continuum [150, 450), categories c and k.

    Shifted to start at 0; as in DKPro Statistics' Krippendorff2004Test.
    """
    units = {
        "i": [(225, 295, "c"), (370, 400, "c"), (180, 240, "k"), (300, 350, "k")],
        "j": [(220, 300, "c"), (355, 375, "c"), (400, 420, "c"), (180, 240, "k"), (300, 350, "k")],
    }
    return 300, {coder: [(s - 150, e - 150, lab) for s, e, lab in spans] for coder, spans in units.items()}


def test_alpha_u_distance_examples() -> None:
    """Krippendorff (2004: 252-254) distances, as in DKPro's Krippendorff2004Test and UnitizingAgreementTest."""

    def unit(offset: int, length: int) -> tuple[int, int, bool]:
        return (offset, offset + length, True)

    def gap(offset: int, length: int) -> tuple[int, int, bool]:
        return (offset, offset + length, False)

    assert segment_distance(unit(225, 70), unit(220, 80)) == 50
    assert segment_distance(unit(370, 30), unit(355, 20)) == 850
    assert segment_distance(gap(400, 50), unit(400, 20)) == 400
    assert segment_distance(unit(5, 6), unit(4, 2)) == 26
    assert segment_distance(unit(5, 6), unit(7, 2)) == 8
    assert segment_distance(unit(5, 6), unit(5, 6)) == 0
    assert segment_distance(unit(1, 8), unit(2, 1)) == 37
    assert segment_distance(unit(1, 8), gap(0, 2)) == 0  # only partly inside the gap
    assert segment_distance(unit(1, 8), gap(7, 4)) == 0
    assert segment_distance(gap(9, 2), gap(7, 4)) == 0
    assert segment_distance(unit(2, 2), gap(2, 3)) == 4
    assert segment_distance(unit(5, 6), unit(11, 2)) == 0  # touching units do not overlap


def test_alpha_u_krippendorff_2004() -> None:
    """Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology,
    2nd ed., p. 254: D_o(c) = .0144, D_e(c) = .0532, alpha_c = .7286; D_o(k) = 0,
    D_e(k) = .0490, alpha_k = 1; alpha_u = .8591.

    The published .8591 is 1 - .0144 / (.0532 + .0490) from the rounded
    disagreements; unrounded it is .85867 (DKPro Statistics checks it to 5e-4).
    """
    length, units = krippendorff_2004_example()
    c = alpha_unitizing_details(length, units, "c")
    k = alpha_unitizing_details(length, units, "k")
    assert c.observed == pytest.approx(0.0144, abs=5e-5)
    assert c.expected == pytest.approx(0.0532, abs=5e-5)
    assert c.alpha == pytest.approx(0.7286, abs=5e-5)
    assert k.observed == 0.0
    assert k.expected == pytest.approx(0.0490, abs=5e-5)
    assert k.alpha == 1.0
    overall = alpha_unitizing(length, units)
    assert overall == pytest.approx(0.8591, abs=5e-4)
    assert overall == pytest.approx(1 - c.observed / (c.expected + k.expected), abs=TOL)


def test_alpha_u_krippendorff_1995_observed() -> None:
    """Krippendorff, K. (1995). On the reliability of unitizing contiguous data.
    Sociological Methodology 25: 47-76, p. 57. Observed disagreements of the
    examples A-D: .03125, 2.26736, .02777, .38715 (as in DKPro Statistics'
    Krippendorff1995Test.testAgreement)."""
    length, units = krippendorff_1995_example(1)
    published = {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}
    for category, value in published.items():
        assert alpha_unitizing_details(length, units, category).observed == pytest.approx(value, abs=1e-5)
    assert alpha_unitizing_details(length, units, "A").observed == 1 / 32


def test_alpha_u_krippendorff_1995_expected_and_alpha() -> None:
    """Krippendorff (1995: 57), continuum stretched 50,000 times to approach the
    paper's continuous values: D_e = .06990, 1.17731, .08642, .41445 and
    alpha = .553, -.926, .679, .066 for A-D.

    DKPro Statistics notes that the paper's D_e seems to contain a small error
    (possibly ``l_ik + l_hj + 1`` where the first plus should be a minus, see
    Krippendorff 2004) and checks D_e to 0.005 and alpha to 0.02. A and D agree to the published digits; the
    DKPro value at stretch 1/2, D_e(C) = .05494 (alpha .494), is checked exactly.
    """
    length, units = krippendorff_1995_example(50_000)
    published = {
        "A": (0.06990, 0.553),
        "B": (1.17731, -0.926),
        "C": (0.08642, 0.679),
        "D": (0.41445, 0.066),
    }
    for category, (expected, alpha) in published.items():
        details = alpha_unitizing_details(length, units, category)
        assert details.expected == pytest.approx(expected, abs=5e-3)
        assert details.alpha == pytest.approx(alpha, abs=2e-2)
    assert alpha_unitizing_details(length, units, "A").expected == pytest.approx(0.06990, abs=5e-6)
    assert alpha_unitizing_details(length, units, "D").expected == pytest.approx(0.41445, abs=5e-6)

    length, units = krippendorff_1995_example(0.5)
    half = alpha_unitizing_details(length, units, "C")
    assert half.expected == pytest.approx(0.05494, abs=5e-6)
    assert half.alpha == pytest.approx(0.494, abs=5e-4)


def test_alpha_u_dkpro_example() -> None:
    """DKPro Statistics, UnitizingAgreementTest: r0 -11111111-, r1 --1-1-1---;
    D_o = .9100, D_e = .5351, alpha = -.7003, checked there to 1e-4 (D_e is 289/540
    = .53518..., truncated)."""
    units = {"r0": [(1, 9, "A")], "r1": [(2, 3, "A"), (4, 5, "A"), (6, 7, "A")]}
    details = alpha_unitizing_details(10, units, "A")
    assert details.observed == pytest.approx(0.9100, abs=1e-4)
    assert details.expected == pytest.approx(0.5351, abs=1e-4)
    assert details.alpha == pytest.approx(-0.7003, abs=1e-4)
    assert details.expected == pytest.approx(289 / 540, abs=TOL)


def test_alpha_u_degenerate_cases() -> None:
    """DKPro Statistics: a single unit of one of three coders gives alpha 0; no units NaN."""
    assert alpha_unitizing(20, {"a": [(0, 1, "X")], "b": [], "c": []}) == pytest.approx(0.0, abs=TOL)
    assert math.isnan(alpha_unitizing(20, {"a": [], "b": [], "c": []}))
    assert math.isnan(alpha_unitizing(20, {"a": [(0, 5, "X")]}))  # one coder
    assert math.isnan(alpha_unitizing(0, {"a": [], "b": []}))
    assert math.isnan(alpha_unitizing(20, {"a": [(0, 5, "X")], "b": [(0, 5, "X")]}, label="Y"))
    with pytest.raises(ValueError):
        alpha_unitizing(10, {"a": [(5, 11, "X")], "b": []})


def test_alpha_u_merges_overlapping_units_of_one_coder() -> None:
    overlapping = {"a": [(0, 6, "X"), (4, 10, "X"), (12, 15, "X")], "b": [(1, 10, "X")]}
    merged = {"a": [(0, 10, "X"), (12, 15, "X")], "b": [(1, 10, "X")]}
    assert alpha_unitizing(20, overlapping) == alpha_unitizing(20, merged)


# An independent, literal implementation of the formula for the property tests.


def brute_force_alpha_u(length: int, units: dict[str, list[tuple[int, int, str]]], label: str | None) -> float:
    coders = list(units)
    m = len(coders)
    categories = [label] if label is not None else sorted({c for spans in units.values() for *_, c in spans})
    d_o = d_e = Fraction(0)
    for cat in categories:
        segs = {}
        for coder in coders:
            own = sorted((b, e - b) for b, e, c in units[coder] if c == cat)
            out, pos = [], 0
            for b, ln in own:
                if b > pos:
                    out.append((pos, b - pos, False))
                out.append((b, ln, True))
                pos = b + ln
            if pos < length:
                out.append((pos, length - pos, False))
            segs[coder] = out

        def delta(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
            (bg, lg, ug), (bh, lh, uh) = g, h
            if ug and uh and -lg < bg - bh < lh:
                return (bg - bh) ** 2 + (bg + lg - bh - lh) ** 2
            if ug and not uh and lh - lg >= bg - bh >= 0:
                return lg**2
            if uh and not ug and lg - lh >= bh - bg >= 0:
                return lh**2
            return 0

        total = sum(delta(g, h) for i in coders for j in coders if i != j for g in segs[i] for h in segs[j])
        d_o += Fraction(total, m * (m - 1) * length**2)
        unit_lengths = [ln for c in coders for _, ln, u in segs[c] if u]
        gaps = [ln for c in coders for _, ln, u in segs[c] if not u]
        n_c = len(unit_lengths)
        num = sum(
            Fraction((n_c - 1) * (2 * ln**3 - 3 * ln**2 + ln), 3) + ln**2 * sum(g - ln + 1 for g in gaps if g >= ln)
            for ln in unit_lengths
        )
        den = m * length * (m * length - 1) - sum(ln * (ln - 1) for ln in unit_lengths)
        d_e += Fraction(2, length) * num / den if unit_lengths else 0
    return math.nan if d_e == 0 else float(1 - d_o / d_e)


@st.composite
def unitizing_study(draw: st.DrawFn) -> tuple[int, dict[str, list[tuple[int, int, str]]]]:
    length = draw(st.integers(1, 30))
    n_coders = draw(st.integers(2, 4))
    units: dict[str, list[tuple[int, int, str]]] = {}
    for coder in range(n_coders):
        spans = []
        for category in "AB":
            points = sorted(draw(st.lists(st.integers(0, length), max_size=8)))
            spans += [(points[k], points[k + 1], category) for k in range(0, len(points) - 1, 2)]
        units[f"c{coder}"] = [s for s in spans if s[0] < s[1]]
    return length, units


@settings(deadline=None)
@given(unitizing_study(), st.sampled_from([None, "A", "B"]))
def test_alpha_u_matches_literal_formula(study: tuple[int, dict], label: str | None) -> None:
    length, units = study
    ours, reference = alpha_unitizing(length, units, label), brute_force_alpha_u(length, units, label)
    if math.isnan(reference):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(reference, abs=TOL)


@settings(deadline=None)
@given(unitizing_study(), st.integers(2, 4))
def test_alpha_u_of_identical_coders_is_one(study: tuple[int, dict], n_coders: int) -> None:
    length, units = study
    same = {f"copy{i}": units["c0"] for i in range(n_coders)}
    alpha = alpha_unitizing(length, same)
    if any(e - s >= 2 for s, e, _ in units["c0"]):
        assert alpha == 1.0
    else:
        assert alpha == 1.0 or math.isnan(alpha)


@given(unitizing_study())
def test_alpha_u_does_not_depend_on_coder_order(study: tuple[int, dict]) -> None:
    length, units = study
    reordered = dict(reversed(list(units.items())))
    first, second = alpha_unitizing(length, units), alpha_unitizing(length, reordered)
    assert (math.isnan(first) and math.isnan(second)) or first == second


# The report ------------------------------------------------------------------

DOC1 = "Angela Merkel visited New York City today ."
DOC2 = "Le président Macron a parlé à Paris ."
CORPUS = [
    (
        "d1",
        DOC1,
        {
            "ann": [(0, 13, "PER"), (22, 35, "LOC")],
            "bob": [(0, 13, "PER"), (22, 30, "LOC")],
            "cat": [(7, 13, "PER"), (22, 35, "ORG")],
        },
    ),
    (
        "d2",
        DOC2,
        {
            "ann": [(13, 19, "PER"), (30, 35, "LOC")],
            "bob": [(3, 19, "PER"), (30, 35, "LOC")],
            "cat": [(13, 19, "PER")],
        },
    ),
    ("d3", "Nothing to see here .", {"ann": [], "bob": [(0, 7, "PER")]}),  # cat did not take part
    ("d4", "Empty .", {"ann": [], "bob": [], "cat": []}),
]


def report() -> dict:
    return agreement_report(CORPUS, ["ann", "bob", "cat"])


def pair(block: dict, a: str, b: str) -> dict:
    return next(p for p in block["pairwise"] if (p["a"], p["b"]) == (a, b))


def test_report_is_strict_json() -> None:
    result = report()
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    assert result["labels"] == ["LOC", "ORG", "PER"]
    assert result["annotators"] == ["ann", "bob", "cat"]
    assert [d["annotators"] for d in result["documents"]] == [
        ["ann", "bob", "cat"],
        ["ann", "bob", "cat"],
        ["ann", "bob"],
        ["ann", "bob", "cat"],
    ]


def test_report_corpus_token_measures_concatenate_documents() -> None:
    result = report()["corpus"]["overall"]
    labelled = {
        name: [
            lab
            for doc_id, text, spans in CORPUS
            if "cat" in spans or name != "cat"
            for lab in token_labels(tokenize(text), spans.get(name, []))
        ]
        for name in ("ann", "bob", "cat")
    }
    ann_bob = pair(result, "ann", "bob")
    assert ann_bob["n_documents"] == 4
    assert ann_bob["cohen_kappa"] == pytest.approx(sk_kappa(labelled["ann"], labelled["bob"]), abs=TOL)
    # ann/cat: d3 is left out because cat did not take part.
    ann_only = [lab for d in CORPUS if "cat" in d[2] for lab in token_labels(tokenize(d[1]), d[2]["ann"])]
    assert pair(result, "ann", "cat")["cohen_kappa"] == pytest.approx(sk_kappa(ann_only, labelled["cat"]), abs=TOL)
    # Fleiss over the documents everybody annotated.
    complete = [d for d in CORPUS if len(d[2]) == 3]
    items = [
        list(labels)
        for _, text, spans in complete
        for labels in zip(*(token_labels(tokenize(text), spans[n]) for n in ("ann", "bob", "cat")), strict=True)
    ]
    assert result["fleiss_kappa"] == pytest.approx(fleiss_kappa(items), abs=TOL)
    assert result["n_documents_all_annotators"] == 3


def test_report_span_scores_are_micro_averaged() -> None:
    ann_bob = pair(report()["corpus"]["overall"], "ann", "bob")
    # d1: PER exact; LOC overlaps.  d2: LOC exact; PER overlaps.  d3: bob's PER is a false positive.
    assert ann_bob["exact"] == {"precision": 2 / 5, "recall": 2 / 4, "f1": 4 / 9, "tp": 2, "fp": 3, "fn": 2}
    assert ann_bob["overlap"]["tp"] == 4 and ann_bob["overlap"]["fp"] == 1 and ann_bob["overlap"]["fn"] == 0


def test_report_alpha_u_concatenates_continua() -> None:
    result = report()
    complete = [d for d in CORPUS if len(d[2]) == 3]
    units: dict[str, list[tuple[int, int, str]]] = {"ann": [], "bob": [], "cat": []}
    offset = 0
    for _, text, spans in complete:
        for name in units:
            units[name] += [(s + offset, e + offset, lab) for s, e, lab in spans[name]]
        offset += len(text)
    assert result["corpus"]["overall"]["alpha_unitizing"] == pytest.approx(alpha_unitizing(offset, units), abs=TOL)
    assert result["corpus"]["per_label"]["PER"]["alpha_unitizing"] == pytest.approx(
        alpha_unitizing(offset, units, "PER"), abs=TOL
    )


def test_report_per_label_uses_binary_token_labels() -> None:
    per = report()["corpus"]["per_label"]["LOC"]
    ann = [lab for d in CORPUS for lab in token_labels(tokenize(d[1]), [s for s in d[2]["ann"] if s[2] == "LOC"])]
    bob = [lab for d in CORPUS for lab in token_labels(tokenize(d[1]), [s for s in d[2]["bob"] if s[2] == "LOC"])]
    assert pair(per, "ann", "bob")["cohen_kappa"] == pytest.approx(sk_kappa(ann, bob), abs=TOL)
    assert pair(per, "ann", "bob")["exact"]["tp"] == 1


def test_report_degenerate_values_become_none() -> None:
    empty_doc = report()["documents"][3]
    assert empty_doc["doc_id"] == "d4"
    overall = empty_doc["overall"]
    assert overall["alpha_unitizing"] is None
    assert overall["alpha_nominal"] is None
    assert overall["fleiss_kappa"] is None
    assert pair(overall, "ann", "bob")["cohen_kappa"] is None
    assert pair(overall, "ann", "bob")["exact"]["f1"] is None


def test_report_confusion_matrix() -> None:
    result = report()["corpus"]["overall"]
    matrix = next(m for m in result["confusion_matrices"] if (m["a"], m["b"]) == ("ann", "bob"))
    assert matrix["labels"] == ["LOC", "ORG", "PER", "O"]
    assert sum(map(sum, matrix["matrix"])) == pair(result, "ann", "bob")["n_tokens"]


def test_report_label_filter_and_two_annotators() -> None:
    result = agreement_report(CORPUS, ["ann", "bob"], labels=["PER"])
    assert result["labels"] == ["PER"]
    overall = result["corpus"]["overall"]
    assert overall["fleiss_kappa"] is None  # only for three or more annotators
    assert pair(overall, "ann", "bob")["exact"]["tp"] == 1
    assert list(result["corpus"]["per_label"]) == ["PER"]


def test_report_without_documents() -> None:
    result = agreement_report([], ["ann", "bob"])
    assert json.dumps(result, allow_nan=False)
    assert result["corpus"]["overall"]["alpha_nominal"] is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12), st.sampled_from(["A", "B"])), max_size=6),
                min_size=2, max_size=6))
def test_alpha_u_observed_sweep_equals_every_pair_of_coders(raw: list[list[tuple[int, int, str]]]) -> None:
    from itertools import combinations

    from annotator.agreement.unitizing import _all_pairs_distance, _pair_distance, _segments

    length = 60
    for label in ("A", "B"):
        coders = [_segments(length, [(s, min(s + n, length), lab) for s, n, lab in spans], label) for spans in raw]
        assert _all_pairs_distance(coders) == sum(_pair_distance(f, s) for f, s in combinations(coders, 2))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12), st.sampled_from(["A", "B"])), max_size=6),
                min_size=2, max_size=8))
def test_alpha_u_numpy_sweep_equals_every_pair_of_coders(raw: list[list[tuple[int, int, str]]]) -> None:
    """The numpy sweep (used from _NUMPY_FROM units on) on small inputs, against the pair-by-pair sum."""
    from itertools import combinations

    from annotator.agreement.unitizing import _all_pairs_distance_numpy, _expected, _pair_distance, _segments

    length = 60
    for label in ("A", "B"):
        coders = [_segments(length, [(s, min(s + n, length), lab) for s, n, lab in spans], label) for spans in raw]
        units = sorted((b, e, c) for c, segs in enumerate(coders) for b, e, unit in segs if unit)
        assert _all_pairs_distance_numpy(units, len(coders)) == sum(
            _pair_distance(f, s) for f, s in combinations(coders, 2))
        import annotator.agreement.unitizing as unitizing

        slow = _expected(length, coders)
        saved, unitizing._NUMPY_FROM = unitizing._NUMPY_FROM, 0
        try:
            assert _expected(length, coders) == slow
        finally:
            unitizing._NUMPY_FROM = saved
