"""Ask ext2/3/4 to place a folder's subfolders as it places top-level ones: in a fresh part of the disk.

ext4 puts a new file's inode in its folder's block group, starting its search at the group's first inode.
Without a journal (as on this project's benchmark machine), it skips every free inode deleted in the last
minute (``recently_deleted`` in fs/ext4/ialloc.c), looking each one up: after some program removed a few
thousand files near the folder (a test's ``rmtree``, the last export's), every file created there paid for
the whole list. An xmi export creates 3,000 files and 1,000 folders under one folder: 0.2 s of kernel time
on a quiet disk, 1-3 s after such a removal (perf: ``recently_deleted`` and the buffer look-ups under it,
half of the export's CPU).

The ``T`` attribute (``chattr +T``, ``FS_TOPDIR_FL``) marks a folder as the top of a hierarchy: ext4's
Orlov allocator then puts each of its subfolders in the least used block group, away from the busy groups
of the folders around it (where every program's temporary files come and go), and the files under them follow
their folders. It does not help against the export's own kind: the least used group is the same one each
time, so removing an earlier export placed there and exporting again within the minute pays as before
(1.6-5 s of system time for a tree like the export's, measured). The flag is set on the export's staging
folder only while it is written and put back after; anywhere it cannot be set (not Linux, another file
system, no permission) nothing changes.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
from collections.abc import Iterator

FS_TOPDIR_FL = 0x00020000
"""``linux/fs.h``: "top of directory hierarchies"."""
_LONG = struct.calcsize("l")
FS_IOC_GETFLAGS = (2 << 30) | (_LONG << 16) | (ord("f") << 8) | 1
"""``_IOR('f', 1, long)``; the kernel reads and writes an ``int`` there."""
FS_IOC_SETFLAGS = (1 << 30) | (_LONG << 16) | (ord("f") << 8) | 2


def _flags(fd: int) -> int:
    import fcntl

    result: bytes = fcntl.ioctl(fd, FS_IOC_GETFLAGS, bytes(_LONG))
    return int(struct.unpack_from("i", result)[0])


def _set_flags(fd: int, flags: int) -> None:
    import fcntl

    fcntl.ioctl(fd, FS_IOC_SETFLAGS, struct.pack("i", flags) + bytes(_LONG - 4))


@contextlib.contextmanager
def spread_subfolders(folder: str | os.PathLike[str]) -> Iterator[bool]:
    """While the block runs, subfolders made in ``folder`` are placed as top-level folders (yields whether the
    file system took the hint); its flags are as before afterwards."""
    if not sys.platform.startswith("linux"):
        yield False
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield False
        return
    try:
        try:
            before = _flags(fd)
            if not before & FS_TOPDIR_FL:
                _set_flags(fd, before | FS_TOPDIR_FL)
        except OSError:  # tmpfs, btrfs, xfs, a network file system: no such flag
            yield False
            return
        try:
            yield True
        finally:
            if not before & FS_TOPDIR_FL:
                with contextlib.suppress(OSError):
                    _set_flags(fd, before)
    finally:
        os.close(fd)
