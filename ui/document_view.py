"""The read-only text of one document, with highlights, word selection, clicks and hover help."""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QTextBlock, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit, QToolTip, QWidget

from annotator.words import snap, word_at
from ui import input_pause
from ui.highlighter import SpanHighlighter
from ui.offsets import OffsetMap
from ui.span_index import PaintedSpan, SpanIndex, block_starts

if TYPE_CHECKING:  # not at start-up: a Qt class imported makes its enums
    from PySide6.QtGui import QShowEvent

EAGER_CHARACTERS = 10_000
"""How much of a text is highlighted before the first paint: more than a screen shows at usual sizes. The rest
(its spans read from the file, then painted) follows in idle time, or at once when scrolled to."""
PAINT_CHARACTERS = 3_000
"""How much of the text is highlighted inside ``setPlainText``: the top of the first screen, so a
pane built but not yet shown has its first lines painted. Whatever else a paint event is about to
show is highlighted just before it is drawn (``paintEvent``), the rest in idle time."""
IDLE_SPANS = 250
"""About how many spans one idle-time step reads and files: a few milliseconds, so a key press that
comes meanwhile waits for one step at most, never for all of a document's 100k spans."""
IDLE_SECONDS = 0.008
"""How long one idle-time step may highlight deferred blocks before it lets events through."""
FIRST_STEP_MS = 30
"""The first idle step after a text is shown waits this long, so the pass of the event loop that
paints the first screen does not also read and paint the rest (later steps follow each other)."""
FIRST_PAINT_WAIT = 1.0
"""How long (seconds) idle steps wait for a shown view's first paint before they start without it
(a window that is shown but never painted, such as a minimised one)."""

SpanRow = tuple[str, int, int, str, str] | tuple[str, int, int, str, str, str]  # ... annotator[, layer]
RestReader = Callable[[int, int | None], Sequence[SpanRow]]
"""Reads the spans starting in [first, before) (code points; before None: to the end)."""


def mark_boxes(rects: list[tuple[int, int, int, int, QColor]],
               made: dict[tuple[int, int, int, int], QRect] | None = None) -> list[tuple[QColor, list[QRect]]]:
    """The ticks grouped by colour, for one ``drawRects`` per layer (without a pen a rectangle fills
    exactly its width and height, as ``fillRect`` does: tests/gui/test_marks_incremental.py).
    ``made`` keeps the QRect of each tick already built: after a key press all but a few ticks
    are where they were, and building hundreds of QRects again was most of the marks' time."""
    groups: dict[int, tuple[QColor, list[QRect]]] = {}
    made = {} if made is None else made
    for x, y, w, h, color in rects:
        group = groups.get(color.rgba())
        if group is None:
            group = groups[color.rgba()] = (color, [])
        box = made.get((x, y, w, h))
        if box is None:
            box = made[(x, y, w, h)] = QRect(x, y, w, h)
        group[1].append(box)
    return list(groups.values())


def _place(tick: tuple[int, int, int, int, QColor]) -> tuple[int, int, int, int]:
    return tick[:4]


