"""Chance-corrected agreement on categorical labels: Cohen, Fleiss, Krippendorff.

All functions return ``float('nan')`` instead of raising when the measure is
undefined: no items, or only one category in use (expected disagreement 0).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from fractions import Fraction

import krippendorff
import numpy as np

from annotator.tokens import UNANNOTATED


def cohen_kappa(
    a: Sequence[str],
    b: Sequence[str],
    *,
    include_unannotated: bool = True,
    unannotated: str = UNANNOTATED,
) -> float:
    """Cohen's kappa between two raters' labels of the same items.

    ``kappa = (p_o - p_e) / (1 - p_e)`` with ``p_o`` the share of items labelled
    alike and ``p_e = sum_k p_a(k) p_b(k)``.

    Unannotated items (label ``unannotated``, "O") are a category like any other.
    With ``include_unannotated=False`` items that *both* raters left unannotated
    are dropped first; items only one rater annotated stay in.

    NaN when there are no items or ``p_e == 1`` (both raters used one and the same
    single category).
    """
    _check_same_length(a, b)
    joint = Counter(zip(a, b, strict=True))
    if not include_unannotated:
        joint.pop((unannotated, unannotated), None)
    n = joint.total()
    if n == 0:
        return math.nan
    agree = sum(count for (x, y), count in joint.items() if x == y)
    count_a: Counter[str] = Counter()
    count_b: Counter[str] = Counter()
    for (x, y), count in joint.items():
        count_a[x] += count
        count_b[y] += count
    chance = sum(count_a[k] * count_b[k] for k in count_a)  # = p_e * n**2
    if chance == n * n:
        return math.nan
    return float(Fraction(agree * n - chance, n * n - chance))


def fleiss_kappa(ratings: Sequence[Sequence[str]]) -> float:
    """Fleiss' kappa for ``ratings[item][rater]``, every item rated by n >= 2 raters.

    ``P_i = (sum_k n_ik**2 - n) / (n (n - 1))``, ``P = mean_i P_i``,
    ``p_k = sum_i n_ik / (N n)``, ``P_e = sum_k p_k**2``,
    ``kappa = (P - P_e) / (1 - P_e)``.

    NaN when there are no items or ``P_e == 1`` (one category only).
    """
    if not ratings:
        return math.nan
    n = len(ratings[0])
    if n < 2 or any(len(item) != n for item in ratings):
        raise ValueError("fleiss_kappa needs the same number (>= 2) of ratings for every item")
    n_items = len(ratings)
    totals: Counter[str] = Counter()
    squares = 0
    # Token data repeats a few rating patterns many times: count each pattern once.
    for pattern, times in Counter(tuple(item) for item in ratings).items():
        for label, count in Counter(pattern).items():
            totals[label] += times * count
            squares += times * count * count
    observed = Fraction(squares - n_items * n, n_items * n * (n - 1))
    chance = Fraction(sum(t * t for t in totals.values()), (n_items * n) ** 2)
    if chance == 1:
        return math.nan
    return float((observed - chance) / (1 - chance))


def alpha_nominal(ratings_by_rater: Sequence[Sequence[str | None]]) -> float:
    """Krippendorff's alpha (nominal) for ``ratings_by_rater[rater][item]``.

    ``None`` marks a missing rating. Computed by the ``krippendorff`` package with
    labels mapped to integers. NaN when fewer than two distinct labels occur in
    items rated by at least two raters (no expected disagreement), or no item has
    two ratings.
    """
    if not ratings_by_rater:
        return math.nan
    n_items = len(ratings_by_rater[0])
    if any(len(row) != n_items for row in ratings_by_rater):
        raise ValueError("alpha_nominal needs one rating (or None) per rater and item")
    pairable: set[Hashable] = set()
    for item in set(zip(*ratings_by_rater, strict=True)):
        values = [v for v in item if v is not None]
        if len(values) >= 2:
            pairable.update(values)
    if len(pairable) < 2:
        return math.nan
    codes = {label: i for i, label in enumerate(sorted(pairable, key=str))}
    data = np.array(
        [[codes.get(v, math.nan) if v is not None else math.nan for v in row] for row in ratings_by_rater],
        dtype=float,
    )
    # Labels that occur only in unpairable items do not affect alpha; leave them out.
    return float(
        krippendorff.alpha(
            reliability_data=data,
            value_domain=list(codes.values()),
            level_of_measurement="nominal",
        )
    )


def confusion_matrix(
    a: Sequence[str], b: Sequence[str], labels: Sequence[str] | None = None
) -> tuple[list[str], list[list[int]]]:
    """Confusion matrix between two raters' labels of the same items.

    ``matrix[i][j]`` counts the items that ``a`` labelled ``labels[i]`` and
    ``b`` labelled ``labels[j]`` (rows: ``a``, columns: ``b``).

    ``labels`` defaults to the sorted union of both raters' labels; items whose
    label is not in ``labels`` are not counted.
    """
    _check_same_length(a, b)
    names = sorted(set(a) | set(b)) if labels is None else list(labels)
    index = {label: i for i, label in enumerate(names)}
    matrix = [[0] * len(names) for _ in names]
    for x, y in zip(a, b, strict=True):
        if x in index and y in index:
            matrix[index[x]][index[y]] += 1
    return names, matrix


def _check_same_length(a: Sequence[object], b: Sequence[object]) -> None:
    if len(a) != len(b):
        raise ValueError(f"the raters labelled different numbers of items: {len(a)} != {len(b)}")
