"""Our exports as the owners' tools read them: doccano's importer rules, ``spacy convert``, seqeval, pandas.

The doccano checks restate what doccano 1.8's ``backend/data_import`` does (``JSONLParser``,
``Reader.batch``, ``ExampleMaker``, ``LabelMaker``, ``SpanLabel``/``RelationLabel``, ``Spans.clean``,
``Relations.save``); they are written here, not copied.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2
from test_export_sample import build_sample

from annotator import Project
from annotator.cli import cli
from annotator.exporters import FORMATS, Filters, csvio, export

TEXT, LABEL, LINE, UUID, UPLOAD = "text", "label", "#line_number", "example_uuid", "upload_name"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = build_sample(tmp_path_factory.mktemp("sample") / "sample.db")
    yield project
    project.close()


# --- doccano ---------------------------------------------------------------------------------------

def doccano_frame(path: Path) -> pd.DataFrame:
    """What doccano's JSONL reader hands on: one DataFrame of every line (missing keys become NaN)."""
    raw = path.read_bytes()
    raw.decode("ascii")  # whatever chardet guesses for "Auto" (ascii, utf-8, a code page) reads ASCII the same
    records = []
    for number, line in enumerate(raw.decode("ascii").splitlines(), start=1):
        records.append({UUID: uuid.uuid4(), "filename": path.name, UPLOAD: path.name, LINE: number,
                        **json.loads(line.rstrip())})
    return pd.DataFrame(records)


def not_json(word: str) -> None:
    pytest.fail(f"meta is not valid JSON (SQLite's JSON_VALID refuses it): {word}")


def doccano_examples(frame: pd.DataFrame, excluded: list[str]) -> list[dict[str, Any]]:
    """ExampleMaker: the text, and every other column as ``meta``, which must pass SQLite's JSON_VALID."""
    assert TEXT in frame.columns and not frame[TEXT].isnull().any()
    examples = []
    for row in frame.loc[:, ~frame.columns.isin(excluded)].to_dict(orient="records"):
        row.pop(LINE)
        meta = {k: v for k, v in row.items() if k not in (UUID, "filename", UPLOAD, TEXT)}
        stored = json.dumps(meta)  # Django's JSONField encoder; NaN comes out as the bare word NaN
        json.loads(stored, parse_constant=not_json)
        assert row[TEXT]
        examples.append({"uuid": row[UUID], "text": row[TEXT], "meta": meta})
    return examples


def doccano_spans(frame: pd.DataFrame, column: str) -> list[dict[str, Any]]:
    """LabelMaker + SpanLabel.parse: [start, end, label] or a dict; label non-empty, 0 <= start < end."""
    exploded = frame.explode(column)[[UUID, column]].dropna(subset=[column])
    spans = []
    for row in exploded.to_dict(orient="records"):
        item = row[column]
        span = dict(zip(("start_offset", "end_offset", "label"), item, strict=True)) if isinstance(item, list) else item
        assert isinstance(span["label"], str) and span["label"]
        assert isinstance(span["start_offset"], int) and 0 <= span["start_offset"] < span["end_offset"]
        spans.append({**span, UUID: row[UUID]})
    return spans


def doccano_clean(spans: list[dict[str, Any]], allow_overlapping: bool) -> list[dict[str, Any]]:
    """Spans.clean: without "allow overlapping", a span starting before the last kept one ends is dropped."""
    if allow_overlapping:
        return spans
    kept: list[dict[str, Any]] = []
    by_example: dict[Any, list[dict[str, Any]]] = {}
    for span in spans:
        by_example.setdefault(span[UUID], []).append(span)
    for group in by_example.values():
        last = -1
        for span in sorted(group, key=lambda s: s["start_offset"]):
            if span["start_offset"] >= last:
                last = span["end_offset"]
                kept.append(span)
    return kept


def doccano_relations_resolve(frame: pd.DataFrame, spans: list[dict[str, Any]]) -> int:
    """Relations.save looks up (entity id, example) of both ends among the saved spans: a KeyError stops the import."""
    saved = {(s["id"], s[UUID]) for s in spans}
    resolved = 0
    for row in frame.explode("relations")[[UUID, "relations"]].dropna(subset=["relations"]).to_dict(orient="records"):
        relation = row["relations"]
        assert isinstance(relation["type"], str) and relation["type"]
        if (relation["from_id"], row[UUID]) not in saved or (relation["to_id"], row[UUID]) not in saved:
            raise KeyError((relation["from_id"], relation["to_id"]))
        resolved += 1
    return resolved


def test_doccano_relation_file_passes_doccanos_importer(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "doccano", tmp_path / "out")
    frame = doccano_frame(result.data)
    lines = [json.loads(line) for line in result.data.read_text(encoding="ascii").splitlines()]
    assert len({frozenset(line) for line in lines}) == 1  # one key set on every line
    assert not any(value is None for line in lines for value in line.values())
    examples = doccano_examples(frame, ["entities", "relations"])
    assert [e["text"] for e in examples] == [sample.document_text(d.id) for d in sample.documents()]
    assert {e["meta"]["document_id"] for e in examples} == {d.id for d in sample.documents()}
    spans = doccano_spans(frame, "entities")
    assert len(spans) == result.annotations
    # With the options the card asks for, every span and relation arrives...
    kept = doccano_clean(spans, allow_overlapping=True)
    assert doccano_relations_resolve(frame, kept) == result.relations == 3  # the 4th crosses documents: not written
    # ...and without "allow overlapping spans" doccano drops spans and then stops on a relation, as the card warns.
    assert len(doccano_clean(spans, allow_overlapping=False)) < len(spans)
    with pytest.raises(KeyError):
        doccano_relations_resolve(frame, doccano_clean(spans, allow_overlapping=False))
    card = result.readme.read_text(encoding="utf-8")
    for option in ("Sequence Labeling", "Allow overlapping spans", "Use relation labeling", "JSONL(Relation)"):
        assert option in card


