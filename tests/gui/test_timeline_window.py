"""The figure timeline window: opened from the View menu, a counted-thing selector, bars that
follow the project's changes, and the quote on hover."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication, QToolTip

from annotator.timeline import timeline
from ui.timeline_window import TimelineWindow, paint_timeline, point_tooltip


def _figure(project, document, quote: str, counted: str, annotator: str = "ana") -> str:
    start = document.text.index(quote)
    figure = project.add_annotation(document.id, start, start + len(quote), "Figure", annotator=annotator)
    return project.update_annotation(figure.id, attributes={**figure.attributes, "counted": counted}).id


def test_menu_opens_the_window_and_it_follows_changes(window, qtbot) -> None:
    project = window.project
    first, second = project.documents()
    killed = _figure(project, second, "Over 1,200 Alawites", "people killed")
    window.actions_["show_timeline"].trigger()
    timeline_window = window.timeline_window
    assert isinstance(timeline_window, TimelineWindow) and timeline_window.isVisible()
    assert timeline_window.snapshot() == ("people killed", (killed,))
    # A new counted thing appears in the selector; choosing it redraws.
    deaths = _figure(project, first, "973 deaths", "civilians killed")
    items = [timeline_window.selector.itemText(i) for i in range(timeline_window.selector.count())]
    assert sorted(items) == ["civilians killed", "people killed"]
    timeline_window.selector.setCurrentText("civilians killed")
    assert timeline_window.snapshot() == ("civilians killed", (deaths,))
    # Undo clears what it counts: "civilians killed" is gone, the window falls back like a fresh one.
    project.undo()
    assert timeline_window.snapshot() == ("people killed", (killed,))
    assert timeline_window.selector.count() == 1
    assert TimelineWindow(window.session).snapshot() == timeline_window.snapshot()


def test_hover_shows_the_quote(window, qtbot) -> None:
    project = window.project
    second = project.documents()[1]
    _figure(project, second, "Over 1,200 Alawites", "people killed")
    window.actions_["show_timeline"].trigger()
    chart = window.timeline_window.chart
    qtbot.waitExposed(chart)
    assert window.timeline_window.snapshot()[1], window.timeline_window.chart.message
    chart.repaint()
    qtbot.waitUntil(lambda: len(chart.hits) == 1)
    rect, point = chart.hits[0]
    assert chart.point_at(rect.center()) is point
    assert chart.point_at(QPointF(1, 1)) is None
    text = point_tooltip(point)
    assert "“Over 1,200 Alawites”" in text and "Other Wire" in text and "low 1,200" in text
    centre = rect.center()
    move = QMouseEvent(QEvent.Type.MouseMove, centre, chart.mapToGlobal(centre), Qt.MouseButton.NoButton,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(chart, move)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and "Over 1,200 Alawites" in QToolTip.text(), timeout=3000)


def test_bars_are_drawn_in_the_source_colour(window) -> None:
    project = window.project
    _figure(project, project.documents()[1], "Over 1,200 Alawites", "people killed")
    data = timeline(project)
    image = QImage(600, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    hits = paint_timeline(painter, image.rect().toRectF(), data)
    painter.end()
    (rect, point), = hits
    colour = data.color(point.source).lower()
    column = [image.pixelColor(int(rect.center().x()), y).name() for y in range(int(rect.top()), int(rect.bottom()))]
    assert colour in column
