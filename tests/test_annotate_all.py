"""Annotate all: every occurrence tagged in one undo step, already-tagged ones skipped, offsets in
code points on emoji and Arabic, and the CLI's JSON."""

from __future__ import annotations

import json

import pytest
from cli_helpers import ok, one_line_error, run

from annotator import Project
from annotator.annotate_all import annotate_all, occurrences
from annotator.errors import AnnotatorError

EMOJI = "👩‍👩‍👧 قتل ٩٧٣ مدنيا. The Observatory said; observatory staff, SOHR (Observatory) agreed. قتل again."
OTHER = "Another Observatory report: the observatory counted 973."


@pytest.fixture
def two(project: Project) -> Project:
    project.add_document(EMOJI, title="One")
    project.add_document(OTHER, title="Two")
    return project


def spans(project: Project) -> list[tuple[str, int, int]]:
    return sorted((a.quote, a.start, a.end) for a in project.annotations())


def test_all_documents_case_and_whole_word(two: Project) -> None:
    found = occurrences(two, "Observatory", "Actor", "ana")
    assert [o.text for o in found] == ["Observatory"] * 3
    assert len(occurrences(two, "observatory", "Actor", "ana", ignore_case=True)) == 5
    assert len(occurrences(two, "Observ", "Actor", "ana")) == 3
    assert occurrences(two, "Observ", "Actor", "ana", whole_word=True) == []
    one = two.documents()[0].id
    assert {o.document_id for o in occurrences(two, "Observatory", "Actor", "ana", document_id=one[:8])} == {one}


def test_one_undo_step_and_already_tagged_skipped(two: Project) -> None:
    first = EMOJI.index("قتل")
    two.add_annotation(two.documents()[0].id, first, first + 3, "Actor", annotator="ana")
    found = occurrences(two, "قتل", "Actor", "ana")
    assert [(o.start, o.end, o.already) for o in found] == [(first, first + 3, True), (EMOJI.rindex("قتل"), EMOJI.rindex("قتل") + 3, False)]
    added = annotate_all(two, found, "Actor", "ana")
    assert [(a.start, a.end) for a in added] == [(EMOJI.rindex("قتل"), EMOJI.rindex("قتل") + 3)]
    assert [q for q, _, _ in spans(two)] == ["قتل", "قتل"]
    found = occurrences(two, "observatory", "Actor", "ana", ignore_case=True)
    chosen = [o for o in found if o.right != " staff, SOHR (Observatory) agreed. قتل again."[:len(o.right)]]
    assert len(chosen) == 4  # one unticked
    annotate_all(two, chosen, "Actor", "ana")
    assert len(spans(two)) == 6
    assert two.history.undo_text == "Annotate all “Observatory” as Actor (4)"
    two.undo()
    assert len(spans(two)) == 2, "one undo step removes them all"
    assert two.history.undo_text == "Annotate all “قتل” as Actor (1)"
    # a second reviewer is not skipped because of the first one's annotations
    assert not any(o.already for o in occurrences(two, "قتل", "Actor", "ben"))


def test_refusals(two: Project) -> None:
    with pytest.raises(AnnotatorError, match="empty"):
        occurrences(two, "  ", "Actor", "ana")
    with pytest.raises(AnnotatorError, match="unknown label"):
        occurrences(two, "x", "Nope", "ana")


def test_cli_json_offsets_and_rerun_adds_nothing(two: Project) -> None:
    path = two.path
    texts = {d.id: d.text for d in two.documents()}
    two.close()
    rows = json.loads(ok("annotate-all", path, "٩٧٣", "Figure", "--annotator", "ana", "--json").stdout)
    assert len(rows) == 1
    assert set(rows[0]) == {"document_id", "start", "end", "text", "left", "right", "already", "id"}
    assert texts[rows[0]["document_id"]][rows[0]["start"]:rows[0]["end"]] == "٩٧٣" and rows[0]["id"]
    again = json.loads(ok("annotate-all", path, "٩٧٣", "Figure", "--annotator", "ana", "--json").stdout)
    assert [r["already"] for r in again] == [True] and again[0]["id"] is None
    out = ok("annotate-all", path, "observatory", "Actor", "--annotator", "ana", "--ignore-case", "--dry-run").stdout
    assert "Would add 5 annotation(s)" in out
    with Project.open(path) as project:
        assert len(project.annotations()) == 1
    assert "empty" in one_line_error(run("annotate-all", path, " ", "Actor", "--annotator", "ana"))
    assert "unknown label" in one_line_error(run("annotate-all", path, "x", "Nope", "--annotator", "ana"))
    assert one_line_error(run("annotate-all", path, "x", "Actor", "--annotator", "ana", "--document", "zzz"))
