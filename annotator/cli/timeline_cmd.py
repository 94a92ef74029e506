"""``annotator timeline``: the figures of one counted thing as a low–best–high chart (PNG or SVG), or JSON.

The chart is drawn by the same painter as the GUI's timeline window, through Qt offscreen
(``ui.timeline_window``); Qt is imported only when a chart is written, never by the core.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from annotator.cli import cli
from annotator.cli.output import print_json
from annotator.errors import AnnotatorError
from annotator.project import Project
from annotator.timeline import timeline as build_timeline


@cli.command()
@click.argument("project", type=click.Path(path_type=Path))  # a folder gets our one-line error
@click.option("--counted", default=None, metavar="TEXT",
              help="What the figures count, e.g. 'civilians killed' (default: what most figures count).")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the chart here: a .png or .svg file.")
@click.option("--json", "as_json", is_flag=True, help="Print the points (low, best, high, date, outlet, source) as JSON.")
def timeline(project: Path, counted: str | None, out: Path | None, as_json: bool) -> None:
    """Chart every figure reported for one counted thing: a bar from low to high with a dot at the
    best value, by publication date and outlet, coloured by source (undated articles last)."""
    if out is None and not as_json:
        raise AnnotatorError("give -o chart.png (or .svg) to write the chart, or --json to print the points")
    if out is not None and out.suffix.lower() not in (".png", ".svg"):
        raise AnnotatorError(f"{out}: the chart is written as .png or .svg")
    with Project.open(project) as proj:
        data = build_timeline(proj, counted)
    if as_json:
        print_json(data.to_dict())
    if out is not None:
        chart = importlib.import_module("ui.timeline_window")  # Qt is loaded only here
        chart.render_timeline(data, out)
        if not as_json:
            click.echo(f"Wrote the timeline of {data.counted} ({len(data.points)} figures, "
                       f"{len(data.sources)} sources) to {out}")
