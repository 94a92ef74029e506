"""The export API: filters, progress, where files go, and errors before anything is written."""

from __future__ import annotations

import importlib.util
import json
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_export_sample import build_sample

from annotator import AnnotatorError, Project
from annotator.exporters import FORMATS, Filters, export


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = build_sample(tmp_path_factory.mktemp("sample") / "sample.db")
    yield project
    project.close()


def exported(project: Project, out: Path, filters: Filters) -> list[dict]:
    result = export(project, "jsonl", out, filters)
    return [json.loads(line) for line in result.data.read_text(encoding="utf-8").splitlines()]


def annotations(records: list[dict]) -> list[dict]:
    return [a for r in records for a in r["annotations"]]


def test_document_filters(sample: Project, tmp_path: Path) -> None:
    done = exported(sample, tmp_path / "done", Filters(statuses=["done"]))
    assert [r["status"] for r in done] == ["done", "done"]
    # A relation with one end outside the export is left out, and DATASET.md says so.
    assert sum(len(r["relations"]) for r in done) == 4
    arabic = sample.documents()[1].id
    one = exported(sample, tmp_path / "one", Filters(documents=[arabic[:8]]))
    assert [r["id"] for r in one] == [arabic] and sum(len(r["relations"]) for r in one) == 0
    assert "- 1 relations left out: one end is not in the export" in (tmp_path / "one" / "jsonl.DATASET.md").read_text()
    assert f"- documents: {arabic[:8]}" in (tmp_path / "one" / "jsonl.DATASET.md").read_text()


def test_annotation_filters_keep_every_selected_document(sample: Project, tmp_path: Path) -> None:
    bob = exported(sample, tmp_path / "bob", Filters(annotators=["bob"]))
    assert len(bob) == 4 and {a["annotator"] for a in annotations(bob)} == {"bob"}
    assert [rel["annotator"] for r in bob for rel in r["relations"]] == []  # bob's relation has alice's ends
    gold = exported(sample, tmp_path / "gold", Filters(layer="gold"))
    assert {a["layer"] for a in annotations(gold)} == {"gold"} and len(annotations(gold)) == 4
    figures = exported(sample, tmp_path / "figures", Filters(labels=["Figure", "Peace sign"], statuses=["done"]))
    assert sorted({a["label"] for a in annotations(figures)}) == ["Figure", "Peace sign"]
    assert len(annotations(figures)) == 5
    readme = (tmp_path / "figures" / "jsonl.DATASET.md").read_text(encoding="utf-8")
    assert "- document status: done" in readme and "- labels: Figure, Peace sign" in readme


@pytest.mark.parametrize(("filters", "message"), [
    (Filters(labels=["Nope"]), "unknown label 'Nope'"),
    (Filters(statuses=["finished"]), "unknown document status 'finished'"),
    (Filters(annotators=["zed"]), "no annotations by reviewer 'zed'"),
    (Filters(layer="silver"), "layer must be one of"),
    (Filters(documents=["ffffffff"]), "no document with id 'ffffffff'"),
])
def test_bad_filters_stop_before_writing(sample: Project, tmp_path: Path, filters: Filters, message: str) -> None:
    with pytest.raises(AnnotatorError, match=message):
        export(sample, "csv", tmp_path / "out", filters)
    assert not (tmp_path / "out").exists()


def test_progress_counts_documents(sample: Project, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export(sample, "conll", tmp_path / "out", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_output_paths_and_force(sample: Project, tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match="unknown export format 'xml'"):
        export(sample, "xml", tmp_path / "out")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine")
    export(sample, "brat", tmp_path / "busy")  # other files do not stop an export
    with pytest.raises(AnnotatorError, match=r"already holds a brat export \(brat\.DATASET\.md, 0001-.*use --force"):
        export(sample, "brat", tmp_path / "busy")
    export(sample, "brat", tmp_path / "busy", force=True)
    assert (tmp_path / "busy" / "keep.txt").read_text() == "mine"  # --force deletes nothing
    result = export(sample, "w3c", tmp_path / "file" / "data.jsonld")
    assert result.data.is_file() and result.readme == tmp_path / "file" / "data.DATASET.md"
    with pytest.raises(AnnotatorError, match=r"data\.jsonld already exists"):
        export(sample, "w3c", tmp_path / "file" / "data.jsonld")
    with pytest.raises(AnnotatorError, match=r"data\.DATASET\.md already exists, perhaps from another export"):
        export(sample, "csv", tmp_path / "file" / "data.csv")
    with pytest.raises(AnnotatorError, match="is a file: the brat export needs a folder"):
        export(sample, "brat", result.data)
    assert sorted(p.name for p in (tmp_path / "file").iterdir()) == ["data.DATASET.md", "data.jsonld"]


def test_missing_spacy_is_a_clear_error(sample: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "spacy" else real_find_spec(name, *a))
    command = f"{shlex.quote(sys.executable)} -m pip install 'spacy>=3.7'"
    with pytest.raises(AnnotatorError) as error:
        export(sample, "spacy", tmp_path / "out")
    assert str(error.value) == f"the spacy format needs spacy, which is not installed; install it with: {command}"
    assert not (tmp_path / "out").exists()


def test_formats_registry_for_the_gui() -> None:
    assert list(FORMATS) == ["jsonl", "doccano", "brat", "conll", "spacy", "w3c", "csv", "labelstudio", "xmi", "qdpx",
                            "casualties", "claimreview"]
    assert [name for name, f in FORMATS.items() if f.importable] == ["jsonl", "doccano", "brat", "w3c", "labelstudio", "xmi", "qdpx"]
    assert FORMATS["brat"].folder and not FORMATS["csv"].folder
    assert all(f.title and f.notes for f in FORMATS.values())


def test_exporters_and_importers_never_load_qt_or_spacy() -> None:
    code = ("import sys, annotator.exporters, annotator.importers.labelled, annotator.importers.dataset, "
            "annotator.importers.doccano, annotator.importers.brat, annotator.importers.w3c, annotator.cli.export_cmd; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'spacy', 'ui')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_raising_from_progress_cancels_without_a_half_file(sample: Project, tmp_path: Path) -> None:
    def cancel(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export(sample, "jsonl", tmp_path / "out", progress=cancel)
    assert list(tmp_path.iterdir()) == []  # not even the folder: it appears whole or not at all
