"""Above ``PROCESS_ABOVE`` annotations the xmi export builds the second half of the documents in a second
process (``xmi_text`` run by ``python -I -S``): its files must be byte for byte the in-process export's, with
the same relations left out and warnings; a failed process, an unfit character in its half and a Cancel
must end as they do in-process."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from annotator import Project, second_core
from annotator.errors import AnnotatorError
from annotator.exporters import export, inception_xmi, second_process
from annotator.exporters.second_process import SecondProcess
from annotator.importers.base import ImportedDocument, ImportedSpan
from tests.export_helpers import (
    cancel_while_the_second_process_works,
    export_above,
    kept_results,
    lose_the_result,
    written_files,
)

WORDS = ("the", "ministry", "said", "👨‍👩‍👧", "قال", "é", "x̧", "🇫🇷", "<b>", "&amp;", '"q"', "1,200", "\t", "\n")


pytestmark = pytest.mark.usefixtures("core_free")


@pytest.fixture(scope="module")
def project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nine documents (two without spans) by two reviewers, a gold layer, relations within a CAS and
    across reviewers (left out), attributes and notes."""
    rng = random.Random(3)
    path = tmp_path_factory.mktemp("second") / "p.db"
    with Project.create(path) as project:
        labels = [label.name for label in project.labels()]
        items = []
        for number in range(9):
            text = f"Report {number}. " + " ".join(rng.choice(WORDS) for _ in range(60))
            spans = [] if number in (4, 6) else [
                ImportedSpan(start, start + rng.randrange(1, 12), rng.choice(labels), annotator=rng.choice(("ana", "bo b")),
                             attributes={"certainty": "reported"} if rng.random() < 0.2 else None,
                             note="checked" if rng.random() < 0.1 else None)
                for start in sorted(rng.randrange(0, len(text) - 12) for _ in range(15))]
            items.append(ImportedDocument(text, {"title": f"Report {number}", "language": "en" if number % 2 else ""},
                                          spans, source=f"r{number}.txt"))
        project.import_documents(items)
        for document in project.documents(with_text=False)[1::2]:
            spans = project.annotations(document.id)
            if len(spans) < 3:
                continue
            project.add_annotation(document.id, spans[0].start, spans[0].end, labels[0], annotator="ana", layer="gold")
            same = [s for s in spans if s.annotator == spans[0].annotator]
            if len(same) > 1:
                project.add_relation(same[0].id, same[1].id, "attributed-to", annotator="ana")
            other = [s for s in spans if s.annotator != spans[0].annotator]
            if other:
                project.add_relation(spans[0].id, other[0].id, "supports", annotator="ana")
    return path


def _export(path: Path, out: Path, monkeypatch: pytest.MonkeyPatch, above: int, **options: Any) -> Any:
    return export_above(path, out, monkeypatch, inception_xmi, "xmi", above, **options)


