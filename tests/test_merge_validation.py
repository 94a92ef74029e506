"""merge validates the other file: a damaged reviewer file is refused (or, with --skip-bad, its bad rows left out),
and the other file is only read: nothing appears beside it, even on a read-only folder."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run
from db_helpers import query, seeded_project

from annotator import Project
from annotator.merge import merge_project

TABLES = ("documents", "labels", "entities", "annotations", "relations", "annotators")
ROOT = Path(__file__).resolve().parent.parent


def snapshot(path: Path) -> dict[str, list[tuple]]:
    return {t: query(path, f"SELECT * FROM {t} ORDER BY 1") for t in TABLES}


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """The lead reviewer's project: the seeds and one span."""
    path = tmp_path / "lead" / "ana.db"
    path.parent.mkdir()
    with seeded_project(path) as project:
        project.add_annotation(project.documents()[0].id, 10, 20, "Claim", annotator="ana")
    return path


@pytest.fixture
def other(tmp_path: Path) -> Path:
    """A good reviewer file, built with the API and closed (so no -wal/-shm are left beside it)."""
    path = tmp_path / "ben" / "other.db"
    path.parent.mkdir()
    with seeded_project(path) as project:
        docs = project.documents()
        claim = project.add_annotation(docs[0].id, 10, 20, "Claim", annotator="ben", attributes={"certainty": "reported"})
        entity = project.add_entity("Syrian Observatory", "organisation", aliases=["SOHR"])
        actor = project.add_annotation(docs[0].id, 32, 40, "Actor", annotator="ben", entity_id=entity.id)
        project.add_relation(claim.id, actor.id, "attributed-to", annotator="ben")
        project.add_annotation(docs[1].id, 0, 12, "Figure", annotator="ben", attributes={"value": 12})
        project.add_label("Source", color="#123456")
        project.add_annotation(docs[2].id, 5, 9, "Source", annotator="ben")
    assert sidecars(path) == []
    return path


def _one(conn: sqlite3.Connection, sql: str) -> str:
    return conn.execute(sql).fetchone()[0]


CLAIM = "SELECT id FROM annotations WHERE label_id = (SELECT id FROM labels WHERE name = 'Claim')"
FIGURE = "SELECT id FROM annotations WHERE label_id = (SELECT id FROM labels WHERE name = 'Figure')"
FIRST_DOC = "SELECT document_id FROM annotations WHERE label_id = (SELECT id FROM labels WHERE name = 'Claim')"

Damage = Callable[[sqlite3.Connection], None]
DAMAGES: dict[str, tuple[str, Damage, str]] = {
    # kind: (the sql that damages the file, expected words in the error, table of the bad row)
    "label attributes JSON": ("UPDATE labels SET attributes = '[{\"name\": ' WHERE name = 'Source'",
                              "label 'Source': attributes are not valid JSON", "labels"),
    "label attribute definition": ("UPDATE labels SET attributes = '[{\"name\": \"x\", \"type\": \"colour\"}]' "
                                   "WHERE name = 'Source'", "label 'Source': attributes: attribute 'x': type must be", "labels"),
    "entity aliases JSON": ("UPDATE entities SET aliases = 'SOHR'", "aliases are not valid JSON", "entities"),
    "entity aliases not names": ("UPDATE entities SET aliases = '[1, 2]'", "aliases must be a list of names", "entities"),
    "annotation attributes JSON": (f"UPDATE annotations SET attributes = '{{certainty' WHERE id = ({CLAIM})",
                                   "attributes are not valid JSON", "annotations"),
    "annotation attributes not an object": (f"UPDATE annotations SET attributes = '[1]' WHERE id = ({CLAIM})",
                                            "attributes must be an object", "annotations"),
    "number attribute": (f"UPDATE annotations SET attributes = '{{\"value\": \"many\"}}' WHERE id = ({FIGURE})",
                         "attribute 'value' must be a number, not 'many'", "annotations"),
    "choice attribute": (f"UPDATE annotations SET attributes = '{{\"certainty\": \"sure\"}}' WHERE id = ({CLAIM})",
                         "attribute 'certainty' must be one of asserted", "annotations"),
    "span past the end": (f"UPDATE annotations SET start = 90000, end = 90010 WHERE id = ({CLAIM})",
                          "span 90000–90010 is outside the text", "annotations"),
    "reversed span": (f"UPDATE annotations SET start = 20, end = 10 WHERE id = ({CLAIM})",
                      "span 20–10 is empty or reversed", "annotations"),
    "quote off its text": (f"UPDATE annotations SET quote = 'not these words' WHERE id = ({CLAIM})",
                           "quote 'not these words' does not match the text at 10–20", "annotations"),
    "sha256": (f"UPDATE documents SET sha256 = 'abc' WHERE id = ({FIRST_DOC})", "sha256 does not match its text", "documents"),
    "document metadata JSON": (f"UPDATE documents SET metadata = '{{' WHERE id = ({FIRST_DOC})",
                               "metadata are not valid JSON", "documents"),
    "document status": (f"UPDATE documents SET status = 'lost' WHERE id = ({FIRST_DOC})", "status must be one of", "documents"),
    "NUL in text": (f"UPDATE documents SET text = text || char(0), sha256 = 'x' WHERE id = ({FIRST_DOC})",
                    "text contains a NUL character", "documents"),
    "missing label": (f"UPDATE annotations SET label_id = 'gone' WHERE id = ({CLAIM})",
                      "its label 'gone' is not in the file", "annotations"),
    "label of another kind": ("UPDATE labels SET kind = 'document' WHERE name = 'Source'",
                              "its label 'Source' is of kind 'document', not 'span'", "annotations"),
    "missing document": (f"UPDATE annotations SET document_id = 'gone' WHERE id = ({CLAIM})",
                         "its document 'gone' is not in the file", "annotations"),
    "relation pointing nowhere": ("UPDATE relations SET target_id = 'nowhere'",
                                  "its target 'nowhere' is not an annotation in the file", "relations"),
    "bad colour": ("UPDATE labels SET color = 'red' WHERE name = 'Source'", "colour must look like #RRGGBB, not 'red'", "labels"),
    "annotation layer": (f"UPDATE annotations SET layer = 'silver' WHERE id = ({CLAIM})",
                         "layer must be one of reviewer, gold, not 'silver'", "annotations"),
    "relation layer": ("UPDATE relations SET layer = 'silver'", "layer must be one of reviewer, gold", "relations"),
    "offsets not numbers": (f"UPDATE annotations SET start = 'ten' WHERE id = ({CLAIM})",
                            "span offsets must be whole numbers", "annotations"),
}


