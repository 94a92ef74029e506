"""``annotator backup``, ``backups`` and ``restore``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run

ROOT = Path(__file__).resolve().parent.parent


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    ok("init", path)
    ok("import", path, ROOT / "seeds")
    return path


def listed(db: Path) -> list[dict]:
    return json.loads(ok("backups", db, "--json").stdout)


def test_backup_then_list_as_table_and_json(db: Path, backups_folder: Path):
    assert "No backups" in ok("backups", db).stdout
    out = ok("backup", db).stdout
    [entry] = listed(db)
    assert entry["file"] in out and entry["path"].startswith(str(backups_folder))
    assert (entry["index"], entry["reason"], entry["documents"], entry["annotations"]) == (1, "manual", 5, 0)
    assert entry["size"] == Path(entry["path"]).stat().st_size
    table = ok("backups", db).stdout.splitlines()
    assert table[0].split()[:3] == ["#", "time", "reason"]
    assert table[1].split()[0] == "1" and entry["file"] in table[1]


def test_restore_by_index_and_by_file_name(db: Path):
    ok("backup", db)  # 5 documents
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM documents WHERE id IN (SELECT id FROM documents LIMIT 2)")
    conn.commit()
    conn.close()
    assert count(db) == 3
    out = ok("restore", db, "1").stdout
    assert "5 documents" in out and "before-restore" in out
    assert count(db) == 5
    entries = listed(db)
    assert [e["reason"] for e in entries] == ["before-restore", "manual"]
    ok("restore", db, entries[0]["file"])  # back to the 3 documents
    assert count(db) == 3


@pytest.mark.parametrize("which", ["7", "nope.db"])
def test_restore_of_a_backup_that_does_not_exist(db: Path, which: str):
    ok("backup", db)
    assert "annotator backups" in one_line_error(run("restore", db, which))


def test_restore_refuses_a_damaged_file_with_one_line(db: Path, tmp_path: Path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00garbage" * 500)
    message = one_line_error(run("restore", db, bad))
    assert "bad.db" in message
    assert count(db) == 5
    assert listed(db) == []


def test_commands_refuse_a_missing_project(tmp_path: Path):
    for command in ("backup", "backups", "restore"):
        args = [command, tmp_path / "missing.db"] + (["1"] if command == "restore" else [])
        assert "no such file" in one_line_error(run(*args))
