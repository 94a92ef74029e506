"""``annotator export`` and ``annotator import --format``: filters, JSON output, one-line errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_export_sample import build_sample

from annotator import Project
from annotator.cli import cli


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    build_sample(tmp_path / "sample.db").close()
    return tmp_path / "sample.db"


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_export_every_format(sample_path: Path, tmp_path: Path) -> None:
    for fmt in ("jsonl", "doccano", "brat", "conll", "spacy", "w3c", "csv"):
        code, out, _ = run("export", sample_path, "--format", fmt, "-o", tmp_path / fmt)
        assert code == 0, out
        assert out.startswith("Exported 4 documents, 16 annotations") and f"{fmt}.DATASET.md" in out


def test_export_filters_and_json(sample_path: Path, tmp_path: Path) -> None:
    code, out, err = run("export", sample_path, "--format", "csv", "-o", tmp_path / "out", "--annotator", "alice",
                         "--annotator", "bob", "--layer", "gold", "--label", "Claim", "--label", "Figure",
                         "--status", "done", "--json")
    assert code == 0 and not err
    data = json.loads(out)
    assert (data["documents"], data["annotations"], data["format"]) == (2, 2, "csv")
    assert data["data"] == str(tmp_path / "out" / "annotations.csv")
    code, out, _ = run("export", sample_path, "--format", "jsonl", "-o", tmp_path / "one.jsonl", "--document",
                       "ffff", "--json")
    assert code == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "xml"], "Error: unknown export format 'xml' (known: jsonl, doccano, brat, conll, spacy, w3c, csv, "
                          "labelstudio, xmi, qdpx, casualties, claimreview)"),
    (["--format", "csv", "--label", "Nope"], "Error: unknown label 'Nope'"),
    (["--format", "csv", "--status", "finished"], "Error: unknown document status 'finished'"),
])
def test_export_errors_are_one_line(sample_path: Path, tmp_path: Path, args: list[str], message: str) -> None:
    code, out, err = run("export", sample_path, "-o", tmp_path / "out", *args)
    assert code == 1 and not out
    assert err.startswith(message) and err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["jsonl", "qdpx", "xmi", "csv"])
def test_a_reviewer_missing_from_a_damaged_file_is_one_line(sample_path: Path, tmp_path: Path, fmt: str) -> None:
    """Another program rewrote the table without NOT NULL and left two annotations without a reviewer: every
    format names reviewers (the card's table, qdpx users, xmi's per-reviewer files), so the export refuses in one
    line naming the file and what to do, writes nothing, and leaves the project as it was (these crashed)."""
    conn = sqlite3.connect(sample_path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'annotations'").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'annotations'", [sql.replace("annotator TEXT NOT NULL", "annotator TEXT")])
    conn.commit()
    conn.close()
    conn = sqlite3.connect(sample_path)
    with conn:
        first = conn.execute("SELECT min(id) FROM (SELECT id FROM annotations ORDER BY id LIMIT 2)").fetchone()[0]
        conn.execute("UPDATE annotations SET annotator = NULL WHERE id IN (SELECT id FROM annotations ORDER BY id LIMIT 2)")
    conn.close()
    before = sample_path.read_bytes()
    code, out, err = run("export", sample_path, "--format", fmt, "-o", tmp_path / "out")
    assert code == 1 and not out
    assert err == (f"Error: {sample_path}: 2 annotation(s) have no reviewer (annotator is NULL, first {first}): the file "
                   "was changed by another program; give them one in sqlite3 (UPDATE annotations SET annotator = 'NAME' "
                   "WHERE annotator IS NULL) and export again\n")
    assert not (tmp_path / "out").exists() and sample_path.read_bytes() == before


@pytest.mark.parametrize(("fmt", "column", "value"), [("conll", "start", 0.5), ("conll", "end", "12a"),
                                                     ("brat", "end", "abc"), ("jsonl", "start", 0.5),
                                                     ("doccano", "start", 0.5), ("csv", "end", "b")])
def test_an_offset_that_is_not_a_whole_number_is_one_line(sample_path: Path, tmp_path: Path, fmt: str, column: str,
                                                          value: Any) -> None:
    """Another program wrote a fraction or a text as an annotation's start or end (the schema's CHECK lets them
    through): CoNLL stopped with a Python error and the others wrote the value as it was; every format refuses in one
    line naming the file, the annotation and what to do, writes nothing and leaves the project as it was."""
    conn = sqlite3.connect(sample_path)
    with conn:
        first = conn.execute("SELECT id FROM annotations ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute(f'UPDATE annotations SET "{column}" = ? WHERE id = ?', [value, first])
        start, end = conn.execute('SELECT start, "end" FROM annotations WHERE id = ?', [first]).fetchone()
    conn.close()
    assert value in (start, end)  # stored as it was given, not as a whole number
    before = sample_path.read_bytes()
    code, out, err = run("export", sample_path, "--format", fmt, "-o", tmp_path / "out")
    assert code == 1 and not out
    assert err == (f"Error: {sample_path}: 1 annotation(s) have a start or end that is not a whole number (first {first}: "
                   f"start {start!r}, end {end!r}): the file was changed by another program; correct them in sqlite3 "
                   "(or delete them) and export again\n")
    assert not (tmp_path / "out").exists() and sample_path.read_bytes() == before


def test_export_over_an_earlier_export_needs_force(sample_path: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("old")
    code, _, err = run("export", sample_path, "--format", "conll", "-o", tmp_path / "out")
    assert code == 0  # someone else's file is no reason to refuse
    code, _, err = run("export", sample_path, "--format", "conll", "-o", tmp_path / "out")
    assert code == 1 and err == (f"Error: output folder {tmp_path / 'out'} already holds a conll export (conll.DATASET.md, "
                                 "dataset.conll): use --force to overwrite it (nothing else is deleted)\n")
    code, out, err = run("export", sample_path, "--format", "conll", "-o", tmp_path / "out", "--force")
    assert code == 0 and "overlap" not in out and "left out or changed" in err


def test_import_format_round_trip_and_errors(sample_path: Path, tmp_path: Path) -> None:
    run("export", sample_path, "--format", "brat", "-o", tmp_path / "brat")
    run("init", tmp_path / "fresh.db")
    code, _, err = run("import", tmp_path / "fresh.db", tmp_path / "brat", "--format", "brat")
    assert code == 1 and "unknown label 'Peace sign'" in err and err.count("\n") == 1
    code, out, _ = run("import", tmp_path / "fresh.db", tmp_path / "brat", "--format", "brat", "--create-labels")
    assert code == 0 and out.startswith("Imported 4 documents, 16 annotations, 3 relations, 1 entities into")
    code, out, _ = run("import", tmp_path / "fresh.db", tmp_path / "brat", "--format", "brat", "--json")
    data = json.loads(out)
    assert code == 0 and data["added"] == [] and len(data["skipped_duplicates"]) == 4 and data["relations"] == 0
    code, _, err = run("import", tmp_path / "fresh.db", tmp_path / "brat", "--format", "conll")
    assert code == 1 and err.startswith("Error: cannot import format 'conll'")
    run("export", sample_path, "--format", "w3c", "-o", tmp_path / "w3c")
    code, out, _ = run("import", tmp_path / "fresh.db", tmp_path / "w3c", "--format", "w3c")
    assert code == 0 and out.startswith("Imported 16 annotations (16 on documents already there), 4 relations")
    with Project.open(tmp_path / "fresh.db") as project:
        assert project.stats()["annotations"] == 32
