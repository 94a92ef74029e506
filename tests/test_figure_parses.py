"""``figure_parses``: the writes store each figure quote's parse; reads use it and never differ from a fresh parse.

A stored parse may only make the Figures table and the casualty export faster: a missing row (another program
wrote the figure), a row of an older parser version, a damaged row and a read-only file all give the same rows
and bytes as parsing every quote.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import ok, one_line_error, run
from db_helpers import seeded_project
from hypothesis import given, settings
from hypothesis import strategies as st
from test_figures import FIGURES, NOT_FIGURES
from test_figures_case_folds import PHRASES

from annotator import Project
from annotator.crosssource import figure_rows
from annotator.exporters import export
from annotator.figure_values import PARSER_VERSION, decode, encode, parsed_values
from annotator.importers.base import ImportedDocument, ImportedSpan

CORPUS = [q for q in dict.fromkeys([*(f[0] for f in FIGURES), *NOT_FIGURES, *PHRASES,
                          "👨‍👩‍👧 at least 1,200 civilians 🇫🇷", "قال مسؤولون إن 973 مدنياً قتلوا", "some 40 cafe\u0301s burned",
                          "over 1.5 million people", "between 5 and 6 million displaced", "no number here"]) if q.strip() and "|" not in q]
"""Every (non-blank) input of the figure parser's tests, plus emoji, Arabic and a combining mark."""


def typed(values: tuple[Any, ...] | None) -> list[tuple[type, Any]] | None:
    """Values with their types: 1200 and 1200.0 are one value but not one cell."""
    return None if values is None else [(type(v), v) for v in values]


def corpus_project(path: Path, quotes: list[str] = CORPUS, label: str = "Figure") -> Project:
    """One document holding each quote once (separated by " | "), each quote annotated with ``label``, twice
    (two reviewers: a quote shared by several figures is stored once)."""
    project = seeded_project(path)
    text, spans = "", []
    for quote in quotes:
        start = len(text)
        text += quote + " | "
        for reviewer in ("ana", "ben"):
            spans.append(ImportedSpan(start, start + len(quote), label, annotator=reviewer))
    project.import_documents([ImportedDocument(text, {"title": "Corpus", "outlet": "Wire"}, spans)])
    return project


def stored(path: Path) -> dict[str, tuple[int, str]]:
    conn = sqlite3.connect(path)
    try:
        return {q: (v, p) for q, v, p in conn.execute("SELECT quote, parser, parsed FROM figure_parses")}
    finally:
        conn.close()


def sql(path: Path, statement: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def fresh_rows(project: Project) -> list:
    """The Figures table with nothing stored: every quote parsed (the plain path)."""
    sql(project.path, "DELETE FROM figure_parses")
    return figure_rows(project)


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Project]:
    with corpus_project(tmp_path / "corpus.db") as project:
        yield project


def test_an_import_stores_each_figure_quote_once_as_a_fresh_parse(corpus: Project) -> None:
    rows = stored(corpus.path)
    figure_quotes = {a.quote for a in corpus.annotations(label="Figure")}
    assert set(rows) == figure_quotes and len(figure_quotes) == len(CORPUS)
    for quote, (version, parsed) in rows.items():
        assert version == PARSER_VERSION
        assert typed(decode(parsed)) == typed(parsed_values(quote)), quote
    assert decode(rows["over 1.5 million people"][1]) == (1_500_000, 1_500_000, None, "more than", "people")
    assert decode(rows["no number here"][1]) == (None,) * 5


def test_figure_rows_from_stored_parses_equal_a_fresh_parse(corpus: Project) -> None:
    cached = figure_rows(corpus)
    assert sum(r.value is not None for r in cached) > 50
    assert [r.to_dict() for r in cached] == [r.to_dict() for r in fresh_rows(corpus)]


def test_the_casualty_export_is_byte_identical_with_and_without_stored_parses(corpus: Project, tmp_path: Path) -> None:
    export(corpus, "casualties", tmp_path / "cached.csv")
    sql(corpus.path, "DELETE FROM figure_parses")
    export(corpus, "casualties", tmp_path / "fresh.csv")
    assert (tmp_path / "cached.csv").read_bytes() == (tmp_path / "fresh.csv").read_bytes()
    assert b"1200" in (tmp_path / "fresh.csv").read_bytes()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"0123456789,.- %+~$", *"abcdefghijklmnopqrstuvwxyz", "over ", "million ",
                                         "between ", " and ", "dozens of ", "half a ", "people", "é", "ا", "👨‍👩‍👧", "\u0301"]),
                max_size=30).map("".join))
