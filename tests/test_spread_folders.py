"""``spread_subfolders``: the ext2/3/4 "top of hierarchy" flag on an export's folder while it is written, put back
after; nothing (and no error) where a file system has no such flag."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from annotator import spread_folders
from annotator.spread_folders import FS_TOPDIR_FL, spread_subfolders


def _flags(folder: Path) -> int:
    fd = os.open(folder, os.O_RDONLY)
    try:
        return spread_folders._flags(fd)
    finally:
        os.close(fd)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux file-system flags")
def test_the_flag_is_set_while_writing_and_put_back_after(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    try:
        before = _flags(folder)
    except OSError:
        pytest.skip("this file system keeps no inode flags")
    with spread_subfolders(folder) as spread:
        (folder / "annotation").mkdir()
        (folder / "annotation" / "doc").mkdir()
        (folder / "annotation" / "doc" / "a.xmi").write_bytes(b"x")
        if spread:
            assert _flags(folder) & FS_TOPDIR_FL
            assert not _flags(folder / "annotation") & FS_TOPDIR_FL  # not inherited by the subfolders
    assert _flags(folder) == before
    assert (folder / "annotation" / "doc" / "a.xmi").read_bytes() == b"x"


def test_an_error_inside_still_puts_the_flags_back(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(KeyboardInterrupt), spread_subfolders(folder):
        raise KeyboardInterrupt("Cancel")
    try:
        assert not _flags(folder) & FS_TOPDIR_FL
    except OSError:
        pass  # no flags on this file system: nothing was set


def test_a_folder_already_marked_keeps_its_mark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(spread_folders, "_flags", lambda fd: FS_TOPDIR_FL | 0x80000)
    monkeypatch.setattr(spread_folders, "_set_flags", lambda fd, flags: calls.append(flags))
    monkeypatch.setattr(spread_folders.sys, "platform", "linux")
    with spread_subfolders(tmp_path) as spread:
        assert spread
    assert calls == []


def test_without_the_flag_nothing_is_set_and_nothing_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(fd: int) -> int:
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(spread_folders, "_flags", refuse)
    monkeypatch.setattr(spread_folders.sys, "platform", "linux")
    with spread_subfolders(tmp_path) as spread:
        assert not spread
    with spread_subfolders(tmp_path / "missing") as spread:
        assert not spread
    monkeypatch.setattr(spread_folders.sys, "platform", "win32")
    with spread_subfolders(tmp_path) as spread:
        assert not spread


def test_the_flag_is_set_and_cleared_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(spread_folders, "_flags", lambda fd: 0x80000)  # extents
    monkeypatch.setattr(spread_folders, "_set_flags", lambda fd, flags: calls.append(flags))
    monkeypatch.setattr(spread_folders.sys, "platform", "linux")
    with spread_subfolders(tmp_path) as spread:
        assert spread and calls == [0x80000 | FS_TOPDIR_FL]
    assert calls == [0x80000 | FS_TOPDIR_FL, 0x80000]
