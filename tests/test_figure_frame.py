"""Figures with their frame (bounds, victims, period) and attribution, table-driven, plus the seed corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import ok
from fixtures_seed_figures import SEEDS, SOHR, TOLLS, _find

from annotator import Project
from annotator.attribution import propose_sources
from annotator.crosssource import figure_rows, source_groups
from annotator.figure_frame import accept_frame, propose_frame
from annotator.figures import parse_figure
from annotator.importers import read_paths
from annotator.periods import parse_period
from annotator.victims import DEFAULT_VICTIMS, propose_victims

# -- bounds: the low / best / high convention (docs/figures.md) ---------------------------------

BOUNDS = [
    # text, value, lower, upper, qualifier
    ("at least 973 civilians", 973, 973, None, "at least"),
    ("no fewer than 50 people", 50, 50, None, "at least"),
    ("1,000 or more people", 1000, 1000, None, "at least"),
    ("more than 1,200 people", 1200, 1200, None, "more than"),
    ("over 740 civilian deaths", 740, 740, None, "more than"),
    ("1,200+ dead", 1200, 1200, None, "more than"),
    ("upwards of 300 fighters", 300, 300, None, "more than"),
    ("up to 500 people", 500, None, 500, "up to"),
    ("as many as 80 soldiers", 80, None, 80, "up to"),
    ("fewer than 20 children", 20, None, 20, "up to"),
    ("nearly 2,000 people", 2000, None, 2000, "nearly"),
    ("almost 90 civilians", 90, None, 90, "nearly"),
    ("approximately 1,700 members", 1700, None, None, "approximately"),
    ("about 230 security personnel", 230, None, None, "approximately"),
    ("some 40 villagers", 40, None, None, "approximately"),
    ("200-odd fighters", 200, None, None, "approximately"),
    ("between 1,000 and 1,500 people", None, 1000, 1500, "range"),
    ("1,000-1,500 people", None, 1000, 1500, "range"),
    ("from 10 to 20 soldiers", None, 10, 20, "range"),
    ("5 to 6 million refugees", None, 5_000_000, 6_000_000, "range"),
    ("42 Alawites", 42, 42, 42, "exact"),
    ("two dozen soldiers", 24, 24, 24, "exact"),
    # vague words: value = lower, the only claim firmly made
    ("dozens of civilians", 24, 24, None, "vague"),
    ("hundreds of people", 200, 200, None, "vague"),
    ("thousands of families", 2000, 2000, None, "vague"),
    ("tens of thousands of people", 20_000, 20_000, None, "vague"),
    ("scores of fighters", 40, 40, None, "vague"),
    ("several hundred people", 300, 300, 900, "vague"),
    ("a few dozen soldiers", 36, 36, 108, "vague"),
]


@pytest.mark.parametrize(("text", "value", "lower", "upper", "qualifier"), BOUNDS, ids=[b[0] for b in BOUNDS])
def test_bounds_follow_the_written_rules(text: str, value, lower, upper, qualifier: str) -> None:
    figure = parse_figure(text)
    assert figure is not None
    assert (figure.value, figure.lower, figure.upper, figure.qualifier) == (value, lower, upper, qualifier)


# -- periods, relative to the publication date ----------------------------------------------------

PERIODS = [
    # sentence, published, start, end
    ("973 civilians were slaughtered on 10 March alone", "2025-03-11", "2025-03-10", "2025-03-10"),
    ("since the end of Ramadan on March 30, 42 Alawites died", "2025-04-12", "2025-03-30", "2025-04-12"),
    ("since March 30", "2025-04-12", "2025-03-30", "2025-04-12"),
    ("since 8 March", "2025-03-11", "2025-03-08", "2025-03-11"),
    ("since March", "2025-04-12", "2025-03-01", "2025-04-12"),
    ("from March 7 to March 9", "2025-03-11", "2025-03-07", "2025-03-09"),
    ("from 7 to 9 March", "2025-03-11", "2025-03-07", "2025-03-09"),
    ("between March 7 and March 9, 2025", "2025-04-01", "2025-03-07", "2025-03-09"),
    ("7-9 March", "2025-03-11", "2025-03-07", "2025-03-09"),
    ("March 7-9", "2025-03-11", "2025-03-07", "2025-03-09"),
    ("during the past two weeks", "2025-04-12", "2025-03-29", "2025-04-12"),
    ("over the last 3 days", "2025-04-12", "2025-04-09", "2025-04-12"),
    ("in the past month", "2025-04-12", "2025-03-12", "2025-04-12"),
    ("the past week", "2025-04-12", "2025-04-05", "2025-04-12"),
    ("in the past 24 hours", "2025-04-12", "2025-04-11", "2025-04-12"),
    ("past six months", "2025-04-12", "2024-10-12", "2025-04-12"),
    ("killed yesterday", "2025-04-12", "2025-04-11", "2025-04-11"),
    ("killed today", "2025-04-12", "2025-04-12", "2025-04-12"),
    ("killed on Monday", "2025-04-12", "2025-04-07", "2025-04-07"),  # 12 April 2025 is a Saturday
    ("last week", "2025-04-12", "2025-03-31", "2025-04-06"),
    ("this month", "2025-03-11", "2025-03-01", "2025-03-11"),
    ("last year", "2025-03-11", "2024-01-01", "2024-12-31"),
    ("in March", "2025-04-12", "2025-03-01", "2025-03-31"),
    ("during March 2024", "2025-04-12", "2024-03-01", "2024-03-31"),
    ("on 30 December", "2025-01-05", "2024-12-30", "2024-12-30"),  # last year's December
    ("on 10 March 2024", None, "2024-03-10", "2024-03-10"),
    ("on March 10th", "2025-03-11", "2025-03-10", "2025-03-10"),
    ("published 2025-03-11T08:00, on 9 March", "2025-03-11T08:00", "2025-03-09", "2025-03-09"),
]


@pytest.mark.parametrize(("sentence", "published", "start", "end"), PERIODS, ids=[p[0] for p in PERIODS])
def test_periods_are_iso_dates_relative_to_publication(sentence: str, published, start: str, end: str) -> None:
    period = parse_period(sentence, published)
    assert period is not None
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(("sentence", "published"), [
    ("on 10 March", None),  # no year, no publication date: no guess
    ("since March 30", None),
    ("during the past two weeks", "not a date"),
    ("973 civilians were killed", "2025-03-11"),
    ("over the past few days", "2025-03-11"),  # how many is not said
])
def test_no_period_is_guessed(sentence: str, published) -> None:
    assert parse_period(sentence, published) is None


# -- victim categories -----------------------------------------------------------------------------

VICTIMS = [
    # quote, words after it in the sentence, category
    ("at least 973 Alawite civilians", " were slaughtered", "civilians"),
    ("over 740 civilian deaths", "", "civilians"),
    ("12 children", " and their mothers", "civilians"),
    ("30 residents", "", "civilians"),
    ("Approximately 230 security personnel", " and 250 pro-Assad fighters", "security forces"),
    ("15 soldiers", "", "security forces"),
    ("40 members of the security forces", "", "security forces"),
    ("eight policemen", "", "security forces"),
    ("250 pro-Assad fighters", "", "fighters"),
    ("dozens of gunmen", "", "fighters"),
    ("120 militants", "", "fighters"),
    ("60 loyalists", "", "fighters"),
    ("42", " Syrian Alawites lost their lives", "unknown"),
    ("over 1,200 Alawites", "", "unknown"),
    ("hundreds of people", "", "unknown"),
    ("42", " civilians, and 20 fighters", "civilians"),
    ("20", " fighters were killed", "fighters"),
]


@pytest.mark.parametrize(("quote", "after", "category"), VICTIMS, ids=[v[0] + v[1] for v in VICTIMS])
def test_victim_category_proposed(quote: str, after: str, category: str) -> None:
    assert propose_victims(quote, after, DEFAULT_VICTIMS) == category


def test_a_category_the_user_added_wins_over_the_built_in_words() -> None:
    categories = [*DEFAULT_VICTIMS, "journalists", "aid workers"]
    assert propose_victims("five journalists", "", categories) == "journalists"
    assert propose_victims("one aid worker", "", categories) == "aid workers"
    assert propose_victims("10%", "", categories, counts_people=False) is None


# -- the seed corpus --------------------------------------------------------------------------------


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """The seed corpus with its four death tolls tagged (not attributed) and SOHR in the registry."""
    path = tmp_path / "seeds.db"
    with Project.create(path) as project:
        documents, _ = read_paths([SEEDS])
        project.import_documents(documents)
        project.add_entity(SOHR, type="organisation", aliases=["SOHR"])
        project.add_entity("Reuters", type="organisation")
        for quote in TOLLS:
            document_id, start = _find(project, quote)
            project.add_annotation(document_id, start, start + len(quote), "Figure", annotator="maya")
    return path


def test_the_sohr_figures_are_proposed_and_grouped_under_sohr(seeds: Path) -> None:
    with Project.open(seeds) as project:
        proposals = propose_sources(project)
        assert sorted(p.quote for p in proposals) == sorted(TOLLS)
        assert {p.entity_name for p in proposals} == {SOHR}
        by_quote = {p.quote: p for p in proposals}
        assert by_quote["at least 973 Alawite civilians"].evidence.startswith("According to the UK-based Syrian")
        assert by_quote["at least 973 Alawite civilians"].scope == "sentence"
        assert by_quote["over 740 civilian deaths"].evidence == f"Reports from the {SOHR}"
        for figure in project.annotations(label="Figure"):
            accept_frame(project, figure.id, "maya")
        groups = source_groups(figure_rows(project))
        assert [g.source for g in groups] == [SOHR]
        assert sorted(f.value for f in groups[0].figures) == [740, 973, 1200, 1700]
        assert all(f.independent_sources == 1 for f in groups[0].figures)
        assert propose_sources(project) == []  # nothing left to attribute


def test_accepting_the_frame_is_one_undo_step_and_fills_victims_and_period(seeds: Path) -> None:
    with Project.open(seeds) as project:
        figure = next(a for a in project.annotations(label="Figure") if a.quote.startswith("at least 973"))
        proposal = propose_frame(project, figure.id)
        assert proposal.attributes == {"victims": "civilians", "period": "10 March", "period-start": "2025-03-10",
                                       "period-end": "2025-03-10"}
        assert proposal.source is not None and proposal.source.entity_name == SOHR
        accept_frame(project, figure.id, "maya")
        row = next(r for r in figure_rows(project) if r.annotation_id == figure.id)
        assert (row.victims, row.period_start, row.period_end, row.source) == ("civilians", "2025-03-10", "2025-03-10", SOHR)
        assert not propose_frame(project, figure.id)  # everything set: nothing more to propose
        project.undo()
        row = next(r for r in figure_rows(project) if r.annotation_id == figure.id)
        assert (row.victims, row.period_start, row.source) == (None, None, None)


def test_a_figure_reported_by_two_sources_counts_two_independent_sources(seeds: Path) -> None:
    with Project.open(seeds) as project:
        accept_frame_all = [accept_frame(project, a.id, "maya") for a in project.annotations(label="Figure")]
        assert len(accept_frame_all) == 4
        reuters = next(e for e in project.entities() if e.name == "Reuters")
        doc = project.add_document("Reuters said at least 973 Alawite civilians were killed.", title="Wire",
                                   outlet="Reuters")
        figure = project.add_annotation(doc.id, 12, 42, "Figure", annotator="maya")
        proposal = propose_frame(project, figure.id)
        assert proposal.source is not None and proposal.source.entity_id == reuters.id
        assert proposal.source.evidence == "Reuters said"
        accept_frame(project, figure.id, "maya")
        rows = figure_rows(project)
        for row in rows:  # the same count of the same thing: same figure
            if row.value == 973:
                project.update_annotation(row.annotation_id, attributes={
                    **project.annotation(row.annotation_id).attributes, "counted": "civilians killed"})
        groups = {g.source: g for g in source_groups(figure_rows(project))}
        assert set(groups) == {SOHR, "Reuters"}
        assert next(f for f in groups["Reuters"].figures).independent_sources == 2
        assert next(f for f in groups[SOHR].figures if f.value == 973).independent_sources == 2
        assert next(f for f in groups[SOHR].figures if f.value == 740).independent_sources == 1


# -- CLI ---------------------------------------------------------------------------------------------


def test_cli_attribute_lists_then_accepts_as_one_undo_step(seeds: Path) -> None:
    listed = json.loads(ok("attribute", seeds, "--json").stdout)
    assert len(listed) == 4
    assert set(listed[0]) == {"annotation_id", "document_id", "quote", "entity_id", "entity_name", "evidence",
                              "mention_start", "mention_end", "scope", "accepted"}
    assert {p["entity_name"] for p in listed} == {SOHR} and not any(p["accepted"] for p in listed)
    assert json.loads(ok("attribute", seeds, "--json", "--annotator", "nobody").stdout) == []
    accepted = json.loads(ok("attribute", seeds, "--accept", "--annotator", "maya", "--json").stdout)
    assert [p["annotation_id"] for p in accepted] == [p["annotation_id"] for p in listed]
    assert all(p["accepted"] for p in accepted)
    assert "No source to propose" in ok("attribute", seeds).stdout
    groups = json.loads(ok("figures", seeds, "--by-source", "--json").stdout)
    assert [g["source"] for g in groups] == [SOHR]
    assert set(groups[0]["figures"][0]) == {"counted", "victims", "value", "lower", "upper", "qualifier", "outlets",
                                            "independent_sources", "appearance_count", "layer", "reviewer", "appearances"}
    table = ok("figures", seeds, "--by-source").stdout
    assert SOHR in table and "The Cradle" in table


def test_cli_attribute_table(seeds: Path) -> None:
    out = ok("attribute", seeds).stdout
    assert "According to the UK-based" in out and "next paragraph" in out


def test_cli_victims_lists_and_adds(seeds: Path) -> None:
    assert ok("victims", seeds).stdout.split("\n")[:4] == list(DEFAULT_VICTIMS)
    assert json.loads(ok("victims", seeds, "--add", "Journalists", "--json").stdout)[-1] == "journalists"
    assert ok("victims", seeds).stdout.splitlines()[-1] == "journalists"
    with Project.open(seeds) as project:
        figure = project.label("Figure")
        definition = next(d for d in figure.attributes if d["name"] == "victims")
        assert definition["choices"][-1] == "journalists"
