"""Paint annotations as character formats, block by block, from a ``SpanIndex``.

A ``QSyntaxHighlighter`` keeps the colours out of the document and repaints one block at plain
text cost (DESIGN.md: ~100 ms for 10,000 spans on 1,000,000 characters, against seconds for
cursor loops). Overlapping spans are split into segments: the colours are blended and the
segment is underlined so the overlap stays visible; the selected annotation is painted
stronger with a solid underline.

When several layers are shown (all reviewers and gold), each segment is also underlined in its
layer's colour (``set_owner_colors``; several layers on one segment: a dotted underline in the
first one's), records the layers under it in ``OWNERS`` (a format property, what the tests and
the margin marks read), and the view draws one margin tick per layer beside it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import SIGNAL, SLOT, QObject
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument, QTextFormat

from ui.colors import blend
from ui.span_index import SpanIndex, resegment, segments

WHITE = QColor("#FFFFFF")
OWNERS = QTextFormat.Property.UserProperty + 1
"""Format property: the layers (reviewer names, "gold") painted on a segment, comma-separated."""
_CONTENTS_CHANGE = "contentsChange(int,int,int)"
_REFORMAT = "_q_reformatBlocks(int,int,int)"  # the private slot QSyntaxHighlighter.setDocument connects it to


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, index: SpanIndex) -> None:
        self.index = index
        self.colors: dict[str, QColor] = {}
        self.selected: str | None = None
        self.linked: set[str] = set()  # annotations emphasised for another reason (an entity's mentions)
        self._formats: dict[tuple, QTextCharFormat] = {}
        self.owner_colors: dict[str, QColor] | None = None  # set: mark each span with its layer's colour
        self._order: dict[str, int] = {}  # owner -> its place in owner_colors (segments sort their owners by it)
        self.defer_from: int | None = None  # while set, blocks from this number on are left for later
        self.pending: set[int] = set()
        self._batch_depth = 0  # inside ``batched``: repaints are collected
        self._batched: set[int] = set()
        self._pieces: dict[int, tuple[tuple, list, list]] = {}  # block number -> (what it was cut from, its pieces, its segments)
        self._order_version = 0  # bumped when the layer order changes (segments sort their owners by it)
        self.owner_colors_version = 0  # bumped when the layers' colours change (the margin marks are redrawn)
        self._covering: dict[tuple, tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]] = {}
        """What a segment's format depends on, per set of spans covering it: a paragraph re-cut after an edit
        is mostly the same overlaps again (172 segments, ~8 spans deep, per block in the edit benchmark)."""
        super().__init__(document)

    def set_colors(self, colors: dict[str, str]) -> None:
        self.colors = {label_id: QColor(c) for label_id, c in colors.items()}
        self._formats.clear()

    def set_owner_colors(self, colors: dict[str, str] | None) -> None:
        """Mark each span with its layer's colour (several layers shown), or not (``None``)."""
        self.owner_colors = {name: QColor(c) for name, c in colors.items()} if colors is not None else None
        self._order = {name: i for i, name in enumerate(self.owner_colors or {})}
        self._order_version += 1
        self.owner_colors_version += 1
        self._covering.clear()
        self._formats.clear()

    def owner_color(self, owner: str) -> QColor:
        color = (self.owner_colors or {}).get(owner)
        return color if color is not None else QColor("#666666")  # not built per call: hundreds per paint

    def _format(self, label_ids: tuple[str, ...], selected: bool, linked: bool,
                owners: tuple[str, ...] = ()) -> QTextCharFormat:
        key = (label_ids, selected, linked, owners)
        fmt = self._formats.get(key)
        if fmt is None:
            colors = [self.colors.get(i, QColor("#999999")) for i in label_ids]
            fmt = QTextCharFormat()
            fmt.setBackground(blend(colors, 0.62 if selected else 0.45 if linked else 0.28))
            if selected or linked:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(colors[0].darker(150))
            elif len(label_ids) > 1:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(colors[-1].darker(130))
            if owners:
                fmt.setProperty(OWNERS, ",".join(owners))
                if not (selected or linked):
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline if len(owners) == 1
                                          else QTextCharFormat.UnderlineStyle.DotLine)
                    fmt.setUnderlineColor(self.owner_color(owners[0]))
            self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        number = block.blockNumber()
        if self.defer_from is not None and number >= self.defer_from:
            self.pending.add(number)
            return
        spans = self.index.in_block(number)
        if not spans:
            self._pieces.pop(number, None)
            return
        lo = block.position()
        selected, linked = self.selected, self.linked
        format_of, set_format = self._format, self.setFormat
        # Neighbouring segments of one look (different spans, same labels and layers) are set as one
        # run: the same characters get the same format (Qt stores one per character and merges equal
        # neighbours itself), in a third of the calls into Qt for a paragraph of deep overlaps.
        first = end = -1
        current = None
        for a, b, ids, labels, owners in self._block_pieces(number, spans, lo, lo + block.length() - 1):
            fmt = format_of(labels, selected in ids, bool(linked) and not linked.isdisjoint(ids), owners)
            if fmt is current and a == end:
                end = b
                continue
            if current is not None:
                set_format(first - lo, end - first, current)
            first, end, current = a, b, fmt
        if current is not None:
            set_format(first - lo, end - first, current)

    def _block_pieces(self, number: int, spans: list, lo: int, hi: int) -> list[tuple[int, int, frozenset[str],
                                                                                   tuple[str, ...], tuple[str, ...]]]:
        """The block's segments with what their format depends on besides the selection: kept per block
        while its spans, bounds and the layer order are unchanged, so re-marking the selected span (a few
        times per key press) does not cut a paragraph of dozens of spans into segments again."""
        key = (lo, hi, tuple(spans), self._order_version)
        cached = self._pieces.get(number)
        if cached is not None and cached[0] == key:
            return cached[1]
        memo = self._covering
        if len(memo) > 100_000:
            memo.clear()
        head = tail = 0
        old_pieces: list = []
        if cached is not None and cached[0][:2] == key[:2] and cached[0][3] == key[3]:
            # the same paragraph with a span or two added or removed: cut again only where they lie
            old_cut, old_pieces = cached[2], cached[1]
            cut = resegment(old_cut, list(cached[0][2]), spans, lo, hi)
            # resegment keeps the old segments (the same objects) before and after what it cut again:
            # their pieces are the old ones too
            n, m = len(cut), len(old_cut)
            while head < min(n, m) and cut[head] is old_cut[head]:
                head += 1
            while tail < min(n, m) - head and cut[n - 1 - tail] is old_cut[m - 1 - tail]:
                tail += 1
        else:
            cut = segments(spans, lo, hi)  # UTF-16, unlike len(text)
        pieces = old_pieces[:head]
        for a, b, covering in cut[head:len(cut) - tail]:
            whole = tuple(covering)  # the spans themselves (id, label, layer...): a relabelled span is another key
            found = memo.get(whole)
            if found is None:
                labels = tuple(sorted({s.label_id for s in covering}))
                if len(covering) > 1 and len(labels) == 1:
                    labels = labels + labels  # same label twice still reads as an overlap
                owners = tuple(sorted({s.owner for s in covering}, key=self._owner_order)) if self.owner_colors is not None else ()
                found = memo[whole] = (frozenset(s.id for s in covering), labels, owners)
            pieces.append((a, b, *found))
        pieces += old_pieces[len(old_pieces) - tail:] if tail else ()
        self._pieces[number] = (key, pieces, cut)
        return pieces

    def _owner_order(self, owner: str) -> tuple[int, str]:
        return (self._order.get(owner, len(self._order)), owner)

    @contextmanager
    def detached(self) -> Iterator[bool]:
        """Unhook from the document's ``contentsChange`` while its whole text is replaced.

        Hooked, Qt calls ``highlightBlock`` (Python) once for every block of a new text: 2,100 calls for a
        1M-character report, nearly all only to be deferred, ~1x a bare ``setPlainText``. Unhooked, none
        happen; the caller paints the blocks it needs (``repaint_blocks``) and leaves the rest ``pending``.
        Yields whether it could unhook; if not, the caller falls back to ``defer_from``."""
        document = self.document()
        unhooked = bool(QObject.disconnect(document, SIGNAL(_CONTENTS_CHANGE), self, SLOT(_REFORMAT)))
        try:
            yield unhooked
        finally:
            if unhooked:
                QObject.connect(document, SIGNAL(_CONTENTS_CHANGE), self, SLOT(_REFORMAT))

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Blocks asked to be repainted inside are repainted once each on leaving: an add colours its
        paragraph for the new span and again when that span becomes the selection (one key press)."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if not self._batch_depth and self._batched:
                blocks, self._batched = sorted(self._batched), set()
                self.repaint_blocks(blocks)

    def repaint_blocks(self, blocks: range | list[int] | tuple[int, ...]) -> None:
        if self._batch_depth:
            self._batched.update(blocks)
            return
        document = self.document()
        for number in blocks:
            self.pending.discard(number)
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)

    def finish_pending(self, first: int | None = None, last: int | None = None, seconds: float = 0.0) -> None:
        """Paint deferred blocks: those in [first, last] (what is on screen), else the first ones
        in reading order for about ``seconds`` (at least one block)."""
        if not self.pending:
            return
        if first is not None and last is not None:
            self.repaint_blocks([n for n in range(first, last + 1) if n in self.pending])
            return
        until = time.perf_counter() + seconds
        for number in sorted(self.pending):
            self.repaint_blocks((number,))
            if time.perf_counter() >= until:
                break
