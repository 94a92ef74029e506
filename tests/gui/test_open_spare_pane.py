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