def damage(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")  # a hostile file need not keep the CHECKs
    assert conn.execute(sql).rowcount >= 1
    conn.commit()
    conn.close()
    for name in sidecars(path):
        (path.parent / name).unlink()


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_file_is_refused_with_one_line_and_nothing_changes(target: Path, other: Path, kind: str) -> None:
    sql, expected, _table = DAMAGES[kind]
    damage(other, sql)
    before = snapshot(target)

    line = one_line_error(run("merge", target, other))

    assert line.startswith(f"Error: {other}: 1 problem")
    assert "nothing merged" in line and expected in line and line.endswith("use --skip-bad to merge the rest")
    assert snapshot(target) == before  # row for row
    assert sidecars(other) == []


@pytest.mark.parametrize("kind", DAMAGES)
def test_skip_bad_merges_the_rest_and_every_command_still_reads_the_project(
        target: Path, other: Path, tmp_path: Path, kind: str) -> None:
    sql, expected, table = DAMAGES[kind]
    damage(other, sql)

    report = json.loads(ok("merge", target, other, "--skip-bad", "--json").stdout)

    own = [p for p in report["invalid"] if p["because"] is None]
    assert len(own) == 1 and own[0]["table"] == table and any(expected in f"{own[0]['name']}: {p}" for p in own[0]["problems"])
    # Rows depending on the bad one are left out too, and said so.
    assert all(p["because"] in ("documents", "labels", "entities", "annotations") for p in report["invalid"][1:])
    left_out = {(p["table"], p["id"]) for p in report["invalid"]}
    for t, ident in left_out:
        assert query(target, f"SELECT count(*) FROM {t} WHERE id = ?", [ident]) == [(0,)] or t in ("documents", "labels")
    assert report["added"]["annotations"] >= 1
    for command in (["docs"], ["stats"], ["entities"], ["agreement"], ["figures"],
                    ["export", "--format", "jsonl", "-o", tmp_path / "out.jsonl"]):
        ok(command[0], target, *command[1:])
    with Project.open(target) as project:
        assert project.annotations() and project.labels(kind=None) and project.documents()
        project.relations(), project.entities()
    assert sidecars(other) == []
    text = ok("merge", target, other, "--skip-bad").stdout
    assert f"Left out {len(report['invalid'])} bad row" in text and expected in text


def test_dependent_rows_are_left_out_and_listed(target: Path, other: Path) -> None:
    """A bad document takes its annotations and their relation with it."""
    damage(other, DAMAGES["sha256"][0])
    with Project.open(target) as project:
        with pytest.raises(Exception) as refused:
            merge_project(project, other)
        assert "1 problem (3 more rows depend on them), nothing merged" in str(refused.value)
        report = merge_project(project, other, skip_bad=True)
    assert [(p.table, p.because) for p in report.invalid] == [
        ("documents", None), ("annotations", "documents"), ("annotations", "documents"), ("relations", "annotations")]
    assert report.added["annotations"] == 2 and report.added["relations"] == 0


def test_a_good_file_merges_as_before_and_more_than_five_problems_are_cut(target: Path, other: Path) -> None:
    assert json.loads(ok("merge", target, other, "--json").stdout)["invalid"] == []
    damage(other, "UPDATE annotations SET quote = 'x'")
    line = one_line_error(run("merge", target, other))
    assert "4 problems (1 more row depends on them)" in line and line.count("does not match") == 4
    assert "; …; use --skip-bad" not in line
    damage(other, "UPDATE labels SET color = 'red'")  # four labels more: only the first five problems are listed
    line = one_line_error(run("merge", target, other))
    assert "8 problems" in line and line.count("colour must look like") == 4 and line.count("does not match") == 1
    assert "; …; use --skip-bad" in line


def test_changes_still_in_the_wal_are_read_and_nothing_is_created(target: Path, other: Path, tmp_path: Path) -> None:
    """The reviewer's file open elsewhere (changes in its -wal): mode=ro reads them through the existing -shm."""
    writer = Project.open(other)
    try:
        writer.db.execute("PRAGMA wal_autocheckpoint = 0")
        writer.add_annotation(writer.documents()[3].id, 0, 4, "Claim", annotator="ben")
        assert sidecars(other) == ["other.db-shm", "other.db-wal"] and (tmp_path / "ben" / "other.db-wal").stat().st_size
        listing = sorted(os.listdir(other.parent))
        with Project.open(target) as project:
            assert merge_project(project, other).added["annotations"] == 5
        assert sorted(os.listdir(other.parent)) == listing
        # The file and its -wal copied without the -shm: read through a temporary copy, nothing created here.
        copied = tmp_path / "copied"
        copied.mkdir()
        shutil.copyfile(other, copied / "other.db")
        shutil.copyfile(other.parent / "other.db-wal", copied / "other.db-wal")
    finally:
        writer.close()
    with Project.create(tmp_path / "empty.db") as project:
        assert merge_project(project, copied / "other.db").added["annotations"] == 5
    assert sorted(os.listdir(copied)) == ["other.db", "other.db-wal"]


MERGE_SCRIPT = ("import sys; from annotator import Project; from annotator.merge import merge_project\n"
                "with Project.open(sys.argv[1]) as p: print(merge_project(p, sys.argv[2]).added['annotations'])")


def test_a_file_on_a_read_only_folder_merges_and_nothing_appears_beside_it(target: Path, other: Path) -> None:
    other.parent.chmod(0o555)
    try:
        if os.geteuid() != 0:
            with Project.open(target) as project:
                assert merge_project(project, other).added["annotations"] == 4
        else:
            # root ignores folder permissions: make the folder really read-only with a read-only bind mount
            # in a private mount namespace, and merge there.
            if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"]).returncode != 0:
                pytest.skip("running as root without unshare: cannot make a folder read-only")
            folder = str(other.parent)
            script = (f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} {folder} && "
                      f"! touch {folder}/probe 2>/dev/null && "
                      f"exec {sys.executable} -c \"$0\" {target} {other}")
            result = subprocess.run(["unshare", "-rm", "sh", "-c", script, MERGE_SCRIPT], capture_output=True, text=True,
                                    env={**os.environ, "PYTHONPATH": str(ROOT)})
            assert result.returncode == 0, result.stderr
            assert result.stdout.strip() == "4"
        assert sidecars(other) == [] and sorted(os.listdir(other.parent)) == ["other.db"]
    finally:
        other.parent.chmod(0o755)


