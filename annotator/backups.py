"""Snapshots of a project file, made with SQLite's backup API, and restoring one.

Snapshots live in the user data folder, not beside the project, so they never clutter the
user's folder and are never merged or imported by mistake::

    <data dir>/backups/<project stem>-<hash of its absolute path>/<timestamp>-<reason>.db

``ANNOTATOR_BACKUP_DIR`` replaces ``<data dir>/backups`` (tests, portable installs). A snapshot is
read through its own read-only connection in one step, so it is consistent even while the app or
another process writes. Made before a merge, before an import of more than ``IMPORT_THRESHOLD``
rows, once a day while the app is open, before a restore, and on request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.errors import AnnotatorError, NotAProjectError, ProjectFileError
from annotator.store import check_project_file, snapshots

if TYPE_CHECKING:
    from concurrent.futures import Future

    from annotator.project import Project

KEEP = 10
"""Snapshots kept whatever their reason: the newest ones."""
KEEP_DAILY = 7
"""Daily snapshots kept besides those (one per day): a burst of merges never erases last week."""
IMPORT_THRESHOLD = 1000
"""An import of more rows than this (documents + annotations) is backed up first; smaller ones cost nothing."""
STAMP = "%Y%m%d-%H%M%S-%f"
NAME = re.compile(r"^(\d{8}-\d{6}-\d{6})-([a-z0-9-]+)\.db$")


class BackupError(AnnotatorError):
    """A snapshot could not be made, or a backup file cannot be restored."""


@dataclass(frozen=True)
class Backup:
    """One snapshot file; ``documents``/``annotations`` are None when the file cannot be read."""

    path: Path
    created: dt.datetime
    reason: str
    size: int
    documents: int | None
    annotations: int | None

    @property
    def name(self) -> str:
        return self.path.name

    def to_dict(self) -> dict[str, object]:
        return {"file": self.name, "path": str(self.path), "created": self.created.isoformat(timespec="seconds"),
                "reason": self.reason, "size": self.size, "documents": self.documents, "annotations": self.annotations}


def backup_root() -> Path:
    override = os.environ.get("ANNOTATOR_BACKUP_DIR")
    if override:
        return Path(override)
    from annotator.paths import data_dir  # paths imports the importers, which import this module

    return data_dir() / "backups"


def backup_dir(project_path: str | Path) -> Path:
    """The folder of one project's snapshots: its stem for people, a hash of its path for uniqueness."""
    import hashlib  # not at start-up: the daily backup runs after the first frame

    absolute = Path(project_path).resolve()
    digest = hashlib.sha256(str(absolute).encode("utf-8")).hexdigest()[:10]
    return backup_root() / f"{absolute.stem}-{digest}"


