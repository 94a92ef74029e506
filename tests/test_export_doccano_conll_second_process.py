"""Above ``PROCESS_ABOVE`` annotations the doccano and CoNLL exports build the second half of the documents in a
second process (``doccano_text``/``conll_text`` run by ``python -I -S``): the file must be byte for byte the
in-process export's, with the same left-out list and warnings; a failed process and a Cancel must end as they
do in-process."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from annotator import Project, second_core
from annotator.exporters import conll, doccano, second_process
from annotator.exporters.second_process import SecondProcess
from annotator.importers.base import ImportedDocument, ImportedSpan
from tests.export_helpers import (
    cancel_while_the_second_process_works,
    export_above,
    kept_results,
    lose_the_result,
    written_files,
)

WORDS = ("the", "ministry", "said", "👨‍👩‍👧", "قال", "الوزارة", "é", "x̧", "e\u0301", "🇫🇷", "👍🏽", "<b>", "&amp;",
         '"q"', "1,200", "3.5", "don't", "state-of-the-art", "\t", "\n", "  ", "\u200d", "\\", "\x7f")
MODULES = {"doccano": doccano, "conll": conll}


pytestmark = pytest.mark.usefixtures("core_free")


@pytest.fixture(scope="module")
def project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eleven documents (two without spans, one text of a flag alone) by two reviewers and a gold layer: overlapping spans,
    spans over whitespace only, attributes and notes, metadata missing from some documents."""
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("second") / "p.db"
    with Project.create(path) as project:
        labels = [label.name for label in project.labels()]
        items = []
        for number in range(11):
            text = "\U0001F1EB\U0001F1F7" if number == 5 else f"Report {number}. " + " ".join(rng.choice(WORDS) for _ in range(80))
            spans = [] if number in (4, 5, 8) else [
                ImportedSpan(start, start + rng.randrange(1, 15), rng.choice(labels), annotator=rng.choice(("ana", "bo b")),
                             attributes={"certainty": "reported"} if rng.random() < 0.2 else None,
                             note="checked" if rng.random() < 0.1 else None)
                for start in sorted(rng.randrange(0, len(text) - 15) for _ in range(25))]
            metadata = {"title": f"Report {number}", "language": "ar" if number % 3 else ""}
            if number % 2:
                metadata["author"] = "Ana \u00e9"
            items.append(ImportedDocument(text, metadata, spans, source=f"r{number}.txt"))
        project.import_documents(items)
        for document in project.documents(with_text=False)[1::2]:
            spans = project.annotations(document.id)
            if spans:
                project.add_annotation(document.id, spans[0].start, spans[0].end, labels[0], annotator="ana", layer="gold")
    return path


def _export(path: Path, out: Path, monkeypatch: pytest.MonkeyPatch, name: str, above: int, **options: Any) -> Any:
    return export_above(path, out, monkeypatch, MODULES[name], name, above, **options)


@pytest.mark.parametrize("name", ["doccano", "conll"])
def test_the_second_process_writes_what_this_one_writes(name: str, project_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    results = kept_results(monkeypatch)
    split = _export(project_path, tmp_path / "split", monkeypatch, name, 1)
    assert results and results[0] is not None  # the process did its half
    whole = _export(project_path, tmp_path / "whole", monkeypatch, name, 10**9)
    assert len(results) == 1  # no process for the whole export
    assert written_files(tmp_path / "split") == written_files(tmp_path / "whole")
    assert (split.dropped, split.warnings) == (whole.dropped, whole.warnings)
    assert split.warnings


def test_conll_left_out_spans_of_both_halves_are_listed(project_path: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    split = _export(project_path, tmp_path / "split", monkeypatch, "conll", 1)
    with Project.open(project_path) as project:
        second_half = {d.id for d in project.documents(with_text=False)[len(project.documents(with_text=False)) // 2:]}
    assert {d.document_id for d in split.dropped} & second_half
    assert any(d.reason.startswith("overlap") for d in split.dropped)


@pytest.mark.parametrize("name", ["doccano", "conll"])
def test_a_failed_process_leaves_its_documents_to_this_one(name: str, project_path: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lose_the_result(monkeypatch)
    failed = _export(project_path, tmp_path / "failed", monkeypatch, name, 1)
    whole = _export(project_path, tmp_path / "whole", monkeypatch, name, 10**9)
    assert written_files(tmp_path / "failed") == written_files(tmp_path / "whole")
    assert (failed.dropped, failed.warnings) == (whole.dropped, whole.warnings)


@pytest.mark.parametrize("name", ["doccano", "conll"])
def test_no_interpreter_to_start_means_no_second_process(name: str, project_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_process.sys, "executable", str(tmp_path / "no-python"))
    _export(project_path, tmp_path / "a", monkeypatch, name, 1)
    monkeypatch.setattr(second_process.sys, "executable", "/bin/false" if Path("/bin/false").exists() else "")
    _export(project_path, tmp_path / "b", monkeypatch, name, 1)
    _export(project_path, tmp_path / "whole", monkeypatch, name, 10**9)
    assert written_files(tmp_path / "a") == written_files(tmp_path / "b") == written_files(tmp_path / "whole")


@pytest.mark.parametrize("name", ["doccano", "conll"])
def test_a_cancel_while_the_process_works_stops_it_and_leaves_nothing(name: str, project_path: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cancel_while_the_second_process_works(
        monkeypatch, lambda progress: _export(project_path, tmp_path / "out", monkeypatch, name, 1, progress=progress))
    assert list(tmp_path.iterdir()) == []


def test_doccano_with_relations_stays_in_this_process(project_path: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Entity and relation numbers run on across the file: an export with relations is written here alone."""
    import shutil

    path = tmp_path / "related.db"
    shutil.copyfile(project_path, path)
    with Project.open(path) as project:
        spans = project.annotations(project.documents(with_text=False)[0].id)
        project.add_relation(spans[0].id, spans[1].id, "supports", annotator="ana")
    started: list[Any] = []
    monkeypatch.setattr(SecondProcess, "start", classmethod(lambda cls, *args: started.append(args)))
    _export(path, tmp_path / "out", monkeypatch, "doccano", 1)
    assert started == []
    assert b'"relations": [{"id": 1' in (tmp_path / "out" / "doccano.jsonl").read_bytes()


@pytest.mark.parametrize("name", ["doccano", "conll"])
def test_no_second_process_on_a_busy_machine(name: str, project_path: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Any] = []
    monkeypatch.setattr(SecondProcess, "start", classmethod(lambda cls, *args: started.append(args)))
    monkeypatch.setattr(second_core, "free", lambda: False)
    _export(project_path, tmp_path / "busy", monkeypatch, name, 1)
    assert started == []
    monkeypatch.setattr(second_core, "free", lambda: True)
    _export(project_path, tmp_path / "free", monkeypatch, name, 1)  # the stub starts nothing: written here too
    assert len(started) == 1
    assert written_files(tmp_path / "busy") == written_files(tmp_path / "free")


@pytest.mark.parametrize("share", [0.0, 0.2, 0.9, 1.0])
def test_any_share_of_the_documents_gives_the_same_file(share: float, project_path: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, module in MODULES.items():
        monkeypatch.setattr(module, "SECOND_SHARE", share)
        _export(project_path, tmp_path / f"{name}-split", monkeypatch, name, 1)
        _export(project_path, tmp_path / f"{name}-whole", monkeypatch, name, 10**9)
        assert written_files(tmp_path / f"{name}-split") == written_files(tmp_path / f"{name}-whole")
