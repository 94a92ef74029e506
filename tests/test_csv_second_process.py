"""Above ``PROCESS_ABOVE`` annotations the csv export builds the last documents' rows in a second process (``csv_text``
run by ``python -I -S``): the file must be byte for byte the in-process export's, hard cases included (formula cells,
damaged rows, unknown labels, entities, attributes, notes, layers), with the same warnings; a process that fails
leaves its documents to this one, and a bad attributes value raises the in-process error."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from annotator import Project
from annotator.errors import AnnotatorError
from annotator.exporters import csv_table, second_process
from tests.export_helpers import (
    cancel_while_the_second_process_works,
    export_above,
    kept_results,
    lose_the_result,
    written_files,
)

pytestmark = pytest.mark.usefixtures("core_free")

RISKY = ["=1+1", " x", "\tx", "\rx", "－x", "＋1", "＝x", "＠x", "@x", "+x", "-5", "+3", "-1.5", "1e5", "-x", "\u3000x", "",
         "a\n=b", 'say "hi", then', "قال 👨‍👩‍👧", "e\u0301"]
ATTRIBUTES = ['{"certainty": "=1+1"}', '{"certainty": "reported"}', '{"unknown": 1}', '{"certainty": true, "type": " x"}',
              '{"certainty": ["a", "b"], "rating": {"k": "－v"}}', "{}", '{"certainty": null}', '{"value": -5}',
              '{"unit": "قال 👨‍👩‍👧", "extra": "e\u0301"}', '{"type": "-x"}']
DOCUMENTS = 10
SPANS = 12


@pytest.fixture(scope="module")
def project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten documents with formula-like titles and outlets, each with spans whose quotes, reviewers, notes and
    attributes hold every risky value, some gold, some linked to an entity; then damaged as another program might:
    a number, a real, NULL and a blob where a quote belongs, unknown label ids. (An offset that is not a whole number
    stops every export: tests/test_export_cli.py.)"""
    path = tmp_path_factory.mktemp("csv") / "p.db"
    with Project.create(path) as project:
        entities = [project.add_entity("=Ministry").id, project.add_entity("Health, Ministry").id]
        labels = ["Claim", "Actor", "Figure"]
        for number in range(DOCUMENTS):
            text = f"Report {number}. " + "word " * 20
            document = project.add_document(text, title=RISKY[number % len(RISKY)] or "Report",
                                            outlet=("+x", "－y", "plain", "\tz")[number % 4],
                                            published="-5" if number % 3 == 0 else "2024-01-02")
            for index in range(SPANS):
                annotation = project.add_annotation(document.id, 3 * index, 3 * index + 5, labels[index % 3],
                                                    annotator=("ana", "=bo")[index % 2],
                                                    layer="gold" if index % 5 == 0 else "reviewer")
                if index % 4 == 0:
                    project.link_entity(annotation.id, entities[(number + index) % 2])
        order = [d.id for d in project.documents(with_text=False)]  # the export's order
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")  # another program's table: any value in any column
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'annotations'").fetchone()[0]
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'annotations'", [sql.replace("quote TEXT NOT NULL", "quote")])
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    ids = [row[0] for document_id in order
           for row in conn.execute("SELECT id FROM annotations WHERE document_id = ? ORDER BY start", [document_id])]
    updates = [(RISKY[number % len(RISKY)], ATTRIBUTES[number % len(ATTRIBUTES)],
                RISKY[(number * 7) % len(RISKY)] if number % 3 else None, id_) for number, id_ in enumerate(ids)]
    conn.executemany("UPDATE annotations SET quote = ?, attributes = ?, note = ? WHERE id = ?", updates)
    for number in range(DOCUMENTS):  # every document damaged, whichever process writes it
        spans = ids[number * SPANS:(number + 1) * SPANS]
        conn.execute("UPDATE annotations SET quote = ? WHERE id = ?", [[5, 2.5, None, b"=blob", -3][number % 5], spans[1]])
        conn.execute("UPDATE annotations SET note = 0, label_id = 'gone' WHERE id = ?", [spans[3]])
    conn.commit()
    conn.close()
    return path


def _export(path: Path, out: Path, monkeypatch: pytest.MonkeyPatch, above: int, **options: Any) -> Any:
    return export_above(path, out, monkeypatch, csv_table, "csv", above, **options)


