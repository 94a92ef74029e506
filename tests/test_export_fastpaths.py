"""The exporters' fast paths write exactly what the plain code they replace wrote."""

from __future__ import annotations

import io
import json

import pytest

from annotator.exporters import csvio, w3c
from annotator.exporters.common import ExportAnnotation, annotation_records
from annotator.models import Document
from annotator.store.file import BadRowError

CELLS = ["", "plain", "-5", "-5%", "=SUM(A1)", "+3", "@me", "＝x", " =x", "\tx", "\rx", "\nx", "\u3000=x", " ", "1e5",
         "-1.5", 0, -7, 12, 1.5, -2.0, float("-inf"), True, False, None, ["a", 1], {"k": "قال 👨‍👩‍👧"}, "قال", "👨‍👩‍👧"]


def test_csv_rows_are_the_neutralised_cells() -> None:
    fast, plain = io.StringIO(newline=""), io.StringIO(newline="")
    csvio.write_rows(fast, ["h"], [CELLS, list(reversed(CELLS))])
    writer = csvio._writer(plain)
    for row in (["h"], CELLS, list(reversed(CELLS))):
        writer.writerow([csvio.neutralise(csvio.cell_text(v)) for v in row])
    assert fast.getvalue() == plain.getvalue()
    assert "'-inf" in fast.getvalue() and "'=SUM(A1)" in fast.getvalue() and ",-5," in fast.getvalue()


def annotation(**changes: object) -> ExportAnnotation:
    base = dict(id="a1", document_id="d1", start=3, end=9, label="Claim", label_id="l1", quote="x\u2028\"y\"",
                prefix="قال ", suffix=" 👨‍👩‍👧\n", annotator="alice", layer="gold", entity_id=None, attributes={},
                note=None, created_at="2024-01-01T00:00:00Z", updated_at="2024-01-02T00:00:00Z")
    return ExportAnnotation(**{**base, **changes})


@pytest.mark.parametrize("a", [
    annotation(),
    annotation(attributes={"certainty": "reported", "value": 1200, "list": ["é", None]}),
    annotation(note="a \\ note\twith\nbreaks"),
    annotation(attributes={"b": True}, note="n", label="Label with spaces \u2029", start=0, end=1),
    annotation(annotator=7, created_at=None, layer=1.5, label=3, quote="", prefix="\x00\x1f", suffix="\\"),
])
def test_w3c_item_text_is_json_dumps_of_the_item(a: ExportAnnotation) -> None:
    document = Document(id="d1", title="T", text="", sha256="abc\"def")
    expected = json.dumps(w3c.annotation_item(a, document), ensure_ascii=False, separators=(",", ":"))
    assert w3c.annotation_json(a, w3c.target_head(document)).decode("utf-8") == expected


def test_records_name_labels_parse_attributes_and_refuse_bad_json() -> None:
    row = ("a1", "d1", 0, 4, "l1", "quote", "", "", "bob", "reviewer", None, '{"k": 1}', None, "c", "u")
    empty = ("a2", "d1", 5, 6, "gone", "q", "", "", "bob", "reviewer", "e1", "{}", "n", "c", "u")
    first, second = annotation_records([row, empty], {"l1": "Claim"})
    assert (first.label, first.attributes, first.start) == ("Claim", {"k": 1}, 0)
    assert (second.label, second.attributes, second.entity_id) == ("?", {}, "e1")
    with pytest.raises(BadRowError):
        annotation_records([(*row[:11], "[1]", *row[12:])], {})


def test_jsonl_annotation_dicts_are_the_picked_fields_in_order() -> None:
    from annotator.exporters import jsonl

    items = [annotation(), annotation(attributes={"k": [1, "é"]}, note="n", entity_id="e1", id="a2", layer="reviewer")]
    fast = jsonl.annotation_dicts(items)
    assert [list(d.items()) for d in fast] == [list(jsonl._pick(a, jsonl.ANNOTATION_FIELDS).items()) for a in items]