class Ticks:
    """The margin ticks on screen, kept in the order ``mark_boxes`` draws them and changed a few at a time.

    A key press adds or removes one or two spans among the hundreds on screen: sorting every tick
    again and regrouping them by colour on each press was most of the marks' time. ``rects`` stays
    sorted by place (x, y, width, height) and ``boxes`` equals ``mark_boxes(rects, made)`` after
    every change (tests/gui/test_marks_incremental.py)."""

    def __init__(self, rects: list[tuple[int, int, int, int, QColor]],
                 made: dict[tuple[int, int, int, int], QRect]) -> None:
        self.rects = sorted(rects, key=_place)
        self.made = made
        # colour -> (the colour, its ticks' places in order, their QRects in the same order)
        self._groups: dict[int, tuple[QColor, list[tuple[int, int, int, int]], list[QRect]]] = {}
        for color, boxes in mark_boxes(self.rects, made):
            places: list[tuple[int, int, int, int]] = [box.getRect() for box in boxes]  # type: ignore[misc]  # getRect() is typed as object
            self._groups[color.rgba()] = (color, places, boxes)
        self.boxes = [(color, boxes) for color, _, boxes in self._groups.values()]

    def change(self, gone: list[tuple[int, int, int, int, QColor]], new: list[tuple[int, int, int, int, QColor]]) -> None:
        """Take the ``gone`` ticks out and put the ``new`` ones in, each where a full sort puts it."""
        rects, groups, made = self.rects, self._groups, self.made
        for tick in gone:
            place = tick[:4]
            del rects[bisect_left(rects, place, key=_place)]  # ticks at one place are alike (one lane, one colour)
            group = groups[tick[4].rgba()]
            at = bisect_left(group[1], place)
            del group[1][at], group[2][at]
            if not group[1]:
                del groups[tick[4].rgba()]
        for tick in new:
            place = tick[:4]
            rects.insert(bisect_right(rects, place, key=_place), tick)
            found = groups.get(tick[4].rgba())
            if found is None:
                found = groups[tick[4].rgba()] = (tick[4], [], [])
            group = found
            at = bisect_right(group[1], place)
            box = made.get(place)
            if box is None:
                box = made[place] = QRect(*place)
            group[1].insert(at, place)
            group[2].insert(at, box)
        # mark_boxes puts the layers in the order of their first tick
        self.boxes = [(color, boxes) for color, _, boxes in sorted(groups.values(), key=lambda g: g[1][0])]


class BlockLayout(QPlainTextDocumentLayout):
    """Qt's plain-text layout, told that a change of formats inside one paragraph is a change of that
    paragraph. Re-colouring a paragraph (QSyntaxHighlighter, ``QTextLayout.setFormats``) reports its
    characters as removed and added again; the plain-text layout adds the two counts, reaches past the
    paragraph's end, takes it for a change of several blocks and repaints the whole viewport (every
    line on screen for a span added to one paragraph, on every key press). Reported as what it is
    (nothing removed), the same change re-lays out that block and repaints it alone."""

    def documentChanged(self, position: int, removed: int, added: int) -> None:
        if removed == added > 0:
            document = self.document()
            if document.findBlock(position) == document.findBlock(position + added - 1):
                removed = 0
        super().documentChanged(position, removed, added)


