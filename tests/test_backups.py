"""Snapshots: where they go, when they are made, pruning, and restoring into an open project."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator import Project
from annotator.backups import (
    IMPORT_THRESHOLD,
    KEEP,
    BackupError,
    backup_dir,
    ensure_daily,
    list_backups,
    prune,
    restore,
    snapshot,
)
from annotator.importers import ImportedDocument, ImportedSpan
from annotator.merge import merge_project

TABLES = ("documents", "labels", "entities", "annotations", "relations", "annotators")


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in TABLES}
    finally:
        conn.close()


def copy_project(source: Path, target: Path) -> None:
    """A whole copy of a WAL project (a file copy would miss what is still in the -wal)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()


def reasons(project: Project) -> list[str]:
    return [b.reason for b in list_backups(project.path)]


def spans_document(n: int) -> ImportedDocument:
    return ImportedDocument("word " * n, spans=[ImportedSpan(5 * i, 5 * i + 4, "Claim") for i in range(n)], source="big.jsonl")


def test_backups_live_in_the_backup_folder_one_per_project_path(tmp_path, backups_folder: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = Project.create(tmp_path / "a" / "p.db"), Project.create(tmp_path / "b" / "p.db")
    try:
        made = snapshot(first.path, "manual")
        assert made.parent.parent == backups_folder
        assert made.parent.name.startswith("p-") and made.name.endswith("-manual.db")
        assert backup_dir(first.path) != backup_dir(second.path)  # same stem, other folder: never mixed up
        assert list_backups(second.path) == []
        assert not list((tmp_path / "a").glob("*manual*"))  # nothing beside the project
    finally:
        first.close()
        second.close()


def test_without_the_override_backups_go_to_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_BACKUP_DIR")
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "data"))
    assert backup_dir(tmp_path / "x.db").parent == tmp_path / "data" / "backups"


def test_a_snapshot_holds_only_what_was_committed(project: Project, raw_db: sqlite3.Connection):
    project.add_document("Committed text.", title="kept")
    raw_db.execute("BEGIN IMMEDIATE")
    raw_db.execute("UPDATE documents SET title = 'half-written'")
    made = snapshot(project.path, "manual")
    raw_db.rollback()
    assert [r[0] for r in sqlite3.connect(made).execute("SELECT title FROM documents")] == ["kept"]
    assert list_backups(project.path)[0].documents == 1


def test_merge_is_backed_up_first_dry_run_and_no_op_are_not(seeded: Project, tmp_path):
    other_path = tmp_path / "other.db"
    copy_project(seeded.path, other_path)
    with Project.open(other_path) as other:
        document = other.documents(with_text=False)[0]
        other.add_annotation(document.id, 0, 4, "Claim", annotator="ben")
    before = dump(seeded.path)
    merge_project(seeded, other_path, dry_run=True)
    assert reasons(seeded) == []
    merge_project(seeded, other_path)
    assert reasons(seeded) == ["before-merge"]
    assert dump(list_backups(seeded.path)[0].path) == before
    merge_project(seeded, other_path)  # nothing new: nothing to protect
    assert reasons(seeded) == ["before-merge"]


def test_large_import_is_backed_up_first_small_ones_are_not(seeded: Project):
    seeded.import_documents([spans_document(IMPORT_THRESHOLD - 1)])  # 1 document + 999 spans = 1,000 rows
    assert reasons(seeded) == []
    seeded.import_documents([spans_document(IMPORT_THRESHOLD)])  # 1,001 rows
    [made] = list_backups(seeded.path)
    assert (made.reason, made.documents, made.annotations) == ("before-import", 6, IMPORT_THRESHOLD - 1)


def test_large_import_into_an_empty_project_has_nothing_to_back_up(project: Project):
    project.import_documents([spans_document(IMPORT_THRESHOLD + 5)])
    assert reasons(project) == []


def test_pruning_keeps_the_newest(project: Project):
    made = [snapshot(project.path, "manual") for _ in range(KEEP + 3)]
    assert [b.path for b in list_backups(project.path)] == made[::-1][:KEEP]


def _fake(project: Project, when: dt.datetime, reason: str) -> Path:
    path = backup_dir(project.path) / f"{when.strftime('%Y%m%d-%H%M%S-%f')}-{reason}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    copy_project(project.path, path)
    return path


def test_pruning_keeps_a_week_of_dailies_one_per_day(project: Project):
    now = dt.datetime.now().replace(hour=12)
    dailies = [_fake(project, now - dt.timedelta(days=d), "daily") for d in range(1, 11)]
    twice = _fake(project, now - dt.timedelta(days=1, hours=1), "daily")  # a second one the same day
    merges = [_fake(project, now + dt.timedelta(minutes=m), "before-merge") for m in range(KEEP)]
    prune(project.path)
    left = {b.path for b in list_backups(project.path)}
    assert left == set(merges) | set(dailies[:7])
    assert twice not in left


def test_daily_is_made_once_a_day(project: Project):
    _fake(project, dt.datetime.now() - dt.timedelta(days=1), "daily")
    assert ensure_daily(project.path) is not None
    assert ensure_daily(project.path) is None
    assert reasons(project) == ["daily", "daily"]


def test_restore_brings_back_exactly_the_rows(seeded: Project):
    document = seeded.documents(with_text=False)[0]
    seeded.add_annotation(document.id, 0, 4, "Claim", annotator="ana")
    saved_rows = dump(seeded.path)
    backup = snapshot(seeded.path, "manual")
    seeded.add_label("Quote")
    seeded.add_annotation(document.id, 5, 9, "Quote", annotator="ben")
    seeded.delete_document(seeded.documents(with_text=False)[-1].id)
    changed_rows = dump(seeded.path)

    before = restore(seeded, backup)

    assert dump(seeded.path) == saved_rows
    assert dump(before) == changed_rows  # the state replaced is kept
    assert "Quote" not in [label.name for label in seeded.labels()]  # no stale label cache
    assert seeded.history.undo_text is None  # undo would replay rows that no longer exist
    assert seeded.counts() == {"documents": 5, "annotations": 1}
    seeded.add_annotation(document.id, 10, 14, "Claim", annotator="ana")  # the open project keeps working
    assert seeded.counts()["annotations"] == 2


def test_restore_while_another_connection_has_the_file_open(seeded: Project, raw_db: sqlite3.Connection):
    backup = snapshot(seeded.path, "manual")
    seeded.delete_document(seeded.documents(with_text=False)[0].id)
    assert raw_db.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
    restore(seeded, backup)
    assert raw_db.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    raw_db.execute("UPDATE documents SET status = 'done'")  # and it can still write
    raw_db.commit()
    assert len([d for d in seeded.documents(with_text=False) if d.status == "done"]) == 5


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_backup_is_refused_and_nothing_changes(seeded: Project, tmp_path, damage):
    bad = tmp_path / "bad.db"
    if damage == "garbage":
        bad.write_bytes(b"not a database at all" * 100)
    else:
        shutil.copy(snapshot(seeded.path, "manual"), bad)
        data = bad.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    count = len(list_backups(seeded.path))
    before = dump(seeded.path)
    with pytest.raises(BackupError) as raised:
        restore(seeded, bad)
    assert "\n" not in str(raised.value) and str(bad) in str(raised.value)
    assert dump(seeded.path) == before
    assert len(list_backups(seeded.path)) == count  # refused before anything was written


def test_an_unwritable_backup_folder_is_a_user_error(project: Project, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(blocker))
    with pytest.raises(BackupError, match="ANNOTATOR_BACKUP_DIR"):
        snapshot(project.path, "manual")
