"""The csv export zips a document's columns in C when ``csvio.cell`` would leave every cell as it is; the file
must be the plain per-cell table (``csvio.csv_text`` of every value) whatever the raw values hold: formula
starts, whitespace, full-width signs, empty and damaged values, notes, entities, attributes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator import Project
from annotator.errors import AnnotatorError
from annotator.exporters import csv_table, csv_text, csvio, export
from annotator.exporters.common import ExportJob, ExportResult, Filters, select

RISKY = ["=1+1", " x", "\tx", "－x", "＠x", "@x", "+x", "-5", "-x", "\u3000x", "", "a\n=b", "قال 👨‍👩‍👧", "e\u0301"]


def plain_table(project: Project, tmp_path: Path) -> bytes:
    job = ExportJob(project, Filters(), select(project, Filters()), ExportResult("csv", tmp_path / "x", tmp_path / "y"))
    columns = csv_table.attribute_columns(job)
    entities = {e.id: e.name for e in job.selection.entities}
    rows = [[d.id, d.title, d.outlet, d.published, a.id, a.label, a.quote, a.start, a.end, a.annotator, a.layer, a.note,
             entities.get(a.entity_id or "", ""), *[a.attributes.get(name) for name, _ in columns]]
            for item in job.documents() for d in [item.document] for a in item.annotations]
    return ("\ufeff" + csvio.csv_text([*csv_table.COLUMNS, *(column for _, column in columns)], rows)).encode("utf-8")


@pytest.mark.parametrize("column", ["id", "quote", "annotator", "note"])
def test_raw_values_give_the_plain_table(seeded: Project, raw_db: sqlite3.Connection, tmp_path: Path,
                                         column: str, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = seeded.documents(with_text=False)
    entity = seeded.add_entity("=Ministry")
    for number, document in enumerate(documents):
        for index in range(4):
            annotation = seeded.add_annotation(document.id, 5 * index, 5 * index + 3, "Claim" if index % 2 else "Actor",
                                               annotator="ana")
            if index == 3:
                seeded.link_entity(annotation.id, entity.id)
            if number % 2 == 0:  # every other document keeps safe values only
                value = RISKY[(2 * number + index) % len(RISKY)]
                raw_db.execute(f"UPDATE annotations SET {column} = ? WHERE id = ?", [value, annotation.id])
                raw_db.commit()
    last = seeded.add_annotation(documents[1].id, 0, 2, "Actor", annotator="bo")
    raw_db.execute(f"UPDATE annotations SET {column} = ? WHERE id = ?", ["=last", last.id])
    raw_db.commit()
    calls: list[bool] = []
    original = csv_text.safe

    def spy(values: tuple[object, ...]) -> bool:
        calls.append(original(values))
        return calls[-1]

    monkeypatch.setattr(csv_text, "safe", spy)  # the rows are csv_text's, in both processes
    written = export(seeded, "csv", tmp_path / "out").data.read_bytes()
    assert written == plain_table(seeded, tmp_path)
    assert True in calls and False in calls  # both paths ran


def test_the_sample_gives_the_plain_table(sample: Project, tmp_path: Path) -> None:
    assert export(sample, "csv", tmp_path / "out").data.read_bytes() == plain_table(sample, tmp_path)


@pytest.mark.parametrize(("values", "fast"), [
    (("a", "b", "x y"), True), (("x\u2028",), True), (("قال", "👨‍👩‍👧"), True),
    (("a", "=b"), False), ((" a",), False), (("＋1",), False), (("a", None), False), (("a", 1), False),
    (("a", ""), True), (("", "a"), False), (("a\n-b",), False), (("\u2028x",), False)])
def test_safe_only_when_cell_leaves_every_value(values: tuple[object, ...], fast: bool) -> None:
    """Never fast when a cell would change; sometimes careful when it would not (an empty or whitespace-led value)."""
    assert csv_table.safe(values) is fast
    if fast:
        assert all(isinstance(v, str) and csvio.cell(v) == v for v in values)


ATTRIBUTES = ['{"certainty": "=1+1"}', '{"certainty": "reported"}', '{"unknown": 1}', '{"certainty": true, "type": " x"}',
              '{"certainty": ["a", "b"], "rating": {"k": "－v"}}', "{}", '{"certainty": null}', '{"value": -5}',
              '{"unit": "قال 👨‍👩‍👧", "extra": "e\u0301"}']


def test_attributes_and_notes_on_every_document_give_the_plain_table(seeded: Project, raw_db: sqlite3.Connection,
                                                                     tmp_path: Path) -> None:
    """Every document with attributes (repeated, unknown, risky, of every JSON type) and notes on some spans: the
    columns converted whole, each attribute value parsed once, must still be the plain per-cell table."""
    updates = []
    for number, document in enumerate(seeded.documents(with_text=False)):
        for index in range(6):
            annotation = seeded.add_annotation(document.id, 3 * index, 3 * index + 2, ("Claim", "Actor", "Figure")[index % 3],
                                               annotator="ana")
            updates.append([ATTRIBUTES[(number + index) % len(ATTRIBUTES)],
                            RISKY[(number * 3 + index) % len(RISKY)] if index % 2 else None, annotation.id])
    raw_db.executemany("UPDATE annotations SET attributes = ?, note = ? WHERE id = ?", updates)
    raw_db.commit()
    result = export(seeded, "csv", tmp_path / "out")
    assert result.data.read_bytes() == plain_table(seeded, tmp_path)
    assert any("extra, unknown" in warning for warning in result.warnings)


def test_a_bad_attributes_value_names_its_annotation(seeded: Project, raw_db: sqlite3.Connection, tmp_path: Path) -> None:
    document = seeded.documents(with_text=False)[0]
    first = seeded.add_annotation(document.id, 0, 2, "Claim", annotator="ana")
    bad = seeded.add_annotation(document.id, 4, 6, "Claim", annotator="ana")
    raw_db.execute("UPDATE annotations SET attributes = ? WHERE id = ?", ['{"certainty": "asserted"}', first.id])
    raw_db.execute("UPDATE annotations SET attributes = ? WHERE id = ?", ["{not json", bad.id])
    raw_db.commit()
    with pytest.raises(AnnotatorError, match=bad.id):
        export(seeded, "csv", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_risky_value_is_cell_s_test_of_the_first_character() -> None:
    """``_RISKY_VALUE`` (a regex, in C) picks the values ``cell`` looks at: a formula start or ``str.isspace``."""
    for code in range(0x110000):
        character = chr(code)
        assert bool(csv_text._RISKY_VALUE(character + "x")) is (character in csvio.FORMULA_STARTS or character.isspace())
    assert csv_text._RISKY_VALUE("") is None
