"""``annotator merge``, ``agreement`` and ``adjudicate`` through click's CliRunner, checked against the file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run
from db_helpers import query

from annotator import Project
from annotator.agreement import agreement_report, span_prf
from annotator.cli.review_cmds import reviewer_names
from annotator.importers import read_paths
from annotator.project_agreement import documents_by_agreement, project_agreement

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# (document position, start, end, label) per reviewer; ana and ben share documents 0-2, cem only 0.
ANA = [(0, 10, 20, "Claim"), (0, 30, 40, "Actor"), (0, 100, 140, "Claim"), (1, 0, 12, "Figure"), (1, 50, 80, "Claim"),
       (2, 5, 9, "Actor"), (2, 200, 260, "Claim")]
BEN = [(0, 10, 20, "Claim"), (0, 32, 40, "Actor"), (0, 100, 140, "Figure"), (1, 0, 12, "Figure"), (1, 300, 320, "Actor"),
       (2, 5, 9, "Actor"), (2, 210, 260, "Claim"), (3, 0, 4, "Claim")]
CEM = [(0, 10, 20, "Claim"), (0, 500, 510, "Actor")]


def reviewer_file(path: Path, spans: dict[str, list[tuple[int, int, int, str]]]) -> Path:
    """A project from seeds/ (fresh document ids each time) with these reviewers' spans."""
    with Project.create(path) as project:
        documents, _ = read_paths([SEEDS])
        project.import_documents(documents)
        docs = project.documents()
        for reviewer, rows in spans.items():
            for position, start, end, label in rows:
                project.add_annotation(docs[position].id, start, end, label, annotator=reviewer, propose=False)
    return path




@pytest.fixture
def merged(tmp_path: Path) -> Path:
    """ana's file with ben's and cem's merged in through the command line, plus a gold span."""
    main = reviewer_file(tmp_path / "main.db", {"ana": ANA})
    ok("merge", main, reviewer_file(tmp_path / "ben.db", {"ben": BEN}))
    ok("merge", main, reviewer_file(tmp_path / "cem.db", {"cem": CEM}))
    with Project.open(main) as project:
        project.add_annotation(project.documents()[0].id, 0, 50, "Claim", annotator="judge", layer="gold")
    return main


def docs_from_file(path: Path, annotators: list[str]) -> list[tuple[str, str, dict[str, list[tuple[int, int, str]]]]]:
    """What agreement_report should get, read straight from the file: reviewer layer, who took part."""
    docs = []
    for doc_id, text in query(path, "SELECT id, text FROM documents ORDER BY position, imported_at"):
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for who, start, end, label in query(
                path, "SELECT a.annotator, a.start, a.end, l.name FROM annotations a JOIN labels l ON l.id = a.label_id "
                "WHERE a.document_id = ? AND a.layer = 'reviewer' ORDER BY a.start, a.end, a.id", [doc_id]):
            spans.setdefault(who, []).append((start, end, label))
        chosen = {a: spans[a] for a in annotators if a in spans}
        if chosen:
            docs.append((doc_id, text, chosen))
    return docs


# -- merge ---------------------------------------------------------------------------------------------


def test_merge_command_counts_and_is_idempotent(tmp_path: Path) -> None:
    main = reviewer_file(tmp_path / "main.db", {"ana": ANA})
    other = reviewer_file(tmp_path / "ben.db", {"ben": BEN})

    dry = ok("merge", main, other, "--dry-run")
    assert "Would add 0 documents, 0 labels, 0 entities, 8 annotations, 0 relations" in dry.output
    assert query(main, "SELECT count(*) FROM annotations") == [(7,)]

    first = ok("merge", main, other)
    assert f"Added 0 documents, 0 labels, 0 entities, 8 annotations, 0 relations from {other}" in first.output
    assert "No conflicts" in first.output
    assert query(main, "SELECT annotator, count(*) FROM annotations GROUP BY annotator") == [("ana", 7), ("ben", 8)]

    again = json.loads(ok("merge", main, other, "--json").output)
    assert again["added"] == {"documents": 0, "labels": 0, "entities": 0, "annotations": 0, "relations": 0}
    assert again["skipped"]["annotations"] == 8 and again["skipped"]["documents"] == 5
    assert again["documents_remapped"] == 5 and again["conflicts"] == []
    assert query(main, "SELECT count(*) FROM annotations") == [(15,)]


