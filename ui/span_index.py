"""Which annotations touch which text block, in UTF-16 units, for the highlighter.

Qt asks the highlighter for one block (paragraph) at a time, so spans are filed under every
block they cross; a change re-files one span and repaints only its blocks. Qt-free, so it is
tested without a widget.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple

from ui.offsets import OffsetMap


class PaintedSpan(NamedTuple):
    """A span as the highlighter needs it (a tuple: 10,000 of them are made on every load)."""

    id: str
    start: int  # UTF-16
    end: int  # UTF-16, exclusive
    label_id: str
    annotator: str
    layer: str = "reviewer"

    @property
    def owner(self) -> str:
        """Whose layer: the reviewer's name, or "gold" (whoever adjudicated it)."""
        return "gold" if self.layer == "gold" else self.annotator


def block_starts(text: str, offsets: OffsetMap) -> list[int]:
    """UTF-16 position where each block starts: 0 and after every newline (found by ``str.find``, which
    skips ahead in C, and converted in one pass)."""
    newlines = []
    find = text.find
    at = find("\n")
    while at >= 0:
        newlines.append(at)
        at = find("\n", at + 1)
    return [0, *(at16 + 1 for at16 in offsets.to_qt_sorted(newlines))]


class SpanIndex:
    def __init__(self, starts: list[int]) -> None:
        self._starts = starts
        self._by_block: dict[int, dict[str, PaintedSpan]] = {}
        self.spans: dict[str, PaintedSpan] = {}
        self.version = 0  # bumped by every change: what is drawn from the spans (margin marks) knows when to redo it
        self.touched: set[int] | None = set()
        """Blocks whose spans changed since ``take_touched`` (None: too many to list: a load or a reset)."""

    def take_touched(self) -> set[int] | None:
        """The blocks whose spans changed since the last call (None: any may have)."""
        touched, self.touched = self.touched, set()
        return touched

    def block_of(self, pos16: int) -> int:
        return max(0, bisect_right(self._starts, pos16) - 1)

    def blocks_of(self, span: PaintedSpan) -> range:
        return range(self.block_of(span.start), self.block_of(max(span.start, span.end - 1)) + 1)

    def reset(self, spans: Iterable[PaintedSpan]) -> None:
        self._by_block.clear()
        self.spans.clear()
        self.version += 1
        self.touched = None
        self.add_many(spans)

    def add_many(self, spans: Iterable[PaintedSpan]) -> set[int]:
        """File many spans at once (this loop is most of the cost of opening a long document);
        return the blocks they touch."""
        starts, by_block, store = self._starts, self._by_block, self.spans
        self.version += 1
        self.touched = None
        touched: set[int] = set()
        add = touched.add
        for span in spans:
            store[span.id] = span
            first = bisect_right(starts, span.start) - 1
            last = bisect_right(starts, span.end - 1) - 1
            for block in (first,) if first == last else range(max(first, 0), last + 1):
                add(block)
                found = by_block.get(block)
                if found is None:
                    by_block[block] = {span.id: span}
                else:
                    found[span.id] = span
        return touched

    def _file(self, span: PaintedSpan) -> None:
        self.version += 1
        self.spans[span.id] = span
        by_block = self._by_block
        blocks = self.blocks_of(span)
        if self.touched is not None:
            self.touched.update(blocks)
        for block in blocks:
            found = by_block.get(block)
            if found is None:
                by_block[block] = {span.id: span}
            else:
                found[span.id] = span

    def add(self, span: PaintedSpan) -> range:
        """File a span (replacing one with the same id); return the blocks to repaint."""
        old = self.remove(span.id)
        self._file(span)
        new = self.blocks_of(span)
        if old:
            return range(min(old.start, new.start), max(old.stop, new.stop))
        return new

    def remove(self, id: str) -> range:
        span = self.spans.pop(id, None)
        if span is None:
            return range(0)
        self.version += 1
        blocks = self.blocks_of(span)
        if self.touched is not None:
            self.touched.update(blocks)
        for block in blocks:
            found = self._by_block.get(block)
            if found is not None:
                found.pop(id, None)
                if not found:
                    del self._by_block[block]
        return blocks

    def in_block(self, block: int) -> list[PaintedSpan]:
        found = self._by_block.get(block)
        return list(found.values()) if found else []

    def at(self, pos16: int) -> list[PaintedSpan]:
        """Spans covering a position, shortest first (the innermost is what a click means)."""
        hits = [s for s in self.in_block(self.block_of(pos16)) if s.start <= pos16 < s.end]
        return sorted(hits, key=lambda s: (s.end - s.start, s.start, s.id))

    def ordered(self) -> list[PaintedSpan]:
        """All spans in reading order, for stepping with Tab."""
        return sorted(self.spans.values(), key=lambda s: (s.start, s.end, s.id))


def segments(spans: list[PaintedSpan], lo: int, hi: int) -> list[tuple[int, int, list[PaintedSpan]]]:
    """Cut [lo, hi) into pieces each covered by the same set of spans (Qt's setFormat replaces, so overlaps
    must be merged into segments before painting). Pieces covered by nothing are left out.

    One sweep over the span ends (n log n): a long paragraph holding hundreds of spans is repainted
    on every edit in it, and testing every span against every piece made that quadratic."""
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    cuts = {lo, hi}
    for i, span in enumerate(spans):
        a, b = min(max(span.start, lo), hi), min(max(span.end, lo), hi)
        cuts.add(a)
        cuts.add(b)
        if a < b:
            opening.setdefault(a, []).append(i)
            closing.setdefault(b, []).append(i)
    result: list[tuple[int, int, list[PaintedSpan]]] = []
    active: set[int] = set()
    points = sorted(cuts)
    for a, b in pairwise(points):
        active.difference_update(closing.get(a, ()))
        active.update(opening.get(a, ()))
        if active:
            result.append((a, b, [spans[i] for i in sorted(active)]))
    return result


def resegment(old: list[tuple[int, int, list[PaintedSpan]]], before: list[PaintedSpan], after: list[PaintedSpan],
              lo: int, hi: int) -> list[tuple[int, int, list[PaintedSpan]]]:
    """``segments(after, lo, hi)``, given ``old = segments(before, lo, hi)``: only the stretch the
    changed spans cover is cut again (an add, delete or undo touches one span of a paragraph that
    holds dozens). The stretch is widened to the nearest old cuts that no changed span made, so the
    pieces outside it are the old ones unchanged: every cut left there ends a span that is still there."""
    changed = set(before) ^ set(after)
    if not changed:
        return old
    s = max(lo, min(span.start for span in changed))
    e = min(hi, max(span.end for span in changed))
    cuts = sorted({lo, hi, *(p[0] for p in old), *(p[1] for p in old)})
    a0 = max((x for x in cuts if x < s), default=lo)
    b0 = min((x for x in cuts if x > e), default=hi)
    middle = segments([span for span in after if span.start < b0 and span.end > a0], a0, b0)
    return [*(p for p in old if p[1] <= a0), *middle, *(p for p in old if p[0] >= b0)]
