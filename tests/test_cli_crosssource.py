"""``annotator figures`` and ``annotator entities`` through click's CliRunner, on the seed corpus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run
from fixtures_seed_figures import SEEDS, SOHR, TOLLS, annotate_seed_tolls

from annotator import Project
from annotator.crosssource import FIGURE_COLUMNS
from annotator.importers import read_paths


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    Project.create(path).close()
    return path


@pytest.fixture
def tolls_db(tmp_path: Path) -> Path:
    """The seed corpus with its death tolls annotated, attributed and linked to one entity."""
    path = tmp_path / "tolls.db"
    with Project.create(path) as project:
        documents, problems = read_paths([SEEDS])
        assert not problems
        project.import_documents(documents)
        annotate_seed_tolls(project)
    return path


def test_figures_json_lists_each_toll(tolls_db: Path) -> None:
    rows = json.loads(ok("figures", tolls_db, "--json").stdout)
    assert [row["value"] for row in rows] == [740, 973, 1200, 1700]
    assert {row["quote"] for row in rows} == set(TOLLS)
    for row in rows:
        expected = TOLLS[row["quote"]]
        assert row["value"] == expected["value"]
        assert row["qualifier"] == expected["qualifier"]
        assert row["outlet"] == expected["outlet"]
        assert row["attributed_to"] == SOHR
        assert row["counted"] == "civilians killed"
        assert set(row) == set(FIGURE_COLUMNS)
    by_value = {row["value"]: row for row in rows}
    assert by_value[973]["outlet"] == "The Cradle"
    assert by_value[1200]["outlet"] == "The Independent (summary)"
    assert (by_value[973]["lower"], by_value[973]["upper"]) == (973, None)


def test_figures_csv_parses_to_the_same_rows(tolls_db: Path) -> None:
    rows = json.loads(ok("figures", tolls_db, "--json").stdout)
    parsed = list(csv.DictReader(io.StringIO(ok("figures", tolls_db, "--csv").stdout)))
    assert len(parsed) == len(rows) == 4
    for row, line in zip(rows, parsed):
        assert list(line) == list(FIGURE_COLUMNS)
        assert line == {key: "" if value is None else str(value) for key, value in row.items()}


def test_figures_table(tolls_db: Path) -> None:
    out = ok("figures", tolls_db).stdout.splitlines()
    assert out[0].split()[:5] == ["id", "layer", "counted", "value", "qualifier"]
    assert len(out) == 5
    assert "1,200" in out[3] and "more than" in out[3] and "The Independent (summary)" in out[3]
    assert "973" in out[2] and "at least" in out[2] and "The Cradle" in out[2]
    assert all(SOHR in line for line in out[1:])


def test_figures_with_no_figures(empty_db: Path) -> None:
    assert ok("figures", empty_db).stdout == f"No Figure annotations in {empty_db}\n"
    assert json.loads(ok("figures", empty_db, "--json").stdout) == []
    assert ok("figures", empty_db, "--csv").stdout_bytes == (",".join(FIGURE_COLUMNS) + "\r\n").encode()


def test_figures_errors(tmp_path: Path, empty_db: Path) -> None:
    assert "--json" in one_line_error(run("figures", empty_db, "--json", "--csv"))
    assert "unknown label 'Toll'" in one_line_error(run("figures", empty_db, "--label", "Toll"))
    assert "no such file" in one_line_error(run("figures", tmp_path / "missing.db"))
    assert not (tmp_path / "missing.db").exists()
    assert "no such file" in one_line_error(run("entities", tmp_path / "missing.db"))


def test_figures_label_option(tmp_path: Path) -> None:
    path = tmp_path / "toll.db"
    with Project.create(path) as project:
        project.add_label("Toll", attributes=[{"name": "value", "type": "number"}, {"name": "qualifier", "type": "text"}])
        doc = project.add_document("Up to 60 people died.", title="T", outlet="=cmd()")
        project.add_annotation(doc.id, 0, 15, "Toll", annotator="ana")
    row, = json.loads(ok("figures", path, "--label", "Toll", "--json").stdout)
    assert (row["value"], row["upper"], row["qualifier"], row["outlet"]) == (60, 60, "up to", "=cmd()")
    line, = csv.DictReader(io.StringIO(ok("figures", path, "--label", "Toll", "--csv").stdout))
    assert line["outlet"] == "'=cmd()"


def test_entities(tolls_db: Path) -> None:
    entity, = json.loads(ok("entities", tolls_db, "--json").stdout)
    assert (entity["name"], entity["type"], entity["aliases"], entity["mentions"]) == (SOHR, "organisation", ["SOHR"], 4)
    assert [d["outlet"] for d in entity["documents"]] == ["The Cradle", "The Independent (summary)", None, None]
    header, line = ok("entities", tolls_db).stdout.splitlines()
    assert header.split() == ["id", "name", "type", "aliases", "mentions", "documents"]
    assert line.startswith(entity["id"][:8]) and SOHR in line and "organisation" in line
    assert line.split()[-2:] == ["4", "4"]


def test_entities_when_there_are_none(empty_db: Path) -> None:
    assert ok("entities", empty_db).stdout == f"No entities in {empty_db}\n"
    assert json.loads(ok("entities", empty_db, "--json").stdout) == []
