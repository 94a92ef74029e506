"""CoNLL reads each annotation's label, reviewer and layer as one code that SQL computes (``conll_text.Codes``): the
code must be the combination's place in the overlap rule's order, NULL for a value the codes do not know, and an
export must come out the same whichever way the rows were coded (SQL, or found in the rows as they are)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import Project
from annotator.errors import AnnotatorError
from annotator.exporters import conll, export
from annotator.exporters.conll_text import Codes, coded_rows
from annotator.importers.base import ImportedDocument, ImportedSpan
from annotator.store import export_part
from tests.test_conll_fast import coded_body, documents

NAMES = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=6)


def table(rows: list[tuple[Any, ...]]) -> sqlite3.Connection:
    """An ``annotations`` table holding ``rows`` (document_id, id, start, end, label_id, annotator, layer)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE annotations (document_id, id, start, end, label_id, annotator, layer)")
    conn.execute("CREATE INDEX by_document ON annotations(document_id, start)")
    conn.executemany("INSERT INTO annotations VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return conn


@settings(max_examples=150, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=20, unique=True), st.lists(NAMES, min_size=1, max_size=30, unique=True),
       st.data())
def test_the_sql_code_is_the_combination_s_place_in_the_rule_s_order(labels: list[str], reviewers: list[str],
                                                                      data: st.DataObject) -> None:
    """Up to 8 values a CASE, above that CASEs that halve them (labels and reviewers here reach both); a label id,
    reviewer or layer the codes do not know gives NULL."""
    label_names = {f"id-{name}": name for name in labels}
    codes = Codes.every(label_names, reviewers)
    assert codes.combos == sorted(codes.combos, key=lambda c: (c[2] != "gold", label_names[c[0]], c[1]))
    values = st.tuples(st.sampled_from([*label_names, "id-gone"]), st.sampled_from([*reviewers, "nobody"]),
                       st.sampled_from(["gold", "reviewer", "other"]))
    combos = data.draw(st.lists(values, min_size=1, max_size=40))
    conn = table([("d", f"a{n}", n, n + 1, *combo) for n, combo in enumerate(combos)])
    sql, params = codes.sql
    got = [row[0] for row in conn.execute(f"SELECT {sql} FROM annotations ORDER BY rowid", params)]
    known = {combo: code for code, combo in enumerate(codes.combos)}
    assert got == [known.get(combo) for combo in combos]


@settings(max_examples=200, deadline=None)
@given(documents())
def test_rows_coded_by_sql_give_what_rows_coded_as_found_give(document: tuple[str, list[tuple[Any, ...]]]) -> None:
    text, rows = document
    label_names = {"l1": "Claim", "l2": "Actor name", "l3": "Figure"}
    known = [row for row in rows if row[3] in label_names]
    conn = table([("d1", *row) for row in known])
    grouped, codes = coded_rows(export_part, Codes.every(label_names, ["alice", "bob"]), conn, "1", [])
    assert codes.sql[0] != "NULL"  # not the fallback
    body = conll.document_body(text, grouped.get("d1", []), codes, conll.Tags(), "d1")
    assert body == coded_body(text, known, labels=label_names)


def test_an_unknown_label_id_or_reviewer_reads_the_rows_as_they_are() -> None:
    """Another program's rows: a label id the schema lacks, a reviewer the codes were not given."""
    rows = [("d1", "a", 0, 3, "l1", "alice", "gold"), ("d1", "b", 0, 3, "gone", "alice", "reviewer"),
            ("d2", "c", 4, 9, "l1", "zoe", "reviewer")]
    grouped, codes = coded_rows(export_part, Codes.every({"l1": "Claim"}, ["alice"]), table(rows), "1", [])
    assert codes.combos == [("l1", "alice", "gold"), ("gone", "alice", "reviewer"), ("l1", "zoe", "reviewer")]
    assert codes.labels == ["Claim", "?", "Claim"]
    assert grouped == {"d1": [("a", 0, 3, 0), ("b", 0, 3, 1)], "d2": [("c", 4, 9, 2)]}


@pytest.fixture
def foreign_label_project(tmp_path: Path) -> Path:
    """Two documents, one annotation of which names a label the schema lacks (written by sqlite3)."""
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        label = project.labels()[0].name
        project.import_documents([
            ImportedDocument(text, {"title": f"T{n}"}, [ImportedSpan(0, 5, label, annotator="ana"),
                                                         ImportedSpan(6, 11, label, annotator="bo")], source=f"{n}.txt")
            for n, text in enumerate(["alpha betas gamma", "delta omega sigma"])])
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE annotations SET label_id = 'not-a-label' WHERE rowid = (SELECT min(rowid) FROM annotations)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.usefixtures("core_free")
@pytest.mark.parametrize("above", [1, 10**9])
def test_an_export_with_a_label_the_schema_lacks(above: int, foreign_label_project: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """In one process and in two: the unknown label's span is tagged ``?`` as the plain path names it, and counted."""
    monkeypatch.setattr(conll, "PROCESS_ABOVE", above)
    with Project.open(foreign_label_project) as project:
        label = project.labels()[0].name
        result = export(project, "conll", tmp_path / "out")
    tag = conll.tag_name(label)
    lines = (tmp_path / "out" / "dataset.conll").read_text(encoding="utf-8").splitlines()
    assert lines[2:5] == ["alpha B-?", f"betas B-{tag}", "gamma O"]
    assert lines[8:11] == [f"delta B-{tag}", f"omega B-{tag}", "sigma O"]
    assert not result.dropped
    card = result.readme.read_text(encoding="utf-8")
    assert f"| {label} | 1 | 2 | 0 | 3 |\n| ? | 1 | 0 | 0 | 1 |" in card


@pytest.mark.usefixtures("core_free")
@pytest.mark.parametrize("above", [1, 10**9])
def test_an_offset_that_is_not_a_whole_number_in_either_process(above: int, foreign_label_project: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The last document's (the second process's, when there is one): the export stops with the one-line error."""
    conn = sqlite3.connect(foreign_label_project)
    with conn:
        conn.execute("UPDATE annotations SET \"end\" = 10.5 WHERE rowid = (SELECT max(rowid) FROM annotations)")
    conn.close()
    monkeypatch.setattr(conll, "PROCESS_ABOVE", above)
    with Project.open(foreign_label_project) as project, pytest.raises(AnnotatorError) as raised:
        export(project, "conll", tmp_path / "out")
    assert "1 annotation(s) have a start or end that is not a whole number" in str(raised.value)
    assert "end 10.5)" in str(raised.value)
    assert not (tmp_path / "out").exists()
