"""Spans onto tokens, and the one rule that picks non-overlapping spans (CoNLL tags, spaCy ``doc.ents``).

Tokens come from ``annotator.tokens.tokenize``, the same tokenization agreement uses. A span
covers every token it shares a character with, so a span that cuts a word covers the whole word
(it is "widened"); a span over whitespace only covers no token and cannot be tagged.

Overlap rule: where spans share a token, the longest (in tokens) wins, then the one that starts
first, then the gold layer over a reviewer's, then label, reviewer and id in alphabetical order.
A losing span is left out whole (never cut into pieces) and reported. This is spaCy's own
``filter_spans`` rule (longest, then first) made deterministic for ties.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from annotator.exporters.common import ExportAnnotation as Annotation


@dataclass(frozen=True, slots=True)
class Aligned:
    annotation: Annotation
    first: int
    last: int  # token index, exclusive
    widened: bool  # the span's edges are not token edges

    @property
    def key(self) -> tuple[int, int, str]:
        return self.first, self.last, self.annotation.label


def align(tokens: list[tuple[int, int]], annotations: list[Annotation]) -> tuple[list[Aligned], list[Annotation]]:
    """Token ranges of the annotations, and the annotations that cover no token."""
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    aligned, untokened = [], []
    for a in annotations:
        first = bisect_left(ends, a.start + 1)
        last = bisect_left(starts, a.end)
        if first >= last:
            untokened.append(a)
            continue
        aligned.append(Aligned(a, first, last, starts[first] != a.start or ends[last - 1] != a.end))
    return aligned, untokened


def _priority(item: Aligned) -> tuple[int, int, int, str, str, str]:
    a = item.annotation
    return (item.first - item.last, item.first, a.layer != "gold", a.label, a.annotator, a.id)


def non_overlapping(spans: list[Aligned]) -> tuple[list[Aligned], list[tuple[Aligned, Aligned]]]:
    """The kept spans in text order, and each left-out span with the span that took its tokens."""
    owner: dict[int, Aligned] = {}
    kept: list[Aligned] = []
    dropped: list[tuple[Aligned, Aligned]] = []
    for item in sorted(spans, key=_priority):
        winner = next((owner[i] for i in range(item.first, item.last) if i in owner), None)
        if winner is not None:
            dropped.append((item, winner))
            continue
        for i in range(item.first, item.last):
            owner[i] = item
        kept.append(item)
    kept.sort(key=lambda s: s.first)
    return kept, dropped


def reason(item: Aligned, winner: Aligned) -> str:
    """Why a span was left out, for DATASET.md."""
    if item.key == winner.key:
        return f"duplicate: same tokens and label as {winner.annotation.id[:8]} ({winner.annotation.annotator})"
    return f"overlap: shares tokens with {winner.annotation.label} “{winner.annotation.quote[:40]}”, which was kept"
