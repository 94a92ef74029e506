"""The table-order read (``store.exports.spans_by_document``) and the SQL counts of what doccano leaves out give
exactly what the plain reads gave: SQLite's ``ORDER BY document_id, start, end, id`` and a count over every row."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from annotator import Project
from annotator.errors import BadRowError
from annotator.exporters.common import ExportJob, ExportResult, Filters, select
from annotator.store import exports


def _job(project: Project, filters: Filters | None = None) -> ExportJob:
    filters = filters or Filters()
    return ExportJob(project, filters, select(project, filters), ExportResult("x", project.path, project.path))


def _plain(path: object, columns: tuple[str, ...], where: str = "1", params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    selected = ", ".join(("start", "end", "id", *columns, "document_id"))
    with sqlite3.connect(str(path)) as conn:
        return conn.execute(f"SELECT {selected} FROM annotations WHERE {where} ORDER BY document_id, start, end, id",
                            params).fetchall()


def _flat(grouped: dict[str, list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    return [row for document_id in sorted(grouped) for row in grouped[document_id]]


@pytest.fixture
def interleaved(sample: Project) -> Project:
    """The sample with annotations added to its documents in turn, ties on offsets with other labels and
    reviewers: a document's rows lie in several runs of the table, not one."""
    documents = sample.documents(with_text=False)
    for round_ in range(3):
        for number, document in enumerate(documents):
            for start, end, label in ((0, 5, "Claim"), (0, 5, "Actor"), (0, 3, "Figure"), (2, 5, "Claim")):
                sample.add_annotation(document.id, start + round_, end + round_ + number, label,
                                      annotator=("carol", "dan")[(round_ + number) % 2])
    return sample


def test_table_order_read_is_the_sql_order(interleaved: Project) -> None:
    for columns in (("label_id",), ("label_id", "quote", "annotator", "layer", "entity_id", "attributes", "note"), ()):
        grouped = exports.spans_by_document(interleaved.db, columns, "1", [])
        assert _flat(grouped) == _plain(interleaved.path, columns)
        assert all(row[-1] == document_id for document_id, rows in grouped.items() for row in rows)
    where, params = "annotator IN (?, ?)", ["carol", "bob"]
    assert _flat(exports.spans_by_document(interleaved.db, ("label_id",), where, params)) == _plain(
        interleaved.path, ("label_id",), where, tuple(params))
    with pytest.raises(ValueError):
        exports.spans_by_document(interleaved.db, ("id; DROP TABLE x",), "1", [])


def test_a_damaged_row_falls_back_to_sqlites_order(interleaved: Project) -> None:
    with sqlite3.connect(interleaved.path) as conn:  # another program writes text and a real where offsets belong
        conn.execute("UPDATE annotations SET start = 'a', end = 'b' WHERE id = (SELECT min(id) FROM annotations WHERE end = 5)")
        conn.execute("UPDATE annotations SET start = 0.5 WHERE id = (SELECT max(id) FROM annotations WHERE start = 1)")
    grouped = exports.spans_by_document(interleaved.db, ("label_id",), "1", [])
    assert _flat(grouped) == _plain(interleaved.path, ("label_id",)) and any(row[0] == "a" for row in _flat(grouped))


RAW = [("{}", None), ('{"certainty": "reported"}', "checked"), ("{ }", ""), ('{"a": 1}', None), ("", "n"), ("", 0),
       ("{}", "\x00"), ("[]", None), ('{"certainty": "reported"}', "x")]


def test_left_out_counts_are_the_count_over_every_row(interleaved: Project) -> None:
    ids = [row[0] for row in interleaved.db.execute("SELECT id FROM annotations ORDER BY id")]
    with sqlite3.connect(interleaved.path) as conn:
        for number, id_ in enumerate(ids):
            attributes, note = RAW[number % len(RAW)]
            if attributes != "[]":
                conn.execute("UPDATE annotations SET attributes = ?, note = ? WHERE id = ?", [attributes, note, id_])
    for filters in (Filters(), Filters(annotators=("carol",)), Filters(labels=("Claim",))):
        job = _job(interleaved, filters)
        plain_attributes = plain_notes = 0
        parsed: dict[Any, bool] = {}
        for _, _, rows, _ in job.text_order_rows(("attributes", "note"), texts=False):
            plain_attributes += job.count_attributes([r[2] for r in rows], [r[3] for r in rows], parsed)
            plain_notes += sum(bool(r[4]) for r in rows)
        assert job.left_out_counts() == (plain_attributes, plain_notes) and plain_attributes and plain_notes


def test_a_bad_attributes_value_names_the_first_in_export_order(interleaved: Project) -> None:
    job = _job(interleaved)
    rows = [row for _, _, rows, _ in job.text_order_rows(("attributes",), texts=False) for row in rows]
    first, later = rows[3][2], rows[-1][2]
    with sqlite3.connect(interleaved.path) as conn:  # the one that sorts first by id is not the first in export order
        conn.execute("UPDATE annotations SET attributes = '[1]' WHERE id = ?", [later])
        conn.execute("UPDATE annotations SET attributes = '{bad' WHERE id = ?", [first])
    with pytest.raises(BadRowError) as raised:
        _job(interleaved).left_out_counts()
    assert raised.value.row_id == first
