"""``Project.prepare_to_annotate``: read ahead what the first add, delete and undo read, writing nothing."""

from __future__ import annotations

from pathlib import Path

from annotator import Project


def test_prepare_to_annotate_only_reads(project_path: Path) -> None:
    with Project.create(project_path) as project:
        doc = project.add_document("word " * 200, title="t").id
        project.close()
    with Project.open(project_path) as project:
        changes: list[object] = []
        project.subscribe(changes.append)
        before = project.db.conn.total_changes
        project.prepare_to_annotate(doc, "ana")
        assert project.db.conn.total_changes == before and changes == [] and project.history.undo_text is None
        assert "ana" not in project.registered_annotators()
        seen: list[str] = []
        project.db.conn.set_trace_callback(seen.append)
        project.add_annotation(doc, 0, 4, "Claim", annotator="ana")
        project.db.conn.set_trace_callback(None)
        assert not [s for s in seen if 'FROM "documents"' in s]  # the text was read ahead
