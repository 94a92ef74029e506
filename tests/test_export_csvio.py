"""The one CSV writer: RFC 4180 bytes, a BOM for Excel, formulas neutralised, numbers left numeric."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_export_sample import build_sample

from annotator import Project
from annotator.crosssource import FIGURE_COLUMNS, figure_rows, figures_csv, write_figures_csv
from annotator.exporters import csvio, export
from annotator.exporters.csvio import cell_text, csv_text, neutralise, write_csv


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = build_sample(tmp_path_factory.mktemp("sample") / "sample.db")
    yield project
    project.close()


@pytest.mark.parametrize(("text", "written"), [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("+cmd", "'+cmd"),
    ("-5%", "'-5%"),
    ("  =1+2", "'  =1+2"),  # first non-space character
    ("＝1+2", "'＝1+2"), ("＋1", "'＋1"), ("－1", "'－1"), ("＠x", "'＠x"),  # full-width forms
    ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-5", "-5"), ("-1.5", "-1.5"), ("+3", "+3"), ("1e5", "1e5"), ("-2.5E-3", "-2.5E-3"), ("-.5", "-.5"),
    ("plain, text", "plain, text"), ("a-b", "a-b"), ("", ""),
])
def test_neutralise(text: str, written: str) -> None:
    assert neutralise(text) == written


def test_bytes_are_rfc_4180() -> None:
    text = csv_text(["a", "b"], [["x,y", "say \"hi\""], ["line\nbreak", "cr\rhere"], [None, True]])
    assert text == 'a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak","cr\rhere"\r\n,true\r\n'


def test_pandas_reads_numbers_as_numbers_and_formulas_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    header = ["n", "x", "text", "=evil"]
    write_csv(path, header, [[-5, "-1.5", "=HYPERLINK(\"http://x\",\"y\")", "a"],
                             [3, "+3", "@SUM(A1:A2)", "b"],
                             [0, "1e5", "two\r\nlines, \"quoted\"", "c"]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfn,x,text,'=evil\r\n")
    frame = pd.read_csv(path, encoding="utf-8-sig")
    assert list(frame.columns) == ["n", "x", "text", "'=evil"]
    assert pd.api.types.is_integer_dtype(frame["n"]) and list(frame["n"]) == [-5, 3, 0]
    assert pd.api.types.is_float_dtype(frame["x"]) and list(frame["x"]) == [-1.5, 3.0, 100000.0]
    assert list(frame["text"]) == ["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(A1:A2)", "two\r\nlines, \"quoted\""]
    assert list(tmp_path.iterdir()) == [path]  # no temporary left


def test_csv_export_reads_back_in_pandas(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "csv", tmp_path / "out")
    raw = result.data.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") >= 17 and b"\n" not in raw.replace(b"\r\n", b"")[:200]
    frame = pd.read_csv(result.data, encoding="utf-8-sig", keep_default_na=False)
    assert len(frame) == 16
    assert pd.api.types.is_integer_dtype(frame["start"]) and pd.api.types.is_integer_dtype(frame["end"])
    formulas = frame[frame["document_title"] == "Formulas"]
    assert set(formulas["quote"]) == {"'=SUM(A1)", "'-5%", "'@user"}
    assert set(formulas["value"].astype(str)) == {"", "-5"}  # a number, not '-5


def test_figures_csv_uses_the_same_writer(project: Project, tmp_path: Path) -> None:
    doc = project.add_document("@user says -5 dead\nand more", title="=cmd")
    project.add_annotation(doc.id, 0, 18, "Figure", annotator="maya", attributes={"value": -5})
    rows = figure_rows(project)
    text = figures_csv(rows)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    parsed = list(csv.DictReader(io.StringIO(text, newline="")))
    assert parsed[0]["quote"] == "'@user says -5 dead" and parsed[0]["document_title"] == "'=cmd"
    assert parsed[0]["value"] == "-5"
    path = tmp_path / "figures.csv"
    path.write_text("old", encoding="utf-8")
    write_figures_csv(path, rows)
    assert path.read_bytes() == b"\xef\xbb\xbf" + text.encode("utf-8")
    frame = pd.read_csv(path, encoding="utf-8-sig")
    assert list(frame.columns) == list(FIGURE_COLUMNS) and frame["value"].tolist() == [-5]


_CELLS = st.one_of(st.none(), st.integers(-1000, 1000), st.floats(allow_nan=False), st.booleans(),
                   st.text(alphabet=st.sampled_from(['a', ',', '"', '\r', '\n', '\x00', ' ', '=', '-', '1', 'é', '😀', '\t']),
                           max_size=6))


@pytest.mark.parametrize("long_row", [0, csvio.LONG_ROW])
@given(rows=st.lists(st.lists(_CELLS, max_size=4), max_size=4))
def test_rows_are_what_csv_writes(long_row: int, rows: list[list[object]]) -> None:
    """``write_rows`` quotes a long row's cells itself (every row with a character, at ``LONG_ROW`` 0): the bytes are
    csv's writer's, cell for cell (commas, quotes, line breaks, NUL, one empty cell alone, numbers)."""
    expected = io.StringIO(newline="")
    writer = csv.writer(expected, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["h"])
    writer.writerows([neutralise(cell_text(v)) if (v is not None and not isinstance(v, int)) or isinstance(v, bool)
                      else "" if v is None else v for v in row] for row in rows)
    with patch.object(csvio, "LONG_ROW", long_row):
        assert csv_text(["h"], rows) == expected.getvalue()


def test_a_long_row_is_quoted_as_csv_quotes_it() -> None:
    ids = "; ".join(f"{n:08d}-0000-4000-8000-000000000000" for n in range(30_000))
    assert csv_text(["source", "annotation_ids"], [["SOHR", ids], ['a,"b"', ids], ["x\x00", ids]]) == (
        f'source,annotation_ids\r\nSOHR,{ids}\r\n"a,""b""",{ids}\r\nx\x00,{ids}\r\n')
