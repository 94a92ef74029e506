"""Outputs that appear whole or not at all: written under a temporary sibling name, fsynced, renamed into place.

    with Staging() as stage:
        staged = stage.folder(out)      # or stage.file(path) for one file
        ... write everything under ``staged`` ...
        stage.commit()                  # put it all into place; on error nothing changes

A reader (or the next run) never sees half a file, and a failure or a Cancel leaves the previous
output as it was and no temporary behind. A killed run can leave a temporary; its name is unique
(``.NAME.tmp-PID-RANDOM``), so it never blocks the next run, which removes it once its process
is gone or it is an hour old.
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import re
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

__all__ = ["STALE_AFTER", "Staging", "clean_stale", "open_atomic", "start_sync", "temp_sibling", "write_bytes",
           "write_text"]

STALE_AFTER = 3600.0
"""Seconds after its last write that a temporary counts as abandoned even if its pid looks alive (pids are reused)."""
_TEMP_NAME = re.compile(r"^\..+\.(?:tmp|old)-(\d+)-[0-9a-f]{8}$")


def temp_sibling(target: Path, kind: str = "tmp") -> Path:
    """A name next to ``target`` that no other run (or thread) uses: ``.NAME.tmp-PID-RANDOM``."""
    return target.parent / _temp_name(target, kind)


def _temp_name(target: Path, kind: str = "tmp") -> str:
    name = target.name or Path(os.path.abspath(target)).name or "out"  # "." and "/" have no name of their own
    return f".{name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would end the process: age decides there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, someone else's
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clean_stale(folder: Path, max_age: float = STALE_AFTER) -> list[Path]:
    """Remove this module's temporaries in ``folder`` left by dead runs; never raises. Returns what went."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if not match:
            continue
        try:
            age = now - entry.lstat().st_mtime
        except OSError:
            continue
        if age < max_age and _pid_alive(int(match[1])):
            continue
        with contextlib.suppress(OSError):
            _remove(entry)
            removed.append(entry)
    return removed


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open a folder for fsync)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


FSYNC_THREADS = 16
"""fsyncs of a folder's files run this many at a time: the file system commits them together (a brat export of
1,000 documents has 2,000 files; one after the other they took seconds, together a tenth of that)."""
SYNCFS_ABOVE = 16
"""A folder of more files than this is made durable by one ``syncfs(2)`` where the system has a trustworthy one."""


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """libc's ``syncfs`` on Linux 5.8 or later, else None.

    ``syncfs(fd)`` writes out every dirty page and all metadata of the file system holding ``fd`` and
    waits until they are on the device: after it returns, every file and folder entry the export wrote
    there is as durable as after an ``fsync`` of each (plus the folders). Since Linux 5.8 it also
    reports a write-back error of that file system, as ``fsync`` does for a file; before 5.8 it always
    returned 0, so older kernels keep the per-file ``fsync``. One call instead of 2,000 journal commits
    (a brat export): a fifth of the time even with 16 fsyncs at once. It may also flush other programs'
    pending writes on that file system, which costs them nothing but time."""
    if not sys.platform.startswith("linux"):
        return None
    version = re.match(r"(\d+)\.(\d+)", platform.release())
    if version is None or (int(version[1]), int(version[2])) < (5, 8):
        return None
    import ctypes  # here: only exports of many files need it

    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = [ctypes.c_int], ctypes.c_int

    def syncfs(fd: int) -> int:
        return 0 if function(fd) == 0 else ctypes.get_errno()

    return syncfs


def _sync_file_system(path: Path) -> bool:
    """``syncfs`` the file system holding ``path``: False where there is none to trust; raises its error."""
    syncfs = _syncfs()
    if syncfs is None:
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        error = syncfs(fd)
    finally:
        os.close(fd)
    if error:
        raise OSError(error, os.strerror(error), str(path))
    return True


def start_sync(path: Path) -> Callable[[], None]:
    """Start writing out the file system holding ``path`` (one ``syncfs`` in a thread) and return the function that
    waits for it: a head start for ``Staging.commit``'s sync, for a writer with files written and a moment to wait
    (an xmi export waiting for its second process). Its errors are left to that sync; nothing where there is no
    ``syncfs``."""
    if _syncfs() is None:
        return lambda: None

    def sync() -> None:
        with contextlib.suppress(OSError):
            _sync_file_system(path)

    thread = threading.Thread(target=sync, name="start-sync", daemon=True)
    thread.start()
    return thread.join


