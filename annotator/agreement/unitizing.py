"""Krippendorff's alpha for unitizing (alpha-u) over a character continuum.

The formulation is Krippendorff (1995, 2004), as implemented by DKPro Statistics'
``KrippendorffAlphaUnitizingAgreement`` (Meyer et al. 2014); see docs/agreement.md.

For one category ``c`` every coder's units of ``c`` and the gaps between them
partition the continuum ``[0, L)`` into segments. Two segments ``g`` (coder i) and
``h`` (coder j) differ by

* ``(b_g - b_h)**2 + (e_g - e_h)**2`` when both are units and they overlap,
* ``l_g**2`` when ``g`` is a unit lying inside the gap ``h`` (and vice versa),
* ``0`` otherwise (non-overlapping units, two gaps, a unit only partly in a gap).

    D_o(c) = sum_{i != j} sum_g sum_h d(ig, jh) / (m (m - 1) L**2)

    D_e(c) = 2/L * sum_u [ (N_c - 1) l_u (l_u - 1) (2 l_u - 1) / 3
                           + l_u**2 * sum_{gaps k, l_k >= l_u} (l_k - l_u + 1) ]
             / (m L (m L - 1) - sum_u l_u (l_u - 1))

where ``u`` runs over the ``N_c`` units of ``c`` of all ``m`` coders and ``k`` over
the gaps of all coders. ``alpha_c = 1 - D_o(c) / D_e(c)``; across categories
``alpha = 1 - sum_c D_o(c) / sum_c D_e(c)``. Arithmetic is exact (fractions).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

Span = tuple[int, int, str]
Segment = tuple[int, int, bool]
"""``(start, end, is_unit)``: a unit of the category, or a gap between units."""


@dataclass(frozen=True)
class AlphaU:
    """Observed and expected disagreement and alpha-u for one label or all (None)."""

    label: str | None
    observed: float
    expected: float
    alpha: float


def alpha_unitizing(length: int, units: Mapping[str, Sequence[Span]], label: str | None = None) -> float:
    """Krippendorff's alpha-u of the coders in ``units`` over ``[0, length)``.

    ``units`` maps each coder to their spans ``(start, end, label)``; a coder with
    an empty list annotated nothing (this counts). With ``label`` the category's
    alpha-u, otherwise alpha-u across all labels that occur.

    NaN when there are fewer than two coders, ``length`` is 0, or the expected
    disagreement is 0 (no units of the category at all).
    """
    return alpha_unitizing_details(length, units, label).alpha


def alpha_unitizing_details(length: int, units: Mapping[str, Sequence[Span]], label: str | None = None) -> AlphaU:
    """Like ``alpha_unitizing`` but also returns D_o and D_e."""
    observed, expected = disagreements(length, units, label)
    alpha = math.nan if expected == 0 else float(1 - observed / expected)
    return AlphaU(label, float(observed), float(expected), alpha)


def disagreements(length: int, units: Mapping[str, Sequence[Span]], label: str | None) -> tuple[Fraction, Fraction]:
    """D_o and D_e, exact, summed over the categories (one with ``label``)."""
    if length < 0:
        raise ValueError(f"continuum length must not be negative, got {length}")
    for coder, spans in units.items():
        for start, end, _ in spans:
            if not 0 <= start <= end <= length:
                raise ValueError(f"span ({start}, {end}) of {coder!r} is outside [0, {length})")
    if len(units) < 2 or length == 0:
        return Fraction(0), Fraction(0)
    labels = sorted({lab for spans in units.values() for *_, lab in spans})
    if label is not None:
        labels = [label]
    observed = expected = Fraction(0)
    for category in labels:
        coders = [_segments(length, spans, category) for spans in units.values()]
        observed += _observed(length, coders)
        expected += _expected(length, coders)
    return observed, expected


def _segments(length: int, spans: Iterable[Span], category: str) -> list[Segment]:
    """Units of ``category`` and the gaps between them, covering ``[0, length)``.

    Units of one coder and category that overlap are merged into their union;
    touching units stay separate; empty units are dropped.
    """
    merged: list[list[int]] = []
    for start, end, _ in sorted(s for s in spans if s[2] == category and s[0] < s[1]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    segments: list[Segment] = []
    pos = 0
    for start, end in merged:
        if pos < start:
            segments.append((pos, start, False))
        segments.append((start, end, True))
        pos = end
    if pos < length:
        segments.append((pos, length, False))
    return segments


def segment_distance(g: Segment, h: Segment) -> int:
    """Krippendorff's squared distance between two segments of different coders."""
    (gb, ge, g_unit), (hb, he, h_unit) = g, h
    if g_unit and h_unit:
        if gb < he and hb < ge:
            return (gb - hb) ** 2 + (ge - he) ** 2
        return 0
    if g_unit and not h_unit and hb <= gb and ge <= he:
        return (ge - gb) ** 2
    if h_unit and not g_unit and gb <= hb and he <= ge:
        return (he - hb) ** 2
    return 0


def _observed(length: int, coders: Sequence[Sequence[Segment]]) -> Fraction:
    m = len(coders)
    return Fraction(2 * _all_pairs_distance(coders), m * (m - 1) * length**2)  # d is symmetric: (i, j) and (j, i)