class DocumentView(QPlainTextEdit):
    annotation_clicked = Signal(object)  # annotation id, or None for a click on plain text
    step_requested = Signal(int)  # Tab: +1, Shift+Tab: -1
    focused = Signal()
    completed = Signal()  # every span is filed (the ones left for idle time too)
    defers_docks = True  # input here changes what this view paints itself: docks catch up when it pauses (ui/dock_updates.py)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._block_layout = BlockLayout(self.document())  # kept: the document does not keep its Python side alive
        self.document().setDocumentLayout(self._block_layout)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setMouseTracking(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5) + 0.5)
        self.setFont(font)
        self.document().setDocumentMargin(14)
        self.text = ""
        self.offsets = OffsetMap("")
        self.index = SpanIndex([0])
        self._rest: RestReader | None = None
        self._rest_from = 0  # code point: spans starting here or later are not read yet
        self._rest_window = EAGER_CHARACTERS
        self.highlighter = SpanHighlighter(self.document(), self.index)
        self.describe: Callable[[list[str]], str] = lambda ids: ""
        # Called once per set_content, in the idle step that finishes its painting (the pane reads
        # ahead what the first key press would read): the reviewer's first press is the one they feel.
        self.settled: Callable[[], None] | None = None
        self._settle_due = False
        self._idle = QTimer(self)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._paint_some)
        self._idle_armed = False  # set by set_content: the first paint starts the idle steps
        self._armed_until = 0.0  # until then a shown view's idle steps wait for its first paint
        input_pause.watch()
        self._marks_drawn: tuple[tuple | None, list[tuple[int, int, int, int, QColor]]] = (None, [])
        self._marks_by_span: dict[str, tuple[PaintedSpan, tuple[int, int, int, int, QColor]]] = {}
        self._marks_boxes: list[tuple[QColor, list[QRect]]] = []
        self._ticks: Ticks | None = None  # the ticks drawn, changed by an edit a few at a time
        self._mark_rects: dict[tuple[int, int, int, int], QRect] = {}  # each tick's QRect, kept while the screen stays
        self.holding = False  # set while a jump passes through other positions: nothing is read for them
        self.verticalScrollBar().valueChanged.connect(lambda _: None if self.holding else self.paint_visible())
        self._opaque_viewport()

    def _opaque_viewport(self) -> None:
        """The viewport fills its own background (the palette's Base, the stylesheet's white) so Qt
        sees it as opaque: under the stylesheet it is transparent, and then every repaint of an edited
        line also repaints the window, the pane area, its splitter and the pane frame behind it (four
        widgets, twice per key press) before the text. The stylesheet's polish turns the fill off
        again, so it is set after each polish (``changeEvent``); the pixels stay the same
        (tests/gui/test_opaque_viewport.py). A view polished under the stylesheet before it is first
        shown (every pane: the stylesheet is set at start) gets no StyleChange, so ``showEvent`` sets it too."""
        viewport = self.viewport()
        if not viewport.autoFillBackground():
            viewport.setAutoFillBackground(True)

    # -- content ---------------------------------------------------------------------------------

    def painted(self, id: str, start: int, end: int, label_id: str, annotator: str, layer: str = "reviewer") -> PaintedSpan:
        """A span in code points as the highlighter needs it, in UTF-16 units."""
        start16, end16 = self.offsets.span_to_qt(start, end)
        return PaintedSpan(id, start16, end16, label_id, annotator, layer)

    def set_content(self, text: str, spans: Sequence[SpanRow], colors: dict[str, str],
                    rest: RestReader | None = None) -> None:
        """Show a text with its spans (id, start, end, label id, annotator in code points).

        ``spans`` must hold every span starting in the first ``EAGER_CHARACTERS``; ``rest`` reads
        the others by range of start, in idle-time steps of about ``IDLE_SPANS`` (or all at once
        by ``complete()`` when they are needed)."""
        self.text = text
        self.offsets = OffsetMap(text)
        self.index = SpanIndex(block_starts(text, self.offsets))
        self.index.reset(self._convert(spans))
        self._rest = rest
        self._rest_from = EAGER_CHARACTERS
        # the first step's span of text from the density of the eager part
        self._rest_window = max(1_000, EAGER_CHARACTERS * IDLE_SPANS // max(len(spans), 1))
        self.highlighter.index = self.index
        self.highlighter.set_colors(colors)
        # Highlight what the first screen shows now and the rest in idle time, so a long text
        # opens at plain-text speed; scrolling paints what comes into view at once.
        self.highlighter.pending.clear()
        first_screen = self._first_screen_characters()
        eager16 = self.offsets.to_qt(min(first_screen, len(text)))
        deferring = rest is not None or len(text) > first_screen
        first_deferred = self.index.block_of(eager16) + 1 if deferring else None
        with self.highlighter.detached() as detached, self._scroll_bar_first():
            self.highlighter.defer_from = None if detached else first_deferred
            try:
                self.setPlainText(text)
            finally:
                self.highlighter.defer_from = None
        if detached:  # no block was highlighted while the text went in: the top now, the rest pending
            count = self.document().blockCount()
            eager = count if first_deferred is None else min(first_deferred, count)
            self.highlighter.repaint_blocks(range(eager))
            self.highlighter.pending.update(range(eager, count))
        self._idle.stop()
        self._settle_due = self.settled is not None
        if self.highlighter.pending or self._rest is not None or self._settle_due:
            # The first frame first: no step inside the pass that paints it. A long open outlasts the
            # timer, so the first paint starts it again (``paintEvent``); started here too for a view
            # that is not shown (a pane built, not yet added; a test).
            self._idle.start(FIRST_STEP_MS)
            self._idle_armed = True
            self._armed_until = time.monotonic() + FIRST_PAINT_WAIT

    def _first_screen_characters(self) -> int:
        """About how many characters the first screen shows: a shown view's lines times the characters
        of average width a line holds (a narrow pane shows a few hundred, where 100k spans on 1M
        characters put ~50 spans in each paragraph), else ``PAINT_CHARACTERS``. Blocks it misses are
        highlighted just before they are drawn (``paintEvent``), so the estimate only moves work."""
        viewport = self.viewport()
        if not self.isVisible() or viewport.width() <= 0:
            return PAINT_CHARACTERS
        metrics = self.fontMetrics()
        per_line = viewport.width() // max(1, metrics.averageCharWidth())
        lines = viewport.height() // max(1, metrics.lineSpacing()) + 1
        return max(1, per_line) * lines

    @contextmanager
    def _scroll_bar_first(self) -> Iterator[None]:
        """The vertical scroll bar in place before a text goes in, its policy as it was after.

        Qt shows an as-needed bar in a later pass of the event loop, after ``setPlainText`` has set its
        range: the viewport then narrows by the bar's width and the text is laid out a second time
        (the first screen measured at one width, then painted at another). Shown first, the text is
        laid out at the width it is drawn at; set back, the bar stays if the range needs it (it is set
        by then) and goes if not, as it would have."""
        policy = self.verticalScrollBarPolicy()
        if policy != Qt.ScrollBarPolicy.ScrollBarAsNeeded:
            yield
            return
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        try:
            yield
        finally:
            self.setVerticalScrollBarPolicy(policy)

    def _convert(self, spans: Sequence[SpanRow]):
        if self.offsets.length16 == self.offsets.length:  # no astral characters: the same offsets
            return (PaintedSpan(*span) for span in spans)
        return (self.painted(*span) for span in spans)

    def complete(self) -> None:
        """Read and file the spans left for later (before anything needs all of them)."""
        if self._rest is not None:
            self._read_rest(None)

    def _read_rest(self, before: int | None) -> None:
        """File the unread spans starting before ``before`` (None: all of them). Blocks already
        painted that they touch (the one where the eager part ends, one repainted by a change) are
        painted again; the others are still pending and are painted with them later."""
        if self._rest is None:
            return
        rest = self._rest
        if before is None or before >= len(self.text):
            self._rest, before = None, None
        rows = rest(self._rest_from, before)
        if before is not None:
            self._rest_from = before
        touched = self.index.add_many(self._convert(rows))
        painted = touched - self.highlighter.pending
        if painted:
            self.highlighter.repaint_blocks(sorted(painted))
        if self._rest is None:
            self.completed.emit()
        else:  # aim the next step at about IDLE_SPANS spans, whatever the density of this text
            self._rest_window = max(1_000, min(self._rest_window * 4, self._rest_window * IDLE_SPANS // max(len(rows), 1)))

    @property
    def spans_complete(self) -> bool:
        return self._rest is None

    def paint_visible(self) -> None:
        """Paint deferred blocks on screen (after a scroll or jump) before Qt draws them, with every
        span that touches them: the unread ones starting before the screen's end are read now, the
        rest stay for idle time."""
        if self._rest is not None:
            last = self._last_shown()
            end16 = last.position() + last.length() if last.isValid() else self.offsets.length16
            before = self.offsets.from_qt(end16) + 1
            if before > self._rest_from:
                self._read_rest(before)
        self._paint_shown()

    def _last_shown(self):
        block = self.firstVisibleBlock()
        last = block
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() < height:
            last = block
            block = block.next()
        return last

    def stop_background(self) -> None:
        """No more idle-time reading or painting (the pane is closing: its project may close before
        Qt deletes it, and a deleted-later widget's timer still runs until then)."""
        self._idle.stop()
        self._idle_armed = False
        self._rest = None
        self._settle_due = False

    def _paint_some(self) -> None:
        if self._idle_armed and self.isVisible() and time.monotonic() < self._armed_until:
            self._idle.start(FIRST_STEP_MS)  # shown, not painted yet: the paint first (it starts the steps again)
            return
        wait = input_pause.wait_ms()
        if wait:  # the reviewer is typing or scrolling: come back when they pause
            self._idle.start(wait)
            return
        self._idle.setInterval(0)
        if self._rest is not None:
            self._read_rest(self._rest_from + self._rest_window)
            return
        self.highlighter.finish_pending(seconds=IDLE_SECONDS)
        if not self.highlighter.pending:
            self._idle.stop()
            if self._settle_due and self.settled is not None:
                self._settle_due = False
                self.settled()

    @property
    def fully_painted(self) -> bool:
        return self._rest is None and not self.highlighter.pending

    def selected_span(self, snap_to_words: bool) -> tuple[int, int] | None:
        """The text selection as code points (snapped to whole words if asked), or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.offsets.span_from_qt(cursor.selectionStart(), cursor.selectionEnd())
        if snap_to_words:
            return snap(self.text, start, end)
        return (start, end) if start < end else None

    def select_text(self, start: int, end: int) -> None:
        """Select a code point range (as the user would with the mouse)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def show_position(self, start: int) -> None:
        """Put the caret at a code point offset without selecting, and centre it if it was out of view.
        A position already on screen leaves the text where it is: the reviewer's eye stays on the span
        just tagged, and the pane need not re-lay out and repaint every line as a scroll would."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        visible = self.viewport().rect().contains(self.cursorRect(cursor))
        self.setTextCursor(cursor)
        if not visible:
            self.centerCursor()
        self.paint_visible()

    def spans_at_point(self, point) -> list[PaintedSpan]:
        pos = self.cursorForPosition(point).position()
        return self.index.at(pos) or self.index.at(pos - 1)

    # -- layer marks ---------------------------------------------------------------------------------

    def marks(self) -> list[tuple[str, str, int, QColor]]:
        """(span id, layer, lane, colour) of every span's margin tick, when several layers are shown:
        each layer has its own lane (a column in the left margin), so three copies of one span read
        as three ticks side by side."""
        colors = self.highlighter.owner_colors
        if colors is None:
            return []
        lanes = {name: i for i, name in enumerate(colors)}
        return sorted((s.id, s.owner, lanes.get(s.owner, len(lanes)), self.highlighter.owner_color(s.owner))
                      for s in self.index.spans.values())

    def mark_extents(self, clip: QRect | None = None, blocks: set[int] | None = None,
                     known: Container[str] = ()) -> list[tuple[PaintedSpan, int, int]]:
        """(span, top, bottom) in viewport pixels of every span on screen, once each: the lines of its
        first and last character, read from the block's layout (as ``cursorRect`` does, without making
        two cursors per span: a paint with every layer shown covers hundreds of spans). Each block's
        lines are read once per paint (their first position and pixel extent), then every span of the
        block finds its lines by bisection. With ``clip`` (the region a paint event repaints: after an
        edit, the blocks it touched), only blocks crossing it are walked; a span is filed under every
        block it crosses, so each mark that reaches into the clip is still found. With ``blocks``, only
        the spans filed under those block numbers (the ones an edit touched). Spans in ``known``
        (measured before, unchanged) are skipped, and a block's lines are read only for a span measured."""
        last_position = self.document().characterCount() - 1
        offset = self.contentOffset()
        bottom = self.viewport().height() if clip is None else min(self.viewport().height(), clip.bottom() + 1)
        above = None if clip is None else clip.top() - 1
        block = self.firstVisibleBlock()
        lines: dict[int, tuple[int, int, list[int], list[tuple[int, int]]] | None] = {}
        seen: set[str] = set()
        extents = []
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            top = geometry.top()
            if top > bottom:
                break
            if (above is not None and geometry.bottom() < above) or (blocks is not None and block.blockNumber() not in blocks):
                block = block.next()
                continue
            number = block.blockNumber()
            here: tuple[int, int, list[int], list[tuple[int, int]]] | None = None
            lo, hi = 0, -1
            starts: list[int] = []
            rows: list[tuple[int, int]] = []
            read = False
            for span in self.index.in_block(number):
                if span.id in seen or span.id in known:
                    continue
                seen.add(span.id)
                if not read:
                    read = True
                    here = lines[number] = self._block_lines(block, top)
                    if here is not None:
                        lo, hi, starts, rows = here
                a = min(span.start, last_position)
                b = min(max(span.start, span.end - 1), last_position)
                # most spans lie in the block being walked: their lines by bisection, inline (hundreds per paint)
                first = rows[bisect_right(starts, a - lo) - 1] if lo <= a < lo + hi else self._line_extent(a, number, lines)
                last = rows[bisect_right(starts, b - lo) - 1] if lo <= b < lo + hi else self._line_extent(b, number, lines)
                extents.append((span, first[0], last[1]))
            block = block.next()
        return extents

    @staticmethod
    def _block_lines(block: QTextBlock, top: float) -> tuple[int, int, list[int], list[tuple[int, int]]] | None:
        """(position, length, line starts, line (top, bottom) in viewport pixels) of a laid-out block, else None.
        The pixels are rounded as ``cursorRect`` rounds them (``QRectF.toRect``)."""
        layout = block.layout()
        if layout is None or layout.lineCount() == 0:
            return None
        y = top + layout.position().y()
        starts, extents = [], []
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            rect = QRectF(0, y + line.y(), 1, line.height()).toRect()
            starts.append(line.textStart())
            extents.append((rect.top(), rect.bottom()))
        return block.position(), block.length(), starts, extents

    def _line_extent(self, position: int, number: int, lines: dict) -> tuple[int, int]:
        """(top, bottom) in viewport pixels of the line holding ``position`` (UTF-16), like ``cursorRect``;
        ``number`` is the block being walked (where the position usually is)."""
        found = lines.get(number)
        if found is None or not found[0] <= position < found[0] + found[1]:
            block = self.document().findBlock(position)
            number = block.blockNumber()
            if number not in lines:
                top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
                lines[number] = self._block_lines(block, top)
            found = lines[number]
        if found is None:  # not laid out: ask Qt the slow way
            cursor = QTextCursor(self.document())
            cursor.setPosition(position)
            rect = self.cursorRect(cursor)
            return rect.top(), rect.bottom()
        block_position, _, starts, extents = found
        return extents[max(0, bisect_right(starts, position - block_position) - 1)]

    def _marks_key(self) -> tuple:
        """What the screen's margin marks depend on: the spans, the layer colours, the scroll position,
        the viewport, the text and its font. A paint that changes none of them (focus moving between
        panes, a caret blink, the dock beside it repainting) draws the marks it drew last time.
        As (where the lines are, the spans' version, the document's revision): the revision moves with
        every re-highlighted block too, and the text of this read-only view changes only with a new
        index (``set_content``), so an edit of spans leaves the first part as it was."""
        size = self.viewport().size()
        place = (id(self.index), self.highlighter.owner_colors_version, self.verticalScrollBar().value(),
                 self.horizontalScrollBar().value(), size.width(), size.height(), self.font().pointSizeF())
        return place, self.index.version, self.document().revision()

    def _paint_marks(self, clip: QRect | None = None) -> None:
        colors = self.highlighter.owner_colors
        if not colors:
            return
        key = self._marks_key()
        drawn = self._marks_drawn[0]
        if key != drawn:
            touched = self.index.take_touched()
            # Only spans changed (an add, a delete, an undo), in a few blocks: the lines did not move
            # (a span's format changes colours, never the font), so only the spans filed in those
            # blocks are measured again; the rest keep their ticks.
            ticks = self._ticks
            if (drawn is not None and touched is not None and len(touched) <= 16 and key[0] == drawn[0]
                    and ticks is not None and len(self._mark_rects) <= 4 * len(ticks.rects) + 1000):
                self._marks_again(touched)
            else:  # the screen moved (the ticks kept are elsewhere now), or many presses without a scroll
                self._marks_by_span = self._marks_for(self.mark_extents())
                self._mark_rects = {}
                ticks = self._ticks = Ticks([rect for _, rect in self._marks_by_span.values()], self._mark_rects)
            self._marks_drawn = (key, ticks.rects)
            self._marks_boxes = ticks.boxes
        painter = QPainter(self.viewport())  # the paint event's region clips what is outside it
        painter.setPen(Qt.PenStyle.NoPen)
        for color, boxes in self._marks_boxes:  # one call per layer, not one per tick (hundreds per paint)
            painter.setBrush(color)
            painter.drawRects(boxes)
        painter.end()

    def _marks_for(self, extents: list[tuple[PaintedSpan, int, int]]) -> dict[str, tuple[PaintedSpan, tuple[int, int, int, int, QColor]]]:
        """Each span's tick (x, y, width, height, colour) from its extent: one lane per layer."""
        colors = self.highlighter.owner_colors or {}
        lanes = {name: i for i, name in enumerate(colors)}
        width = max(1, min(3, int(self.document().documentMargin() - 2) // max(1, len(lanes))))
        fills: dict[str, tuple[int, QColor]] = {}  # owner -> (x, colour): a few owners, hundreds of spans
        marks = {}
        for span, y0, y1 in extents:
            fill = fills.get(span.owner)
            if fill is None:
                fill = fills[span.owner] = (1 + lanes.get(span.owner, len(lanes)) * (width + 1),
                                            self.highlighter.owner_color(span.owner))
            marks[span.id] = (span, (fill[0], y0 + 1, width, max(2, y1 - y0 - 1), fill[1]))
        return marks

    def _marks_again(self, touched: set[int]) -> None:
        """The ticks after spans changed in ``touched`` blocks only: the spans that are gone or changed
        lose theirs, the spans of those blocks not measured yet (the new ones) are measured, the rest
        keep theirs (the lines did not move)."""
        spans = self.index.spans
        marks = self._marks_by_span
        gone = []
        for id, (span, tick) in marks.items():
            now = spans.get(id)
            if now is not span and now != span:
                gone.append((id, tick))
        for id, _ in gone:
            del marks[id]
        new = self._marks_for(self.mark_extents(blocks=touched, known=marks))
        marks.update(new)
        assert self._ticks is not None
        self._ticks.change([tick for _, tick in gone], [tick for _, tick in new.values()])

    def _paint_shown(self) -> None:
        """Highlight the deferred blocks this paint is about to draw (with the spans read so far;
        a span read later repaints the blocks it touches), so no screen is drawn unpainted."""
        if not self.highlighter.pending:
            return
        first = self.firstVisibleBlock().blockNumber()
        last = self._last_shown()
        self.highlighter.finish_pending(first, (last.blockNumber() if last.isValid() else first) + 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._paint_shown()
        super().paintEvent(event)
        self._paint_marks(event.rect())
        if self._idle_armed:
            self._idle_armed = False
            self._idle.start(FIRST_STEP_MS)  # the first frame first: no step inside the pass that painted it

    # -- events ------------------------------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            hits = self.spans_at_point(event.position().toPoint())
            self.annotation_clicked.emit(hits[0].id if hits else None)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Select the word under the mouse by our word rules (Qt's split e + combining accent)."""
        pos = self.offsets.from_qt(self.cursorForPosition(event.position().toPoint()).position())
        word = word_at(self.text, pos)
        if word:
            self.select_text(*word)
        else:
            super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.step_requested.emit(1)
        elif event.key() == Qt.Key.Key_Backtab:
            self.step_requested.emit(-1)
        else:
            super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        return False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            self._opaque_viewport()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._opaque_viewport()  # polished (its fill turned off) on the way to being shown

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            hits = self.spans_at_point(event.pos())
            text = self.describe([s.id for s in hits]) if hits else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
