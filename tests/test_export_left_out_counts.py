"""Formats that leave out attributes (xmi, qdpx, Label Studio; xmi notes too) count what they leave out in SQL
(``ExportJob.left_out``): the counts must be what counting every row in Python gave, and a damaged
attributes value must still stop the export naming the first such annotation in export order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import Project
from annotator.errors import AnnotatorError
from annotator.exporters import export
from annotator.exporters.common import ExportJob
from annotator.importers.base import ImportedDocument, ImportedSpan
from annotator.store import exports
from annotator.store.database import Database
from annotator.store.schema import migrate

ATTRIBUTES = st.sampled_from(["{}", '{"certainty": "reported"}', '{"a": null}', '{"b": []}', "{ }"])
NOTES = st.sampled_from([None, "", "checked", " ", "é", "\x00", 0, 1, b"", b"x"])
ROWS = st.lists(st.tuples(ATTRIBUTES, NOTES, st.sampled_from(["ana", "ben"]), st.sampled_from(["d1", "d2"])),
                max_size=30)
FILTERS = [("1", []), ("annotator = ?", ["ana"]), ("document_id IN (?)", ["d2"])]


def _database(rows: list[tuple[str, str | None, str, str]]) -> Database:
    db = Database(sqlite3.connect(":memory:"))
    migrate(db)
    db.execute("PRAGMA foreign_keys = OFF")
    label = "L1"  # foreign keys off: the counts never read the labels
    for number, (attributes, note, annotator, document_id) in enumerate(rows):
        db.execute("INSERT INTO annotations (id, document_id, start, end, label_id, quote, annotator, layer, attributes, "
                   "note, created_at, updated_at) VALUES (?, ?, 0, 1, ?, 'q', ?, 'reviewer', ?, ?, '', '')",
                   [f"a{number}", document_id, label, annotator, attributes, note])
    return db


@settings(max_examples=60, deadline=None)
@given(rows=ROWS)
def test_counts_in_sql_are_the_per_row_counts(rows: list[tuple[str, str | None, str, str]]) -> None:
    db = _database(rows)
    for where, params in FILTERS:
        selected = [tuple(r) for r in db.execute(f"SELECT id, attributes, note FROM annotations WHERE {where}", params)]
        per_row = sum(1 for id_, value, _ in selected if ExportJob.parse_attributes(id_, value))  # count_attributes's test
        values, notes = exports.attribute_and_note_counts(db, where, params)
        in_sql = sum(count for value, count in values if ExportJob.parse_attributes("", value))
        assert (in_sql, notes) == (per_row, sum(1 for r in selected if r[2]))


def _project(path: Path) -> Project:
    project = Project.create(path)
    label = project.labels()[0].name
    items = [ImportedDocument(f"Report {number}: 👨‍👩‍👧 said قال at least 1,200 were killed", {"title": f"Report {number}"},
                              [ImportedSpan(start, start + 4, label, annotator="ana",
                                            attributes={"certainty": "reported"} if start == 0 else None,
                                            note="checked" if start == 9 else None) for start in (0, 9, 20)],
                              source=f"r{number}.txt") for number in range(3)]
    project.import_documents(items)
    return project


WARNINGS = {
    "xmi": "the xmi export writes labels only: left out the attributes of 3 and the notes of 3 annotations",
    "qdpx": "REFI-QDA codings have no attributes: left out those of 3 annotations",
    "labelstudio": "Label Studio results have no place for attributes: left out those of 3 annotations",
}


@pytest.mark.parametrize("fmt", sorted(WARNINGS))
def test_the_warning_counts_what_was_left_out(tmp_path: Path, fmt: str) -> None:
    with _project(tmp_path / "p.db") as project:
        result = export(project, fmt, tmp_path / "out")
    assert result.warnings == [WARNINGS[fmt]]


@pytest.mark.parametrize("fmt", sorted(WARNINGS))
def test_a_damaged_value_names_the_first_annotation_in_export_order(tmp_path: Path, fmt: str) -> None:
    """Two damaged values: the one in the first document is named, not the one SQL would group first."""
    path = tmp_path / "p.db"
    with _project(path) as project:
        documents = project.documents(with_text=False)
        first = project.annotations(documents[0].id)[2]  # the first document's last span
        last = project.annotations(documents[2].id)[0]
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE annotations SET attributes = '[1]' WHERE id = ?", [first.id])
        conn.execute("UPDATE annotations SET attributes = '{certainty' WHERE id = ?", [last.id])
    conn.close()
    with Project.open(path) as project, pytest.raises(AnnotatorError, match=first.id):
        export(project, fmt, tmp_path / "out")
