"""Copies: near-duplicate passages within the seed article that repeats itself and between a summary and its source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run
from db_helpers import SEEDS

from annotator import Project
from annotator.copies import copies, copies_of, find_copies, one_appearance_per_copy, shares
from annotator.text import sentences

SOURCE = (
    "Clashes on the coast\n"
    "Security forces launched a sweeping operation in Latakia province on Thursday after an ambush killed "
    "sixteen soldiers. Residents of several Alawite villages said gunmen went from house to house. "
    "The Syrian Observatory for Human Rights said at least 745 civilians had been killed in three days. "
    "The interim president called for calm and promised an independent inquiry into the killings.\n"
    "Markets in Damascus stayed open and traffic was normal on Saturday, witnesses said, while officials "
    "in the capital declined to comment on the numbers.\n"
    "Aid agencies warned that thousands of families had fled into the mountains without food or shelter."
)
SUMMARY = (
    "In brief\n"
    "The Syrian Observatory for Human Rights said at least 745 civilians were killed in three days. "
    "The interim president called for calm and promised an independent inquiry into the killings."
)


def test_the_seed_article_that_repeats_itself_has_its_repeated_paragraphs_found() -> None:
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}
    passages = find_copies(texts.items())
    repeated = [p for p in passages if p.document_id.startswith("004_")]
    text = texts[next(n for n in texts if n.startswith("004_"))]
    longest = max(repeated, key=lambda p: p.end - p.start)
    assert longest.other_document_id == longest.document_id and longest.end <= longest.other_start
    assert text[longest.start:longest.end] == text[longest.other_start:longest.other_end]
    assert longest.end - longest.start > 1000 and longest.similarity == 1.0
    # the other seeds do not copy each other
    assert all(p.document_id == p.other_document_id for p in passages)


def test_a_summary_shares_its_sentences_with_the_source_merged_into_one_passage() -> None:
    passages = find_copies([("source", SOURCE), ("summary", SUMMARY)])
    assert len(passages) == 1
    p = passages[0]
    assert (p.document_id, p.other_document_id) == ("source", "summary")
    assert SOURCE[p.start:p.end].startswith("The Syrian Observatory") and SOURCE[p.start:p.end].endswith("killings.")
    assert SUMMARY[p.other_start:p.other_end] == SUMMARY[SUMMARY.index("The Syrian"):]
    assert 0.9 < p.similarity < 1  # "had been killed" / "were killed"
    share = shares(passages, {"source": len(SOURCE), "summary": len(SUMMARY)})
    assert share["summary"][0].other_id == "source" and share["summary"][0].fraction > 0.9
    assert share["source"][0].fraction < 0.5
    strict = find_copies([("source", SOURCE), ("summary", SUMMARY)], min_similarity=0.99)
    assert [SOURCE[q.start:q.end] for q in strict] == [SUMMARY[SUMMARY.index("The interim"):]]


def test_sentences_are_trimmed_code_point_spans() -> None:
    text = "👩‍👩‍👧 One sentence here. Two!\nLine without stop"
    assert [text[s:e] for s, e in sentences(text)] == ["👩‍👩‍👧 One sentence here.", "Two!", "Line without stop"]


def test_copies_of_names_the_summary_as_the_copy_and_counts_one_appearance(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db") as project:
        source = project.add_document(SOURCE, title="Clashes", outlet="Wire")
        summary = project.add_document(SUMMARY, title="In brief", outlet="Small Site")
        other = project.add_document("An unrelated report about the weather in Aleppo this week, which was cold.")
        assert copies(project)[0].document_id == source.id
        copied = copies_of(project)
        assert copied == {summary.id: source.id}
        assert one_appearance_per_copy([source.id, summary.id, other.id], copied) == 2


@pytest.fixture
def pair_db(tmp_path: Path) -> Path:
    path = tmp_path / "pair.db"
    with Project.create(path) as project:
        project.add_document(SOURCE, title="Clashes")
        project.add_document(SUMMARY, title="In brief")
    return path


def test_cli_lists_passages_as_json_with_code_point_offsets(pair_db: Path) -> None:
    data = json.loads(ok("copies", pair_db, "--json").output)
    assert len(data) == 1 and set(data[0]) == {"document_id", "start", "end", "other_document_id", "other_start",
                                               "other_end", "similarity"}
    with Project.open(pair_db) as project:
        assert project.document_text(data[0]["document_id"])[data[0]["start"]:data[0]["end"]].endswith("killings.")
    assert "In brief" in ok("copies", pair_db).output
    assert len(json.loads(ok("copies", pair_db, "--json", "--min-similarity", "0.99").output)) == 1
    assert "--min-similarity" in one_line_error(run("copies", pair_db, "--min-similarity", "0"))


THIRD = "Local radio said the Syrian Observatory for Human Rights counted at least 745 civilians dead after the clashes."


def attributed_copies(project: Project) -> dict[str, str]:
    """SOURCE, its SUMMARY and an independent THIRD report, each with SOHR's "at least 745 civilians" attributed."""
    from annotator.figure_frame import accept_frame

    project.add_entity("Syrian Observatory for Human Rights", type="organisation", aliases=["SOHR"])
    ids = {}
    for name, text in (("source", SOURCE), ("summary", SUMMARY), ("third", THIRD)):
        document = project.add_document(text, title=name, outlet=name.title())
        start = text.index("at least 745 civilians")
        figure = project.add_annotation(document.id, start, start + len("at least 745 civilians"), "Figure", annotator="ana")
        assert accept_frame(project, figure.id, "ana").source is not None
        ids[name] = document.id
    return ids