def _fsync_tree(path: Path) -> None:
    if path.is_dir():
        walked: list[tuple[str, list[str]]] = []
        files_seen = 0
        walk = os.walk(path)
        for root, _dirs, names in walk:
            walked.append((root, names))
            files_seen += len(names)
            if files_seen > SYNCFS_ABOVE:
                break  # enough to choose syncfs: walking the rest (an xmi export's 1,000 folders) cost a tenth of a second
        if files_seen > SYNCFS_ABOVE and _sync_file_system(path):
            return  # every file written under ``path`` is on the device (a folder made here holds no mount point)
        walked += [(root, names) for root, _dirs, names in walk]  # no syncfs: every file and folder is fsynced
        # Paths only here: 4,000 of them cost a tenth of a second that syncfs does not need.
        files = [Path(root) / name for root, names in walked for name in names]
        folders = [Path(root) for root, _ in walked]
        if len(files) > 1:
            with ThreadPoolExecutor(min(FSYNC_THREADS, len(files))) as pool:
                list(pool.map(_fsync_file, files))  # list(): the first error is raised here
                list(pool.map(_fsync_dir, folders))  # an xmi export has a folder per document: 1,000 in a row took seconds
        else:
            for file in files:
                _fsync_file(file)
            for folder in folders:
                _fsync_dir(folder)
    elif path.exists():
        _fsync_file(path)


class Staging:
    """Files and folders written under temporary names, put into place by ``commit()`` or removed on exit."""

    def __init__(self) -> None:
        self._items: list[tuple[Path, Path, bool]] = []  # (temporary, target, merge into an existing folder)
        self._backups: list[Path] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def file(self, target: Path) -> Path:
        """Where to write what becomes ``target`` (whose folder must exist)."""
        clean_stale(target.parent)
        temp = temp_sibling(target)
        self._items.append((temp, target, False))
        return temp

    def folder(self, target: Path) -> Path:
        """A new empty folder to build what becomes ``target``.

        A missing ``target`` is created by renaming the whole folder into place. An existing one is
        kept, with its other files (a user may point an export at a folder holding their own work):
        the temporary is built inside it and each entry replaces its namesake at commit."""
        merge = target.is_dir()
        temp = target / _temp_name(target) if merge else temp_sibling(target)
        clean_stale(temp.parent)
        temp.mkdir()
        self._items.append((temp, target, merge))
        return temp

    def commit(self) -> None:
        """fsync everything, then rename it into place; if any rename fails, undo the ones done and raise."""
        for temp, _target, _merge in self._items:
            _fsync_tree(temp)
        undo: list[Callable[[], Any]] = []
        try:
            for temp, target, merge in self._items:
                if merge:
                    for entry in sorted(temp.iterdir()):
                        self._put(entry, target / entry.name, undo)
                else:
                    self._put(temp, target, undo)
                _fsync_dir(target.parent)
                if merge:
                    _fsync_dir(target)
        except BaseException:
            for action in reversed(undo):
                with contextlib.suppress(OSError):
                    action()
            raise

    def _put(self, new: Path, target: Path, undo: list[Callable[[], Any]]) -> None:
        """Rename ``new`` to ``target``, keeping what was there as a backup until the whole commit is done."""
        if not (target.exists() or target.is_symlink()):
            os.replace(new, target)
            undo.append(lambda: _remove(target))
            return
        backup = temp_sibling(target, "old")
        self._backups.append(backup)
        if target.is_dir() or new.is_dir():  # a folder cannot be replaced in one rename: move the old aside first
            os.replace(target, backup)
            undo.append(lambda: os.replace(backup, target))
            os.replace(new, target)
            undo.append(lambda: _remove(target))
            return
        try:  # a hard link keeps the old file without ever leaving ``target`` missing
            os.link(target, backup, follow_symlinks=False)
        except OSError:
            shutil.copy2(target, backup, follow_symlinks=False)
        os.replace(new, target)
        undo.append(lambda: os.replace(backup, target))

    def discard(self) -> None:
        """Remove whatever temporaries and backups are left (all of them after a commit or a failure)."""
        for temp, _target, _merge in self._items:
            with contextlib.suppress(OSError):
                _remove(temp)
        for backup in self._backups:
            with contextlib.suppress(OSError):
                _remove(backup)
        self._items.clear()
        self._backups.clear()


@contextlib.contextmanager
def open_atomic(target: str | os.PathLike[str], encoding: str = "utf-8", newline: str | None = "") -> Iterator[IO[str]]:
    """A text stream that becomes ``target`` when the block ends without error, and nothing otherwise."""
    target = Path(target)
    with Staging() as stage:
        temp = stage.file(target)
        with temp.open("w", encoding=encoding, newline=newline) as stream:
            yield stream
        stage.commit()


def write_text(target: str | os.PathLike[str], text: str, encoding: str = "utf-8", newline: str | None = "") -> None:
    """``Path.write_text``, atomically."""
    with open_atomic(target, encoding=encoding, newline=newline) as stream:
        stream.write(text)


def write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """``Path.write_bytes``, atomically (a chart written by ``annotator timeline``)."""
    with Staging() as stage:
        stage.file(Path(target)).write_bytes(data)
        stage.commit()
