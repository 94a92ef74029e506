"""Lines between linked annotations across side-by-side panes, as a diff tool draws moved blocks.

A transparent overlay above the pane splitter draws, in the gutter between two neighbouring panes,
a curve from the right edge of a span's line in the left pane to the left edge of its partner's line
in the right pane, coloured by kind (same claim, supports, contradicts, attributed to, one entity).
A partner scrolled out of view gets a short stub at the pane edge pointing up or down; relations
inside one document are arcs in the pane's left margin. Hovering a linked span lights its partners
in every pane and thickens its lines.

Cheap on long texts: the links are read once per document (``Links.load``) and then kept up to
date from change sets; each pane keeps its link ends sorted by position, so a paint bisects the
visible range and measures only the spans on screen.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

from annotator.history import Change
from annotator.links import ENTITY, Links
from ui.overlays import set_overlay

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent

    from ui.document_view import DocumentView
    from ui.pane_area import PaneArea

KIND_COLORS = {
    "same-claim": "#D97706",
    "supports": "#059669",
    "contradicts": "#DC2626",
    "attributed-to": "#2563EB",
    ENTITY: "#7C3AED",
}
OTHER_COLOR = "#6B7280"
GUTTER = 24  # splitter handle width while connectors are shown: room for the curves
STUB = 12  # length of the stub pointing at a partner out of view
MARGIN_ARC = 12  # how far into the left margin an arc inside one document may bulge


@dataclass(frozen=True)
class Connector:
    """One drawn link, in the overlay's coordinates.

    ``a`` and ``b`` are its ends: for a line across panes the left span's end (right edge of its
    pane's text area) and the right span's end (left edge of the text area), each at the vertical
    middle of the span's first line. For a stub ``b`` is the stub's tip and ``stub`` says where
    the hidden partner is (-1 above, +1 below); for an arc both ends are in one pane's margin."""

    kind: str
    color: str
    ends: tuple[str, str]
    a: QPointF
    b: QPointF
    stub: int = 0
    arc: bool = False
    hot: bool = False


class _Seen:
    """What one pane shows right now: its text area in overlay coordinates and the link ends on screen."""

    def __init__(self, overlay: ConnectorOverlay, pane, order: int) -> None:
        view = pane.view
        viewport = view.viewport()
        self.pane, self.order, self.view = pane, order, view
        self.rect = QRect(viewport.mapTo(overlay.parentWidget(), QPoint(0, 0)), viewport.size())
        self.spans = view.index.spans
        self.ys: dict[str, float] = {}
        starts, ids = overlay.sorted_ends(pane)
        if not starts:  # no link ends in this document: nothing to find on screen (most documents, every key press)
            return
        from PySide6.QtGui import QTextCursor  # with panes open: its enums are not made at start-up

        cursor = QTextCursor(view.document())
        for i in range(bisect_left(starts, self.lo), bisect_right(starts, self.hi)):
            cursor.setPosition(starts[i])
            y = view.cursorRect(cursor).center().y()
            if 0 <= y <= viewport.height():
                self.ys[ids[i]] = float(self.rect.top() + y)

    @cached_property
    def lo(self) -> int:
        """The first position on screen (UTF-16): two hit tests, made only for a pane with link ends."""
        return self.view.cursorForPosition(QPoint(0, 0)).position()

    @cached_property
    def hi(self) -> int:
        viewport = self.view.viewport()
        return self.view.cursorForPosition(QPoint(viewport.width() - 1, viewport.height() - 1)).position()

    def where(self, annotation_id: str) -> int:
        """-1 above the view, +1 below, 0 on screen."""
        if annotation_id in self.ys:
            return 0
        return -1 if self.spans[annotation_id].start < self.lo else 1