def test_merge_command_reports_conflicts_and_exits_zero(tmp_path: Path) -> None:
    main = reviewer_file(tmp_path / "main.db", {"ana": ANA})
    other = reviewer_file(tmp_path / "ben.db", {"ben": BEN})
    ok("merge", main, other)
    with Project.open(other) as ben:
        changed = ben.annotations(annotator="ben", label="Figure")[0]
        ben.update_annotation(changed.id, note="ben's second thoughts")

    result = ok("merge", main, other)

    assert "1 conflict (same id, different content;" in result.output
    assert f"annotations {changed.id}: note: null → ben's second thoughts" in result.output
    assert query(main, "SELECT note FROM annotations WHERE id = ?", [changed.id]) == [(None,)]
    data = json.loads(ok("merge", main, other, "--json").output)
    assert [(c["table"], c["id"], c["fields"]) for c in data["conflicts"]] == [("annotations", changed.id, ["note"])]


@pytest.mark.parametrize("content", [None, "folder", "just text\n", b"SQLite format 3\x00" + b"\x00" * 200])
def test_merge_with_a_bad_other_file_is_one_line_error(tmp_path: Path, content: str | bytes | None) -> None:
    main = reviewer_file(tmp_path / "main.db", {"ana": ANA[:1]})
    bad = tmp_path / "bad.db"
    if content == "folder":
        bad.mkdir()
    elif isinstance(content, str):
        bad.write_text(content)
    elif isinstance(content, bytes):
        bad.write_bytes(content)
    before = query(main, "SELECT * FROM annotations")
    line = one_line_error(run("merge", main, bad))
    assert str(bad) in line
    assert query(main, "SELECT * FROM annotations") == before


# -- agreement -----------------------------------------------------------------------------------------


def test_agreement_json_equals_agreement_report_on_the_merged_file(merged: Path) -> None:
    data = json.loads(ok("agreement", merged, "--json").output)
    expected = agreement_report(docs_from_file(merged, ["ana", "ben", "cem"]), ["ana", "ben", "cem"])
    assert data == json.loads(json.dumps(expected))
    assert data["annotators"] == ["ana", "ben", "cem"]  # everyone with reviewer-layer spans; not judge (gold)
    assert data["n_documents"] == 4

    pair = json.loads(ok("agreement", merged, "-a", "ana", "-a", "ben", "--json").output)
    expected_pair = agreement_report(docs_from_file(merged, ["ana", "ben"]), ["ana", "ben"])
    assert pair == json.loads(json.dumps(expected_pair))
    assert json.loads(ok("agreement", merged, "--annotators", "ana,ben", "--json").output) == pair
    assert json.loads(ok("agreement", merged, "--annotators", "ana ben", "--json").output) == pair
    assert json.loads(ok("agreement", merged, "-a", "ana", "--annotators", "ben", "--json").output) == pair

    claims = json.loads(ok("agreement", merged, "-a", "ana", "-a", "ben", "--label", "Claim", "--json").output)
    assert claims == json.loads(json.dumps(agreement_report(docs_from_file(merged, ["ana", "ben"]), ["ana", "ben"],
                                                            ["Claim"])))
    # Spot-check the numbers themselves: exact matches between ana and ben, summed over the shared documents.
    exact = pair["corpus"]["overall"]["pairwise"][0]["exact"]
    assert (exact["tp"], exact["fp"], exact["fn"]) == (3, 4, 4)  # Claim 10-20, Figure 0-12, Actor 5-9
    assert pair["corpus"]["overall"]["pairwise"][0]["n_documents"] == 3
    # The API gives the same thing.
    with Project.open(merged) as project:
        assert json.loads(json.dumps(project_agreement(project, ["ana", "ben"], per_document=True))) == pair


def test_agreement_table(merged: Path) -> None:
    out = ok("agreement", merged, "--annotators", "ana,ben").output
    assert out.startswith("Agreement between ana, ben over 4 documents")
    lines = out.splitlines()
    overall = next(line for line in lines if line.startswith("(all)") and " ana " in line)
    assert overall.split()[:6] == ["(all)", "ana", "ben", "3", "0.429", "0.714"]  # exact F1 6/14, overlap 10/14
    for label in ("Claim", "Actor", "Figure"):
        assert any(line.split()[:3] == [label, "ana", "ben"] for line in lines), label
    assert "All reviewers" in out and "alpha-u" in out