def snapshot(project_path: str | Path, reason: str, *, prune_after: bool = True) -> Path:
    """Copy the project's committed state to a new snapshot file and return its path.

    Written under a temporary name and renamed when complete: a crash never leaves half a backup
    that looks whole. Raises ``BackupError`` when the folder cannot be written.
    """
    if not NAME.match(f"20000101-000000-000000-{reason}.db"):
        raise ValueError(f"reason must be lower-case words and dashes, not {reason!r}")
    source_path = Path(project_path)
    check_project_file(source_path)
    folder = backup_dir(source_path)
    stamp = dt.datetime.now()
    target = folder / f"{stamp.strftime(STAMP)}-{reason}.db"
    while target.exists():  # two snapshots in the same microsecond
        stamp += dt.timedelta(microseconds=1)
        target = folder / f"{stamp.strftime(STAMP)}-{reason}.db"
    partial = target.with_suffix(".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        snapshots.copy(source_path, partial)
        partial.replace(target)
    except (OSError, snapshots.Error) as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise BackupError(f"cannot back up {source_path} to {folder}: {error} "
                          "(set ANNOTATOR_BACKUP_DIR to a writable folder)") from None
    if prune_after:
        prune(source_path)
    return target


def _counts(path: Path) -> tuple[int | None, int | None]:
    try:
        return snapshots.counts(path)
    except snapshots.Error:
        return None, None


def list_backups(project_path: str | Path, *, counts: bool = True) -> list[Backup]:
    """The project's snapshots, newest first. ``counts=False`` skips opening each file."""
    folder = backup_dir(project_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = NAME.match(path.name)
        if not match or not path.is_file():
            continue
        documents, annotations = _counts(path) if counts else (None, None)
        found.append(Backup(path, dt.datetime.strptime(match[1], STAMP), match[2], path.stat().st_size,
                            documents, annotations))
    return sorted(found, key=lambda b: b.created, reverse=True)


def prune(project_path: str | Path, keep: int = KEEP, keep_daily: int = KEEP_DAILY) -> list[Path]:
    """Delete old snapshots: keep the newest ``keep``, plus the newest daily of each of the last ``keep_daily`` days."""
    backups = list_backups(project_path, counts=False)
    kept = {b.path for b in backups[:keep]}
    days: set[dt.date] = set()
    for backup in backups:
        if backup.reason != "daily" or backup.created.date() in days:
            continue
        if backup.path in kept or len(days) < keep_daily:
            kept.add(backup.path)
        days.add(backup.created.date())
    # at most one daily per day: a second one the same day goes even if it is among the newest
    seen: set[dt.date] = set()
    for backup in backups:
        if backup.reason == "daily":
            if backup.created.date() in seen:
                kept.discard(backup.path)
            seen.add(backup.created.date())
    removed = [b.path for b in backups if b.path not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def ensure_daily(project_path: str | Path, today: dt.date | None = None) -> Path | None:
    """Make today's daily snapshot unless it exists; return its path if one was made."""
    today = today or dt.date.today()
    if any(b.reason == "daily" and b.created.date() == today for b in list_backups(project_path, counts=False)):
        return None
    return snapshot(project_path, "daily")


def before_import(project: Project, rows: int) -> Path | None:
    """The import hook: snapshot a project that already holds documents before a large import."""
    if rows <= IMPORT_THRESHOLD or not project.counts()["documents"]:
        return None
    return snapshot(project.path, "before-import")


def before_merge(project: Project) -> Path:
    return snapshot(project.path, "before-merge")


def before_merge_started(project: Project) -> Future[Path]:
    """``before_merge`` in a thread, for a caller that has begun its write transaction (in WAL mode) and takes
    ``result()`` before it commits: the snapshot then holds the state that transaction started from.

    SQLite's backup step and its reads run without the GIL, so the copy (~0.1-0.2 s for a 25 MB project)
    overlaps the merge's inserts instead of preceding them. ``result()`` raises ``BackupError`` as
    ``before_merge`` does; the caller then rolls back and nothing is merged, as before."""
    from annotator.background import started

    return started(lambda: before_merge(project), "before-merge")


def find_backup(project_path: str | Path, which: str) -> Path:
    """A backup named by its index in ``list_backups`` (1 = newest), its file name, or a path."""
    backups = list_backups(project_path, counts=False)
    if which.isdigit():
        index = int(which)
        if not 1 <= index <= len(backups):
            raise BackupError(f"no backup number {index} ({len(backups)} backup(s) of {project_path}; "
                              "list them with `annotator backups`)")
        return backups[index - 1].path
    for backup in backups:
        if backup.name == which:
            return backup.path
    if Path(which).is_file():
        return Path(which)
    raise BackupError(f"no backup {which!r} of {project_path} (list them with `annotator backups`)")


def check_backup(path: Path) -> None:
    """Refuse, in one line, a file that is not a whole Annotator project this version can restore."""
    try:
        check_project_file(path)
    except (NotAProjectError, ProjectFileError) as error:
        raise BackupError(f"cannot restore: {error}") from None
    try:
        problems = snapshots.problems(path)
    except snapshots.Error as error:
        raise BackupError(f"cannot restore {path}: the file is damaged ({error})") from None
    if problems != ["ok"]:
        raise BackupError(f"cannot restore {path}: the file is damaged ({'; '.join(problems)})")


def restore(project: Project, backup_path: str | Path) -> Path:
    """Replace the open project's content with a backup's, in place; return the "before-restore" snapshot.

    Copied through the backup API into the project's own connection, so the file is replaced
    consistently while it stays open here and elsewhere. Undo history and caches are dropped: they
    describe rows that may no longer exist. A backup from an older Annotator is migrated.
    """
    backup_path = Path(backup_path)
    check_backup(backup_path)
    saved = snapshot(project.path, "before-restore", prune_after=False)  # pruning could delete the backup chosen
    try:
        snapshots.copy_into(backup_path, project.db)
    except snapshots.Error as error:
        raise BackupError(f"cannot restore {backup_path}: {error}") from None
    snapshots.upgrade(project.db)
    project.forget_everything()
    prune(project.path)
    return saved