def test_doccano_sequence_file_passes_doccanos_importer(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "doccano", tmp_path / "figures.jsonl", Filters(labels=["Figure"]))
    assert result.relations == 0
    frame = doccano_frame(result.data)
    examples = doccano_examples(frame, [LABEL])
    assert all(set(e["meta"]) == {"title", "outlet", "author", "url", "published", "language", "document_id"}
               for e in examples)
    spans = doccano_spans(frame, LABEL)
    assert len(spans) == result.annotations > 0
    # Offsets are UTF-16 units of the text doccano stores.
    texts = {e["uuid"]: e["text"] for e in examples}
    for span in spans:
        units = texts[span[UUID]].encode("utf-16-le")
        assert units[2 * span["start_offset"]:2 * span["end_offset"]].decode("utf-16-le").strip()


# --- CoNLL -----------------------------------------------------------------------------------------

def test_conll_is_read_right_by_spacy_convert(sample: Project, tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    result = export(sample, "conll", tmp_path / "out")
    converted = tmp_path / "converted"
    converted.mkdir()
    run = subprocess.run([sys.executable, "-m", "spacy", "convert", str(result.data), str(converted), "--converter",
                          "ner"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    docs = list(DocBin().from_disk(converted / "dataset.spacy").get_docs(Vocab()))
    assert len(docs) == result.documents == 4
    assert not any(token.text == "-DOCSTART-" for doc in docs for token in doc)
    written = [line.split(" ") for line in result.data.read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("-DOCSTART-")]
    assert [t.text for doc in docs for t in doc] == [word for word, _ in written]
    tags = [tag for _, tag in written]
    assert sum(len(doc.ents) for doc in docs) == sum(tag.startswith("B-") for tag in tags) > 0
    first = docs[0]
    assert "1,200" in [t.text for t in first]  # a number with a thousands separator stays one token


def test_conll_tags_are_valid_iob2_for_seqeval(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "conll", tmp_path / "out")
    sentences: list[list[str]] = []
    for block in result.data.read_text(encoding="utf-8").split("\n\n"):
        rows = [line.split(" ") for line in block.splitlines() if line]
        if rows and rows[0][0] != "-DOCSTART-":
            sentences.append([tag for _, tag in rows])
    report = classification_report(sentences, sentences, mode="strict", scheme=IOB2, output_dict=True)
    assert {"Claim", "Figure", "Actor"} <= set(report)
    assert report["micro avg"]["f1-score"] == 1.0


# --- CSV -------------------------------------------------------------------------------------------

def test_csv_numbers_stay_numbers_and_formulas_are_text() -> None:
    text = csvio.csv_text(["n", "x", "quote"], [["-5", -5, "=SUM(A1)"], ["+3", 2.5, "-5%"], ["-1.5", -1, "@user"],
                                                ["1e5", 0, "+1 more"]])
    frame = pd.read_csv(io.StringIO(text))
    assert frame["n"].dtype.kind == "f" and frame["n"].tolist() == [-5.0, 3.0, -1.5, 100000.0]
    assert frame["x"].dtype.kind == "f" and frame["x"].tolist() == [-5.0, 2.5, -1.0, 0.0]
    assert frame["quote"].tolist() == ["'=SUM(A1)", "'-5%", "'@user", "'+1 more"]


def test_csv_export_columns_have_numeric_dtypes(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "csv", tmp_path / "out")
    frame = pd.read_csv(result.data, encoding="utf-8-sig")
    assert frame["start"].dtype.kind == "i" and frame["end"].dtype.kind == "i"
    assert (frame["end"] > frame["start"]).all()


# --- every format into one folder --------------------------------------------------------------------

def test_every_format_into_one_folder_with_the_core(sample: Project, tmp_path: Path) -> None:
    for name in FORMATS:
        result = export(sample, name, tmp_path / "all")
        assert result.readme == tmp_path / "all" / f"{name}.DATASET.md"
    cards = sorted(p.name for p in (tmp_path / "all").glob("*.DATASET.md"))
    assert cards == sorted(f"{name}.DATASET.md" for name in FORMATS)
    for name in FORMATS:
        assert f"**{name}**" in (tmp_path / "all" / f"{name}.DATASET.md").read_text(encoding="utf-8")


def test_every_format_into_one_folder_with_the_cli(sample: Project, tmp_path: Path) -> None:
    for name in FORMATS:
        result = CliRunner().invoke(cli, ["export", str(sample.path), "--format", name, "-o", str(tmp_path / "all")])
        assert result.exit_code == 0, result.stderr
        assert f"(see {name}.DATASET.md)" in result.stdout
    names = {p.name for p in (tmp_path / "all").iterdir()}
    assert {"dataset.jsonl", "doccano.jsonl", "dataset.conll", "dataset.spacy", "annotations.jsonld",
            "annotations.csv", "annotation.conf"} <= names


def test_cli_names_the_install_command_for_a_missing_library(sample: Project, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util
    import shlex

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "spacy" else real(name, *a))
    result = CliRunner().invoke(cli, ["export", str(sample.path), "--format", "spacy", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and not result.stdout
    assert result.stderr == ("Error: the spacy format needs spacy, which is not installed; install it with: "
                             f"{shlex.quote(sys.executable)} -m pip install 'spacy>=3.7'\n")
