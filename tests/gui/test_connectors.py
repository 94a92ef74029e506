"""Connector lines between linked annotations in side-by-side panes: geometry, scrolling, hover, change sets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from annotator import Project
from tests.gui.conftest import press

FILLER = "Residents described the night the checkpoints closed and nobody could leave the town.\n"
LEFT = "Families 👩‍👩‍👧 fled Latakia after 973 deaths, the monitor said.\n" + FILLER * 60 + "Later 42 more were found.\n" + FILLER * 60
RIGHT = FILLER * 3 + "Over 1,200 Alawites were killed, the Observatory said.\n" + FILLER * 120


@pytest.fixture
def linked_window(qtbot, tmp_path: Path, settings: QSettings):
    """Two long documents side by side, a claim in each (the left one after an emoji)."""
    from ui.app import open_window

    path = tmp_path / "links.db"
    with Project.create(path) as project:
        left = project.add_document(LEFT, title="Left")
        right = project.add_document(RIGHT, title="Right")
        ids = [left.id, right.id]
    win = open_window(path, "ana", ids, settings)
    win.resize(1200, 700)
    qtbot.addWidget(win)
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.project.close()


def claim(window, pane, quote: str) -> str:
    text = pane.document.text
    start = text.index(quote)
    return window.project.add_annotation(pane.document_id, start, start + len(quote), "Claim", annotator="ana").id


def span_point(window, pane, annotation_id: str) -> QPoint:
    """Where the span starts, in window coordinates: the middle of its first line (cursorRect)."""
    view = pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.index.spans[annotation_id].start)
    return view.viewport().mapTo(window, view.cursorRect(cursor).center())


def edges(window, pane) -> tuple[int, int]:
    viewport = pane.view.viewport()
    return viewport.mapTo(window, QPoint(0, 0)).x(), viewport.mapTo(window, QPoint(viewport.width(), 0)).x()


def test_a_line_joins_two_linked_spans_at_their_positions_and_follows_scrolling(linked_window, qtbot):
    window = linked_window
    left, right = window.panes.panes()
    overlay = window.panes.connectors
    a = claim(window, left, "973 deaths")
    b = claim(window, right, "Over 1,200 Alawites were killed")
    assert overlay.endpoints() == []  # not linked yet
    window.project.add_relation(a, b, "same-claim", annotator="ana")

    [(left_id, right_id, p, q)] = overlay.endpoints()
    assert (left_id, right_id) == (a, b)
    assert p == QPoint(edges(window, left)[1], span_point(window, left, a).y())
    assert q == QPoint(edges(window, right)[0], span_point(window, right, b).y())
    assert overlay.legend() == [("same-claim", "#D97706")]

    # Scroll the right pane a line: its end moves up with the text, the left end stays.
    before = q.y()
    right.view.verticalScrollBar().setValue(1)
    [(_, _, p2, q2)] = overlay.endpoints()
    assert p2 == p
    assert q2.y() < before
    assert q2 == QPoint(edges(window, right)[0], span_point(window, right, b).y())

    # Scroll it out of view: a stub at the left pane's edge points up at the hidden partner.
    right.view.verticalScrollBar().setValue(60)
    assert overlay.endpoints() == []
    [stub] = overlay.connectors()
    assert stub.stub == -1 and stub.ends == (a, b)
    assert stub.a == QPointF(overlay.mapFrom(window, p))

    # Resizing the window moves the panes' edges; the ends move with them.
    right.view.verticalScrollBar().setValue(0)
    window.resize(1000, 650)
    qtbot.waitUntil(lambda: overlay.endpoints() and overlay.endpoints()[0][2].x() == edges(window, left)[1])
    [(_, _, _, q3)] = overlay.endpoints()
    assert q3 == QPoint(edges(window, right)[0], span_point(window, right, b).y())


def test_hover_lights_partners_and_thickens_the_line(linked_window):
    window = linked_window
    left, right = window.panes.panes()
    overlay = window.panes.connectors
    a = claim(window, left, "973 deaths")
    b = claim(window, right, "Over 1,200 Alawites were killed")
    c = claim(window, right, "the Observatory said")
    window.project.add_relation(a, b, "supports", annotator="ana")
    window.project.add_relation(c, a, "contradicts", annotator="ana")
    assert not any(c.hot for c in overlay.connectors())

    viewport = left.view.viewport()
    at = viewport.mapFrom(window, span_point(window, left, a)) + QPoint(4, 0)
    QApplication.sendEvent(viewport, QMouseEvent(QEvent.Type.MouseMove, QPointF(at), QPointF(viewport.mapToGlobal(at)),
                                                 Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    assert overlay.hovered == a
    assert overlay.lit() == {right.document_id: {b, c}}
    assert {(x.ends, x.kind) for x in overlay.connectors() if x.hot} == {((a, b), "supports"), ((a, c), "contradicts")}
    assert len(right.view.extraSelections()) == 2  # the partners, highlighted in the other pane

    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    assert overlay.hovered is None and overlay.lit() == {}
    assert right.view.extraSelections() == []


def test_adding_and_undoing_a_link_by_key_updates_the_lines(linked_window, monkeypatch):
    window = linked_window
    left, right = window.panes.panes()
    overlay = window.panes.connectors
    a = claim(window, left, "973 deaths")
    b = claim(window, right, "Over 1,200 Alawites were killed")
    window.session.select(a)
    from ui import link_dialog

    def choose(dialog):
        dialog.kind.setCurrentText("contradicts")
        row = next(r for r in range(dialog.targets.count()) if dialog.targets.item(r).data(Qt.ItemDataRole.UserRole) == b)
        dialog.targets.setCurrentRow(row)
        return True

    monkeypatch.setattr(link_dialog.LinkDialog, "exec", choose)
    monkeypatch.setattr(overlay.links, "project", None)  # a read of the links now would fail: changes only
    press(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert [(x.ends, x.kind) for x in overlay.connectors()] == [((a, b), "contradicts")]
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert overlay.connectors() == []
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [x.kind for x in overlay.connectors()] == ["contradicts"]
    # Deleting an end takes its line away.
    window.project.delete_annotation(b)
    assert overlay.connectors() == []


def test_entity_mentions_and_relations_inside_one_document(linked_window):
    window = linked_window
    left, right = window.panes.panes()
    overlay = window.panes.connectors
    project = window.project
    a = claim(window, left, "973 deaths")
    a2 = claim(window, left, "the monitor said")
    b = claim(window, right, "the Observatory said")
    entity = project.add_entity("Syrian Observatory for Human Rights")
    project.link_entity(a2, entity.id)
    project.link_entity(b, entity.id)
    [line] = overlay.connectors()
    assert (line.kind, line.ends, line.stub, line.arc) == ("same entity", (a2, b), 0, False)
    project.add_relation(a, a2, "attributed-to", annotator="ana")
    arcs = [x for x in overlay.connectors() if x.arc]
    assert [(x.kind, x.ends) for x in arcs] == [("attributed-to", (a, a2))]
    assert arcs[0].a.x() == arcs[0].b.x() < edges(window, left)[0] - window.panes.connectors.mapTo(window, QPoint(0, 0)).x() + 16


def test_the_view_menu_toggle_hides_the_lines(linked_window):
    window = linked_window
    left, right = window.panes.panes()
    overlay = window.panes.connectors
    window.project.add_relation(claim(window, left, "973 deaths"), claim(window, right, "Over 1,200"), "same-claim",
                                annotator="ana")
    assert overlay.connectors() and window.panes.splitter.handleWidth() > 6
    overlay.repaint()
    assert "same-claim" in overlay.legend_label.text() and not overlay.legend_label.isHidden()
    press(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert not window.actions_["show_connectors"].isChecked()
    assert overlay.connectors() == [] and overlay.isHidden() and overlay.legend_label.isHidden()
    assert window.settings.value("connectors") in (False, "false")
    press(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert overlay.connectors() and overlay.isVisible()


def test_connectors_drawn_again_are_the_ones_measured_now(linked_window, qtbot):
    """The overlay redraws its last connectors while nothing they are measured from moved: after each
    change (links, spans, their offsets, scrolling, hovering, resizing, undo) they equal a fresh measure."""
    window = linked_window
    left, right = window.panes.panes()
    overlay = window.panes.connectors
    project = window.project

    def same() -> None:
        QApplication.processEvents()
        fresh = overlay._measure([p for p in window.panes.panes() if p.isVisible()])
        assert overlay.connectors() == fresh
        overlay.repaint()
        assert overlay.connectors() == fresh

    a = claim(window, left, "973 deaths")
    b = claim(window, right, "Over 1,200 Alawites were killed")
    same()
    project.add_relation(a, b, "same-claim", annotator="ana")
    same()
    c = claim(window, left, "42 more were found")
    project.add_relation(c, b, "supports", annotator="ana")
    same()
    project.update_annotation(a, start=left.document.text.index("deaths"), end=left.document.text.index("deaths") + 6)
    same()
    right.view.verticalScrollBar().setValue(2)
    same()
    left.view.verticalScrollBar().setValue(left.view.verticalScrollBar().maximum())
    same()
    overlay._hover(b)
    same()
    overlay._hover(None)
    same()
    window.resize(1000, 600)
    same()
    project.delete_annotation(c)
    same()
    project.undo()
    same()
    assert any(x.kind == "supports" for x in overlay.connectors())
