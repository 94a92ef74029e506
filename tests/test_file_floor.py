"""benchmarks/file_floor.py's floor writes the files of a folder export again, same names and bytes, nothing more."""

from __future__ import annotations

from pathlib import Path

from annotator import Project
from annotator.exporters import export
from annotator.importers.base import ImportedDocument, ImportedSpan
from benchmarks.file_floor import files_of, write_files


def test_the_floor_writes_the_same_files_as_the_export(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db") as project:
        text = "The ministry said 973 \U0001F469\u200d\U0001F467 were killed. قال مسؤولون"
        project.import_documents([ImportedDocument(text, {"title": "One"}, [ImportedSpan(4, 12, "Actor")]),
                                  ImportedDocument("No spans here.", {"title": "Two"}, [])])
        exported = export(project, "xmi", tmp_path / "xmi").data
    contents = files_of(exported)
    assert any(name.endswith(".xmi") for name, _ in contents) and not any(n.endswith(".DATASET.md") for n, _ in contents)
    write_files(tmp_path / "floor", contents)
    assert files_of(tmp_path / "floor") == contents
