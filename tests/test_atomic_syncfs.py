"""A folder of many files is made durable by one syncfs where the kernel reports its errors, else by an fsync per
file; an error from either fails the commit and leaves the previous output in place."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import pytest

from annotator import atomic


def staged_folder(tmp_path: Path, files: int) -> tuple[atomic.Staging, Path]:
    tmp_path.mkdir(exist_ok=True)
    stage = atomic.Staging()
    folder = stage.folder(tmp_path / "out")
    for number in range(files):
        (folder / f"{number}.txt").write_text(f"file {number}")
    return stage, folder


def count_calls(monkeypatch: pytest.MonkeyPatch, syncfs_result: int | None) -> dict[str, int]:
    calls = {"syncfs": 0, "fsync_file": 0}
    plain = atomic._fsync_file

    def fsync_file(path: Path) -> None:
        calls["fsync_file"] += 1
        plain(path)

    def syncfs(fd: int) -> int:
        calls["syncfs"] += 1
        assert syncfs_result is not None
        return syncfs_result

    monkeypatch.setattr(atomic, "_fsync_file", fsync_file)
    monkeypatch.setattr(atomic, "_syncfs", lambda: None if syncfs_result is None else syncfs)
    return calls


def test_many_files_take_one_syncfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_calls(monkeypatch, 0)
    with staged_folder(tmp_path, atomic.SYNCFS_ABOVE + 1)[0] as stage:
        stage.commit()
    assert calls == {"syncfs": 1, "fsync_file": 0}
    assert len(list((tmp_path / "out").iterdir())) == atomic.SYNCFS_ABOVE + 1


def test_few_files_or_no_syncfs_fsync_each_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_calls(monkeypatch, 0)
    with staged_folder(tmp_path / "a", atomic.SYNCFS_ABOVE)[0] as stage:
        stage.commit()
    assert calls == {"syncfs": 0, "fsync_file": atomic.SYNCFS_ABOVE}
    calls = count_calls(monkeypatch, None)  # not Linux, or a kernel before 5.8
    with staged_folder(tmp_path / "b", 40)[0] as stage:
        stage.commit()
    assert calls == {"syncfs": 0, "fsync_file": 40}


def test_a_syncfs_error_fails_the_commit_and_keeps_the_old_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("old")
    count_calls(monkeypatch, errno.EIO)
    with pytest.raises(OSError) as raised, staged_folder(tmp_path, 30)[0] as stage:
        stage.commit()
    assert raised.value.errno == errno.EIO
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["old.txt"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs is Linux's")
def test_the_real_syncfs_succeeds_on_a_folder(tmp_path: Path) -> None:
    atomic._syncfs.cache_clear()
    if atomic._syncfs() is None:
        pytest.skip("kernel before 5.8")
    assert atomic._sync_file_system(tmp_path) is True
