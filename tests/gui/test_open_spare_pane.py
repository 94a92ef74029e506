"""Opening a document into a pane built ahead of time, laid out once at the width it is drawn at."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.errors import AnnotatorError
from ui.document_pane import DocumentPane
from ui.document_view import DocumentView

LONG = "Over 1,200 Alawites were killed, the monitor said. 👩‍👩‍👧\n" * 400


def test_an_open_takes_the_spare_pane_and_shows_what_a_fresh_pane_shows(window, qtbot):
    area = window.panes
    second = area.panes()[1]
    document_id = second.document_id
    area.close_pane(second)
    qtbot.waitUntil(lambda: area._spare is not None, timeout=5000)
    spare = area._spare
    assert not spare.isVisible() and area.pane_for(document_id) is None
    window.open_document(document_id)
    pane = area.pane_for(document_id)
    assert pane is spare and area._spare is None and pane.isVisible()
    assert pane.view.toPlainText() == window.project.document(document_id).text
    fresh = DocumentPane(window.session, document_id)
    qtbot.addWidget(fresh)
    assert pane.snapshot() == fresh.snapshot()
    qtbot.waitUntil(lambda: area._spare is not None and area._spare is not pane, timeout=5000)  # the next one


def test_opening_a_missing_document_leaves_no_empty_pane(window):
    area = window.panes
    for pane in area.panes():
        area.close_pane(pane)
    with pytest.raises(AnnotatorError):
        area.open("no-such-document")
    assert area.panes() == [] and area.currentIndex() == 0


def shown_view(qtbot, policy=Qt.ScrollBarPolicy.ScrollBarAsNeeded) -> DocumentView:
    view = DocumentView()
    view.setVerticalScrollBarPolicy(policy)
    view.resize(400, 300)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_long_text_goes_in_at_the_width_it_is_drawn_at(qtbot):
    view = shown_view(qtbot)
    full = view.viewport().width()
    view.set_content(LONG, [], {})
    bar = view.verticalScrollBar()
    assert bar.isVisible() and view.viewport().width() < full  # the bar's room is taken before the first layout
    width, lines = view.viewport().width(), bar.maximum()
    QApplication.processEvents()
    assert (view.viewport().width(), bar.maximum()) == (width, lines)  # no second layout at another width
    assert view.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded


def test_a_short_text_keeps_no_scroll_bar_and_another_policy_is_kept(qtbot):
    view = shown_view(qtbot)
    full = view.viewport().width()
    view.set_content("A short note.", [], {})
    QApplication.processEvents()
    assert not view.verticalScrollBar().isVisible() and view.viewport().width() == full
    off = shown_view(qtbot, Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    off.set_content(LONG, [], {})
    QApplication.processEvents()
    assert not off.verticalScrollBar().isVisible()
    assert off.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_a_shown_view_highlights_its_first_screen_before_the_paint_and_the_rest_as_a_full_pass_does(qtbot, highlighted_blocks):
    """Set into a shown view, a text is highlighted as far as its first screen reaches (not a fixed
    PAINT_CHARACTERS: a narrow pane shows a few hundred characters); the first frame shows every
    visible block highlighted, and idle time ends where highlighting every block at once ends."""
    from ui.document_view import PAINT_CHARACTERS

    paragraph = "Over 1,200 👩‍👩‍👧 Alawites were killed.\n"
    text = paragraph * 2_000
    step = len(paragraph)
    spans = [(f"s{n}", n * step + 5, n * step + 25, "claim", "ana") for n in range(2_000)]
    spans += [(f"t{n}", n * step + 11, n * step + step + 8, "figure", "ana") for n in range(0, 1_999, 3)]  # across blocks
    spans.sort(key=lambda s: s[1])
    view = shown_view(qtbot)
    view.resize(220, 160)
    QApplication.processEvents()
    highlighted_blocks.clear()  # from here: what the load highlights
    view.set_content(text, spans, {"claim": "#F59E0B", "figure": "#3B82F6"})
    calls = list(highlighted_blocks)
    assert calls and max(calls) < PAINT_CHARACTERS // step // 2  # about the screen, not the fixed top
    view.viewport().repaint()
    shown = range(view.firstVisibleBlock().blockNumber(), view._last_shown().blockNumber() + 1)
    first_frame = {n: formats(view, n) for n in shown}
    assert all(first_frame.values())  # every visible block is drawn highlighted
    qtbot.waitUntil(lambda: view.fully_painted, timeout=10000)
    idle = [formats(view, n) for n in range(view.document().blockCount())]
    view.highlighter.rehighlight()
    assert [formats(view, n) for n in range(view.document().blockCount())] == idle
    assert all(idle[n] == first for n, first in first_frame.items())


def formats(view, number):
    block = view.document().findBlockByNumber(number)
    return [(f.start + block.position(), f.length, f.format.background().color().name(), f.format.underlineStyle())
            for f in block.layout().formats()]