def test_a_copy_counts_as_one_appearance_of_a_source_figure_when_asked(tmp_path: Path) -> None:
    from annotator.crosssource import figure_rows, source_groups

    path = tmp_path / "p.db"
    with Project.create(path) as project:
        attributed_copies(project)
        plain = source_groups(figure_rows(project))
        counted = source_groups(figure_rows(project), copies_of(project))
    [figure] = [f for g in plain if g.source for f in g.figures]
    assert (len(figure.appearances), figure.appearance_count) == (3, 3)
    [figure] = [f for g in counted if g.source for f in g.figures]
    assert (len(figure.appearances), figure.appearance_count) == (3, 2)
    [row] = json.loads(ok("figures", path, "--by-source", "--copies-as-one", "--json").output)[0]["figures"]
    assert row["appearance_count"] == 2
    [row] = json.loads(ok("figures", path, "--by-source", "--json").output)[0]["figures"]
    assert row["appearance_count"] == 3
    assert "--by-source" in one_line_error(run("figures", path, "--copies-as-one"))


def _seed_texts() -> list[tuple[str, str]]:
    return [(path.name, path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]


def test_progress_is_reported_up_to_the_total_and_leaves_the_result_unchanged() -> None:
    documents = [*_seed_texts(), ("source", SOURCE), ("summary", SUMMARY)]
    calls: list[tuple[int, int]] = []
    passages = find_copies(documents, progress=lambda done, total: calls.append((done, total)) or True)
    assert passages == find_copies(documents)
    assert {total for _, total in calls} == {2 * len(documents)}
    assert calls[0][0] == 0 and calls[-1] == (2 * len(documents), 2 * len(documents))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_a_progress_callback_returning_false_stops_the_loop_with_cancelled(tmp_path: Path) -> None:
    from annotator.errors import Cancelled

    documents = [(f"d{n}", SOURCE + f" Report {n}.") for n in range(60)]
    calls: list[int] = []

    def stop_after_two(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 2

    with pytest.raises(Cancelled):
        find_copies(documents, progress=stop_after_two)
    assert len(calls) == 2  # no report after the one that said stop: the loop itself ended
    with Project.create(tmp_path / "p.db") as project:
        project.add_document(SOURCE, title="Clashes")
        project.add_document(SUMMARY, title="In brief")
        with pytest.raises(Cancelled):
            copies_of(project, progress=lambda done, total: False)


def test_copies_among_texts_read_up_front_equal_the_project_functions(tmp_path: Path) -> None:
    from annotator.copies import copied, notes, share_notes, texts

    with Project.create(tmp_path / "p.db") as project:
        attributed_copies(project)
        documents = texts(project)
        assert copied(documents) == copies_of(project) != {}
        titles = {d.id: d.title for d in project.documents(with_text=False)}
        assert notes(find_copies(documents), titles, project.document_lengths()) == share_notes(project)


def test_cli_copies_shows_its_progress_on_a_terminal_only(monkeypatch, capsys) -> None:
    import sys

    from annotator.cli.copies_cmds import _progress_on_terminal

    assert _progress_on_terminal() is None  # piped or captured: no progress line to spoil the output
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    show = _progress_on_terminal()
    assert show is not None and show(1, 2) is True and show(2, 2) is True
    assert capsys.readouterr().err == "\rComparing documents: 50%\rComparing documents: 100%\n"