def _copy(project_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "copy.db"
    shutil.copyfile(project_path, path)
    return path


def test_the_second_process_writes_what_this_one_writes(project_path: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    results = kept_results(monkeypatch)
    split = _export(project_path, tmp_path / "split", monkeypatch, 1)
    assert results and results[0] is not None  # the process did its part
    whole = _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    assert len(results) == 1  # no process for the whole export
    assert written_files(tmp_path / "split") == written_files(tmp_path / "whole")
    assert split.warnings == whole.warnings
    assert any("extra, unknown" in warning for warning in split.warnings)
    theirs = results[0]["text"].decode("utf-8")  # the hard cases reached the other process too (its 48 spans: every value)
    for cell in ("'=1+1", "'\tx", "'－x", ",-5,", "'=Ministry", '"Health, Ministry"', ",?,", "gold", ",true,",
                 '"[""a"", ""b""]"'):
        assert cell in theirs, cell
    data = (tmp_path / "whole" / "annotations.csv").read_bytes()
    assert all(cell in data for cell in (b",5,", b",2.5,", b"b'=blob'", b",-3,"))
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1  # the mark once, at the start
    assert data.count(b"\r\n") == DOCUMENTS * SPANS + 1


@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])
def test_any_share_of_the_documents_gives_the_same_file(share: float, project_path: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_table, "SECOND_SHARE", share)
    _export(project_path, tmp_path / "split", monkeypatch, 1)
    _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    assert written_files(tmp_path / "split") == written_files(tmp_path / "whole")


def test_progress_reaches_the_total(project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int]] = []
    _export(project_path, tmp_path / "split", monkeypatch, 1, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, DOCUMENTS) and seen[-1] == (DOCUMENTS, DOCUMENTS)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_failed_process_leaves_its_documents_to_this_one(project_path: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lose_the_result(monkeypatch)
    failed = _export(project_path, tmp_path / "failed", monkeypatch, 1)
    whole = _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    assert written_files(tmp_path / "failed") == written_files(tmp_path / "whole")
    assert failed.warnings == whole.warnings


def test_a_process_that_crashes_leaves_its_documents_to_this_one(project_path: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Its task lacks the attribute cells of its rows: it raises (KeyError) and ends without a result."""
    results = kept_results(monkeypatch)
    monkeypatch.setattr(csv_table.Attributes, "of", lambda self, ids: {"attributes": {"{}": ("",) * len(self.names)}})
    crashed = _export(project_path, tmp_path / "crashed", monkeypatch, 1)
    assert results == [None]
    whole = _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    assert written_files(tmp_path / "crashed") == written_files(tmp_path / "whole")
    assert crashed.warnings == whole.warnings


def test_no_interpreter_to_start_means_no_second_process(project_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_process.sys, "executable", str(tmp_path / "no-python"))
    _export(project_path, tmp_path / "a", monkeypatch, 1)
    monkeypatch.setattr(second_process.sys, "executable", "/bin/false" if Path("/bin/false").exists() else "")
    _export(project_path, tmp_path / "b", monkeypatch, 1)
    _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    assert written_files(tmp_path / "a") == written_files(tmp_path / "b") == written_files(tmp_path / "whole")


@pytest.mark.parametrize("where", ["theirs", "both"])
def test_a_bad_attributes_value_raises_as_in_one_process(where: str, project_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A value that does not parse, in the other process's documents (twice: the first in export order is named) or
    in this one's too: no result of the other process is used, and the error is the in-process one."""
    path = _copy(project_path, tmp_path)
    with Project.open(path) as project:
        order = [d.id for d in project.documents(with_text=False)]
    conn = sqlite3.connect(path)

    def spans(document_id: str) -> list[str]:
        return [row[0] for row in conn.execute("SELECT id FROM annotations WHERE document_id = ? ORDER BY start",
                                               [document_id])]

    bad = [spans(order[-1])[2], spans(order[-1])[8]] if where == "theirs" else [spans(order[0])[2], spans(order[-1])[2]]
    conn.executemany("UPDATE annotations SET attributes = ? WHERE id = ?", [("{not json", bad[0]), ("[1]", bad[1])])
    conn.commit()
    conn.close()
    results = kept_results(monkeypatch)
    with pytest.raises(AnnotatorError) as split:
        _export(path, tmp_path / "split", monkeypatch, 1)
    assert results in ([None], [])  # ended unused (theirs), or never waited for (this process raised first)
    with pytest.raises(AnnotatorError) as whole:
        _export(path, tmp_path / "whole", monkeypatch, 10**9)
    assert str(split.value) == str(whole.value) and bad[0] in str(split.value)
    assert not (tmp_path / "split").exists()


def test_a_cancel_while_the_process_works_stops_it_and_leaves_nothing(project_path: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cancel_while_the_second_process_works(
        monkeypatch, lambda progress: _export(project_path, tmp_path / "out", monkeypatch, 1, progress=progress))
    assert list(tmp_path.iterdir()) == []
