"""doccano's writer works on columns (UTF-16 offsets mapped in C, attributes counted with each value parsed
once); the file, the warnings and the error on a damaged attributes value must be what the plain writer (every
column of every annotation as records, one call per offset) gives."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import Project
from annotator.exporters import FORMATS, doccano, export
from annotator.exporters.common import ExportJob, utf16_offsets

PIECES = ["a", "bb", " ", "\n", "é", "e\u0301", "قال", "\u064e", "👨‍👩‍👧", "🇫🇷", "😀", "\U00010400", "ठी", ""]
LABELS = {"l1": "Claim", "l2": "Actor name"}


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[Any, ...]]]:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=20)))
    rows = []
    for number in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text)))
        rows.append(("d1", f"id{number}", start, draw(st.integers(start, len(text))), draw(st.sampled_from([*LABELS, "gone"]))))
    return text, rows


@settings(max_examples=400, deadline=None)
@given(documents())
def test_label_triples_are_the_per_offset_conversion(document: tuple[str, list[tuple[Any, ...]]]) -> None:
    text, rows = document
    units = utf16_offsets(text)
    expected = [[units(start), units(end), LABELS.get(label_id, "?")] for _, _, start, end, label_id in rows]
    starts, ends, names = [r[2] for r in rows], [r[3] for r in rows], [LABELS.get(r[4], "?") for r in rows]
    assert [list(triple) for triple in doccano.label_triples(text, starts, ends, names)] == expected
    for start, end, _ in doccano.label_triples(text, starts, ends, names):  # doccano's own reading of the offsets
        assert text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le") in text


def plain_write(job: ExportJob, target: Path) -> None:
    """doccano.write before the narrow read (no relations): every column, one ``units`` call per offset."""
    with_attributes = with_notes = 0
    with target.open("w", encoding="ascii", newline="\n") as stream:
        for item in job.documents():
            with_attributes += sum(1 for a in item.annotations if a.attributes)
            with_notes += sum(1 for a in item.annotations if a.note)
            units = utf16_offsets(item.document.text)
            line: dict[str, Any] = {"text": item.document.text,
                                    "label": [[units(a.start), units(a.end), a.label] for a in item.annotations]}
            line.update({key: doccano._meta(getattr(item.document, key)) for key in doccano.METADATA})
            line["document_id"] = item.document.id
            stream.write(doccano.ascii_line(line))
    if with_attributes or with_notes:
        job.warn(f"doccano has no attributes or notes: left out those of {with_attributes} and {with_notes} "
                 "annotations")
    job.warn_merged_reviewers("doccano")


def _both(project: Project, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = export(project, "doccano", folder / "fast.jsonl", force=True)
    with monkeypatch.context() as patch:
        patch.setitem(FORMATS, "doccano", dataclasses.replace(FORMATS["doccano"], write=plain_write))
        plain = export(project, "doccano", folder / "plain.jsonl", force=True)
    return fast, plain


RAW = [("{}", None), ('{"certainty": "reported"}', "checked"), ("{}", ""), ('{"a": 1}', None), ("", "n"),
       ("", 0), ("{}", "x")]


def test_the_file_and_warnings_are_the_plain_writers(seeded: Project, raw_db: sqlite3.Connection, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for number, document in enumerate(seeded.documents(with_text=False)):
        for index, (attributes, note) in enumerate(RAW):
            start = 3 * index + number
            id_ = seeded.add_annotation(document.id, start, start + 4, "Claim" if index % 2 else "Actor",
                                        annotator="ana" if index % 3 else "ben").id
            raw_db.execute("UPDATE annotations SET attributes = ?, note = ? WHERE id = ?", [attributes, note, id_])
            raw_db.commit()
    fast, plain = _both(seeded, tmp_path, monkeypatch)
    assert fast.data.read_bytes() == plain.data.read_bytes()
    assert fast.warnings == plain.warnings and "those of 10 and 20 annotations" in fast.warnings[0]


def test_an_emoji_text_gets_utf16_offsets(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = project.add_document("👨‍👩‍👧 قال e\u0301 🇫🇷 ok", title="t")
    project.add_annotation(document.id, 13, 15, "Actor", annotator="ana")
    project.add_annotation(document.id, 0, 5, "Claim", annotator="ana", note="n")
    fast, plain = _both(project, tmp_path, monkeypatch)
    assert fast.data.read_bytes() == plain.data.read_bytes()
    assert b'"label": [[0, 8, "Claim"], [16, 20, "Actor"]]' in fast.data.read_bytes()