def test_a_stored_parse_decodes_to_the_parse_it_stores(text: str) -> None:
    values = parsed_values(text)
    assert typed(decode(encode(values))) == typed(values)


@pytest.mark.parametrize("damaged", ["", "not json", "[1,2]", '{"value": 1}', '[1.0,1,1,"exact",""]', '[true,1,1,"exact","x"]',
                                     '[1,1,1,"exact"," x"]', '["1",1,1,"exact","x"]', '[1,1,1,7,"x"]'])
def test_a_row_that_no_parse_could_give_is_a_miss(damaged: str) -> None:
    assert decode(damaged) is None


def test_a_stale_or_damaged_row_is_parsed_again_and_reindex_replaces_it(corpus: Project) -> None:
    expected = [r.to_dict() for r in figure_rows(corpus)]
    # an older parser said something else about every quote; a damaged row of the current version is a miss too
    sql(corpus.path, "UPDATE figure_parses SET parser = ?, parsed = '[7,7,7,\"exact\",\"goats\"]'", (PARSER_VERSION - 1,))
    sql(corpus.path, "UPDATE figure_parses SET parser = ?, parsed = 'garbage' WHERE quote = '42'", (PARSER_VERSION,))
    assert [r.to_dict() for r in figure_rows(corpus)] == expected
    assert stored(corpus.path)["42"] == (PARSER_VERSION, "garbage")  # a read never writes
    last_step = corpus.history.peek_undo()
    sql(corpus.path, "INSERT INTO figure_parses VALUES ('no figure quotes this', ?, '[1,1,1,\"exact\",\"x\"]')",
        (PARSER_VERSION,))
    parsed, dropped, total = corpus.reindex_figures()
    assert corpus.history.peek_undo() is last_step  # derived data: no undo step
    assert (parsed, dropped, total) == (len(CORPUS) - 1, 1, len(CORPUS))  # "42" has a current row (damaged): left
    rows = stored(corpus.path)
    assert all(v == PARSER_VERSION for v, _ in rows.values())
    assert typed(decode(rows["over 1.5 million people"][1])) == typed(parsed_values("over 1.5 million people"))


def test_a_figure_another_program_inserted_is_parsed_on_read(corpus: Project, tmp_path: Path) -> None:
    document = next(d for d in corpus.documents(with_text=False) if d.title == "Corpus")
    figure = corpus.label("Figure")
    text = corpus.document_text(document.id)
    quote = "over 1.5 million people"
    assert quote in text
    start = text.index(quote)
    sql(corpus.path, "DELETE FROM figure_parses WHERE quote = ?", (quote,))
    sql(corpus.path, "INSERT INTO annotations (id, document_id, start, end, label_id, quote, annotator, created_at, updated_at) "
        "VALUES ('external-1', ?, ?, ?, ?, ?, 'sqlite', '2025-01-01', '2025-01-01')",
        (document.id, start, start + len(quote), figure.id, quote))
    corpus.poll_external()
    row = next(r for r in figure_rows(corpus) if r.annotation_id == "external-1")
    assert (row.value, row.lower, row.upper, row.qualifier, row.unit) == (1_500_000, 1_500_000, None, "more than", "people")
    export(corpus, "casualties", tmp_path / "table.csv")
    assert "external-1" in (tmp_path / "table.csv").read_text(encoding="utf-8-sig")
    assert quote not in stored(corpus.path)  # exporting did not write


OPERATIONS: list[tuple[str, Callable[[Project, str, str], Any]]] = [
    ("add", lambda p, doc, _: p.add_annotation(doc, *_span(p, doc, "nearly 300 homes"), "Figure", annotator="ana")),
    ("re-anchor", lambda p, doc, fig: p.update_annotation(fig, start=_span(p, doc, "nearly 300 homes")[0],
                                                          end=_span(p, doc, "nearly 300 homes")[1])),
    ("relabel", lambda p, doc, _: p.update_annotation(
        p.add_annotation(doc, *_span(p, doc, "nearly 300 homes"), "Claim", annotator="ana").id, label="Figure")),
    ("label becomes a figure label", lambda p, doc, _: (
        p.add_annotation(doc, *_span(p, doc, "nearly 300 homes"), "Claim", annotator="ana"),
        p.update_label("Claim", role="figure"))),
]


def _span(project: Project, document_id: str, quote: str) -> tuple[int, int]:
    start = project.document_text(document_id).index(quote)
    return start, start + len(quote)


