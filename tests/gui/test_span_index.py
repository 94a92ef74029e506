from ui.offsets import OffsetMap
from ui.span_index import PaintedSpan, SpanIndex, block_starts, segments

TEXT = "first 👩 line\nsecond line\n\nfourth"


def make_index():
    return SpanIndex(block_starts(TEXT, OffsetMap(TEXT)))


def test_block_starts_count_utf16_units():
    assert block_starts(TEXT, OffsetMap(TEXT)) == [0, 14, 26, 27]


def test_span_is_filed_under_every_block_it_crosses_and_removed_from_them():
    index = make_index()
    span = PaintedSpan("a", 8, 30, "L", "ana")
    assert index.add(span) == range(0, 4)
    assert [index.in_block(b) for b in range(4)] == [[span]] * 4
    assert index.remove("a") == range(0, 4)
    assert all(index.in_block(b) == [] for b in range(4))


def test_moving_a_span_repaints_old_and_new_blocks():
    index = make_index()
    index.add(PaintedSpan("a", 0, 5, "L", "ana"))
    assert index.add(PaintedSpan("a", 27, 30, "L", "ana")) == range(0, 4)
    assert index.in_block(0) == []


def test_at_returns_innermost_first():
    index = make_index()
    outer, inner = PaintedSpan("o", 0, 12, "L", "a"), PaintedSpan("i", 2, 4, "L", "a")
    index.reset([outer, inner])
    assert index.at(3) == [inner, outer]
    assert index.at(10) == [outer]
    assert index.at(13) == []


def test_segments_split_overlaps():
    a, b = PaintedSpan("a", 0, 6, "L", "x"), PaintedSpan("b", 4, 10, "M", "x")
    assert segments([a, b], 0, 12) == [(0, 4, [a]), (4, 6, [a, b]), (6, 10, [b])]
    assert segments([a, b], 5, 8) == [(5, 6, [a, b]), (6, 8, [b])]


def test_resegment_after_adds_and_removes_equals_cutting_afresh():
    """The highlighter re-cuts only the stretch an edit touched (``resegment``): the pieces must be
    exactly those ``segments`` makes of the whole paragraph, covering lists in the same order."""
    import random

    from ui.span_index import resegment

    rng = random.Random(11)
    for trial in range(300):
        lo, hi = rng.choice(((0, 200), (37, 180)))
        spans = [PaintedSpan(f"s{i}", a, a + rng.randint(1, 60), rng.choice("LM"), "ana")
                 for i, a in enumerate(rng.randrange(0, 220) for _ in range(rng.randint(0, 25)))]
        old = segments(spans, lo, hi)
        after = list(spans)
        for _ in range(rng.randint(1, 3)):
            if after and rng.random() < 0.5:
                after.pop(rng.randrange(len(after)))
            else:
                a = rng.randrange(0, 220)
                after.append(PaintedSpan(f"n{trial}-{len(after)}", a, a + rng.randint(1, 60), "L", "ben"))
        assert resegment(old, spans, after, lo, hi) == segments(after, lo, hi), trial
    assert resegment(old, after, after, lo, hi) is old  # nothing changed: nothing cut
