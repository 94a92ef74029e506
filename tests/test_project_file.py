"""``annotator.store.file``: the one translation of SQLite's errors, escaping, JSON columns, the API's errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator import Project
from annotator.errors import (
    AnnotatorError,
    BadRowError,
    DamagedProjectError,
    DiskFullError,
    NotAProjectError,
    ProjectFileError,
    ProjectLockedError,
    ReadOnlyProjectError,
)
from annotator.store import file as project_file
from annotator.store.schema import SCHEMA_VERSION

P = Path("/data/p.annotator")


def coded(message: str, code: int) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("error", "kind", "text"),
    [
        (sqlite3.OperationalError("attempt to write a readonly database"), ReadOnlyProjectError, "read-only: nothing was changed"),
        (coded("whatever", 8 | (1 << 8)), ReadOnlyProjectError, "read-only: nothing was changed"),  # SQLITE_READONLY_RECOVERY
        (sqlite3.OperationalError("database or disk is full"), DiskFullError, "disk full: nothing was changed"),
        (sqlite3.OperationalError("database is locked"), ProjectLockedError, "locked by another program: nothing was changed"),
        (coded("x", sqlite3.SQLITE_BUSY), ProjectLockedError, "locked by another program"),
        (sqlite3.DatabaseError("database disk image is malformed"), DamagedProjectError, "damaged (database disk image is malformed)"),
        (sqlite3.DatabaseError("file is not a database"), DamagedProjectError, "damaged (file is not a database)"),
        (sqlite3.OperationalError("no such table: annotations"), DamagedProjectError, "damaged (no such table: annotations)"),
        (sqlite3.IntegrityError("UNIQUE constraint failed: labels.name"), ProjectFileError,
         "SQLite error (IntegrityError: UNIQUE constraint failed: labels.name)"),
    ],
)
def test_translate(error: sqlite3.Error, kind: type, text: str) -> None:
    translated = project_file.translate(error, P)
    assert type(translated) is kind
    assert str(translated).startswith(f"{P}: {text}")
    assert isinstance(translated, AnnotatorError)


def test_an_io_error_is_a_full_disk_only_when_the_disk_is_nearly_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    error = coded("disk I/O error", 4874)  # SQLITE_IOERR_SHMSIZE: the -shm file could not grow
    path = tmp_path / "p.annotator"
    assert str(project_file.translate(error, path)) == f"{path}: disk I/O error (disk I/O error): nothing was changed"
    monkeypatch.setattr(project_file, "NEARLY_FULL", 1 << 62)
    assert isinstance(project_file.translate(error, path), DiskFullError)


def test_translating_names_the_file_and_keeps_the_cause() -> None:
    with pytest.raises(ReadOnlyProjectError) as caught, project_file.translating(P):
        raise sqlite3.OperationalError("attempt to write a readonly database")
    assert caught.value.path == P
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)


def test_translating_fills_in_the_file_of_a_bad_row() -> None:
    with pytest.raises(BadRowError) as caught, project_file.translating(P):
        project_file.json_column({"id": "d1", "metadata": "{"}, "documents", "metadata", "{}")
    assert str(caught.value).startswith(f"{P}: table documents, row id 'd1', column metadata: not valid JSON")
    assert str(caught.value).endswith(f"""sqlite3 {P} "UPDATE documents SET metadata = '{{}}' WHERE id = 'd1'\"""")


def test_translating_leaves_other_errors_alone() -> None:
    with pytest.raises(ValueError), project_file.translating(P):
        raise ValueError("a bug")


@pytest.mark.parametrize(
    ("value", "empty", "expected"),
    [(None, "{}", {}), ("", "[]", []), ('{"a": 1}', "{}", {"a": 1}), ('["x"]', "[]", ["x"])],
)
def test_json_column_reads_good_values(value: str | None, empty: str, expected: object) -> None:
    assert project_file.json_column({"id": "r", "c": value}, "t", "c", empty) == expected


@pytest.mark.parametrize(("value", "empty", "words"), [("{", "{}", "not valid JSON"), ("[1]", "{}", "JSON list, not an object"),
                                                       ('{"a": 1}', "[]", "JSON dict, not a list"), ("7", "[]", "JSON int")])
def test_json_column_rejects_bad_values(value: str, empty: str, words: str) -> None:
    with pytest.raises(BadRowError, match=words):
        project_file.json_column({"id": "r", "c": value}, "t", "c", empty)


@pytest.mark.parametrize(
    ("text", "shown"),
    [("plain é ü 中", "plain é ü 中"), ("a\nb", "a\\nb"), ("tab\there", "tab\\there"), ("\x1b[31m", "\\x1b[31m"),
     ("\u2028", "\\u2028"), ("\u202e", "\\u202e"), ("\x7f", "\\x7f")],
)
def test_escape(text: str, shown: str) -> None:
    assert project_file.escape(text) == shown


def test_the_api_raises_user_errors_not_sqlite_errors(project_path: Path) -> None:
    Project.create(project_path).close()
    data = bytearray(project_path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page but the first
    project_path.write_bytes(bytes(data))
    with pytest.raises(DamagedProjectError, match="malformed"), Project.open(project_path) as proj:
        proj.labels()


def test_check_reads_only(project_path: Path) -> None:
    Project.create(project_path).close()
    newer = SCHEMA_VERSION + 2  # a version this code does not know, whatever the migrations now number
    sqlite3.connect(project_path).execute(f"PRAGMA user_version = {newer}").connection.close()
    files = sorted(project_path.parent.iterdir())
    before = project_path.read_bytes()
    with pytest.raises(NotAProjectError, match="newer"):
        project_file.check(project_path)
    assert sorted(project_path.parent.iterdir()) == files
    assert project_path.read_bytes() == before


def test_expected_columns_follow_the_migrations() -> None:
    columns = project_file.expected_columns(1)
    assert {"documents", "labels", "annotations", "relations", "entities", "schema_migrations"} <= set(columns)
    assert "metadata" in columns["documents"]
    assert project_file.expected_columns(0) == {}