@pytest.mark.parametrize(("name", "operation"), OPERATIONS, ids=[name for name, _ in OPERATIONS])
def test_an_operation_that_makes_a_figure_quote_stores_its_parse(tmp_path: Path, name: str,
                                                                 operation: Callable[[Project, str, str], Any]) -> None:
    with seeded_project(tmp_path / "p.db") as project:
        doc = project.add_document("Officials said 12 people died and nearly 300 homes burned.", title="Report").id
        figure = project.add_annotation(doc, *_span(project, doc, "12 people"), "Figure", annotator="ana").id
        assert set(stored(project.path)) == {"12 people"}
        operation(project, doc, figure)
        rows = stored(project.path)
        assert "nearly 300 homes" in rows
        assert decode(rows["nearly 300 homes"][1]) == (300, None, 300, "nearly", "homes")
        project.undo()  # the parse stays: it is never wrong, only unused
        assert "nearly 300 homes" in stored(project.path)


def test_a_write_of_no_figure_stores_nothing(tmp_path: Path) -> None:
    with seeded_project(tmp_path / "p.db") as project:
        doc = project.add_document("Officials said 12 people died.", title="Report").id
        claim = project.add_annotation(doc, 0, 30, "Claim", annotator="ana")
        project.update_annotation(claim.id, note="checked")
        assert stored(project.path) == {}


def test_a_merge_stores_the_parses_of_the_figures_it_brings(tmp_path: Path) -> None:
    from annotator.merge import merge_project

    with corpus_project(tmp_path / "other.db", CORPUS[:20]):
        pass
    sql(tmp_path / "other.db", "DELETE FROM figure_parses")
    sql(tmp_path / "other.db", "INSERT INTO figure_parses VALUES ('only in the other file', ?, '[1,1,1,\"exact\",\"x\"]')",
        (PARSER_VERSION,))
    with seeded_project(tmp_path / "p.db") as project:
        merge_project(project, tmp_path / "other.db")
        assert set(stored(project.path)) == set(CORPUS[:20])  # derived here, not copied from the other file


def test_a_team_pull_stores_the_parses_of_the_figures_it_brings(tmp_path: Path) -> None:
    """A sync's pull writes through ``external``: its figures are parsed in its transaction, not left to every reader."""
    from annotator.history import RowChange

    with seeded_project(tmp_path / "p.db") as project:
        doc = project.add_document("Officials said 12 people died and nearly 300 homes burned.", title="Report").id
        figure = project.add_annotation(doc, *_span(project, doc, "12 people"), "Figure", annotator="ana").id
        row = dict(project.fetch_row_or_none("annotations", figure) or {})
        start, end = _span(project, doc, "nearly 300 homes")
        row.update(id="pulled-1", start=start, end=end, quote="nearly 300 homes", annotator="ben")
        with project.external("Synced from the team server") as write:
            write(RowChange("annotations", None, row))
        rows = stored(project.path)
        assert decode(rows["nearly 300 homes"][1]) == (300, None, 300, "nearly", "homes")


def test_a_read_only_project_exports_the_same_table(tmp_path: Path, immutable: Callable[[Path], None]) -> None:
    path = tmp_path / "corpus.db"
    corpus_project(path).close()
    sql(path, "DELETE FROM figure_parses")  # nothing stored: every quote parsed on read
    sql(path, "PRAGMA wal_checkpoint(TRUNCATE)")
    with Project.open(path) as project:
        export(project, "casualties", tmp_path / "writable.csv")
    immutable(path)
    with Project.open(path) as project:
        export(project, "casualties", tmp_path / "read-only.csv")
        with pytest.raises(Exception, match="read-only"):
            project.reindex_figures()
    assert (tmp_path / "read-only.csv").read_bytes() == (tmp_path / "writable.csv").read_bytes()
    line = one_line_error(run("figures", path, "--reindex"))
    assert line.startswith(f"Error: {path}: read-only")


def test_cli_reindex_fills_what_is_missing(corpus: Project) -> None:
    corpus.close()
    sql(corpus.path, "DELETE FROM figure_parses WHERE quote IN ('42', 'three')")
    said = f"dropped 0 no figure quotes; {len(CORPUS)} stored in all"
    assert ok("figures", corpus.path, "--reindex").output.strip() == f"Parsed 2 figure quote(s), {said}"
    assert ok("figures", corpus.path, "--reindex").output.strip() == f"Parsed 0 figure quote(s), {said}"
    assert one_line_error(run("figures", corpus.path, "--reindex", "--json")) == (
        "Error: --reindex only fills the stored parses: give it no other option")


