"""Docks follow key presses in a pane once input pauses (ui/dock_updates.py), and end up exactly
where they would have been had each change reached them at once."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.gui.conftest import EMOJI_TEXT, docks_caught_up
from ui.annotation_table import AnnotationTable
from ui.inspector import Inspector


def key(window, k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press without waiting for the docks (``press`` waits)."""
    QTest.keyClick(window.windowHandle(), k, modifiers)


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


def test_a_press_paints_the_pane_at_once_and_the_docks_after_the_pause(window) -> None:
    pane = select_fled(window)
    rows_before = window.table.model.rowCount()
    key(window, Qt.Key.Key_1)
    assert pane.count() == 1  # the pane: at once
    assert window.session.selected is not None
    assert window.session.docks.pending > 0  # the docks: not yet
    assert window.table.model.rowCount() == rows_before
    assert window.inspector.annotation is None
    docks_caught_up(window)
    assert window.table.model.rowCount() == rows_before + 1
    assert window.inspector.annotation is not None and window.inspector.annotation.id == window.session.selected
    assert window.table.snapshot() == fresh_table(window).snapshot()


def test_a_burst_of_presses_ends_where_each_change_applied_at_once_would(window) -> None:
    window.do_show_figures()
    pane = select_fled(window)
    key(window, Qt.Key.Key_1)
    key(window, Qt.Key.Key_Delete)
    key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the span is back
    key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # and gone
    key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # back again
    assert window.session.docks.pending >= 5
    docks_caught_up(window)
    assert pane.count() == 1 == window.project.counts()["annotations"]
    assert window.table.snapshot() == fresh_table(window).snapshot()
    fresh = Inspector(window.session)
    fresh.show_annotation(window.inspector.annotation.id if window.inspector.annotation else None)
    assert window.inspector.snapshot() == fresh.snapshot()
    for dock in (window.figures, window.entities):
        assert dock.snapshot() == type(dock)(window.session).snapshot()


def test_input_anywhere_else_first_brings_the_docks_up_to_date(window) -> None:
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


def test_a_closed_dock_gets_nothing_more(window) -> None:
    select_fled(window)
    extra = AnnotationTable(window.session)
    extra.show_document(window.table.model.document_id)
    key(window, Qt.Key.Key_1)
    extra.deleteLater()
    QTest.qWait(0)
    docks_caught_up(window)  # no delivery to the deleted view (it would raise)
    assert window.table.model.rowCount() == 1