def test_agreement_by_document_lowest_first(merged: Path) -> None:
    data = json.loads(ok("agreement", merged, "-a", "ana", "-a", "ben", "--by-document", "--json").output)
    scores = [row["score"] for row in data["by_document"]]
    assert scores == sorted(scores)
    with Project.open(merged) as project:
        docs = project.documents()
        ranking = documents_by_agreement(project, ["ana", "ben"])
        assert [(d, s) for d, _, s in ranking] == [(row["doc_id"], row["score"]) for row in data["by_document"]]
        # Mean pairwise overlap F1, by hand for document 1: only the Figure 0-12 matches (1 of 2 + 2 spans).
        assert dict((d, s) for d, _, s in ranking)[docs[1].id] == pytest.approx(0.5)
        assert len(ranking) == 3  # document 3: only ben
        three = documents_by_agreement(project, ["ana", "ben", "cem"])
        spans = {who: [(s, e, lab) for p, s, e, lab in rows if p == 0] for who, rows in
                 (("ana", ANA), ("ben", BEN), ("cem", CEM))}
        pairs = [("ana", "ben"), ("ana", "cem"), ("ben", "cem")]
        expected = sum(span_prf(spans[a], spans[b], "overlap").f1 for a, b in pairs) / 3
        assert not math.isnan(expected)
        assert dict((d, s) for d, _, s in three)[docs[0].id] == pytest.approx(expected)
    out = ok("agreement", merged, "--annotators", "ana,ben", "--by-document").output
    assert "lowest agreement first (mean pairwise overlap F1)" in out


@pytest.mark.parametrize("args, message", [
    (["-a", "ana"], "at least two reviewers"),
    (["-a", "ana", "-a", "zed"], "no reviewer-layer annotations by 'zed'"),
    (["-a", "ana", "-a", "judge"], "no reviewer-layer annotations by 'judge'"),
    (["--label", "Nope"], "unknown label 'Nope'"),
])
def test_agreement_errors(merged: Path, args: list[str], message: str) -> None:
    assert message in one_line_error(run("agreement", merged, *args))


def test_reviewer_names_parsing() -> None:
    assert reviewer_names((), None) is None
    assert reviewer_names(("ana",), "ben, cem") == ["ana", "ben", "cem"]
    assert reviewer_names((), "ana  ben ana") == ["ana", "ben"]
    assert reviewer_names(("Ana Lopez",), "Ben Ode,cem") == ["Ana Lopez", "Ben Ode", "cem"]


# -- adjudicate ----------------------------------------------------------------------------------------


def test_adjudicate_accept_agreed(merged: Path) -> None:
    with Project.open(merged) as project:
        doc = project.documents()[0].id
    listing = ok("adjudicate", merged, doc[:8], "--annotators", "ana,ben").output
    assert "agreed" in listing and "label differs" in listing and "boundary differs" in listing
    assert "Adjudicated 0 of 3 differences; 1 agreed not yet in gold" in listing
    assert query(merged, "SELECT count(*) FROM annotations WHERE layer = 'gold'") == [(1,)]

    error = one_line_error(run("adjudicate", merged, doc[:8], "--annotators", "ana,ben", "--accept-agreed"))
    assert "--adjudicator" in error
    assert query(merged, "SELECT count(*) FROM annotations WHERE layer = 'gold'") == [(1,)]

    out = ok("adjudicate", merged, doc[:8], "--accept-agreed", "--annotators", "ana ben", "--adjudicator", "judge").output
    assert "Accepted 1 agreed span into gold as judge" in out
    assert "Adjudicated 1 of 3 differences" in out
    rows = query(merged, "SELECT start, end, annotator, attributes FROM annotations WHERE layer = 'gold' AND start = 10")
    assert [(s, e, who) for s, e, who, _ in rows] == [(10, 20, "judge")]
    with Project.open(merged) as project:
        ana_claim = next(a for a in project.annotations(doc, annotator="ana") if a.start == 10)
        ben_figure = next(a for a in project.annotations(doc, annotator="ben") if a.start == 100)
    assert json.loads(rows[0][3]) == {"source_annotation": ana_claim.id}

    data = json.loads(ok("adjudicate", merged, doc, "-a", "ana", "-a", "ben", "--accept", ben_figure.id[:10],
                         "--adjudicator", "judge", "--json").output)
    assert data["accepted_agreed"] == 0 and len(data["accepted"]) == 1
    assert data["progress"] == {"resolved": 2, "total": 3}
    assert [(d["start"], d["end"], d["kind"], d["covered"]) for d in data["differences"]] == [
        (10, 20, "agreed", True), (30, 40, "boundary differs", False), (100, 140, "label differs", True)]


def test_adjudicate_defaults_to_everyone_on_the_document_and_checks_ids(merged: Path) -> None:
    with Project.open(merged) as project:
        docs = project.documents()
        other_doc_annotation = project.annotations(docs[1].id)[0].id
    data = json.loads(ok("adjudicate", merged, docs[0].id, "--json").output)
    assert data["annotators"] == ["ana", "ben", "cem"]
    assert data["differences"][0]["title"] == "agreed" and data["differences"][0]["start"] == 10
    line = one_line_error(run("adjudicate", merged, docs[0].id, "--accept", other_doc_annotation, "--adjudicator", "j"))
    assert "is not in document" in line
    assert query(merged, "SELECT count(*) FROM annotations WHERE layer = 'gold'") == [(1,)]
    assert "at least two reviewers" in one_line_error(run("adjudicate", merged, docs[3].id))
