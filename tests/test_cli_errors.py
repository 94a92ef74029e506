"""Every way a project file can be bad, through the CLI: one line ``Error: <file>: <problem>``, exit 1, file untouched.

Each case runs against a listing (docs), a summary (stats), a write (annotate) and an export.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run
from db_helpers import seeded_project

from annotator.store import file as project_file
from annotator.store.schema import SCHEMA_VERSION

COMMANDS: dict[str, Callable[[Path, str, Path], list[object]]] = {
    "docs": lambda db, doc, out: ["docs", db],
    "stats": lambda db, doc, out: ["stats", db],
    "annotate": lambda db, doc, out: ["annotate", db, doc, 0, 5, "Claim", "--annotator", "ana"],
    "export": lambda db, doc, out: ["export", db, "--format", "jsonl", "-o", out / "data.jsonl"],
}
READERS = ("docs", "stats", "export")


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A seeded project with one annotation (made once), and the id of its first document."""
    path = tmp_path_factory.mktemp("original") / "project.annotator"
    with seeded_project(path) as proj:
        doc = proj.documents()[0].id
        proj.add_annotation(doc, 0, 10, "Claim", annotator="ana")
    return path, doc


@pytest.fixture
def good(original: tuple[Path, str], tmp_path: Path) -> Path:
    path = tmp_path / "project.annotator"
    shutil.copy(original[0], path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def overwrite_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    quarter = len(data) // 4
    data[quarter: 3 * quarter] = random.Random(7).randbytes(2 * quarter)
    path.write_bytes(bytes(data))


# -- the file itself is bad: every command refuses, naming the file -------------------------------------

FILE_CASES: dict[str, tuple[Callable[[Path], object], str]] = {
    "corrupt pages": (overwrite_middle, "damaged (database disk image is malformed)"),
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), "damaged: cut short"),
    "truncated header": (lambda p: p.write_bytes(p.read_bytes()[:60]), "damaged: cut short"),
    "empty": (lambda p: p.write_bytes(b""), "empty (0 bytes): not an Annotator project"),
    "binary": (lambda p: p.write_bytes(random.Random(1).randbytes(5000)), "not an Annotator project (not an SQLite database)"),
    "text": (lambda p: p.write_text("My notes, not a project.\n" * 40, encoding="utf-8"), "not an SQLite database"),
    "folder": (lambda p: (p.unlink(), p.mkdir()), "is a folder, not a project file"),
    "missing": (lambda p: p.unlink(), "no such file"),
    "user_version 0": (lambda p: sql(p, "PRAGMA user_version = 0"),
                       f"schema version (PRAGMA user_version) is 0 but its schema_migrations table records {SCHEMA_VERSION}"),
    "user_version negative": (lambda p: sql(p, "PRAGMA user_version = -3"), "(PRAGMA user_version) is -3"),
    "user_version newer": (lambda p: sql(p, "PRAGMA user_version = 99"), "made by a newer Annotator (schema 99"),
    "annotations dropped": (lambda p: sql(p, "DROP TABLE relations", "DROP TABLE annotations"),
                            "damaged: tables annotations, relations missing"),
    "column dropped": (lambda p: sql(p, "DROP TRIGGER log_documents_update", "DROP TRIGGER log_documents_delete",
                                               "ALTER TABLE documents DROP COLUMN author"), "damaged: table documents lacks column author"),
    "foreign sqlite": (lambda p: (p.unlink(), sql(p, "CREATE TABLE things (id INTEGER)")), "without Annotator's tables"),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", FILE_CASES)
def test_a_bad_file_is_one_line_naming_it(good: Path, original: tuple[Path, str], tmp_path: Path, case: str, command: str) -> None:
    damage, words = FILE_CASES[case]
    damage(good)
    before = digest(good) if good.is_file() else None
    line = one_line_error(run(*COMMANDS[command](good, original[1], tmp_path)))
    assert line.startswith(f"Error: {good}: ")
    assert words in line
    if before is not None:
        assert digest(good) == before  # refusing a file never touches it
    assert not (tmp_path / "data.jsonl").exists()


def test_schema_fix_that_the_message_gives_works(good: Path) -> None:
    sql(good, "PRAGMA user_version = 0")
    line = one_line_error(run("stats", good))
    statement = re.search(r"'(PRAGMA user_version = \d+)'$", line)
    assert statement, line
    sql(good, statement.group(1))
    assert "documents" in ok("stats", good).stdout


# -- one bad JSON value: an error naming table, row and column, only where that row is read -------------

