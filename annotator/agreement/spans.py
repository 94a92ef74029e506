"""Span-level precision, recall and F1 between two annotators."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Span = tuple[int, int, str]
MatchMode = Literal["exact", "overlap"]


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else math.nan


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of ``candidate`` against ``reference``.

    ``precision`` is NaN when ``candidate`` has no spans, ``recall`` when ``reference``
    has none, and ``f1`` when neither has (there is nothing to agree or disagree on).
    """

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> PRF:
        return cls(
            precision=_ratio(tp, tp + fp),
            recall=_ratio(tp, tp + fn),
            f1=_ratio(2 * tp, 2 * tp + fp + fn),
            tp=tp,
            fp=fp,
            fn=fn,
        )

    def __add__(self, other: PRF) -> PRF:
        """Micro-average: add the counts, recompute the ratios."""
        return PRF.from_counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


EMPTY_PRF = PRF.from_counts(0, 0, 0)
"""No spans on either side: the neutral element of ``+``."""


def span_prf(
    reference: Iterable[Span],
    candidate: Iterable[Span],
    mode: MatchMode = "exact",
    label: str | None = None,
) -> PRF:
    """Compare ``candidate`` spans with ``reference`` spans.

    ``mode="exact"``: a candidate matches a reference span with the same start, end
    and label. Span lists are multisets: two identical spans on one side need two on
    the other side to both count as true positives.

    ``mode="overlap"``: a candidate matches a reference span with the same label when
    they share at least one character. Matching is one-to-one and greedy: all
    overlapping same-label pairs are sorted by overlap length (longest first), then
    by the smaller and then the larger of the two spans' ``(start, end)``, and a
    pair is taken when neither of its spans is matched yet. So a long candidate that
    overlaps two reference spans counts as one true positive and one false negative.
    The order does not depend on which side is the reference.

    ``label``: only spans with this label are compared. A pair is symmetric:
    ``span_prf(a, b)`` has the precision and recall of ``span_prf(b, a)`` swapped
    and the same F1.
    """
    ref = _select(reference, label)
    cand = _select(candidate, label)
    if mode == "exact":
        tp = sum((Counter(ref) & Counter(cand)).values())
    elif mode == "overlap":
        tp = greedy_overlap_matches(ref, cand)
    else:
        raise ValueError(f"mode must be 'exact' or 'overlap', not {mode!r}")
    return PRF.from_counts(tp, len(cand) - tp, len(ref) - tp)


def _select(spans: Iterable[Span], label: str | None) -> list[Span]:
    return [(int(s), int(e), lab) for s, e, lab in spans if label is None or lab == label]


def greedy_overlap_matches(reference: Sequence[Span], candidate: Sequence[Span]) -> int:
    pairs: list[tuple[int, tuple[int, int], tuple[int, int], int, int]] = []
    for i, (rs, re_, rl) in enumerate(reference):
        for j, (cs, ce, cl) in enumerate(candidate):
            overlap = min(re_, ce) - max(rs, cs)
            if rl == cl and overlap > 0:
                first, second = sorted([(rs, re_), (cs, ce)])
                pairs.append((-overlap, first, second, i, j))
    pairs.sort()
    used_ref: set[int] = set()
    used_cand: set[int] = set()
    for *_, i, j in pairs:
        if i not in used_ref and j not in used_cand:
            used_ref.add(i)
            used_cand.add(j)
    return len(used_ref)
