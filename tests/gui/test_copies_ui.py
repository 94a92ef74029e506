"""Copies and revisions in the GUI: the document list's "shares N% with …", the shared passages dialog, the diff dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from test_copies import SOURCE, SUMMARY
from test_revisions import NEW, OLD

from annotator import Project
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
        figure = next(dock.sources.topLevelItem(i).child(0) for i in range(dock.sources.topLevelItemCount())
                      if dock.sources.topLevelItem(i).text(0) != "(not attributed)")
        assert figure.text(3) == "2"