def test_a_read_with_every_parse_stored_runs_no_parser(corpus: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import annotator.crosssource as crosssource

    calls: list[str] = []
    monkeypatch.setattr(crosssource, "parsed_values", lambda quote: calls.append(quote) or parsed_values(quote))
    figure_rows(corpus)
    assert calls == []
    sql(corpus.path, "DELETE FROM figure_parses WHERE quote = '42'")
    figure_rows(corpus)
    assert calls == ["42"]  # once for both reviewers' figures of that quote


def test_a_view_updating_a_few_figures_looks_their_parses_up(corpus: Project) -> None:
    """Few rows take the per-quote lookup, many the table scan: both give the rows a fresh parse gives."""
    ids = [a.id for a in corpus.annotations(label="Figure")]
    few = figure_rows(corpus, annotation_ids=ids[:10])
    many = {r.annotation_id: r for r in figure_rows(corpus)}
    assert len(few) == 10 and all(r == many[r.annotation_id] for r in few)
    sql(corpus.path, "DELETE FROM figure_parses")
    assert figure_rows(corpus, annotation_ids=ids[:10]) == few


ODD_QUOTES = [*CORPUS, 'a "quoted" 5 dead', "back\\slash 7 killed", "tab\tand\nnewline 3", "\x00nul 4", "\x1f\x7f 9",
              "\u2028line separator 2", "𝟘 mathematical 𝟙", "'single' 0", "{\"json\": 1}", "[1, 2]", " leading 6"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), max_size=20, unique=True))
def test_every_stored_parse_read_as_one_value_equals_a_read_row_by_row(quotes: list[str]) -> None:
    """``figure_parses.stored`` reads every parse as one JSON object (no GIL per row): the same dict, in the same
    order, as the plain row-by-row read, whatever the quotes and parses hold."""
    from annotator.store import figure_parses
    from annotator.store.database import Database

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE figure_parses (quote TEXT PRIMARY KEY, parser INTEGER NOT NULL, parsed TEXT NOT NULL) "
                 "WITHOUT ROWID")
    every = [*ODD_QUOTES, *quotes]
    conn.executemany("INSERT OR REPLACE INTO figure_parses VALUES (?, ?, ?)",
                     [(q, PARSER_VERSION if i % 3 else PARSER_VERSION - 1, q[::-1] if i % 2 else encode(parsed_values(q)))
                      for i, q in enumerate(every)])
    plain = dict(conn.execute("SELECT quote, parsed FROM figure_parses WHERE parser = ?", [PARSER_VERSION]).fetchall())
    read = figure_parses.stored(Database(conn), PARSER_VERSION)
    assert list(read.items()) == list(plain.items())
    assert figure_parses.stored(Database(conn), PARSER_VERSION + 5) == {}


@pytest.mark.parametrize("replace", [False, True])
def test_every_stored_parse_read_of_bytes_that_are_not_utf8_does_what_the_row_by_row_read_does(replace: bool) -> None:
    """A damaged file's quote that is not UTF-8: the same error as the row-by-row read (sqlite3 cannot decode it),
    or, with a ``text_factory`` that replaces such bytes, the same dict."""
    from annotator.store import figure_parses
    from annotator.store.database import Database

    conn = sqlite3.connect(":memory:")
    if replace:
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
    conn.execute("CREATE TABLE figure_parses (quote TEXT PRIMARY KEY, parser INTEGER NOT NULL, parsed TEXT NOT NULL) "
                 "WITHOUT ROWID")
    conn.execute("INSERT INTO figure_parses VALUES (CAST(x'ff352064656164' AS TEXT), ?, '[5,5,5,\"exact\",null]')",
                 [PARSER_VERSION])
    conn.execute("INSERT INTO figure_parses VALUES ('5 dead', ?, '[5,5,5,\"exact\",null]')", [PARSER_VERSION])
    plain = "SELECT quote, parsed FROM figure_parses WHERE parser = ?"
    if replace:
        assert figure_parses.stored(Database(conn), PARSER_VERSION) == dict(conn.execute(plain, [PARSER_VERSION]).fetchall())
    else:
        with pytest.raises(sqlite3.OperationalError, match="UTF-8"):
            conn.execute(plain, [PARSER_VERSION]).fetchall()
        with pytest.raises(sqlite3.OperationalError, match="UTF-8"):
            figure_parses.stored(Database(conn), PARSER_VERSION)
