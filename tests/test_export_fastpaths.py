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
])
def test_w3c_item_text_is_json_dumps_of_the_item(a: ExportAnnotation) -> None:
    document = Document(id="d1", title="T", text="", sha256="abc\"def")
    expected = json.dumps(w3c.annotation_item(a, document), ensure_ascii=False)
    assert w3c.annotation_json(a, w3c.target_head(document)) == expected


def test_records_name_labels_parse_attributes_and_refuse_bad_json() -> None:
    row = ("a1", "d1", 0, 4, "l1", "quote", "", "", "bob", "reviewer", None, '{"k": 1}', None, "c", "u")
    empty = ("a2", "d1", 5, 6, "gone", "q", "", "", "bob", "reviewer", "e1", "{}", "n", "c", "u")
    first, second = annotation_records([row, empty], {"l1": "Claim"})
    assert (first.label, first.attributes, first.start) == ("Claim", {"k": 1}, 0)
    assert (second.label, second.attributes, second.entity_id) == ("?", {}, "e1")
    with pytest.raises(BadRowError):
        annotation_records([(*row[:11], "[1]", *row[12:])], {})
