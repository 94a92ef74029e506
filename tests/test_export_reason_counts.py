"""DATASET.md's "N × reason" lines (``common.reason_counts``): each distinct reason counted once, then split,
must give what splitting every left-out item's reason gave, counts and order (ties in the order first met)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from annotator.exporters.common import Dropped, reason_counts

REASONS = ["overlap: shares tokens with A “x”, which was kept", "overlap: shares tokens with B “y”, which was kept",
           "duplicate: same tokens and label as 1234abcd (bob)", "no token: the span covers only whitespace",
           "relation: its target was left out", "no colon at all", ":", ""]


@given(st.lists(st.sampled_from(REASONS)))
def test_reason_counts_are_the_count_over_every_item(reasons: list[str]) -> None:
    dropped = [Dropped("d", f"a{n}", "L", "q", reason) for n, reason in enumerate(reasons)]
    plain = Counter(d.reason.split(":")[0] for d in dropped)
    assert list(reason_counts(dropped).most_common()) == list(plain.most_common())


def test_ties_keep_the_order_first_met() -> None:
    dropped = [Dropped("d", str(n), "L", "q", reason) for n, reason in enumerate(
        ["no token: x", "overlap: a", "overlap: b", "no token: x", "duplicate: c", "duplicate: c"])]
    assert reason_counts(dropped).most_common() == [("no token", 2), ("overlap", 2), ("duplicate", 2)]
