"""``ExportResult.dropped`` (``LeftOut``) holds the left-out records' fields as the writers made them (rows, columns,
strings packed a document at a time) and makes each ``Dropped`` when it is read: it must read as the list of records
it stands for, whatever mix of parts it holds."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.exporters.conll_text import LeftOutColumns
from annotator.exporters.left_out import Dropped, LeftOut

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=5)
ID = st.one_of(TEXT, st.integers(), st.none())  # a damaged file's ids may be of any type
ROW = st.tuples(TEXT, ID, TEXT, TEXT, TEXT)
DOCUMENT = st.lists(ROW, max_size=4)
PART = st.one_of(st.tuples(st.just("rows"), DOCUMENT), st.tuples(st.just("columns"), st.lists(DOCUMENT, max_size=4)),
                 st.tuples(st.just("record"), ROW))


def build(parts: list[tuple[str, Any]]) -> tuple[LeftOut, list[Dropped]]:
    left_out, expected = LeftOut(), []
    for kind, value in parts:
        if kind == "rows":
            left_out.add_rows(value)
            expected += [Dropped(*row) for row in value]
        elif kind == "record":
            left_out.append(Dropped(*value))
            expected.append(Dropped(*value))
        else:  # what a second process sends: documents' rows packed by LeftOutColumns
            columns = LeftOutColumns()
            for document in value:
                columns.add(document)
                expected += [Dropped(*row) for row in document]
            left_out.add_columns(*columns.columns())
    return left_out, expected


@given(st.lists(PART, max_size=5))
def test_it_reads_as_the_records_it_stands_for(parts: list[tuple[str, Any]]) -> None:
    left_out, expected = build(parts)
    assert len(left_out) == len(expected)
    assert list(left_out) == expected and left_out == expected
    assert left_out[:3] == expected[:3] and left_out[1:] == expected[1:] and left_out[::2] == expected[::2]
    for index in (0, len(expected) - 1, -1, -len(expected)):
        if expected:
            assert left_out[index] == expected[index]
    with pytest.raises(IndexError):
        left_out[len(expected)]


def test_a_packed_column_falls_back_to_plain_strings_at_an_id_that_is_not_one() -> None:
    columns = LeftOutColumns()
    columns.add([("d1", "a", "L", "q1", "why")])
    columns.add([("d2", 7, "L", "q2", "why"), ("d2", "b", "L", "q3", "why")])
    fields, packed = columns.columns()
    assert packed == [3]  # the quotes stay packed, the ids do not
    assert fields[1] == ["a", 7, "b"]


def test_only_the_chunks_read_are_decoded() -> None:
    """The card reads the first 200 records: a later document's strings are not decoded for them."""
    left_out = LeftOut()
    chunks = ["é".encode(), b"\xff broken"]  # the second chunk would not decode
    left_out.add_columns([["d1", "d2"], (chunks, [1, 1], [1, 8]), ["L", "L"], ["q", "q"], ["w", "w"]], [1])
    assert left_out[:1] == [Dropped("d1", "é", "L", "q", "w")]
    with pytest.raises(UnicodeDecodeError):
        list(left_out)


@pytest.mark.parametrize("columns", [
    [["d"], ["a"], ["L"], ["q"]],  # four columns
    [["d", "e"], ["a"], ["L"], ["q"], ["w"]],  # of different lengths
])
def test_columns_that_do_not_fit_are_refused(columns: list[list[str]]) -> None:
    with pytest.raises(ValueError):
        LeftOut().add_columns(columns)
