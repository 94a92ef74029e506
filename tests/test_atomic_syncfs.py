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


def test_without_syncfs_every_file_and_folder_of_a_deep_tree_is_fsynced(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk stops once it has seen enough files to choose syncfs; without one it must still reach every file."""
    calls = count_calls(monkeypatch, None)
    folders: list[Path] = []
    monkeypatch.setattr(atomic, "_fsync_dir", folders.append)
    with atomic.Staging() as stage:
        staged = stage.folder(tmp_path / "out")
        for number in range(30):  # an xmi export's shape: a folder per document, a few files in each
            (staged / "annotation" / f"{number:04}").mkdir(parents=True)
            for user in ("alice", "bob"):
                (staged / "annotation" / f"{number:04}" / f"{user}.xmi").write_text(user)
        stage.commit()
    assert calls == {"syncfs": 0, "fsync_file": 60}
    assert len(set(folders[:-1])) == len(folders) - 1 == 32  # out, annotation, 30 document folders, each once
    assert folders[-1] == tmp_path  # then the folder the rename changed
    assert len(list((tmp_path / "out" / "annotation").rglob("*.xmi"))) == 60


def test_with_syncfs_a_deep_tree_takes_one_syncfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_calls(monkeypatch, 0)
    with atomic.Staging() as stage:
        staged = stage.folder(tmp_path / "out")
        for number in range(30):
            (staged / f"{number:04}").mkdir()
            (staged / f"{number:04}" / "a.xmi").write_text("a")
        stage.commit()
    assert calls == {"syncfs": 1, "fsync_file": 0}


def test_a_sync_started_early_runs_in_a_thread_and_is_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``start_sync``: one syncfs of the file system in a thread; its error is left to the commit's own sync."""
    import threading

    ran: list[tuple[int, bool]] = []

    def syncfs(fd: int) -> int:
        ran.append((fd, threading.current_thread() is threading.main_thread()))
        return 5  # EIO: not raised here
    monkeypatch.setattr(atomic, "_syncfs", lambda: syncfs)
    wait = atomic.start_sync(tmp_path)
    wait()
    assert len(ran) == 1 and ran[0][1] is False
    monkeypatch.setattr(atomic, "_syncfs", lambda: None)  # no trustworthy syncfs: nothing started
    atomic.start_sync(tmp_path)()
    assert len(ran) == 1
