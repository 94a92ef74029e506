"""Docks follow key presses in a pane once input pauses (ui/dock_updates.py), and end up exactly
where they would have been had each change reached them at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.gui.conftest import EMOJI_TEXT, docks_caught_up
from ui import dock_updates
from ui.annotation_table import AnnotationTable
from ui.inspector import Inspector


def key(window, k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press without waiting for the docks (``press`` waits)."""
    QTest.keyClick(window.windowHandle(), k, modifiers)


@pytest.fixture
def slow_pause(monkeypatch):
    """However long a loaded machine takes per press, the docks wait until ``pause_over`` (the timer's
    own check, after a real pause of the usual length)."""
    monkeypatch.setattr(dock_updates, "PAUSE_MS", 60_000)

    def pause_over(window) -> None:
        monkeypatch.setattr(dock_updates, "PAUSE_MS", USUAL_PAUSE)
        QTest.qWait(USUAL_PAUSE + 30)
        window.session.docks._due()
        docks_caught_up(window)
    return pause_over


USUAL_PAUSE = dock_updates.PAUSE_MS


def select_fled(window):
    pane = window.panes.panes()[0]
    pane.view.setFocus()
    start = EMOJI_TEXT.index("fled")
    pane.view.select_text(start, start + 4)
    return pane


def fresh_table(window) -> AnnotationTable:
    table = AnnotationTable(window.session)
    table.show_document(window.table.model.document_id)
    return table


def test_a_press_paints_the_pane_at_once_and_the_docks_after_the_pause(window, slow_pause) -> None:
    pane = select_fled(window)
    rows_before = window.table.model.rowCount()
    key(window, Qt.Key.Key_1)
    assert pane.count() == 1  # the pane: at once
    assert window.session.selected is not None
    assert window.session.docks.pending > 0  # the docks: not yet
    assert window.table.model.rowCount() == rows_before
    assert window.inspector.annotation is None
    slow_pause(window)
    assert window.table.model.rowCount() == rows_before + 1
    assert window.inspector.annotation is not None and window.inspector.annotation.id == window.session.selected
    assert window.table.snapshot() == fresh_table(window).snapshot()


UNDO = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
REDO = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
ADD = (Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier)
DELETE = (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier)


@pytest.mark.parametrize("keys, left", [
    ((ADD, DELETE, UNDO, UNDO, REDO), 1),  # the span is back at the end
    ((ADD, DELETE, UNDO, UNDO), 0),  # added and gone again before the docks looked: nothing to read for it
    ((ADD, UNDO), 0),
    ((ADD, ADD), 1),  # the second press relabels nothing new: same span, one row
])
def test_a_burst_of_presses_ends_where_each_change_applied_at_once_would(window, slow_pause, keys, left) -> None:
    window.do_show_figures()
    docks_caught_up(window)
    pane = select_fled(window)
    for k, modifiers in keys:
        key(window, k, modifiers)
    assert window.session.docks.pending >= len(keys)
    slow_pause(window)
    assert pane.count() == window.project.counts()["annotations"] <= left + 1
    assert window.table.model.rowCount() == window.project.counts()["annotations"]
    assert window.table.snapshot() == fresh_table(window).snapshot()
    fresh = Inspector(window.session)
    fresh.show_annotation(window.session.selected)
    assert window.inspector.snapshot() == fresh.snapshot()
    for dock in (window.figures, window.entities):
        assert dock.snapshot() == type(dock)(window.session).snapshot()


def test_input_anywhere_else_first_brings_the_docks_up_to_date(window, slow_pause) -> None:
    select_fled(window)
    key(window, Qt.Key.Key_1)
    assert window.session.docks.pending > 0
    table = window.table.table
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    assert window.session.docks.pending == 0  # delivered before the click reached the table
    assert window.table.model.rowCount() == window.project.counts()["annotations"]


def test_a_change_without_input_reaches_the_docks_at_once(window) -> None:
    document_id = window.panes.panes()[0].document_id
    QTest.qWait(150)  # no input for longer than the pause
    window.project.add_annotation(document_id, 0, 8, "Claim", annotator="ana")
    assert window.session.docks.pending == 0
    assert window.table.model.rowCount() == 1


def test_a_closed_dock_gets_nothing_more(window, slow_pause) -> None:
    select_fled(window)
    extra = AnnotationTable(window.session)
    extra.show_document(window.table.model.document_id)
    key(window, Qt.Key.Key_1)
    assert window.session.docks.pending
    extra.deleteLater()
    QTest.qWait(0)
    slow_pause(window)  # no delivery to the deleted view (it would raise)
    assert window.table.model.rowCount() == 1


def test_an_action_that_may_read_a_dock_brings_the_docks_up_to_date_first(window, slow_pause) -> None:
    select_fled(window)
    key(window, Qt.Key.Key_1)
    assert window.session.docks.pending > 0
    window.actions_["undo"].trigger()  # the pane's own: the docks still wait
    assert window.session.docks.pending > 0
    window.actions_["show_figures"].trigger()
    assert window.session.docks.pending == 0
    assert window.table.model.rowCount() == window.project.counts()["annotations"] == 0
    assert window.inspector.annotation is None
