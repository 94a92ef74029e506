"""Above ``PROCESS_ABOVE`` annotations the qdpx export builds the second half of the sources in a second
process (``qde_text`` run by ``python -I -S``): the archive must be byte for byte the in-process one; a failed
process, a reviewer another program added in its half and a Cancel must end as they do in-process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotator import second_core
from annotator.errors import AnnotatorError
from annotator.exporters import refi_qda, second_process
from tests.export_helpers import export_above, kept_results, lose_the_result
from tests.test_export_xmi_second_process import project_path  # noqa: F401  # the fixture: 9 documents, 2 reviewers, gold


@pytest.fixture(autouse=True)
def core_free(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the load on the machine running the tests (busy, the export would not start a process)."""
    monkeypatch.setattr(second_core, "free", second_core.startable)


def _export(path: Path, out: Path, monkeypatch: pytest.MonkeyPatch, above: int, **options: Any) -> Any:
    return export_above(path, out / "project.qdpx", monkeypatch, refi_qda, "qdpx", above, **options)


def test_the_second_process_writes_what_this_one_writes(project_path: Path, tmp_path: Path,  # noqa: F811
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    results = kept_results(monkeypatch)
    split = _export(project_path, tmp_path / "split", monkeypatch, 1)
    assert len(results) == 1 and results[0] is not None and results[0]["chunks"]
    whole = _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    assert len(results) == 1
    assert (tmp_path / "split" / "project.qdpx").read_bytes() == (tmp_path / "whole" / "project.qdpx").read_bytes()
    assert (split.warnings, split.relations) == (whole.warnings, whole.relations)
    assert split.relations  # links from both halves


def test_a_failed_process_leaves_its_documents_to_this_one(project_path: Path, tmp_path: Path,  # noqa: F811
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lose_the_result(monkeypatch)
    _export(project_path, tmp_path / "failed", monkeypatch, 1)
    monkeypatch.setattr(second_process.sys, "executable", str(tmp_path / "no-python"))
    _export(project_path, tmp_path / "none", monkeypatch, 1)
    _export(project_path, tmp_path / "whole", monkeypatch, 10**9)
    whole = (tmp_path / "whole" / "project.qdpx").read_bytes()
    assert (tmp_path / "failed" / "project.qdpx").read_bytes() == whole
    assert (tmp_path / "none" / "project.qdpx").read_bytes() == whole


def test_a_reviewer_the_selection_did_not_count_stops_the_export(project_path: Path, tmp_path: Path,  # noqa: F811
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """As if another program added "bo b"'s annotations after the selection: named the same way from either half."""
    users = refi_qda._users
    monkeypatch.setattr(refi_qda, "_users", lambda job: {k: v for k, v in users(job).items() if k != "bo b"})
    messages = []
    for above in (1, 10**9):
        with pytest.raises(AnnotatorError, match="annotations by bo b were added while exporting") as raised:
            _export(project_path, tmp_path / str(above), monkeypatch, above)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]


def test_a_cancel_while_the_process_works_stops_it(project_path: Path, tmp_path: Path,  # noqa: F811
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Any] = []
    start = refi_qda._start
    monkeypatch.setattr(refi_qda, "_start", lambda job: started.append(start(job)) or started[-1])

    def progress(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt("Cancel")

    with pytest.raises(KeyboardInterrupt):
        _export(project_path, tmp_path / "out", monkeypatch, 1, progress=progress)
    assert started and started[0] is not None and started[0].process.poll() is not None
    assert not (tmp_path / "out" / "project.qdpx").exists()
