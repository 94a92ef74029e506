"""Drive the real workspace: select, press keys, and check the SQLite file each time."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.gui.conftest import EMOJI_TEXT, press, utf16


def rows(path, sql="SELECT a.quote, l.name, a.start, a.end, a.annotator FROM annotations a JOIN labels l ON l.id = a.label_id"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def select_utf16(view, start16: int, end16: int) -> None:
    cursor = view.textCursor()
    cursor.setPosition(start16)
    cursor.setPosition(end16, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def select_word_after_emoji(window):
    pane = window.panes.panes()[0]
    start = EMOJI_TEXT.index("fled")
    select_utf16(pane.view, utf16(EMOJI_TEXT, start), utf16(EMOJI_TEXT, start + 4))
    return pane


def test_two_documents_open_side_by_side(window):
    panes = window.panes.panes()
    assert len(panes) == 2
    assert panes[0].isVisible() and panes[1].isVisible()
    assert panes[0].x() < panes[1].x()
    assert panes[0].view.toPlainText().startswith("Families")


def test_key_1_annotates_the_word_after_an_emoji_and_undo_redo_follow_the_file(window, project_path):
    pane = select_word_after_emoji(window)
    press(window, Qt.Key.Key_1)
    assert rows(project_path) == [("fled", "Claim", EMOJI_TEXT.index("fled"), EMOJI_TEXT.index("fled") + 4, "ana")]
    assert pane.count() == 1
    span = next(iter(pane.view.index.spans.values()))
    assert (span.start, span.end) == (utf16(EMOJI_TEXT, EMOJI_TEXT.index("fled")), utf16(EMOJI_TEXT, EMOJI_TEXT.index("fled") + 4))

    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(project_path) == []
    assert pane.count() == 0
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [r[0] for r in rows(project_path)] == ["fled"]
    assert pane.count() == 1


def test_highlight_paints_exactly_the_annotated_characters(window):
    pane = select_word_after_emoji(window)
    press(window, Qt.Key.Key_3)
    block = pane.view.document().firstBlock()
    formats = block.layout().formats()
    start16 = utf16(EMOJI_TEXT, EMOJI_TEXT.index("fled"))
    assert [(f.start, f.length) for f in formats] == [(start16, 4)]


def test_delete_relabel_and_resize_from_the_keyboard_with_undo(window, project_path):
    select_word_after_emoji(window)
    press(window, Qt.Key.Key_2)
    assert rows(project_path)[0][:2] == ("fled", "Actor")

    press(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # relabel
    assert rows(project_path)[0][:2] == ("fled", "Figure")
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(project_path)[0][:2] == ("fled", "Actor")

    press(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # widen the end by a word
    assert rows(project_path)[0][0] == "fled Latakia"
    press(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)  # widen start
    assert rows(project_path)[0][0] == "👩‍👩‍👧 fled Latakia" or rows(project_path)[0][0] == "Families 👩‍👩‍👧 fled Latakia"
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # narrow the end again
    assert rows(project_path)[0][0] == "fled"

    press(window, Qt.Key.Key_Delete)
    assert rows(project_path) == []
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r[0] for r in rows(project_path)] == ["fled"]


def test_same_span_can_carry_two_labels(window, project_path):
    pane = select_word_after_emoji(window)
    press(window, Qt.Key.Key_1)
    select_word_after_emoji(window)
    press(window, Qt.Key.Key_3)
    assert sorted(r[1] for r in rows(project_path)) == ["Claim", "Figure"]
    assert pane.count() == 2


def test_partial_selection_snaps_to_the_word_and_snapping_can_be_turned_off(window, project_path):
    pane = window.panes.panes()[0]
    start = EMOJI_TEXT.index("Latakia")
    select_utf16(pane.view, utf16(EMOJI_TEXT, start + 2), utf16(EMOJI_TEXT, start + 5))
    press(window, Qt.Key.Key_1)
    assert rows(project_path)[0][0] == "Latakia"
    window.actions_["snap"].trigger()
    select_utf16(pane.view, utf16(EMOJI_TEXT, start + 2), utf16(EMOJI_TEXT, start + 5))
    press(window, Qt.Key.Key_1)
    assert sorted(r[0] for r in rows(project_path)) == ["Latakia", "tak"]


def test_tab_steps_through_annotations_in_reading_order(window):
    pane = window.panes.panes()[0]
    project = window.project
    first = project.add_annotation(pane.document_id, 0, 8, "Claim", annotator="ana")
    second = project.add_annotation(pane.document_id, EMOJI_TEXT.index("973"), EMOJI_TEXT.index("973") + 3, "Figure",
                                    annotator="ana")
    pane.view.setFocus()
    pane.view.moveCursor(QTextCursor.MoveOperation.Start)
    press(window, Qt.Key.Key_Tab)
    assert window.session.selected == first.id
    press(window, Qt.Key.Key_Tab)
    assert window.session.selected == second.id
    press(window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.session.selected == first.id
    assert window.inspector.quote.text() == "“Families”"


def test_figure_attributes_are_proposed_and_editable_in_the_inspector(window, project_path):
    pane = window.panes.panes()[1]
    text = pane.document.text
    pane.view.setFocus()
    window.panes.set_current(pane)
    select_utf16(pane.view, text.index("Over"), text.index("Over") + len("Over 1,200"))
    press(window, Qt.Key.Key_3)
    annotation = window.project.annotation(window.session.selected)
    assert annotation.attributes["value"] == 1200 and annotation.attributes["qualifier"] == "more than"
    counted = window.inspector.editors["counted"]
    counted.setCurrentIndex(counted.findData("civilians killed"))
    counted.activated.emit(counted.currentIndex())
    assert window.project.annotation(annotation.id).attributes["counted"] == "civilians killed"
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "counted" not in window.project.annotation(annotation.id).attributes


def test_document_status_from_the_pane_and_the_menu(window, project_path):
    pane = window.panes.panes()[0]
    pane.status.setCurrentText("in progress")
    pane.status.activated.emit(pane.status.currentIndex())
    assert rows(project_path, f"SELECT status FROM documents WHERE id = '{pane.document_id}'") == [("in progress",)]
    window.panes.set_current(pane)
    window.actions_["status_done"].trigger()
    assert pane.status.currentText() == "done"
    assert window.documents.model.rows[0].status == "done"


def test_view_filter_shows_one_reviewer(window):
    pane = window.panes.panes()[0]
    window.project.add_annotation(pane.document_id, 0, 8, "Claim", annotator="ana")
    window.project.add_annotation(pane.document_id, 9, 17, "Claim", annotator="ben")
    assert pane.count() == 2
    window.session.set_view_filter("ben")
    assert pane.count() == 1
    assert window.table.model.rowCount() == 1


def test_panes_close_reorder_and_restore_on_restart(window, project_path, settings, qtbot):
    from ui.app import open_window

    first, second = window.panes.panes()
    window.panes.shift(second, -1)
    assert window.panes.panes() == [second, first]
    window.close()
    window.project.close()
    again = open_window(project_path, "ana", None, settings)
    qtbot.addWidget(again)
    assert [p.document_id for p in again.panes.panes()] == [second.document_id, first.document_id]
    again.panes.close_pane(again.panes.panes()[0])
    assert len(again.panes.panes()) == 1
    again.close()
    again.project.close()


def test_schema_editor_rename_keeps_annotations_and_new_label_gets_a_key(window, project_path):
    pane = select_word_after_emoji(window)
    press(window, Qt.Key.Key_1)
    window.project.update_label("Claim", name="Assertion")
    assert rows(project_path)[0][1] == "Assertion"
    label = window.project.add_label("Date", description="A date the article gives")
    assert window.project.label(label.id).color.startswith("#")
    start = EMOJI_TEXT.index("Latakia")
    select_utf16(pane.view, utf16(EMOJI_TEXT, start), utf16(EMOJI_TEXT, start + 7))
    press(window, Qt.Key.Key_4)
    assert ("Latakia", "Date") in [r[:2] for r in rows(project_path)]


def test_arabic_word_selects_and_annotates_exactly(window, project_path):
    pane = window.panes.panes()[0]
    word = "مدنيا"
    start = EMOJI_TEXT.index(word)
    select_utf16(pane.view, utf16(EMOJI_TEXT, start + 1), utf16(EMOJI_TEXT, start + 3))  # part of the word
    press(window, Qt.Key.Key_3)
    assert rows(project_path)[0][:3] == (word, "Figure", start)
    assert pane.view.document().findBlockByNumber(1).textDirection() == Qt.LayoutDirection.RightToLeft  # laid out RTL
    assert pane.view.document().findBlockByNumber(0).textDirection() == Qt.LayoutDirection.LeftToRight
