"""``alignment.non_overlapping`` (the slice-based owner list) against the rule written out plainly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.exporters.alignment import Aligned, _priority, non_overlapping
from annotator.exporters.common import ExportAnnotation


def reference(spans: list[Aligned]) -> tuple[list[Aligned], list[tuple[Aligned, Aligned]]]:
    """The rule as first written: a dict of owned tokens, the winner is the owner of the first taken token."""
    owner: dict[int, Aligned] = {}
    kept, dropped = [], []
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


def annotation(number: int, label: str, layer: str) -> ExportAnnotation:
    return ExportAnnotation(f"a{number:03d}", "d", 0, 1, label, label, "q", "", "", "alice", layer, None, {}, None, "", "")


span = st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from(["Claim", "Actor"]),
                 st.sampled_from(["gold", "alice"]), st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(span, max_size=40))
def test_same_kept_and_dropped_spans_and_winners_as_the_plain_rule(items: list[tuple[int, int, str, str, bool]]) -> None:
    spans = [Aligned(annotation(n, label, layer), first, first + length, widened)
             for n, (first, length, label, layer, widened) in enumerate(items)]
    assert non_overlapping(spans) == reference(spans)


def test_a_span_inside_a_longer_one_loses_to_it() -> None:
    long, short = Aligned(annotation(1, "Claim", "alice"), 0, 5, False), Aligned(annotation(2, "Actor", "gold"), 2, 3, False)
    assert non_overlapping([short, long]) == ([long], [(short, long)])
