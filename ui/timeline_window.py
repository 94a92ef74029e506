"""The figure timeline: for one counted thing, each reported figure as a low–best–high bar by
publication date and outlet, coloured by source (data: ``annotator.timeline``).

One painter (``paint_timeline``) draws the window's chart and the files ``annotator timeline``
writes (``render_timeline``: PNG through QImage, SVG through QSvgGenerator, Qt offscreen), so a
saved chart is exactly what the window shows and no plotting library is needed.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QComboBox, QHBoxLayout, QLabel, QMainWindow, QToolTip, QVBoxLayout, QWidget

from annotator.atomic import write_bytes
from annotator.crosssource import figures_touched
from annotator.errors import AnnotatorError
from annotator.history import Change
from annotator.timeline import Timeline, TimelinePoint, counted_things, timeline

__all__ = ["TimelineChart", "TimelineWindow", "paint_timeline", "render_timeline", "timeline_image"]

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 72.0, 24.0, 70.0, 64.0
MAX_SLOT = 110.0


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def _nice_ticks(top: float) -> list[float]:
    """0 and round steps (1, 2, 5 × 10^k) up to at least ``top``, about five of them."""
    top = max(top, 1.0)
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [step * i for i in range(math.ceil(top / step) + 1)]


def _elide(text: str, metrics: QFontMetricsF, width: float) -> str:
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)


def point_tooltip(point: TimelinePoint) -> str:
    """What hovering a bar shows: the quote, then outlet, date, source and the numbers."""
    numbers = " / ".join(f"{name} {_number(v)}" for name, v in (("low", point.low), ("best", point.best),
                                                                ("high", point.high)) if v is not None)
    when = point.published.isoformat() if point.published else "undated"
    return f"“{point.quote}”\n{point.outlet}, {when}\nSource: {point.source}\n{numbers}"


def paint_timeline(painter: QPainter, rect: QRectF, data: Timeline | None, message: str = "") -> list[tuple[QRectF, TimelinePoint]]:
    """Draw the chart into ``rect``; returns each point's column (for hover). ``message`` when there is nothing to draw."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(rect, QColor("white"))
    font = QFont(painter.font())
    font.setPointSizeF(9)
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    if data is None or not data.points:
        painter.setPen(QColor("#374151"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, message or "No figures to draw")
        painter.restore()
        return []
    hits: list[tuple[QRectF, TimelinePoint]] = []
    # Title and legend.
    title_font = QFont(font)
    title_font.setPointSizeF(11)
    title_font.setBold(True)
    painter.setFont(title_font)
    painter.setPen(QColor("#111827"))
    painter.drawText(QRectF(rect.left() + MARGIN_LEFT, rect.top() + 8, rect.width() - MARGIN_LEFT, 22),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     f"{data.counted}: figures reported, by publication date and outlet")
    painter.setFont(font)
    x = rect.left() + MARGIN_LEFT
    y = rect.top() + 36
    for source in data.sources:
        painter.fillRect(QRectF(x, y + 3, 10, 10), QColor(data.color(source)))
        painter.setPen(QColor("#111827"))
        width = metrics.horizontalAdvance(source)
        painter.drawText(QPointF(x + 14, y + 12), source)
        x += 14 + width + 18
    plot = QRectF(rect.left() + MARGIN_LEFT, rect.top() + MARGIN_TOP, rect.width() - MARGIN_LEFT - MARGIN_RIGHT,
                  rect.height() - MARGIN_TOP - MARGIN_BOTTOM)
    ticks = _nice_ticks(max(p.top for p in data.points) * 1.08)
    top = ticks[-1]

    def y_of(value: float) -> float:
        return plot.bottom() - value / top * plot.height()

    # Axes and grid.
    for tick in ticks:
        ty = y_of(tick)
        painter.setPen(QPen(QColor("#E5E7EB"), 1))
        painter.drawLine(QPointF(plot.left(), ty), QPointF(plot.right(), ty))
        painter.setPen(QColor("#374151"))
        painter.drawText(QRectF(rect.left(), ty - 8, MARGIN_LEFT - 8, 16),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, _number(tick))
    painter.setPen(QPen(QColor("#374151"), 1))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())
    # One column per figure: dated ones in date order, then undated ones after a separator.
    dated, undated = data.dated, data.undated
    gap = 1 if dated and undated else 0
    slots = len(dated) + len(undated) + gap
    slot = min(plot.width() / slots, MAX_SLOT)
    left = plot.left() + (plot.width() - slot * slots) / 2
    columns = [(i, p) for i, p in enumerate(dated)] + [(len(dated) + gap + i, p) for i, p in enumerate(undated)]
    if gap:
        sx = left + slot * (len(dated) + 0.5)
        painter.setPen(QPen(QColor("#9CA3AF"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(sx, plot.top()), QPointF(sx, plot.bottom()))
    if undated:
        start = left + slot * (len(dated) + gap)
        painter.setPen(QColor("#6B7280"))
        painter.drawText(QRectF(start, plot.top() - 16, slot * len(undated), 14), Qt.AlignmentFlag.AlignCenter,
                         "undated")
    for index, point in columns:
        cx = left + slot * (index + 0.5)
        color = QColor(data.color(point.source))
        y_low, y_high = y_of(point.bottom), y_of(point.top)
        painter.setPen(QPen(color, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        if point.open_high:  # no upper bound: the bar goes on, with an arrow head
            y_high = y_of(point.top) - min(28.0, plot.height() * 0.12)
            head = QPainterPath(QPointF(cx, y_high - 7))
            head.lineTo(cx - 5, y_high + 2)
            head.lineTo(cx + 5, y_high + 2)
            head.closeSubpath()
            painter.fillPath(head, color)
        painter.drawLine(QPointF(cx, y_low), QPointF(cx, y_high))
        for value in (point.low, point.high):
            if value is not None and value != point.best:  # a cap under the dot would only stick out of it
                painter.drawLine(QPointF(cx - 7, y_of(value)), QPointF(cx + 7, y_of(value)))
        if point.best is not None:
            painter.setBrush(color)
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.drawEllipse(QPointF(cx, y_of(point.best)), 5.5, 5.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QColor("#111827"))
            label = _number(point.best)
            painter.drawText(QRectF(cx + 8, y_of(point.best) - 8, slot / 2 + 30, 16),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.setPen(QColor("#374151"))
        when = point.published.isoformat() if point.published else "—"
        painter.drawText(QRectF(cx - slot / 2, plot.bottom() + 4, slot, 16), Qt.AlignmentFlag.AlignCenter, when)
        painter.drawText(QRectF(cx - slot / 2, plot.bottom() + 20, slot, 16), Qt.AlignmentFlag.AlignCenter,
                         _elide(point.outlet, metrics, slot - 4))
        hits.append((QRectF(cx - slot / 2, plot.top(), slot, plot.height() + 36), point))
    painter.restore()
    return hits


DEFAULT_SIZE = QSize(900, 480)


def _ensure_app() -> None:
    """Qt needs an application for fonts; the command line gets an offscreen one (no display needed).

    A QApplication, not a QGuiApplication, so that widgets made later in the same process (a test
    run, a script that then opens the GUI) can use it: Qt allows one application object only."""
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _ensure_app.app = QApplication(["annotator"])  # type: ignore[attr-defined]  # kept alive


def timeline_image(data: Timeline, size: QSize = DEFAULT_SIZE) -> QImage:
    _ensure_app()
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_timeline(painter, QRectF(0, 0, size.width(), size.height()), data)
    painter.end()
    return image


def render_timeline(data: Timeline, path: str | os.PathLike[str], size: QSize = DEFAULT_SIZE) -> Path:
    """Write the chart to ``path`` as PNG or SVG (by its suffix), replacing it atomically."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise AnnotatorError(f"{target}: the chart is written as .png or .svg, not {suffix or 'a file without suffix'}")
    _ensure_app()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if suffix == ".png":
        timeline_image(data, size).save(buffer, "PNG")  # type: ignore[call-overload]  # stubs say bytes; PySide6 takes only str
    else:
        from PySide6.QtSvg import QSvgGenerator
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle(f"{data.counted}: figures by publication date and outlet")
        painter = QPainter(generator)
        paint_timeline(painter, QRectF(0, 0, size.width(), size.height()), data)
        painter.end()
    buffer.close()
    content: QByteArray = buffer.data()
    write_bytes(target, bytes(content.data()))
    return target


class TimelineChart(QWidget):
    """The chart as a widget; hovering a bar shows its quote."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(520, 320)
        self.data: Timeline | None = None
        self.message = ""
        self.hits: list[tuple[QRectF, TimelinePoint]] = []

    def set_timeline(self, data: Timeline | None, message: str = "") -> None:
        self.data, self.message = data, message
        self.update()

    def point_at(self, pos: QPointF) -> TimelinePoint | None:
        return next((point for rect, point in self.hits if rect.contains(pos)), None)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        self.hits = paint_timeline(painter, QRectF(self.rect()), self.data, self.message)
        painter.end()

    def mouseMoveEvent(self, event) -> None:
        point = self.point_at(event.position())
        if point is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), point_tooltip(point), self)


class TimelineWindow(QMainWindow):
    """A counted-thing selector over the chart; follows the project's changes while shown."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.setWindowTitle("Figure timeline")
        self.selector = QComboBox()
        self.selector.setObjectName("counted")
        self.chart = TimelineChart()
        top = QHBoxLayout()
        top.addWidget(QLabel("Counted:"))
        top.addWidget(self.selector, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.chart, 1)
        self.setCentralWidget(body)
        self.resize(920, 560)
        self._stale = False
        self.selector.currentTextChanged.connect(lambda _text: self.refresh())
        session.changed.connect(self.apply_change)
        self.reload()

    def reload(self) -> None:
        """Refill the selector (keeping the choice when it still exists) and redraw."""
        current = self.selector.currentText()
        things = counted_things(self.project)
        self.selector.blockSignals(True)
        self.selector.clear()
        self.selector.addItems(things)
        if current in things:
            self.selector.setCurrentText(current)
        self.selector.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        counted = self.selector.currentText()
        if not counted:
            self.chart.set_timeline(None, "No figure says what it counts yet: set a figure's ‘counted’ attribute")
            return
        try:
            self.chart.set_timeline(timeline(self.project, counted))
        except AnnotatorError as error:
            self.chart.set_timeline(None, str(error))

    def apply_change(self, change: Change) -> None:
        if figures_touched(self.project, change) == set():
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        if self._stale:
            self._stale = False
            self.reload()
        super().showEvent(event)

    def closeEvent(self, event) -> None:
        try:
            self.session.changed.disconnect(self.apply_change)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(event)

    def snapshot(self) -> tuple[str, tuple[str, ...]]:
        """The chosen counted thing and the figures drawn (ids), for view tests."""
        data = self.chart.data
        return self.selector.currentText(), tuple(p.annotation_id for p in data.points) if data else ()
