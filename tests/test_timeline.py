"""The figure timeline: points per counted thing (low/best/high, date, outlet, source), and the
``annotator timeline`` command writing PNG / SVG through Qt offscreen."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run
from fixtures_seed_figures import SOHR, TOLLS, annotate_seed_tolls

from annotator import Project
from annotator.errors import AnnotatorError
from annotator.timeline import UNATTRIBUTED, counted_things, timeline


@pytest.fixture
def tolls(seeded: Project) -> Project:
    annotate_seed_tolls(seeded)
    return seeded


def test_points_carry_bounds_dates_and_source(tolls: Project) -> None:
    data = timeline(tolls)
    assert data.counted == "civilians killed"
    assert data.sources == (SOHR,)
    by_best = {p.best: p for p in data.points}
    assert set(by_best) == {t["value"] for t in TOLLS.values()}
    at_least = by_best[973]
    assert (at_least.low, at_least.best, at_least.high, at_least.open_high) == (973, 973, None, True)
    about = by_best[1700]
    assert (about.low, about.high, about.open_high, about.bottom, about.top) == (None, None, False, 1700, 1700)
    assert at_least.outlet == "The Cradle" and at_least.published is not None
    # Dated points first, in date order; undated after.
    flags = [p.published is None for p in data.points]
    assert flags == sorted(flags)
    assert data.color(SOHR) != data.color(UNATTRIBUTED)


def test_second_source_range_and_undated_order(tolls: Project) -> None:
    document = tolls.documents()[0]
    tolls.update_document(document.id, published="2025-03-01")
    start = document.text.index(" ") + 1
    figure = tolls.add_annotation(document.id, start, start + 5, "Figure", annotator="maya",
                                  attributes={"counted": "civilians killed", "lower": 1000, "upper": 1500,
                                              "qualifier": "range"})
    data = timeline(tolls, "CIVILIANS  killed")  # case and spacing do not matter
    point = next(p for p in data.points if p.annotation_id == figure.id)
    assert (point.low, point.best, point.high, point.source) == (1000, None, 1500, UNATTRIBUTED)
    assert data.sources[-1] == UNATTRIBUTED
    assert data.points[0].published == date(2025, 3, 1)


def test_unknown_counted_thing_names_the_known_ones(tolls: Project, tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match="civilians killed"):
        timeline(tolls, "goats")
    assert counted_things(tolls) == ["civilians killed"]
    with Project.create(tmp_path / "empty.db") as empty, pytest.raises(AnnotatorError, match="counted"):
        timeline(empty)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_cli_writes_png_svg_and_json(tolls: Project, tmp_path: Path) -> None:
    tolls.close()
    png, svg = tmp_path / "chart.png", tmp_path / "chart.svg"
    out = ok("timeline", tolls.path, "-o", png).output
    assert "4 figures" in out and _png_size(png) == (900, 480)
    ok("timeline", tolls.path, "--counted", "civilians killed", "-o", svg)
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert "civilians killed" in svg.read_text(encoding="utf-8")
    data = json.loads(ok("timeline", tolls.path, "--json").output)
    assert {p["best"] for p in data["points"]} == {973, 1200, 1700, 740}
    assert data["sources"][0]["name"] == SOHR


def test_cli_errors_are_one_line(tolls: Project, tmp_path: Path) -> None:
    tolls.close()
    assert "goats" in one_line_error(run("timeline", tolls.path, "--counted", "goats", "-o", tmp_path / "c.png"))
    assert ".png or .svg" in one_line_error(run("timeline", tolls.path, "-o", tmp_path / "c.jpg"))
    assert "-o" in one_line_error(run("timeline", tolls.path))
    assert not (tmp_path / "c.png").exists()
