"""compare_document classification and adjudication into the gold layer (checked in the file itself)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from annotator import Project
from annotator.comparison import (
    AGREED,
    BOUNDARY_DIFFERS,
    LABEL_AND_BOUNDARY_DIFFER,
    LABEL_DIFFERS,
    ONLY,
    SOURCE_ATTRIBUTE,
    accept_all_agreed,
    accept_into_gold,
    adjudication_progress,
    compare_document,
)
from annotator.errors import AnnotatorError, NotFoundError

TEXT = "".join(f"word{i:02d} " for i in range(20))  # 140 characters


@pytest.fixture
def doc(project: Project) -> str:
    document_id = project.add_document(TEXT, title="Hand-built").id
    add = project.add_annotation
    spans = {
        "agreed": [add(document_id, 0, 10, "Claim", annotator=r, propose=False) for r in ("ana", "ben")],
        "nested": add(document_id, 2, 5, "Actor", annotator="ben"),
        "label": [add(document_id, 12, 20, "Actor", annotator="ana"), add(document_id, 12, 20, "Figure", annotator="ben",
                                                                           propose=False)],
        "boundary": [add(document_id, 25, 40, "Claim", annotator="ana"), add(document_id, 27, 40, "Claim", annotator="ben")],
        "only_ana": add(document_id, 45, 50, "Figure", annotator="ana", propose=False),
        "mixed": [add(document_id, 55, 65, "Claim", annotator="ana"), add(document_id, 60, 70, "Actor", annotator="ben")],
        "only_ben": add(document_id, 80, 85, "Figure", annotator="ben", propose=False),
        "agreed2": [add(document_id, 90, 99, "Actor", annotator=r) for r in ("ana", "ben")],
    }
    add(document_id, 0, 140, "Claim", annotator="cem")  # not listed: ignored
    add(document_id, 27, 40, "Claim", annotator="judge", layer="gold")  # settles the boundary difference
    project.history.clear()
    project.spans = spans  # type: ignore[attr-defined]
    return document_id


def ids(*annotations) -> tuple[str, ...]:
    return tuple(a.id for a in annotations)


def test_every_span_is_classified_once_in_start_order(project: Project, doc: str) -> None:
    s = project.spans  # type: ignore[attr-defined]
    differences = compare_document(project, doc, ["ana", "ben"])

    assert [(d.start, d.end, d.kind, d.title) for d in differences] == [
        (0, 10, AGREED, "agreed"),
        (2, 5, ONLY, "only ben"),
        (12, 20, LABEL_DIFFERS, "label differs"),
        (25, 40, BOUNDARY_DIFFERS, "boundary differs"),
        (45, 50, ONLY, "only ana"),
        (55, 70, LABEL_AND_BOUNDARY_DIFFER, "label and boundary differ"),
        (80, 85, ONLY, "only ben"),
        (90, 99, AGREED, "agreed"),
    ]
    assert [d.annotations for d in differences] == [
        {"ana": ids(s["agreed"][0]), "ben": ids(s["agreed"][1])},
        {"ben": ids(s["nested"])},
        {"ana": ids(s["label"][0]), "ben": ids(s["label"][1])},
        {"ana": ids(s["boundary"][0]), "ben": ids(s["boundary"][1])},
        {"ana": ids(s["only_ana"])},
        {"ana": ids(s["mixed"][0]), "ben": ids(s["mixed"][1])},
        {"ben": ids(s["only_ben"])},
        {"ana": ids(s["agreed2"][0]), "ben": ids(s["agreed2"][1])},
    ]
    assert differences[2].labels == ("Actor", "Figure")
    gold = project.annotations(doc, layer="gold")[0]
    assert [d.gold_ids for d in differences] == [(), (), (), (gold.id,), (), (), (), ()]
    assert [d.covered for d in differences].count(True) == 1
    # Every listed reviewer span appears exactly once; cem's and the gold span never.
    listed = [a.id for a in project.annotations(doc, layer="reviewer") if a.annotator in ("ana", "ben")]
    explained = [sp.id for d in differences for sp in d.spans]
    assert sorted(explained) == sorted(listed)
    json.dumps([d.to_dict() for d in differences], allow_nan=False)
    # Listing the reviewers the other way round changes nothing but the order of ids.
    reverse = compare_document(project, doc, ["ben", "ana"])
    assert [(d.start, d.end, d.kind) for d in reverse] == [(d.start, d.end, d.kind) for d in differences]
    assert reverse[0].reviewers == ("ben", "ana")


def test_three_reviewers(project: Project) -> None:
    doc = project.add_document(TEXT).id
    for reviewer in ("ana", "ben"):
        project.add_annotation(doc, 0, 10, "Claim", annotator=reviewer)
        project.add_annotation(doc, 25, 40, "Claim", annotator=reviewer)
    for reviewer in ("ana", "ben", "cem"):
        project.add_annotation(doc, 12, 20, "Actor", annotator=reviewer)
    project.add_annotation(doc, 25, 38, "Claim", annotator="cem")
    project.add_annotation(doc, 50, 60, "Actor", annotator="ana")
    project.add_annotation(doc, 50, 60, "Figure", annotator="cem", propose=False)
    found = compare_document(project, doc, ["ana", "ben", "cem"])
    assert [(d.start, d.end, d.title, d.reviewers, len(d.spans)) for d in found] == [
        (0, 10, "only ana, ben", ("ana", "ben"), 2),  # two agree, the third marked nothing there
        (12, 20, "agreed", ("ana", "ben", "cem"), 3),
        (25, 40, "boundary differs", ("ana", "ben", "cem"), 3),
        (50, 60, "label differs", ("ana", "cem"), 2),
    ]


def test_comparing_needs_two_reviewers_and_a_document(project: Project, doc: str) -> None:
    with pytest.raises(AnnotatorError, match="two reviewers"):
        compare_document(project, doc, ["ana"])
    with pytest.raises(AnnotatorError, match="two reviewers"):
        compare_document(project, doc, ["ana", "ana"])
    with pytest.raises(NotFoundError):
        compare_document(project, "no-such-document", ["ana", "ben"])
    assert compare_document(project, doc, ["dan", "eve"]) == []


def gold_rows(raw_db: sqlite3.Connection) -> list[sqlite3.Row]:
    return raw_db.execute("SELECT * FROM annotations WHERE layer = 'gold' ORDER BY start, id").fetchall()


def test_accept_into_gold_copies_with_provenance_and_undoes(project: Project, doc: str, raw_db: sqlite3.Connection) -> None:
    source = project.add_annotation(doc, 100, 110, "Claim", annotator="ana", note="check the date",
                                    attributes={"certainty": "alleged"},
                                    entity_id=project.add_entity("Someone", "person").id)
    project.history.clear()
    assert len(gold_rows(raw_db)) == 1

    gold = accept_into_gold(project, source.id, "judge")

    assert gold is not None and gold.id != source.id
    rows = gold_rows(raw_db)
    assert len(rows) == 2
    row = next(r for r in rows if r["id"] == gold.id)
    assert (row["document_id"], row["start"], row["end"], row["label_id"], row["quote"]) == (
        doc, 100, 110, project.label("Claim").id, TEXT[100:110])
    assert (row["layer"], row["annotator"], row["note"], row["entity_id"]) == ("gold", "judge", "check the date",
                                                                                 source.entity_id)
    assert json.loads(row["attributes"]) == {"certainty": "alleged", SOURCE_ATTRIBUTE: source.id}
    assert raw_db.execute("SELECT count(*) FROM annotators WHERE name = 'judge'").fetchone()[0] == 1
    # The reviewer's own annotation is untouched.
    assert tuple(raw_db.execute("SELECT layer, annotator FROM annotations WHERE id = ?", [source.id]).fetchone()) == (
        "reviewer", "ana")

    # An identical gold span exists now: nothing more is written, from any reviewer's copy.
    other = project.add_annotation(doc, 100, 110, "Claim", annotator="ben")
    assert accept_into_gold(project, other.id, "judge") is None
    assert accept_into_gold(project, source.id, "someone else") is None
    assert len(gold_rows(raw_db)) == 2

    project.delete_annotation(other.id)
    assert project.history.undo_text.startswith("Delete")
    project.undo()  # the delete
    project.undo()  # the add of ben's copy
    undone = project.undo()  # the acceptance
    assert undone is not None and undone.description.startswith("Accept Claim")
    assert [r["id"] for r in gold_rows(raw_db)] == [project.annotations(doc, layer="gold")[0].id]
    assert raw_db.execute("SELECT count(*) FROM annotations WHERE id = ?", [gold.id]).fetchone()[0] == 0
    project.redo()
    assert raw_db.execute("SELECT count(*) FROM annotations WHERE id = ?", [gold.id]).fetchone()[0] == 1


def test_accept_all_agreed_is_one_undo_step(project: Project, doc: str, raw_db: sqlite3.Connection) -> None:
    s = project.spans  # type: ignore[attr-defined]
    assert adjudication_progress(project, doc, ["ana", "ben"]) == (1, 8)

    assert accept_all_agreed(project, doc, ["ana", "ben"], "judge") == 2

    rows = gold_rows(raw_db)
    assert [(r["start"], r["end"], r["annotator"]) for r in rows] == [(0, 10, "judge"), (27, 40, "judge"), (90, 99, "judge")]
    sources = {json.loads(r["attributes"]).get(SOURCE_ATTRIBUTE) for r in rows if r["start"] in (0, 90)}
    assert sources == {s["agreed"][0].id, s["agreed2"][0].id}  # copied from the first listed reviewer
    assert adjudication_progress(project, doc, ["ana", "ben"]) == (3, 8)
    assert project.history.undo_text == "Accept 2 agreed spans into gold"
    # Again: everything agreed is in gold already.
    assert accept_all_agreed(project, doc, ["ana", "ben"], "judge") == 0
    assert project.history.undo_text == "Accept 2 agreed spans into gold"

    project.undo()
    assert [(r["start"], r["end"]) for r in gold_rows(raw_db)] == [(27, 40)]
    assert adjudication_progress(project, doc, ["ana", "ben"]) == (1, 8)

    # Accepting one side of the label difference and the "only" span resolves them too.
    accept_into_gold(project, s["label"][1].id, "judge")
    accept_into_gold(project, s["only_ana"].id, "judge")
    assert adjudication_progress(project, doc, ["ana", "ben"]) == (3, 8)


def test_adjudication_needs_an_adjudicator(project: Project, doc: str) -> None:
    s = project.spans  # type: ignore[attr-defined]
    with pytest.raises(AnnotatorError):
        accept_into_gold(project, s["only_ana"].id, "  ")
    with pytest.raises(NotFoundError):
        accept_into_gold(project, "no-such-annotation", "judge")
