"""``plainly_good_annotation`` (the merge's fast check of a common row) never passes a row that
``annotation_problems`` would refuse, and does pass the common row."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.validation import annotation_problems, check_rows, plainly_good_annotation

TEXT = "Officials said 12 people died; ünïcode 😀 too."
ODD = st.one_of(st.none(), st.booleans(), st.integers(-3, 60), st.floats(allow_nan=False), st.binary(max_size=3),
                st.sampled_from(["", " ", "x", "ana", "12 people", "{}", "[]", '{"value": 12}', "{bad", "reviewer",
                                 "gold", "span", "relation"]))
DEFINITIONS = [{"name": "value", "type": "number"}, {"name": "qualifier", "type": "choice", "choices": ["exact"]}]


def good_row(start: int = 15, end: int = 24) -> dict:
    return {"id": "a1", "document_id": "d1", "start": start, "end": end, "label_id": "l1", "quote": TEXT[start:end],
            "prefix": "", "suffix": "", "annotator": "ana", "layer": "reviewer", "entity_id": None, "attributes": "{}",
            "note": None, "created_at": "2024-01-01", "updated_at": "2024-01-01"}


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(good_row())), ODD, max_size=4),
       st.sampled_from([TEXT, None, "", "short"]),
       st.sampled_from([{"kind": "span", "name": "Figure"}, {"kind": "relation", "name": "r"}, {}, None]),
       st.integers(0, 40), st.integers(0, 50))
def test_the_fast_check_passes_only_rows_with_no_problem(changes: dict, text, label, start: int, end: int) -> None:
    row = {**good_row(), "start": start, "end": end, "quote": (text or "")[start:end], **changes}
    for definitions in (None, DEFINITIONS):
        if plainly_good_annotation(row, text, label):
            assert annotation_problems(row, text, label, definitions) == [], row


def test_the_common_row_takes_the_fast_check() -> None:
    assert plainly_good_annotation(good_row(), TEXT, {"kind": "span"})
    assert not plainly_good_annotation({**good_row(), "attributes": '{"value": 12}'}, TEXT, {"kind": "span"})
    assert not plainly_good_annotation({**good_row(), "quote": "12 peoplf"}, TEXT, {"kind": "span"})
    assert not plainly_good_annotation({**good_row(), "start": True}, TEXT, {"kind": "span"})


def test_check_rows_reports_the_same_problems_as_before() -> None:
    """A file with good and bad annotations: the bad ones still get annotation_problems' messages."""
    document = {"id": "d1", "title": "T", "text": TEXT, "status": "not started", "position": 1, "metadata": "{}"}
    from annotator.text import sha256

    document["sha256"] = sha256(TEXT)
    label = {"id": "l1", "name": "Figure", "kind": "span", "position": 1, "attributes": "[]", "color": "#112233",
             "description": "", "hotkey": None}
    bad = {**good_row(), "id": "a2", "quote": "wrong"}
    found = check_rows({"documents": [document], "labels": [label], "annotations": [good_row(), bad]})
    assert [(p.id, p.problems) for p in found] == [("a2", tuple(annotation_problems(bad, TEXT, label, [])))]
    assert "does not match the text" in found[0].problems[0]
