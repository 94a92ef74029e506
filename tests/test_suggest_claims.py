"""Same claim elsewhere on the seeds corpus: a death-toll claim finds the sentence stating the toll in
another article (same-claim), another figure for the same counted thing is a contradiction, and
accepting tags the sentence and links it in one undo step; the CLI's --kind claims."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import ok
from db_helpers import seeded_project

from annotator import Project
from annotator.suggest import accept, suggest
from annotator.text import sentences

TOLL = "killing 1,700 Alawite civilians"
SAME = "The Syrian Observatory for Human Rights said that militants killed 1,700 Alawite civilians, going door to door."


@pytest.fixture
def seeds(tmp_path: Path) -> Project:
    project = seeded_project(tmp_path / "seeds.db")
    yield project
    project.close()


def _doc(project: Project, needle: str) -> str:
    return next(d.id for d in project.documents(with_text=False) if needle in project.document_text(d.id))


def _claim(project: Project, needle: str) -> str:
    doc_id = _doc(project, needle)
    start = project.document_text(doc_id).index(needle)
    return project.add_annotation(doc_id, start, start + len(needle), "Claim", annotator="ana").id


def test_sentences_are_code_point_spans() -> None:
    text = "👩‍👩‍👧 One. Two?\nThree without stop\n\nFour!"
    assert [text[s:e] for s, e in sentences(text)] == ["👩‍👩‍👧 One.", "Two?", "Three without stop", "Four!"]


def test_another_figure_for_the_same_counted_thing_contradicts(seeds: Project) -> None:
    claim_id = _claim(seeds, TOLL)
    found = suggest(seeds, "claims")
    assert found, "the 973 Alawite civilians sentence should be proposed"
    top = found[0]
    assert (top.claim_id, top.relation, top.label) == (claim_id, "contradicts", "Claim")
    assert "at least 973 Alawite civilians were slaughtered" in top.text
    assert seeds.document_text(top.document_id)[top.start:top.end] == top.text
    assert all(s.document_id != seeds.annotation(claim_id).document_id for s in found)  # other documents only


def test_the_same_toll_elsewhere_is_the_same_claim_and_ranks_first(seeds: Project) -> None:
    seeds.add_document("Coastal killings. " + SAME + " Families fled to Lebanon.", title="Wire copy")
    claim_id = _claim(seeds, TOLL)
    found = suggest(seeds, "claims")
    assert (found[0].text, found[0].relation) == (SAME, "same-claim")
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert found[0].score > found[1].score
    added = accept(seeds, found[:1], "ben")
    assert [(a.quote, a.label, a.annotator) for a in added] == [(SAME, "Claim", "ben")]
    assert [(r.source_id, r.target_id, r.label) for r in seeds.relations(annotation_id=claim_id)] == [(claim_id, added[0].id, "same-claim")]
    assert suggest(seeds, "claims") == []  # both claims are now joined by same-claim
    seeds.undo()  # one step: the annotation and the relation go together
    assert seeds.relations() == [] and [a.id for a in seeds.annotations()] == [claim_id]


def test_accepting_reuses_a_claim_already_on_the_sentence(seeds: Project) -> None:
    claim_id = _claim(seeds, TOLL)
    top = suggest(seeds, "claims")[0]
    existing = seeds.add_annotation(top.document_id, top.start, top.end, "Claim", annotator="ana")
    assert accept(seeds, [top], "ana") == []
    assert [(r.target_id, r.label) for r in seeds.relations(annotation_id=claim_id)] == [(existing.id, "contradicts")]
    assert top.key not in {s.key for s in suggest(seeds, "claims")}  # a linked sentence is not proposed again
    assert seeds.history.undo_text == "Accept 1 suggestion(s)"


def test_cli_kind_claims_json_and_accept(seeds: Project) -> None:
    claim_id = _claim(seeds, TOLL)
    path = seeds.path
    seeds.close()
    items = json.loads(ok("suggest", path, "--kind", "claims", "--json").stdout)
    assert items and set(items[0]) == {"document_id", "start", "end", "label", "text", "score", "claim_id", "relation"}
    assert (items[0]["claim_id"], items[0]["relation"]) == (claim_id, "contradicts")
    ok("suggest", path, "--kind", "claims", "--annotator", "ana", "--accept")
    with Project.open(path) as project:
        assert {r.source_id for r in project.relations()} == {claim_id}
        assert len(project.relations()) == len(items)


def test_same_claim_elsewhere_for_one_claim_and_link(project: Project) -> None:
    from annotator.claim_suggest import link, same_claim_elsewhere

    a = project.add_document("Gunmen killed 1,500 Alawite civilians on the coast, the Syrian Observatory said.", title="A")
    b = project.add_document("Rain fell. The Syrian Observatory said gunmen killed 1,500 Alawite civilians on the coast.", title="B")
    c = project.add_document("Officials said gunmen killed 300 Alawite civilians on the coast, far fewer than reported.", title="C")
    claim = project.add_annotation(a.id, 0, 49, "Claim", annotator="ana")
    found = same_claim_elsewhere(project, claim.id)
    assert [(x.document_id, x.relation) for x in found] == [(b.id, "same-claim"), (c.id, "contradicts")]
    relation = link(project, found[0], "ana")
    assert (relation.source_id, relation.label, project.annotation(relation.target_id).quote) == (claim.id, "same-claim", found[0].text)
    assert [x.document_id for x in same_claim_elsewhere(project, claim.id)] == [c.id]  # a joined claim still gets the rest
    project.undo()
    assert project.relations() == [] and len(project.annotations()) == 1
