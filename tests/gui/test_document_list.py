"""The document list: document order until a header is clicked, status marks, filter, counts from change sets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator import Project
from ui.document_list import DocumentList
from ui.session import Session


def test_list_keeps_document_order_counts_and_filters(qtbot, tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db") as project:
        z = project.add_document("Zeta text about 12 deaths.", title="Zeta", published="2025-03-10T08:00:00").id
        a = project.add_document("Alpha text.", title="Alpha", outlet="Wire").id
        project.add_annotation(z, 0, 4, "Figure", annotator="ana")
        project.set_document_status(a, "done")
        widget = DocumentList(Session(project, "ana"))
        qtbot.addWidget(widget)
        assert widget.table.horizontalHeader().sortIndicatorSection() == -1
        assert widget.snapshot() == (("Zeta", "", "2025-03-10", "○", 1), ("Alpha", "Wire", "", "●", 0))
        project.add_annotation(a, 0, 5, "Figure", annotator="ana")
        project.delete_annotation(project.annotations(z)[0].id)
        assert [row[4] for row in widget.snapshot()] == [0, 1]
        widget.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        assert [row[0] for row in widget.snapshot()] == ["Alpha", "Zeta"]
        widget.filter.setText("done")  # the status's name finds its mark
        assert [row[0] for row in widget.snapshot()] == ["Alpha"]
        widget.filter.clear()
        project.delete_document(a)
        assert [row[0] for row in widget.snapshot()] == ["Zeta"]
        project.undo()  # the document and its annotation come back in one change: counted once
        assert widget.snapshot() == (("Alpha", "Wire", "", "●", 1), ("Zeta", "", "2025-03-10", "○", 0))
        assert widget.selected_ids() == [] and widget.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole) == a