class ConnectorOverlay(QWidget):
    """Transparent, click-through layer over the pane area that draws the connectors."""

    def __init__(self, area: PaneArea) -> None:
        super().__init__(area)
        self.area = area
        self.session = area.session
        self.links = Links(area.session.project)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setObjectName("Connectors")
        self.hovered: str | None = None
        self.enabled = True
        self._ends: dict[int, tuple[list[int], list[str]]] = {}
        self._relation_colors: dict[str, str] = {}
        self._lit: dict[str, set[str]] = {}
        self._legend_kinds: list[str] = []
        self._version = 0  # moves whenever the links or their ends may have changed (``_dirty``)
        self._drawn: tuple[tuple, list[Connector]] | None = None  # the last connectors and what they depended on
        self.legend_label = QLabel()
        self.legend_label.setObjectName("ConnectorLegend")
        self.legend_label.setToolTip("Lines between panes (View ▸ Show Connectors, Ctrl+Alt+K)")
        self.legend_label.hide()
        # the area's resizes come through PaneArea.resizeEvent (no Python event filter before the first frame)
        area.currentChanged.connect(lambda _: self.raise_())
        area.panes_changed.connect(self._panes_changed)
        area.splitter.splitterMoved.connect(lambda *_: self.refresh())
        area.session.changed.connect(self._on_change)
        area.session.view_filter_changed.connect(lambda _: self._dirty())
        self.setGeometry(area.rect())
        self._panes_changed()

    # -- state -----------------------------------------------------------------------------------

    def set_enabled(self, on: bool) -> None:
        """Show or hide the connectors (View menu); the gutter between panes widens to hold them."""
        self.enabled = on
        self.area.splitter.setHandleWidth(GUTTER if on else 6)
        self.setVisible(on)
        if not on:
            self._hover(None)
            self._show_legend([])
        self.refresh()

    def sorted_ends(self, pane) -> tuple[list[int], list[str]]:
        """The pane's link ends by UTF-16 start (built after a change, bisected on every paint)."""
        key = id(pane)
        found = self._ends.get(key)
        if found is None:
            spans = pane.view.index.spans
            pairs = sorted((spans[i].start, i) for i in self.links.ends() if i in spans)
            found = self._ends[key] = ([p[0] for p in pairs], [p[1] for p in pairs])
        return found

    def _dirty(self) -> None:
        self._ends.clear()
        self._version += 1
        if self._drawn is not None and not self._drawn[1] and not self.links.by_end and not self.links.entity_of:
            # Nothing was drawn and no open document has a link end: nothing to draw now either. The
            # margins' repaint would stretch a key press's repaint of one paragraph over the whole
            # text (Qt draws every line inside the bounding rect of what it repaints).
            return
        self.refresh()

    def _panes_changed(self) -> None:
        self._relation_colors = {label.name: label.color for label in self.session.project.labels(kind="relation")}
        for pane in self.area.panes():
            self.links.load(pane.document_id)
            if not pane.property("connectors_watched"):
                pane.setProperty("connectors_watched", True)
                pane.view.viewport().installEventFilter(self)
                pane.view.verticalScrollBar().valueChanged.connect(self.refresh)
                pane.view.verticalScrollBar().rangeChanged.connect(self.refresh)
                pane.view.completed.connect(self._dirty)
        self.raise_()
        self._dirty()

    def _on_change(self, change: Change) -> None:
        if change.of("labels"):
            self._relation_colors = {label.name: label.color for label in self.session.project.labels(kind="relation")}
        if self.links.apply(change) or change.of("labels"):
            self._dirty()
            if self.hovered is not None:
                self._light()

    def color(self, kind: str) -> str:
        return KIND_COLORS.get(kind) or self._relation_colors.get(kind) or OTHER_COLOR

    # -- geometry --------------------------------------------------------------------------------

    def connectors(self) -> list[Connector]:
        """Every connector as it would be painted now (the tests read this).

        The overlay lies over the whole pane area, so every repaint of a pane's text (a key press
        repaints the edited line twice) paints it too: the connectors are measured again only when
        what they are measured from moved (the panes' places, sizes, scroll positions, fonts, spans,
        the links, the hovered span), otherwise the last ones are drawn again."""
        if not self.enabled or self.area.currentIndex() != 1:
            return []
        panes = [p for p in self.area.panes() if p.isVisible()]
        key = (self._version, self.hovered, tuple(self._place(p) for p in panes))
        if self._drawn is not None and self._drawn[0] == key:
            return list(self._drawn[1])
        found = self._measure(panes)
        self._drawn = (key, found)
        return list(found)

    def _place(self, pane) -> tuple:
        """What one pane's connector ends are measured from."""
        view = pane.view
        viewport = view.viewport()
        return (id(pane), id(view.index), view.index.version, viewport.mapTo(self.parentWidget(), QPoint(0, 0)).toTuple(),
                viewport.size().toTuple(), view.verticalScrollBar().value(), view.horizontalScrollBar().value(),
                view.font().pointSizeF(), view.document().documentLayout().documentSize().toTuple())

    def _measure(self, panes: list) -> list[Connector]:
        seen = [_Seen(self, pane, i) for i, pane in enumerate(panes)]
        found: list[Connector] = []
        for left, right in pairwise(seen):
            found += self._between(left, right)
        for s in seen:
            found += self._arcs(s)
        return found

    def endpoints(self) -> list[tuple[str, str, QPoint, QPoint]]:
        """(left id, right id, left end, right end) of each line across panes, in window coordinates."""
        window = self.window()
        return [(c.ends[0], c.ends[1], self.mapTo(window, c.a.toPoint()), self.mapTo(window, c.b.toPoint()))
                for c in self.connectors() if not c.stub and not c.arc]

    def _make(self, kind: str, ends: tuple[str, str], a: QPointF, b: QPointF, stub: int = 0, arc: bool = False) -> Connector:
        hot = self.hovered is not None and self.hovered in ends
        return Connector(kind, self.color(kind), ends, a, b, stub, arc, hot)

    def _stub(self, kind: str, ends: tuple[str, str], a: QPointF, direction: int, toward: int) -> Connector:
        return self._make(kind, ends, a, QPointF(a.x() + toward * STUB, a.y() + direction * STUB), stub=direction)

    def _between(self, left: _Seen, right: _Seen) -> list[Connector]:
        found: list[Connector] = []
        lx, rx = float(left.rect.right() + 1), float(right.rect.left())
        done: set[tuple[str, str, str]] = set()
        # Relations: from each end on screen on either side.
        for here, there, toward in ((left, right, 1), (right, left, -1)):
            x = lx if here is left else rx
            for aid, y in here.ys.items():
                for rid in self.links.by_end.get(aid, ()):
                    source, target, kind = self.links.relations[rid]
                    other = target if source == aid else source
                    if other not in there.spans:
                        continue
                    pair = (aid, other) if here is left else (other, aid)
                    if (*pair, kind) in done:
                        continue
                    done.add((*pair, kind))
                    where = there.where(other)
                    if where:
                        found.append(self._stub(kind, pair, QPointF(x, y), where, toward))
                    else:
                        oy = there.ys[other]
                        a, b = (QPointF(lx, y), QPointF(rx, oy)) if here is left else (QPointF(lx, oy), QPointF(rx, y))
                        found.append(self._make(kind, pair, a, b))
        # Mentions of one entity: each mention on screen joins the nearest mention of it on the other side.
        on_left = self._by_entity(left)
        on_right = self._by_entity(right)
        for entity in on_left.keys() | on_right.keys():
            mine, theirs = on_left.get(entity, []), on_right.get(entity, [])
            for here, there, shown, other_shown, toward in ((left, right, mine, theirs, 1), (right, left, theirs, mine, -1)):
                x = lx if here is left else rx
                for aid, y in shown:
                    if other_shown:
                        other, oy = min(other_shown, key=lambda m: abs(m[1] - y))
                        pair = (aid, other) if here is left else (other, aid)
                        if (*pair, ENTITY) in done:
                            continue
                        done.add((*pair, ENTITY))
                        a, b = (QPointF(lx, y), QPointF(rx, oy)) if here is left else (QPointF(lx, oy), QPointF(rx, y))
                        found.append(self._make(ENTITY, pair, a, b))
                    else:
                        hidden = [m for m in self.links.mentions[entity] if m in there.spans]
                        if hidden:
                            where = 1 if any(there.where(m) > 0 for m in hidden) else -1
                            pair = (aid, hidden[0]) if here is left else (hidden[0], aid)
                            found.append(self._stub(ENTITY, pair, QPointF(x, y), where, toward))
        return found

    def _by_entity(self, seen: _Seen) -> dict[str, list[tuple[str, float]]]:
        groups: dict[str, list[tuple[str, float]]] = {}
        for aid, y in seen.ys.items():
            entity = self.links.entity_of.get(aid)
            if entity is not None:
                groups.setdefault(entity, []).append((aid, y))
        return groups

    def _arcs(self, seen: _Seen) -> list[Connector]:
        """Relations inside one document: arcs in the left margin (an end out of view at the edge)."""
        found: list[Connector] = []
        done: set[str] = set()
        x = float(seen.rect.left() + MARGIN_ARC)
        for aid, y in seen.ys.items():
            for rid in self.links.by_end.get(aid, ()):
                source, target, kind = self.links.relations[rid]
                other = target if source == aid else source
                if rid in done or other not in seen.spans:
                    continue
                done.add(rid)
                where = seen.where(other)
                oy = seen.ys[other] if not where else float(seen.rect.top() if where < 0 else seen.rect.bottom())
                found.append(self._make(kind, (source, target), QPointF(x, y), QPointF(x, oy), arc=True))
        return found

    # -- painting ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Repaint only where connectors can be: the gutters, the left margins and the legend."""
        if not self.enabled:
            return
        panes = [p for p in self.area.panes() if p.isVisible()]
        if not panes:
            return  # nothing to repaint (and QRegion not made before the first frame)
        from PySide6.QtGui import QRegion

        region = QRegion()
        rects = [QRect(p.view.viewport().mapTo(self.area, QPoint(0, 0)), p.view.viewport().size()) for p in panes]
        for left, right in pairwise(rects):
            region += QRect(left.right() - 2, left.top(), right.left() - left.right() + 2 + 16, max(left.height(), right.height()))
        for r in rects:
            region += QRect(r.left(), r.top(), 16, r.height())
        self.update(region)

    def legend(self) -> list[tuple[str, str]]:
        """(kind, colour) of each kind of link drawn now, for the legend."""
        kinds = sorted({c.kind for c in self.connectors()})
        return [(kind, self.color(kind)) for kind in kinds]

    def _show_legend(self, kinds: list[str]) -> None:
        """The legend sits in the status bar (``legend_label``), not over the text it would hide."""
        if kinds == self._legend_kinds:
            return
        self._legend_kinds = kinds
        dash = {ENTITY: "╌╌"}
        import html  # a legend to show: not at start-up

        self.legend_label.setText("&nbsp;&nbsp;".join(
            f'<span style="color:{self.color(k)}; font-weight:bold">{dash.get(k, "━━")}</span>&nbsp;{html.escape(k)}'
            for k in kinds))
        self.legend_label.setVisible(bool(kinds))

    def paintEvent(self, event: QPaintEvent) -> None:
        connectors = self.connectors()
        self._show_legend(sorted({c.kind for c in connectors}))
        if not connectors:
            return
        # made when there is something to draw: each Qt class PySide6 makes costs (QPainter's enums)
        from PySide6.QtGui import QPainter, QPainterPath, QPen

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for c in sorted(connectors, key=lambda c: c.hot):
            color = QColor(c.color)
            color.setAlpha(255 if c.hot else 170)
            painter.setPen(QPen(color, 3.0 if c.hot else 1.5, Qt.PenStyle.DashLine if c.kind == ENTITY else Qt.PenStyle.SolidLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path = QPainterPath(c.a)
            if c.arc:
                bulge = c.a.x() - MARGIN_ARC + 2
                path.cubicTo(QPointF(bulge, c.a.y()), QPointF(bulge, c.b.y()), c.b)
            elif c.stub:
                path.quadTo(QPointF(c.b.x(), c.a.y()), c.b)
                tip = QPainterPath(c.b)
                tip.lineTo(c.b + QPointF(-3, -c.stub * 4))
                tip.moveTo(c.b)
                tip.lineTo(c.b + QPointF(3, -c.stub * 4))
                path.addPath(tip)
            else:
                middle = (c.a.x() + c.b.x()) / 2
                path.cubicTo(QPointF(middle, c.a.y()), QPointF(middle, c.b.y()), c.b)
            painter.drawPath(path)
            if not c.stub and not c.arc:
                painter.setBrush(color)
                painter.drawEllipse(c.a, 2.5, 2.5)
                painter.drawEllipse(c.b, 2.5, 2.5)
        painter.end()

    # -- hover -----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.enabled:
            return False
        if kind in (QEvent.Type.MouseMove, QEvent.Type.Leave):
            view = cast("DocumentView", watched.parent())  # the filter watches each pane's viewport
            hovered = None
            if kind == QEvent.Type.MouseMove:
                hits = view.spans_at_point(cast("QMouseEvent", event).position().toPoint())
                hovered = next((s.id for s in hits if self.links.is_end(s.id)), None)
            self._hover(hovered)
        elif kind == QEvent.Type.Resize:
            self.refresh()
        return False

    def _hover(self, annotation_id: str | None) -> None:
        if annotation_id == self.hovered:
            return
        self.hovered = annotation_id
        self._light()
        self.refresh()

    def _light(self) -> None:
        """Stronger highlight on the hovered span's partners in every pane."""
        from PySide6.QtGui import QTextCharFormat, QTextCursor  # a hover: not at start-up (their enums)
        from PySide6.QtWidgets import QTextEdit

        partners = self.links.partners(self.hovered) if self.hovered else {}
        self._lit = {}
        for pane in self.area.panes():
            spans = pane.view.index.spans
            selections = []
            for aid, kind in partners.items():
                span = spans.get(aid)
                if span is None:
                    continue
                self._lit.setdefault(pane.document_id, set()).add(aid)
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(pane.view.document())
                cursor.setPosition(span.start)
                cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
                fmt = QTextCharFormat()
                color = QColor(self.color(kind))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(color)
                color.setAlpha(110)
                fmt.setBackground(color)
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
            set_overlay(pane.view, "connectors", selections)

    def lit(self) -> dict[str, set[str]]:
        """document id -> the partners of the hovered span lit in that pane."""
        return {k: set(v) for k, v in self._lit.items()}
