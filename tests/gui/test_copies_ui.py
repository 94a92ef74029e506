"""Copies and revisions in the GUI: the document list's "shares N% with …", the shared passages dialog, the diff dialog."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import Qt
from test_copies import SOURCE, SUMMARY
from test_revisions import NEW, OLD

from annotator import Project
from annotator.copies import texts
from annotator.errors import Cancelled
from annotator.revisions import import_revision
from ui.document_list import DocumentList
from ui.session import Session


def _tooltip(widget: DocumentList, row: int) -> str:
    return widget.proxy.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_document_list_says_what_a_document_shares_and_the_dialog_jumps_to_both_places(qtbot, tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db") as project:
        source = project.add_document(SOURCE, title="Clashes")
        summary = project.add_document(SUMMARY, title="In brief")
        widget = DocumentList(Session(project, "ana"))
        qtbot.addWidget(widget)
        assert "shares" not in _tooltip(widget, 1)
        dialog = widget.show_copies(summary.id)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: not dialog.looking)
        assert "shares 9" in _tooltip(widget, 1) and "with “Clashes”" in _tooltip(widget, 1)
        assert "with “In brief”" in _tooltip(widget, 0)
        assert dialog.tree.topLevelItemCount() == 1
        jumps: list[tuple[str, int, int]] = []
        widget.jump_requested.connect(lambda *args: jumps.append(args))
        dialog.tree.itemActivated.emit(dialog.tree.topLevelItem(0), 0)
        passage = dialog.passages[0]
        assert jumps == [(summary.id, passage.other_start, passage.other_end), (source.id, passage.start, passage.end)]


def test_diff_dialog_marks_insertions_deletions_and_lists_what_was_left(qtbot, tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db") as project:
        old = project.add_document(OLD, title="Toll rises")
        project.add_annotation(old.id, OLD.index("745"), OLD.index("745") + 3, "Figure", annotator="ana")
        new = import_revision(project, old.id, NEW).document
        widget = DocumentList(Session(project, "ana"))
        qtbot.addWidget(widget)
        dialog = widget.show_revision(new.id)
        qtbot.addWidget(dialog)
        html = dialog.view.toHtml()
        plain = dialog.view.toPlainText()
        assert "973" in plain and "745" in plain and "army denied" in plain
        assert "Updated on Sunday" in plain
        assert html.count("#ddffdd") >= 2 and html.count("#ffdddd") >= 2  # insertions and deletions coloured
        assert "Left for review" in plain and "“745”" in plain


def test_figures_dock_counts_a_copy_once_when_asked(qtbot, tmp_path: Path) -> None:
    from test_copies import attributed_copies

    from ui.figures_dock import FiguresDock

    with Project.create(tmp_path / "p.db") as project:
        attributed_copies(project)
        dock = FiguresDock(Session(project, "ana"))
        qtbot.addWidget(dock)
        dock.refresh()
        assert not dock.copies_as_one.isVisibleTo(dock)
        dock.by_source.setChecked(True)
        assert dock.copies_as_one.isVisibleTo(dock)
        figure = next(dock.sources.topLevelItem(i).child(0) for i in range(dock.sources.topLevelItemCount())
                      if dock.sources.topLevelItem(i).text(0) != "(not attributed)")
        assert figure.text(3) == "3"
        dock.copies_as_one.setChecked(True)
        qtbot.waitUntil(lambda: dock._copied is not None)
        figure = next(dock.sources.topLevelItem(i).child(0) for i in range(dock.sources.topLevelItemCount())
                      if dock.sources.topLevelItem(i).text(0) != "(not attributed)")
        assert figure.text(3) == "2"


class _Blocked:
    """A stand-in for the copies computation that runs until told to finish or asked to stop."""

    def __init__(self, result: object) -> None:
        self.result, self.release, self.stopped, self.thread = result, threading.Event(), threading.Event(), None

    def __call__(self, documents, progress=None, **_: object) -> object:
        self.thread = threading.get_ident()
        done = 0
        while not self.release.is_set():
            if not progress(done % len(documents), len(documents)):
                self.stopped.set()
                raise Cancelled("stopped")
            done += 1
            time.sleep(0.005)
        return self.result


def _dock(qtbot, project: Project):
    from ui.figures_dock import FiguresDock

    dock = FiguresDock(Session(project, "ana"))
    qtbot.addWidget(dock)
    dock.refresh()
    dock.by_source.setChecked(True)
    return dock


def _count(dock) -> str:
    return next(dock.sources.topLevelItem(i).child(0).text(3) for i in range(dock.sources.topLevelItemCount())
                if dock.sources.topLevelItem(i).text(0) != "(not attributed)")


def test_counting_copies_once_runs_off_the_gui_thread_and_applies_the_result_when_it_arrives(
        qtbot, tmp_path: Path, monkeypatch) -> None:
    from test_copies import attributed_copies

    from annotator.copies import copied

    with Project.create(tmp_path / "p.db") as project:
        attributed_copies(project)
        blocked = _Blocked(copied(texts(project)))
        monkeypatch.setattr("ui.figures_dock.copied", blocked)
        dock = _dock(qtbot, project)
        started = time.perf_counter()
        dock.copies_as_one.setChecked(True)  # returns while the computation is still running
        assert time.perf_counter() - started < 1
        assert dock.copies_as_one.isChecked() and dock._copied is None and _count(dock) == "3"
        qtbot.waitUntil(lambda: blocked.thread is not None)
        assert blocked.thread != threading.get_ident()
        qtbot.waitUntil(lambda: dock.copies_progress is not None and dock.copies_progress.maximum() > 0)
        blocked.release.set()
        qtbot.waitUntil(lambda: dock._copied is not None)
        assert _count(dock) == "2" and dock.copies_progress is None


def test_cancel_stops_the_search_and_leaves_the_box_unchecked(qtbot, tmp_path: Path, monkeypatch) -> None:
    from test_copies import attributed_copies

    with Project.create(tmp_path / "p.db") as project:
        attributed_copies(project)
        blocked = _Blocked({})
        monkeypatch.setattr("ui.figures_dock.copied", blocked)
        dock = _dock(qtbot, project)
        dock.copies_as_one.setChecked(True)
        qtbot.waitUntil(lambda: blocked.thread is not None)
        from PySide6.QtWidgets import QPushButton

        dock.copies_progress.findChild(QPushButton).click()  # the dialog's Cancel
        qtbot.waitUntil(lambda: not dock.copies_as_one.isChecked())
        assert blocked.stopped.is_set() and dock._copied is None and _count(dock) == "3"


def test_the_real_search_through_the_worker_counts_copies_once(qtbot, tmp_path: Path) -> None:
    from test_copies import attributed_copies

    with Project.create(tmp_path / "p.db") as project:
        attributed_copies(project)
        dock = _dock(qtbot, project)
        dock.copies_as_one.setChecked(True)
        qtbot.waitUntil(lambda: dock._copied is not None)
        assert _count(dock) == "2"


def test_closing_the_window_while_copies_are_looked_for_stops_the_worker(qtbot, window, monkeypatch) -> None:
    blocked = _Blocked({})
    monkeypatch.setattr("ui.figures_dock.copied", blocked)
    from ui.figures_dock import FiguresDock

    window.figures_dock.show()

    dock = window.findChildren(FiguresDock)[0]
    dock.by_source.setChecked(True)
    dock.copies_as_one.setChecked(True)
    qtbot.waitUntil(lambda: blocked.thread is not None)
    window.close()
    dock.deleteLater()
    qtbot.waitUntil(blocked.stopped.is_set)
    qtbot.wait(50)  # late signals of the job land on nothing


def test_a_documents_change_while_looking_discards_the_result_and_cancel_closes_the_dialog(
        qtbot, tmp_path: Path, monkeypatch) -> None:
    with Project.create(tmp_path / "p.db") as project:
        project.add_document(SOURCE, title="Clashes")
        project.add_document(SUMMARY, title="In brief")
        widget = DocumentList(Session(project, "ana"))
        qtbot.addWidget(widget)
        blocked = _Blocked([])
        monkeypatch.setattr("annotator.copies.find_copies", blocked)
        dialog = widget.show_copies()
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: blocked.thread is not None)
        project.add_document("A third report about something else entirely, said the monitor today.", title="Third")
        blocked.release.set()
        qtbot.waitUntil(lambda: not dialog.looking)
        assert "changed meanwhile" in dialog.label.text() and dialog.tree.topLevelItemCount() == 0
        assert widget.model.copy_notes == {}
        blocked.release.clear()
        dialog = widget.show_copies()
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: blocked.thread is not None and dialog.progress.maximum() > 0)
        dialog.reject()  # Cancel
        qtbot.waitUntil(lambda: blocked.stopped.is_set())
        assert not widget.copies_task.running or widget.copies_task.job.stop.is_set()