def test_rows_identical_to_ours_are_skipped_in_sql_but_a_bad_label_still_condemns_them(target: Path, other: Path,
                                                                                      tmp_path: Path) -> None:
    """Merging a file into a copy of itself skips every row (found identical in SQL, not read); once
    its label is damaged, those identical annotations are reported as depending on it, as before."""
    merged = tmp_path / "merged.db"
    shutil.copy(target, merged)
    with Project.open(merged) as project:
        merge_project(project, other)
        counts = project.counts()
    copy = tmp_path / "copy.db"
    shutil.copy(merged, copy)
    with Project.open(merged) as project:
        again = merge_project(project, copy)
        assert again.total_added == 0 and not again.conflicts
        assert again.skipped["annotations"] == counts["annotations"]
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("UPDATE labels SET color = 'not a colour' WHERE name = 'Claim'")
    conn.close()
    with Project.open(merged) as project:
        with pytest.raises(Exception, match="label 'Claim'") as raised:
            merge_project(project, copy)
        depending = [p for p in raised.value.problems if p.table == "annotations"]  # type: ignore[attr-defined]
        assert len(depending) == query(merged, "SELECT count(*) FROM annotations a JOIN labels l ON l.id = a.label_id "
                                               "WHERE l.name = 'Claim'")[0][0] > 0
        assert project.counts() == counts
