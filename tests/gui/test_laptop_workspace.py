"""Issue 13 acceptance: the workspace fits a 1280x720 screen, saves notes as you type, zooms,
remembers recent projects and imports dropped files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator import Project
from tests.gui.conftest import press


def test_window_fits_720_while_a_figure_is_inspected(qtbot, window):
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.height() <= 720)
    pane = window.panes.panes()[1]
    figure = window.project.add_annotation(pane.document_id, 5, 10, "Figure", annotator="ana")
    window.session.select(figure.id)
    QApplication.processEvents()
    assert window.inspector.annotation is not None and len(window.inspector.editors) >= 5
    assert window.height() <= 720
    bar = window.statusBar()
    assert bar.isVisible() and bar.mapTo(window, bar.rect().bottomLeft()).y() <= 720
    assert window.minimumSizeHint().height() < 720 and window.minimumSizeHint().width() < 1280


def test_a_note_is_in_the_file_within_a_second_without_leaving_the_box(qtbot, window, project_path):
    pane = window.panes.panes()[1]
    claim = window.project.add_annotation(pane.document_id, 0, 4, "Claim", annotator="ana")
    window.session.select(claim.id)
    press(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.inspector.note.hasFocus())
    QTest.keyClicks(window.inspector.note, "check the toll")
    assert window.inspector.note.hasFocus()

    def stored() -> str | None:
        with Project.open(project_path) as reader:
            return reader.annotation(claim.id).note
    qtbot.waitUntil(lambda: stored() == "check the toll", timeout=1000)
    assert window.project.history.undo_text is not None
    window.project.undo()  # the burst of typing is one step
    assert window.project.annotation(claim.id).note is None
    QTest.keyClick(window.inspector.note, Qt.Key.Key_Tab)  # Tab moves on, it does not type a tab
    assert "\t" not in window.inspector.note.toPlainText()
    assert not window.inspector.note.hasFocus()


def test_zoom_keys_change_the_pane_font_and_are_kept(window, settings):
    pane = window.panes.panes()[0]
    normal = pane.view.font().pointSizeF()
    press(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert pane.view.font().pointSizeF() == normal + 1
    press(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    press(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert pane.view.font().pointSizeF() == normal - 1
    assert int(settings.value("zoom")) == -1
    press(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert pane.view.font().pointSizeF() == normal


def test_open_recent_lists_the_last_project(qtbot, window, tmp_path, settings):
    from ui.app import open_window

    other = tmp_path / "other.db"
    Project.create(other).close()
    second = open_window(other, "ana", [], settings)
    qtbot.addWidget(second)
    second.fill_recent_menu()
    entries = [a for a in second.recent_menu.actions() if a.data()]
    assert [Path(a.data()) for a in entries] == [Path(window.project.path).resolve()]
    assert entries[0].isEnabled()
    second.close()
    second.project.close()
    Path(window.project.path).rename(tmp_path / "moved.db")  # gone: listed greyed out, then dropped
    window.fill_recent_menu()
    missing = [a for a in window.recent_menu.actions() if a.data() and Path(a.data()) != Path(window.project.path)]
    assert missing and all(not a.isEnabled() for a in missing if Path(a.data()).name == "ui.db")


def test_dropping_a_text_file_imports_it(qtbot, window, tmp_path):
    dropped = tmp_path / "dropped.txt"
    dropped.write_text("Dropped article about the coast.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: len(window.project.documents(with_text=False)) == 3)
    assert any("Dropped article" in d.text for d in window.project.documents())


def test_pane_header_is_two_lines_however_long_the_title(window):
    pane = window.panes.panes()[0]
    pane.title.set_full_text("A very long title " * 12)
    header = pane.title.parentWidget()
    assert header.sizeHint().height() < 90
    assert pane.title.toolTip() == pane.title.full_text
