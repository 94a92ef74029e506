"""A document pane's viewport paints its own background, so a repaint of an edited line does not repaint
the window, pane area, splitter and pane frame behind it; the pixels are those of the transparent viewport
the stylesheet leaves (the white of ``QPlainTextEdit { background }`` shows through it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.conftest import docks_caught_up
from ui.style import apply_palette


@pytest.fixture
def styled(window) -> Iterator[object]:
    """The window under the app's own palette and stylesheet (ui.app applies them), restored after."""
    app = QApplication.instance()
    palette, sheet = app.palette(), app.styleSheet()
    apply_palette(app)
    QApplication.processEvents()
    yield window
    app.setStyleSheet(sheet)
    app.setPalette(palette)


def _pixels(widget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_viewport_is_opaque_and_looks_the_same(styled):
    window = styled
    viewport = window.panes.panes()[0].view.viewport()
    assert viewport.autoFillBackground()  # set again after the stylesheet's polish turned it off
    opaque = _pixels(window)
    viewport.setAutoFillBackground(False)  # as the stylesheet leaves it
    transparent = _pixels(window)
    viewport.setAutoFillBackground(True)
    assert opaque == transparent
    assert opaque.pixelColor(viewport.mapTo(window, viewport.rect().bottomRight())).name() == "#ffffff"


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted: list[tuple[QObject, QRect]] = []  # (widget, the rect it repainted, in window coordinates)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            self.painted.append((watched, QRect(watched.mapTo(watched.window(), event.rect().topLeft()), event.rect().size())))
        return False


def test_adding_a_span_repaints_no_widget_behind_the_text(styled):
    window = styled
    pane = window.panes.panes()[0]
    view = pane.view
    cursor = view.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(5, cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_1)  # a first add shows "saved" in the status bar...
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Delete)
    docks_caught_up(window)  # ...and the docks and the window settle
    QTest.qWait(50)
    view.setTextCursor(cursor)
    QApplication.processEvents()
    before = window.project.counts()["annotations"]
    paints = _Paints()
    QApplication.instance().installEventFilter(paints)
    try:
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_1)  # the docks follow later (ui/dock_updates.py)
        QApplication.processEvents()
    finally:
        QApplication.instance().removeEventFilter(paints)
    docks_caught_up(window)  # before the fixture closes the project under a dock still waiting
    assert window.project.counts()["annotations"] == before + 1
    viewport = view.viewport()
    text_area = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
    assert viewport in [widget for widget, _ in paints.painted]
    behind = {pane, window.panes, window.panes.splitter}  # (the window itself may repaint for its status bar, docks)
    assert not [(widget, rect) for widget, rect in paints.painted if widget in behind and rect.intersects(text_area)]



def test_panes_opened_under_the_stylesheet_have_an_opaque_viewport(qtbot, project_path, settings):
    """As in the app, where the stylesheet is set before the window is built: each pane is polished
    (the stylesheet turns its viewport's fill off) before it is first shown, with no style change after."""
    from annotator import Project
    from ui.app import open_window

    app = QApplication.instance()
    palette, sheet = app.palette(), app.styleSheet()
    apply_palette(app)
    try:
        with Project.open(project_path) as project:
            ids = [d.id for d in project.documents(with_text=False)]
        window = open_window(project_path, "ana", ids, settings)
        qtbot.addWidget(window)
        qtbot.waitExposed(window)
        try:
            views = [pane.view for pane in window.panes.panes()]
            assert len(views) == 2 and all(view.isVisible() for view in views)
            assert all(view.viewport().autoFillBackground() for view in views)
        finally:
            window.close()
            window.project.close()
    finally:
        app.setStyleSheet(sheet)
        app.setPalette(palette)
