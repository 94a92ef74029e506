"""Exports appear whole or not at all: a failure half-way changes nothing, and a killed run's leftovers never block."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_export_sample import build_sample

from annotator import Project, atomic
from annotator.atomic import Staging, clean_stale, write_text
from annotator.exporters import brat, csv_table, export


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = build_sample(tmp_path_factory.mktemp("sample") / "sample.db")
    yield project
    project.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (temporaries included, they start with a dot) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_csv_failing_half_way_leaves_the_previous_export(sample: Project, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    export(sample, "csv", out)
    before = snapshot(tmp_path)
    real = csv_table.csvio.write_cells  # the csv export writes its prepared cells through it

    def some_rows_then_fail(stream, header, rows):  # type: ignore[no-untyped-def]
        real(stream, header, (row for n, row in enumerate(rows) if n < 3))
        stream.flush()
        raise OSError("disk full")

    monkeypatch.setattr(csv_table.csvio, "write_cells", some_rows_then_fail)
    with pytest.raises(OSError, match="disk full"):
        export(sample, "csv", out, force=True)
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in out.iterdir()) == ["annotations.csv", "csv.DATASET.md"]


def test_brat_failing_half_way_leaves_the_previous_folder(sample: Project, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    export(sample, "brat", out)
    (out / "mine.txt").write_text("keep me")
    before = snapshot(tmp_path)
    real = brat.ann_lines
    calls = []

    def fail_on_the_second(*args):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(*args)

    monkeypatch.setattr(brat, "ann_lines", fail_on_the_second)
    with pytest.raises(RuntimeError, match="boom"):
        export(sample, "brat", out, force=True)
    assert len(calls) == 2 and snapshot(tmp_path) == before
    with pytest.raises(RuntimeError, match="boom"):  # a new folder is not created at all
        calls.clear()
        export(sample, "brat", tmp_path / "new" / "deeper")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_brat_replaces_an_old_export_and_keeps_other_files(sample: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(sample, "brat", out)
    first = snapshot(out)
    for name in first:
        if name.endswith(".ann"):
            (out / name).write_text("stale")
    (out / "mine.txt").write_text("keep me")
    export(sample, "brat", out, force=True)
    after = snapshot(out)
    assert after.pop("mine.txt") == b"keep me"
    assert {k: v for k, v in after.items() if k != "brat.DATASET.md"} == {k: v for k, v in first.items() if k != "brat.DATASET.md"}
    assert not [p for p in tmp_path.rglob(".*")]  # no temporary, no backup


def test_stale_leftovers_never_block_and_are_cleaned(sample: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = dead_pid()
    killed_folder = tmp_path / f".out.tmp-{dead}-0123abcd"  # a brat run killed before its folder was renamed in
    killed_folder.mkdir()
    (killed_folder / "0001-x.ann").write_text("half")
    old = out / f".annotations.csv.tmp-{os.getpid()}-89abcdef"  # our own pid (alive) but two hours old
    old.write_text("half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    young = out / f".annotations.csv.tmp-{os.getpid()}-deadbeef"  # a live run's: left alone
    young.write_text("in progress")
    unrelated = out / ".annotations.csv.tmp-notes"  # not our pattern: never touched
    unrelated.write_text("mine")
    result = export(sample, "csv", out, force=True)
    assert result.data.read_bytes().startswith(b"\xef\xbb\xbfdocument_id,")
    assert not old.exists() and young.exists() and unrelated.exists()
    assert killed_folder.exists()  # the csv export stages inside out/, it only cleans there
    assert clean_stale(tmp_path) == [killed_folder] and not killed_folder.exists()
    export(sample, "brat", tmp_path / "b")
    (tmp_path / f".b.tmp-{dead}-00000000").mkdir()
    export(sample, "brat", tmp_path / "b", force=True)  # stages inside b/, so cleans there; the sibling stays
    export(sample, "brat", tmp_path / "c")  # stages next to c, cleaning the killed sibling
    assert not (tmp_path / f".b.tmp-{dead}-00000000").exists()


def test_a_failed_commit_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("old a")
    (tmp_path / "b.txt").write_text("old b")
    real = os.replace
    calls = []

    def fail_second(src, dst):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) == 2:
            raise PermissionError("locked")
        real(src, dst)

    with Staging() as stage:
        stage.file(tmp_path / "a.txt").write_text("new a")
        stage.file(tmp_path / "b.txt").write_text("new b")
        monkeypatch.setattr(atomic.os, "replace", fail_second)
        with pytest.raises(PermissionError):
            stage.commit()
        monkeypatch.setattr(atomic.os, "replace", real)
    assert snapshot(tmp_path) == {"a.txt": b"old a", "b.txt": b"old b"}
    write_text(tmp_path / "a.txt", "newer")
    assert snapshot(tmp_path) == {"a.txt": b"newer", "b.txt": b"old b"}


KILLED_EXPORT = """
import sys, time
from annotator import Project
from annotator.exporters import export
with Project.open(sys.argv[1]) as project:
    export(project, "brat", sys.argv[2], progress=lambda done, total: time.sleep(0.3), force=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_export_leaves_the_old_output_and_the_next_run_succeeds(sample: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(sample, "brat", out)
    before = snapshot(out)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    child = subprocess.Popen([sys.executable, "-c", KILLED_EXPORT, str(sample.path), str(out)], env=env)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".out.tmp-") and any(p.iterdir()) for p in out.iterdir()):
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    leftovers = [p for p in out.iterdir() if p.name.startswith(".")]
    assert len(leftovers) == 1 and {k: v for k, v in snapshot(out).items() if not k.startswith(".")} == before
    export(sample, "brat", out, force=True)
    assert not leftovers[0].exists() and not [p for p in out.iterdir() if p.name.startswith(".")]