JSON_CASES = {
    # table, column, the commands that read the column (the others succeed)
    "labels.attributes": ("labels", "attributes", "WHERE name = 'Claim'", {"stats", "annotate", "export"}),
    "documents.metadata": ("documents", "metadata", "WHERE position = (SELECT max(position) FROM documents)", {"docs", "export"}),
    "annotations.attributes": ("annotations", "attributes", "", {"export"}),
    "entities.aliases": ("entities", "aliases", "", {"export"}),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", JSON_CASES)
def test_invalid_json_names_table_row_column_and_the_fix(
        good: Path, original: tuple[Path, str], tmp_path: Path, case: str, command: str) -> None:
    table, column, where, failing = JSON_CASES[case]
    if table == "entities":
        sql(good, "INSERT INTO entities (id, name, created_at) VALUES ('e1', 'Ministry', 'now')")
    sql(good, f"UPDATE {table} SET {column} = '{{not json' {where}")
    (row_id,) = sqlite3.connect(good).execute(f"SELECT id FROM {table} WHERE {column} = '{{not json'").fetchone()
    result = run(*COMMANDS[command](good, original[1], tmp_path))
    if command not in failing:
        assert result.exit_code == 0, result.output
        return
    before = digest(good)
    line = one_line_error(result)
    assert line.startswith(f"Error: {good}: table {table}, row id '{row_id}', column {column}: not valid JSON")
    assert digest(good) == before
    fix = re.search(r'reset it with: sqlite3 \S+ "(.*)"$', line)
    assert fix, line
    sql(good, fix.group(1))  # the command the message gives repairs the file
    ok(*COMMANDS[command](good, original[1], tmp_path / "again"))


def test_json_of_the_wrong_kind_is_an_error_too(good: Path) -> None:
    sql(good, "UPDATE documents SET metadata = '[1, 2]'")
    line = one_line_error(run("docs", good))
    assert "column metadata: JSON list, not an object" in line


# -- read-only, full, locked ----------------------------------------------------------------------------------


def chattr(path: Path, flag: str) -> None:
    subprocess.run(["chattr", flag, str(path)], check=True, capture_output=True)


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """Make a file or folder unwritable even for root (``chattr +i``); skipped where that is not possible."""
    made: list[Path] = []

    def make(path: Path) -> None:
        try:
            chattr(path, "+i")
        except (OSError, subprocess.CalledProcessError):
            pytest.skip("chattr +i is not available here (needs root and ext2/3/4)")
        made.append(path)

    yield make
    for path in reversed(made):
        chattr(path, "-i")


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_project_reads_and_refuses_writes(
        good: Path, original: tuple[Path, str], tmp_path: Path, immutable: Callable[[Path], None], what: str) -> None:
    before = digest(good)
    immutable(good if what == "file" else good.parent)
    out = tmp_path.parent / f"{tmp_path.name}-out"
    for command in READERS:
        ok(*COMMANDS[command](good, original[1], out))
    line = one_line_error(run(*COMMANDS["annotate"](good, original[1], out)))
    assert line.startswith(f"Error: {good}: read-only")
    assert line.endswith("nothing was changed")
    assert digest(good) == before


SIMULATED = {
    "attempt to write a readonly database": "read-only: nothing was changed",
    "database or disk is full": "disk full: nothing was changed",
    "database is locked": "locked by another program: nothing was changed",
    "database disk image is malformed": "damaged (database disk image is malformed): nothing was changed",
}


@pytest.mark.parametrize("message", SIMULATED)
def test_sqlite_errors_while_writing_become_one_line(
        good: Path, original: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    from annotator.store import Store

    def fail(self: Store, rows: object, what: str = "") -> None:
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(Store, "_apply", fail)
    before = digest(good)
    line = one_line_error(run(*COMMANDS["annotate"](good, original[1], tmp_path)))
    assert line.startswith(f"Error: {good}: {SIMULATED[message]}")
    assert digest(good) == before


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs; skipped where mounting is not allowed."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("left", [4096, 40960], ids=["shm-cannot-grow", "wal-cannot-grow"])
def test_full_disk(tiny_disk: Path, original: tuple[Path, str], left: int) -> None:
    path = tiny_disk / "project.annotator"
    shutil.copy(original[0], path)
    before = digest(path)
    filler = tiny_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(tiny_disk).free - left))
    line = one_line_error(run("annotate", path, original[1], 0, 5, "Claim", "--annotator", "ana", "--note", "n" * 200_000))
    assert line == f"Error: {path}: disk full: nothing was changed"
    filler.unlink()
    assert digest(path) == before
    assert "annotations       1" in ok("stats", path).stdout  # still openable, still the one annotation


HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
"""


def test_locked_by_another_process(good: Path, original: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project_file, "LOCK_TIMEOUT", 0.2)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(good)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        for command in READERS:  # WAL: readers are not blocked by a writer
            ok(*COMMANDS[command](good, original[1], tmp_path / command))
        line = one_line_error(run(*COMMANDS["annotate"](good, original[1], tmp_path)))
        assert line == f"Error: {good}: locked by another program: nothing was changed (close it, or try again)"
    finally:
        holder.communicate("")
    assert "annotations       1" in ok("stats", good).stdout


# -- the one-line promise ------------------------------------------------------------------------------------


def test_control_characters_in_a_file_name_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines\x1b[31m.annotator"
    path.write_text("not a project", encoding="utf-8")
    line = one_line_error(run("stats", path))
    assert line == f"Error: {tmp_path}/two\\nlines\\x1b[31m.annotator: not an Annotator project (not an SQLite database)"


def test_a_bug_still_shows_its_traceback(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator import Project

    def broken(self: Project) -> dict:
        raise KeyError("a bug")

    monkeypatch.setattr(Project, "stats", broken)
    result = run("stats", good)
    assert isinstance(result.exception, KeyError)
    assert "Error:" not in result.stderr
