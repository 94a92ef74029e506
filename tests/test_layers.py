"""annotator.layers and the figures' layer/reviewer columns: each layer counted once, no raw ids shown."""

from __future__ import annotations

import csv
import io

import pytest
from cli_helpers import ok
from fixtures_layers import build_layers

from annotator import AnnotatorError, Project
from annotator.crosssource import figure_rows, figures_csv, source_groups
from annotator.layers import GOLD_COLOR, UUID, describe, layer_text, owner_colors, owner_of, readable_attributes, source_text


@pytest.fixture
def layered(project: Project) -> tuple[Project, dict[str, str]]:
    return project, build_layers(project)


def test_owner_names_gold_apart_from_the_adjudicator(layered) -> None:
    project, ids = layered
    gold = project.annotation(ids["gold:actor"])
    assert gold.annotator == "lead" and owner_of(gold) == "gold"
    assert owner_of(project.annotation(ids["ana:actor"])) == "ana"
    assert layer_text(gold) == "gold (adjudicated by lead)"


def test_owner_colours_are_distinct_and_stable() -> None:
    colors = owner_colors({"ben", "ana", "gold"})
    assert colors["gold"] == GOLD_COLOR
    assert len(set(colors.values())) == 3
    assert owner_colors({"ana", "ben"}) == {k: v for k, v in colors.items() if k != "gold"}


def test_source_annotation_reads_as_words(layered) -> None:
    project, ids = layered
    gold = project.annotation(ids["gold:actor"])
    assert UUID.search(str(gold.attributes))  # the raw id is there ...
    assert source_text(project, gold) == "gold copy of ana's Actor “SOHR”"
    shown = readable_attributes(project, gold)
    assert ("copied from", "ana's Actor “SOHR”") in shown
    assert not any(UUID.search(name + value) for name, value in shown)  # ... and never shown
    assert describe(project.annotation(ids["ben:actor"])) == "ben's Actor “SOHR”"
    assert source_text(project, project.annotation(ids["ana:actor"])) is None


def test_source_of_a_deleted_annotation(layered) -> None:
    project, ids = layered
    project.delete_annotation(ids["ana:actor"])
    assert source_text(project, project.annotation(ids["gold:actor"])) == "gold copy of a deleted annotation"


def test_figure_rows_name_layer_and_reviewer(layered) -> None:
    project, ids = layered
    rows = figure_rows(project)
    assert sorted((r.layer, r.reviewer, r.annotator) for r in rows) == [
        ("gold", None, "lead"), ("reviewer", "ana", "ana"), ("reviewer", "ben", "ben")]
    assert [r.annotation_id for r in figure_rows(project, layer="gold")] == [ids["gold:figure"]]
    assert {r.reviewer for r in figure_rows(project, layer="reviewer")} == {"ana", "ben"}
    with pytest.raises(AnnotatorError, match="layer must be one of"):
        figure_rows(project, layer="ana")


def test_by_source_counts_each_layer_once(layered) -> None:
    project, _ = layered
    groups = source_groups(figure_rows(project))
    figures = [f for g in groups for f in g.figures]
    assert sorted((f.layer, f.reviewer, f.value, len(f.appearances), f.independent_sources) for f in figures) == [
        ("gold", None, 973, 1, 1), ("reviewer", "ana", 973, 1, 1), ("reviewer", "ben", 973, 1, 1)]


def test_figures_csv_has_layer_and_reviewer(layered) -> None:
    project, _ = layered
    parsed = list(csv.DictReader(io.StringIO(figures_csv(figure_rows(project)))))
    assert sorted((r["layer"], r["reviewer"]) for r in parsed) == [("gold", ""), ("reviewer", "ana"), ("reviewer", "ben")]


def test_cli_figures_layer_filter(layered, project_path) -> None:
    project, ids = layered
    project.close()
    text = ok("figures", project_path, "--csv", "--layer", "gold").stdout
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert [(r["annotation_id"], r["layer"], r["reviewer"], r["value"]) for r in parsed] == [
        (ids["gold:figure"], "gold", "", "973")]
    both = list(csv.DictReader(io.StringIO(ok("figures", project_path, "--csv").stdout)))
    assert sorted(r["reviewer"] or r["layer"] for r in both) == ["ana", "ben", "gold"]
    table = ok("figures", project_path).stdout
    assert table.splitlines()[0].split()[:2] == ["id", "layer"]
    assert "gold" in table and "ana" in table