def _all_pairs_distance(coders: Sequence[Sequence[Segment]]) -> int:
    """``sum(_pair_distance(f, s) for f, s in combinations(coders, 2))`` without visiting every pair of coders.

    Two gaps never differ, so only units matter: a unit against an overlapping unit of another coder
    (found by one sweep over everyone's units), and a unit against the gap of each other coder
    none of whose units it overlaps (it then lies inside one gap: a coder's gaps never touch)."""
    units = sorted((b, e, coder) for coder, segs in enumerate(coders) for b, e, unit in segs if unit)
    fast = _all_pairs_distance_numpy(units, len(coders)) if len(units) >= _NUMPY_FROM else None
    if fast is not None:
        return fast
    others: list[set[int]] = [set() for _ in units]
    total = 0
    for k, (b, e, coder) in enumerate(units):
        for n in range(k + 1, len(units)):
            b2, e2, coder2 = units[n]
            if b2 >= e:
                break
            if coder2 != coder:
                total += (b - b2) ** 2 + (e - e2) ** 2
                others[k].add(coder2)
                others[n].add(coder)
    m = len(coders)
    for (b, e, _), seen in zip(units, others, strict=True):
        total += (e - b) ** 2 * (m - 1 - len(seen))
    return total


_PAIRS_PER_CHUNK = 1 << 21
_NUMPY_FROM = 256
"""Units from which numpy pays for itself (per-document blocks call this on a few units at a time)."""


def _all_pairs_distance_numpy(units: list[tuple[int, int, int]], m: int) -> int | None:
    """``_all_pairs_distance``'s sweep with numpy: the units overlapping unit k further on are the
    contiguous run up to the first one starting at or after its end. None when int64 could overflow."""
    if not units:
        return 0
    table = np.array(units, dtype=np.int64)
    begin, end, coder = table[:, 0], table[:, 1], table[:, 2]
    reach = np.searchsorted(begin, end, side="left")  # first unit starting at or after k's end
    following = reach - np.arange(len(units)) - 1
    longest = int((end - begin).max())
    if (2 * int(following.sum()) + len(units) * m + 1) * longest * longest >= 2**62:
        return None
    total = 0
    seen_keys = []
    cumulative = np.cumsum(following)
    first = 0
    while first < len(units):
        last = int(np.searchsorted(cumulative, (cumulative[first - 1] if first else 0) + _PAIRS_PER_CHUNK, side="right"))
        last = max(last, first + 1)
        counts = following[first:last]
        k = np.repeat(np.arange(first, last, dtype=np.int64), counts)
        step = np.arange(len(k), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        n = k + 1 + step
        other = coder[k] != coder[n]
        k, n = k[other], n[other]
        total += int((((begin[k] - begin[n]) ** 2) + ((end[k] - end[n]) ** 2)).sum())
        seen_keys.append(_distinct(np.concatenate((k * m + coder[n], n * m + coder[k]))))
        first = last
    keys = _distinct(np.concatenate(seen_keys))
    seen = np.bincount(keys // m, minlength=len(units))
    total += int(((end - begin) ** 2 * (m - 1 - seen)).sum())
    return total


def _distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy 2's hash-based unique is slow on millions of repeated keys)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def _pair_distance(first: Sequence[Segment], second: Sequence[Segment]) -> int:
    """Sum of distances over all segment pairs that share a character.

    Pairs that share no character contribute 0, and both lists partition the same
    continuum, so a merge-like sweep visits every contributing pair exactly once.
    """
    total = i = j = 0
    while i < len(first) and j < len(second):
        g, h = first[i], second[j]
        total += segment_distance(g, h)
        if g[1] <= h[1]:
            i += 1
        if h[1] <= g[1]:
            j += 1
    return total


def _expected(length: int, coders: Sequence[Sequence[Segment]]) -> Fraction:
    m = len(coders)
    unit_lengths = [e - b for segs in coders for b, e, unit in segs if unit]
    if not unit_lengths:
        return Fraction(0)
    gaps = sorted(e - b for segs in coders for b, e, unit in segs if not unit)
    # gap_suffix_sums[k] = sum(gaps[k:])
    gap_suffix_sums = [0] * (len(gaps) + 1)
    for k in range(len(gaps) - 1, -1, -1):
        gap_suffix_sums[k] = gap_suffix_sums[k + 1] + gaps[k]
    n_c = len(unit_lengths)
    numerator = _expected_numerator(unit_lengths, gaps, gap_suffix_sums) if n_c >= _NUMPY_FROM else None
    for ell in unit_lengths if numerator is None else []:
        # sum over gaps k with l_k >= ell of (l_k - ell + 1)
        first = bisect_left(gaps, ell)
        fitting = gap_suffix_sums[first] - (ell - 1) * (len(gaps) - first)
        numerator = (numerator or 0) + (n_c - 1) * ell * (ell - 1) * (2 * ell - 1) + 3 * ell * ell * fitting
    denominator = m * length * (m * length - 1) - sum(ell * (ell - 1) for ell in unit_lengths)
    return Fraction(2 * (numerator or 0), 3 * length * denominator)


def _expected_numerator(unit_lengths: list[int], gaps: list[int], gap_suffix_sums: list[int]) -> int | None:
    """``_expected``'s sum over units with numpy, each term in int64 (None when a term could overflow)."""
    n_c, longest = len(unit_lengths), max(unit_lengths)
    if (n_c * 2 * longest**3 + 3 * longest**2 * (gap_suffix_sums[0] + longest * len(gaps))) >= 2**62:
        return None
    ell = np.array(unit_lengths, dtype=np.int64)
    first = np.searchsorted(np.array(gaps, dtype=np.int64), ell, side="left")
    fitting = np.array(gap_suffix_sums, dtype=np.int64)[first] - (ell - 1) * (len(gaps) - first)
    terms = (n_c - 1) * ell * (ell - 1) * (2 * ell - 1) + 3 * ell * ell * fitting
    return sum(terms.tolist())
