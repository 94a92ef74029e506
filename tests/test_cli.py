"""The ``annotator`` command line, through click's CliRunner and once as a real process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run

from annotator import Project

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def count(db: Path, table: str = "documents") -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    ok("init", path)
    return path


@pytest.fixture
def seeded_db(db: Path) -> Path:
    ok("import", db, SEEDS)
    return db


def docs_json(db: Path) -> list[dict]:
    return json.loads(ok("docs", db, "--json").stdout)


# -- the acceptance chain ----------------------------------------------------------------------


def test_init_import_docs(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    result = ok("init", db)
    assert result.stdout.strip() == f"Created {db}"
    result = ok("import", db, SEEDS)
    assert result.stdout.strip() == f"Imported 5 documents into {db}"
    documents = docs_json(db)
    assert len(documents) == 5
    assert all(d["title"].strip() for d in documents)
    assert sorted(Path(d["source_path"]).name for d in documents) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert all(d["characters"] > 0 and d["annotations"] == 0 and "text" not in d for d in documents)
    assert len({d["id"] for d in documents}) == 5


def test_docs_table(seeded_db: Path) -> None:
    out = ok("docs", seeded_db).stdout.splitlines()
    assert out[0].split()[:3] == ["id", "title", "outlet"]
    assert len(out) == 6
    ids = [d["id"][:8] for d in docs_json(seeded_db)]
    assert [line.split()[0] for line in out[1:]] == ids


def test_stats(seeded_db: Path) -> None:
    data = json.loads(ok("stats", seeded_db, "--json").stdout)
    assert data["documents"] == 5
    assert data["annotations"] == 0 and data["labels"] == 3
    assert data["by_label"] == {"Claim": 0, "Actor": 0, "Figure": 0}
    assert data["by_status"] == {"not started": 5}
    assert data["characters"] == sum(d["characters"] for d in docs_json(seeded_db))
    text = ok("stats", seeded_db).stdout
    assert text.splitlines()[0].split() == ["documents", "5"]


def test_reimport_skips_and_adds_nothing(seeded_db: Path) -> None:
    before = docs_json(seeded_db)
    result = ok("import", seeded_db, SEEDS)
    assert "Nothing imported" in result.stdout
    skipped = [line for line in result.stderr.splitlines() if line.startswith("Skipped")]
    assert len(skipped) == 5
    assert all("same text as document" in line for line in skipped)
    assert docs_json(seeded_db) == before
    report = json.loads(ok("import", seeded_db, SEEDS, "--json").stdout)
    assert report["added"] == [] and len(report["skipped_duplicates"]) == 5
    assert {s["existing_id"] for s in report["skipped_duplicates"]} == {d["id"] for d in before}


# -- a folder with one bad file ---------------------------------------------------------------


def _bad_empty(folder: Path) -> Path:
    path = folder / "05_empty.txt"
    path.write_bytes(b"")
    return path


def _bad_docx(folder: Path) -> Path:
    path = folder / "05_broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a Word file")
    return path


def _bad_jsonl(folder: Path) -> Path:
    path = folder / "05_broken.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "unterminated\n', encoding="utf-8")
    return path


def _bad_binary(folder: Path) -> Path:
    path = folder / "05_binary.txt"
    path.write_bytes(b"\x00\x01\x02\x03" * 100)
    return path


@pytest.fixture(params=[_bad_empty, _bad_docx, _bad_jsonl, _bad_binary], ids=["empty", "docx", "jsonl", "binary"])
def folder_with_bad_file(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for i in range(10):
        if i != 5:
            (folder / f"{i:02d}_story.txt").write_text(f"Story number {i}.\nAt least {i * 7} people died.\n",
                                                       encoding="utf-8")
    bad = request.param(folder)
    assert len(list(folder.iterdir())) == 10
    return folder, bad


def test_import_stops_at_a_bad_file(db: Path, folder_with_bad_file: tuple[Path, Path]) -> None:
    folder, bad = folder_with_bad_file
    line = one_line_error(run("import", db, folder))
    assert str(bad) in line
    assert count(db) == 0
    assert count(db, "annotations") == 0


def test_import_skip_bad(db: Path, folder_with_bad_file: tuple[Path, Path]) -> None:
    folder, bad = folder_with_bad_file
    result = ok("import", db, folder, "--skip-bad")
    assert "Imported 9 documents" in result.stdout
    skipped = [line for line in result.stderr.splitlines() if line.startswith("Skipped")]
    assert len(skipped) == 1 and str(bad) in skipped[0]
    assert count(db) == 9
    titles = {d["title"] for d in docs_json(db)}
    assert titles == {f"Story number {i}." for i in range(10) if i != 5}


def test_import_skip_bad_json(db: Path, folder_with_bad_file: tuple[Path, Path]) -> None:
    folder, bad = folder_with_bad_file
    report = json.loads(ok("import", db, folder, "--skip-bad", "--json").stdout)
    assert len(report["added"]) == 9
    assert [s["source"] for s in report["skipped_bad"]] == [str(bad)]


def test_import_jsonl_with_labels(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "labelled.jsonl"
    text = "SOHR said 42 died."
    path.write_text(json.dumps({"text": text, "label": [[0, 4, "Actor"], [10, 12, "Rumour"]]}) + "\n", encoding="utf-8")
    line = one_line_error(run("import", db, path))
    assert "Rumour" in line and "line 1" in line
    assert count(db) == 0
    result = ok("import", db, path, "--create-labels", "--annotator", "coder")
    assert "with 2 annotations" in result.stdout
    conn = sqlite3.connect(db)
    assert sorted(conn.execute("SELECT quote, annotator FROM annotations").fetchall()) == [
        ("42", "coder"), ("SOHR", "coder")]
    conn.close()


def test_import_errors(db: Path, tmp_path: Path) -> None:
    assert str(tmp_path / "nope") in one_line_error(run("import", db, tmp_path / "nope"))
    (tmp_path / "table.csv").write_text("a,b\n", encoding="utf-8")
    assert "unsupported file type" in one_line_error(run("import", db, tmp_path / "table.csv"))
    assert run("import", db).exit_code == 2  # usage error: no paths
    assert count(db) == 0


# -- annotate ----------------------------------------------------------------------------------


def test_annotate_by_id_prefix(seeded_db: Path) -> None:
    doc = docs_json(seeded_db)[2]
    with Project.open(seeded_db) as proj:
        text = proj.document_text(doc["id"])
    start = text.index("1,200")
    result = ok("annotate", seeded_db, doc["id"][:8], start, start + 5, "Figure", "--annotator", "ana",
                "--attr", "value=1200", "--attr", "qualifier=more than", "--note", "SOHR")
    fields = result.stdout.rstrip("\n").split("\t")
    assert fields[1:] == ["Figure", str(start), str(start + 5), "1,200"]
    with Project.open(seeded_db) as proj:
        [annotation] = proj.annotations()
    assert annotation.id == fields[0]
    assert annotation.document_id == doc["id"] and annotation.annotator == "ana"
    assert annotation.attributes == {"value": 1200, "qualifier": "more than"} and annotation.note == "SOHR"  # typed by the label
    assert annotation.layer == "reviewer"
    assert json.loads(ok("stats", seeded_db, "--json").stdout)["by_label"]["Figure"] == 1


def test_annotate_json_gold(seeded_db: Path) -> None:
    doc = docs_json(seeded_db)[0]
    data = json.loads(ok("annotate", seeded_db, doc["id"], 0, 5, "Claim", "--annotator", "ana", "--gold",
                         "--json").stdout)
    assert data["layer"] == "gold" and data["label"] == "Claim" and data["start"] == 0 and data["end"] == 5
    assert data["document_id"] == doc["id"]
    assert count(seeded_db, "annotations") == 1


def test_annotate_errors(seeded_db: Path, tmp_path: Path) -> None:
    doc = docs_json(seeded_db)[0]
    prefix = doc["id"][:8]
    length = doc["characters"]
    line = one_line_error(run("annotate", seeded_db, prefix, length - 2, length + 10, "Claim", "--annotator", "a"))
    assert "outside the text" in line
    assert "empty or reversed" in one_line_error(run("annotate", seeded_db, prefix, 5, 5, "Claim", "--annotator", "a"))
    line = one_line_error(run("annotate", seeded_db, prefix, 0, 5, "Rumour", "--annotator", "a"))
    assert "Rumour" in line and "Claim" in line
    assert "no document" in one_line_error(run("annotate", seeded_db, "zzzz", 0, 5, "Claim", "--annotator", "a"))
    assert "NAME=VALUE" in one_line_error(
        run("annotate", seeded_db, prefix, 0, 5, "Claim", "--annotator", "a", "--attr", "novalue"))
    missing = tmp_path / "missing.db"
    assert str(missing) in one_line_error(run("annotate", missing, prefix, 0, 5, "Claim", "--annotator", "a"))
    assert not missing.exists()  # a typo in the project name does not create a file
    notes = tmp_path / "notes.db"
    notes.write_text("not a database", encoding="utf-8")
    line = one_line_error(run("annotate", notes, prefix, 0, 5, "Claim", "--annotator", "a"))
    assert str(notes) in line and "not an Annotator project" in line
    assert notes.read_text(encoding="utf-8") == "not a database"
    assert count(seeded_db, "annotations") == 0
    assert run("annotate", seeded_db, prefix, 0, 5, "Claim").exit_code == 2  # --annotator is required


def test_init_refuses_existing(db: Path) -> None:
    assert "already exists" in one_line_error(run("init", db))
    assert count(db, "labels") == 3


@pytest.mark.parametrize("command", ["docs", "stats"])
def test_read_commands_on_missing_or_foreign_files(tmp_path: Path, command: str) -> None:
    assert str(tmp_path / "none.db") in one_line_error(run(command, tmp_path / "none.db"))
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "without Annotator's tables" in one_line_error(run(command, other))


def test_help_lists_commands() -> None:
    out = ok("--help").stdout
    for name in ("init", "import", "docs", "stats", "annotate", "gui"):
        assert name in out


# -- a real process ----------------------------------------------------------------------------


def test_python_dash_m_annotator(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}

    def annotator(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "annotator", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    for args in (["init", "p.db"], ["import", "p.db", str(SEEDS)]):
        done = annotator(*args)
        assert done.returncode == 0, done.stderr
    done = annotator("docs", "p.db", "--json")
    assert done.returncode == 0, done.stderr
    documents = json.loads(done.stdout)
    assert len(documents) == 5 and all(d["title"] for d in documents)

    done = annotator("annotate", "p.db", documents[0]["id"][:8], "0", "999999", "Claim", "--annotator", "a")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "outside the text" in done.stderr
    assert done.stdout == ""