def test_csv_export_is_the_plain_per_cell_table(sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The csv export (cells converted once per document/label, BOM written by hand) equals the plain
    ``write_rows`` of every row, on the sample's formulas, Arabic, emoji, notes, entities and attributes."""
    from annotator.exporters import export
    from annotator.exporters.common import ExportJob, ExportResult, Filters, select
    from annotator.exporters.csv_table import COLUMNS, attribute_columns

    result = export(sample, "csv", tmp_path / "out")
    job = ExportJob(sample, Filters(), select(sample, Filters()), ExportResult("csv", tmp_path / "x", tmp_path / "y"))
    columns = attribute_columns(job)
    entities = {e.id: e.name for e in job.selection.entities}
    rows = [[d.id, d.title, d.outlet, d.published, a.id, a.label, a.quote, a.start, a.end, a.annotator, a.layer, a.note,
             entities.get(a.entity_id or "", ""), *[a.attributes.get(name) for name, _ in columns]]
            for item in job.documents() for d in [item.document] for a in item.annotations]
    expected = "\ufeff" + csvio.csv_text([*COLUMNS, *(column for _, column in columns)], rows)
    assert result.data.read_bytes() == expected.encode("utf-8")
    assert "'=SUM(A1)" in expected and len(rows) == 16


def test_cell_is_write_rows_cell() -> None:
    for value in CELLS:
        fast, plain = io.StringIO(newline=""), io.StringIO(newline="")
        csvio.write_cells(fast, ["h"], [[csvio.cell(value)]])
        csvio.write_rows(plain, ["h"], [[value]])
        assert fast.getvalue() == plain.getvalue()


def test_column_read_is_the_full_read_projected(sample) -> None:  # type: ignore[no-untyped-def]
    """``document_rows`` (doccano, csv) sees the same annotations, in the same order, as ``documents()``."""
    from annotator.exporters.common import ExportJob, ExportResult, Filters, select
    from annotator.store import exports

    columns = ("id", "start", "end", "label_id", "attributes", "note")
    for filters in (Filters(), Filters(annotators=("bob",)), Filters(layer="gold")):
        job = ExportJob(sample, filters, select(sample, filters), ExportResult("x", sample.path, sample.path))
        full = [(item.document, [(a.document_id, a.id, a.start, a.end, a.label_id, a.attributes, a.note)
                                 for a in item.annotations]) for item in job.documents()]
        narrow = [(d, [(*row[:5], job.parse_attributes(row[1], row[5]), row[6]) for row in rows])
                  for d, rows, _ in job.document_rows(columns)]
        assert narrow == full and sum(len(rows) for _, rows in full) == job.selection.annotations
    with pytest.raises(ValueError):
        exports.annotation_columns_by_document(sample.db, ["id; DROP TABLE x"], "1", [])


def test_jsonl_file_is_record_of_every_document(sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """jsonl writes lines from raw rows; ``record()`` (the importer's contract) of each document gives the same."""
    from annotator.exporters import export, jsonl
    from annotator.exporters.common import ExportJob, ExportResult, Filters, select

    result = export(sample, "jsonl", tmp_path / "out")
    job = ExportJob(sample, Filters(), select(sample, Filters()), ExportResult("jsonl", tmp_path / "x", tmp_path / "y"))
    entities = {e.id: e for e in job.selection.entities}
    expected = "".join(compact_line(jsonl.record(job, item, entities)) for item in job.documents())
    assert result.data.read_text(encoding="utf-8") == expected and '"entity_id":"' in expected


def compact_line(data: object) -> str:
    """The plain path ``json_line_bytes`` replaces: ``json_line`` with compact separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085") + "\n"


LINE_VALUES = ["", "plain", "x\u2028y\u2029z\x85", "\x00\x1f\x7f\"\\/", "\b\f\n\r\t", "قال 👨‍👩‍👧", "\ud7ff\ue000\uffff",
               0, -7, 2**63 - 1, -2**63, 1.5, -0.0, 1e-7, 123456789.123, 1e16, True, False, None, [], {}, [1, [2, {"k": "v"}]]]


@pytest.mark.parametrize("value", [*LINE_VALUES, {"k": LINE_VALUES}, 2**64, -2**70, float("nan"), float("inf"),
                                   {"deep": [float("-inf")]}, {1: "int key"}])
def test_json_line_bytes_is_the_compact_json_line(value: object) -> None:
    """orjson's line, and json.dumps where orjson would differ (huge ints, NaN/infinity, non-str keys)."""
    from annotator.exporters.common import json_line_bytes

    data = {"annotator_jsonl": 1, "value": value, "text": "a\u2028b"}
    written = json_line_bytes(data, [value]).decode("utf-8")
    assert written == compact_line(data) and written.splitlines() == [written[:-1]]


def test_text_order_read_is_the_sql_order(sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Rows sorted per document in Python come in SQLite's ``ORDER BY document_id, start, end, id``, ties
    included; a damaged row Python cannot compare (a text start) falls back to SQLite's order."""
    import sqlite3

    from annotator.store import exports

    document = sample.documents()[0]
    for start, end in ((0, 5), (0, 5), (0, 3), (0, 9), (2, 5), (0, 5)):
        sample.add_annotation(document.id, start, end, "Claim", annotator="carol")

    def plain(columns: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(sample.path) as conn:
            return conn.execute(f"SELECT {columns} FROM annotations ORDER BY document_id, start, end, id").fetchall()

    def flat(grouped: dict[str, list[tuple[object, ...]]]) -> list[tuple[object, ...]]:
        return [row for rows in grouped.values() for row in rows]

    assert flat(exports.annotations_by_document(sample.db, "1", [])) == plain(exports.ANNOTATION_COLUMNS)
    for columns in (["id", "start", "end", "label_id"], ["end", "note", "id", "start"], ["start", "label_id"]):
        assert flat(exports.annotation_columns_by_document(sample.db, columns, "1", [])) == plain(
            "document_id, " + ", ".join(columns))
    with sqlite3.connect(sample.path) as conn:  # another program damages rows: text offsets (the CHECK allows them), a real
        conn.execute("UPDATE annotations SET start = 'a', end = 'b' WHERE id = (SELECT min(id) FROM annotations WHERE end = 5)")
        conn.execute("UPDATE annotations SET start = 0.5 WHERE id = (SELECT max(id) FROM annotations WHERE end = 9)")
    damaged = flat(exports.annotations_by_document(sample.db, "1", []))
    assert damaged == plain(exports.ANNOTATION_COLUMNS) and any(row[2] == "a" for row in damaged)


def test_writers_pause_the_collector_and_resume_it() -> None:
    """The collector is off while a JSON writer runs, back on after (also after a failure), left off if it was."""
    import gc

    from annotator.exporters import FORMATS
    from annotator.exporters.common import without_collector

    seen: list[bool] = []

    def write(job: object, target: object) -> None:
        seen.append(gc.isenabled())
        if target == "fail":
            raise OSError("disk full")

    paused = without_collector(write)  # type: ignore[arg-type]
    assert gc.isenabled()
    paused(None, "ok")  # type: ignore[arg-type]
    with pytest.raises(OSError):
        paused(None, "fail")  # type: ignore[arg-type]
    assert gc.isenabled() and seen == [False, False]
    gc.disable()
    try:
        paused(None, "ok")  # type: ignore[arg-type]
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert all(FORMATS[name].write.__wrapped__ for name in ("jsonl", "doccano", "w3c", "labelstudio"))  # type: ignore[attr-defined]


def test_what_a_writer_leaves_alive_joins_the_oldest_generation_unwalked() -> None:
    """Resumed, the collector does not walk the writer's survivors again (they go to the oldest generation),
    and a frozen heap (the app's start) stays frozen: then the collector resumes as it was."""
    import gc

    from annotator.exporters.common import without_collector

    class Left:
        """An object a writer leaves alive (as CoNLL's ``Dropped``)."""

    left: list[Left] = []

    def write(job: object, target: object) -> None:
        left.append(Left())

    paused = without_collector(write)  # type: ignore[arg-type]
    gc.collect()
    assert gc.get_freeze_count() == 0
    paused(None, "ok")  # type: ignore[arg-type]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert any(obj is left[0] for obj in gc.get_objects(generation=2))

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        paused(None, "ok")  # type: ignore[arg-type]
        assert gc.isenabled() and gc.get_freeze_count() == frozen
        assert not any(obj is left[1] for obj in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()