def test_the_second_process_writes_what_this_one_writes(project_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    results = kept_results(monkeypatch)
    split = _export(project_path, tmp_path / "split", monkeypatch, 1)
    assert results and results[0] is not None and results[0]["error"] is None  # the process did its half
    whole = _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    assert len(results) == 1  # no process for the whole export
    written = written_files(tmp_path / "split")
    assert written == written_files(tmp_path / "whole")
    assert len([name for name in written if name.endswith(".xmi")]) > 9
    assert (split.dropped, split.warnings, split.relations) == (whole.dropped, whole.warnings, whole.relations)
    assert split.dropped  # relations across reviewers were left out, some in each half
    assert {d.document_id for d in split.dropped} > {d.document_id for d in whole.dropped[:1]}


def test_a_failed_process_leaves_its_documents_to_this_one(project_path: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The process wrote its documents, then its result is lost: they are written again here, over its files."""
    lose_the_result(monkeypatch)
    failed = _export(project_path, tmp_path / "failed", monkeypatch, 1)
    whole = _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    assert written_files(tmp_path / "failed") == written_files(tmp_path / "whole")
    assert (failed.dropped, failed.warnings) == (whole.dropped, whole.warnings)


def test_no_interpreter_to_start_means_no_second_process(project_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_process.sys, "executable", str(tmp_path / "no-python"))
    _export(project_path, tmp_path / "a", monkeypatch, 1)
    monkeypatch.setattr(second_process.sys, "executable", "/bin/false" if Path("/bin/false").exists() else "")
    _export(project_path, tmp_path / "b", monkeypatch, 1)
    whole = tmp_path / "whole"
    _export(project_path, whole, monkeypatch, 10**9)
    assert written_files(tmp_path / "a") == written_files(tmp_path / "b") == written_files(whole)


def test_an_unfit_character_in_the_second_half_is_the_same_error(project_path: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import sqlite3

    path = tmp_path / "bad.db"
    shutil.copyfile(project_path, path)
    with Project.open(path) as project:
        last = project.documents(with_text=False)[-1]
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE documents SET text = 'Report 8. a\x0bb ' || text WHERE id = ?", [last.id])
    conn.close()
    errors = []
    for above in (1, 10**9):
        with pytest.raises(AnnotatorError, match=r"U\+000B") as raised:
            _export(path, tmp_path / f"out-{above}", monkeypatch, above)
        errors.append(str(raised.value))
        assert not (tmp_path / f"out-{above}").exists()
    assert errors[0] == errors[1]


def test_a_cancel_while_the_process_works_stops_it_and_leaves_nothing(project_path: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cancel_while_the_second_process_works(
        monkeypatch, lambda progress: _export(project_path, tmp_path / "out", monkeypatch, 1, progress=progress), "spawn")
    assert list(tmp_path.iterdir()) == []


def test_no_second_process_while_a_write_of_ours_is_open(project_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Another connection would not see what this one has not committed: the export stays in this process."""
    started: list[Any] = []
    monkeypatch.setattr(SecondProcess, "spawn", classmethod(lambda cls, *args: started.append(args)))
    monkeypatch.setattr(inception_xmi, "PROCESS_ABOVE", 1)
    with Project.open(project_path) as project:
        project.db.conn.execute("BEGIN")
        try:
            export(project, "xmi", tmp_path / "in-transaction")
        finally:
            project.db.conn.execute("ROLLBACK")
        assert started == []
        export(project, "xmi", tmp_path / "after")
    assert len(started) == 1


def test_no_second_process_on_a_busy_machine(project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No free core: the child would take its CPU from this process, so the export is written here alone."""
    started: list[Any] = []
    monkeypatch.setattr(SecondProcess, "spawn", classmethod(lambda cls, *args: started.append(args)))
    monkeypatch.setattr(second_core, "free", lambda: False)
    _export(project_path, tmp_path / "busy", monkeypatch, 1)
    assert started == []
    monkeypatch.setattr(second_core, "free", lambda: True)
    _export(project_path, tmp_path / "free", monkeypatch, 1)  # the stub starts nothing: written here too
    assert len(started) == 1


def test_a_damaged_attributes_value_stops_the_started_process_and_names_the_same_annotation(
        project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process starts on its half before what is left out is counted; a value that does not parse then sends the
    export down the per-row path in this process alone (the process ended, its files written over), with the error
    the whole export gives."""
    import shutil
    import sqlite3

    path = tmp_path / "bad.db"
    shutil.copyfile(project_path, path)
    with Project.open(path) as project:
        documents = project.documents(with_text=False)
        damaged = project.annotations(documents[-1].id)[0]
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE annotations SET attributes = '{certainty' WHERE id = ?", [damaged.id])
    conn.close()
    spawned: list[Any] = []
    spawn = SecondProcess.spawn
    monkeypatch.setattr(SecondProcess, "spawn", classmethod(lambda cls, script: spawned.append(spawn(script)) or spawned[-1]))
    errors = []
    for above in (1, 10**9):
        with pytest.raises(AnnotatorError, match=damaged.id) as raised:
            _export(path, tmp_path / f"out-{above}", monkeypatch, above)
        errors.append(str(raised.value))
        assert not (tmp_path / f"out-{above}").exists()
    assert errors[0] == errors[1]
    assert len(spawned) == 1 and spawned[0] is not None
    assert spawned[0].process.poll() is not None  # ended, and waited for


def test_this_side_s_files_go_to_the_disk_while_the_other_still_builds(project_path: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """When this side is done first, its files are written out (``atomic.start_sync``) while it waits for the
    other, and that sync is waited for before the export goes on; the files are the in-process export's."""
    calls: list[Any] = []
    monkeypatch.setattr(inception_xmi, "start_sync", lambda folder: calls.append(folder) or (lambda: calls.append("waited")))
    spawn = SecondProcess.spawn

    def still_building(cls: type[SecondProcess], script: str) -> SecondProcess | None:
        started = spawn(script)
        assert started is not None
        started.process.poll = lambda: None  # type: ignore[method-assign]  # as if still at work
        return started

    monkeypatch.setattr(SecondProcess, "spawn", classmethod(still_building))
    split = _export(project_path, tmp_path / "split", monkeypatch, 1)
    whole = _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    assert written_files(tmp_path / "split") == written_files(tmp_path / "whole")
    assert (split.dropped, split.warnings) == (whole.dropped, whole.warnings)
    assert len(calls) == 2 and calls[1] == "waited"
    assert calls[0].name.startswith(".split.tmp-")  # the staging folder, before it was put into place
