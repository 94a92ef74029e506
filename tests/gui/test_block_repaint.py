"""A span added to one paragraph repaints that paragraph, not the whole pane (ui/document_view.py
``BlockLayout``), and what is on screen afterwards is what a full repaint draws."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import EMOJI_TEXT, docks_caught_up

PARAGRAPHS = "\n".join(f"Paragraph {i}: the monitor counted {i * 7} deaths in the raids on the coast." for i in range(12))


class _Regions(QObject):
    def __init__(self, widget) -> None:
        super().__init__()
        self.widget, self.seen = widget, QRegion()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Paint:
            self.seen += event.region()
        return False


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_an_add_repaints_its_paragraph_only_and_the_screen_matches_a_full_repaint(window, qtbot) -> None:
    project = window.panes.panes()[0].project
    for open_pane in list(window.panes.panes()):
        window.panes.close_pane(open_pane)
    window.resize(1400, 1000)
    doc = project.add_document(PARAGRAPHS, title="paragraphs")
    window.open_document(doc.id)
    pane = window.panes.pane_for(doc.id)
    window.panes.set_current(pane)
    qtbot.waitUntil(lambda: pane.view.fully_painted and not pane.view._settle_due, timeout=5000)
    docks_caught_up(window)
    _settle()
    view = pane.view
    fifth = view.document().findBlockByNumber(2)
    first = view.document().findBlockByNumber(0)
    offset = view.contentOffset()
    fifth_rect = view.blockBoundingGeometry(fifth).translated(offset).toAlignedRect()
    first_rect = view.blockBoundingGeometry(first).translated(offset).toAlignedRect()
    assert view.viewport().rect().contains(fifth_rect)  # both on screen: the test means something
    regions = _Regions(view.viewport())
    QApplication.instance().installEventFilter(regions)
    try:
        start = PARAGRAPHS.index("Paragraph 2") + 13
        with window.panes.painting_once():
            project.add_annotation(doc.id, start, start + 7, "Claim", annotator="ana")
        _settle()
    finally:
        QApplication.instance().removeEventFilter(regions)
    assert regions.seen.intersects(QRegion(fifth_rect))
    # paragraph 0 left alone, its left margin too: with nothing linked the connectors' margins are not repainted
    assert not regions.seen.intersects(QRegion(first_rect))
    assert regions.seen.boundingRect().top() >= fifth_rect.top() - 1  # (Qt draws every line inside the bounding rect)
    after_partial = view.viewport().grab().toImage()
    view.viewport().repaint()
    assert view.viewport().grab().toImage() == after_partial


def test_a_change_of_several_paragraphs_still_repaints_every_line(window) -> None:
    """Only a change inside one block is narrowed: one across blocks repaints the whole screen as before."""
    view = window.panes.panes()[0].view
    _settle()
    regions = _Regions(view.viewport())
    QApplication.instance().installEventFilter(regions)
    try:
        view.document().markContentsDirty(0, view.document().characterCount() - 1)
        _settle()
    finally:
        QApplication.instance().removeEventFilter(regions)
    assert view.document().blockCount() >= 2 and "\n" in EMOJI_TEXT
    assert regions.seen.contains(view.viewport().rect())
