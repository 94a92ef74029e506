"""figures: comparing sources from the shell (the same rows the GUI's cross-source views show)."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli import cli
from annotator.cli.output import print_json, print_table
from annotator.copies import copies_of
from annotator.crosssource import FigureRow, SourceFigure, figure_rows, figures_csv, source_groups
from annotator.errors import AnnotatorError
from annotator.project import Project

PROJECT = click.argument("project", type=click.Path(path_type=Path))  # a folder gets our one-line error


def _number(value: object) -> str:
    if value is None:
        return ""
    return f"{value:,}" if isinstance(value, int) else str(value)


def _value(row: FigureRow | SourceFigure) -> str:
    """The value, or for a range ("between 1,000 and 1,500") its bounds."""
    if row.value is None and (row.lower is not None or row.upper is not None):
        return f"{_number(row.lower)}–{_number(row.upper)}"
    return _number(row.value)


@cli.command()
@PROJECT
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the rows as CSV (header first).")
@click.option("--label", default=None,
              help="The label whose annotations are figures (default: every label with value and qualifier attributes).")
@click.option("--by-source", is_flag=True,
              help="Group by source: each source's figures, the outlets they appear in, how many sources report each.")
@click.option("--copies-as-one", is_flag=True,
              help="With --by-source: a document that copies another (annotator copies) counts as one appearance with it.")
@click.option("--layer", type=click.Choice(["gold", "reviewer"]), default=None,
              help="Only the gold layer, or only reviewers' own figures (default: both, told apart by the layer column).")
@click.option("--reindex", is_flag=True,
              help="Store the parse of every figure quote not stored yet (a project from an older release), drop the "
                   "parses no figure quotes any more, then stop.")
def figures(project: Path, as_json: bool, as_csv: bool, label: str, by_source: bool, copies_as_one: bool,
            layer: str | None, reindex: bool) -> None:
    """List every figure across documents: value, bounds, qualifier, what is counted, who it is attributed to.

    Values are the reviewer's attributes; where one is missing, it is parsed from the quote.
    Rows are grouped by what is counted (unset last), then by value. Each row names its layer
    (gold or reviewer) and reviewer, so a gold copy is never read as a second report.
    """
    if as_json and as_csv:
        raise AnnotatorError("choose one of --json and --csv")
    if by_source and as_csv:
        raise AnnotatorError("--by-source prints a table or JSON, not CSV")
    if copies_as_one and not by_source:
        raise AnnotatorError("--copies-as-one counts appearances by source: add --by-source")
    if reindex:
        if as_json or as_csv or label or by_source or copies_as_one or layer:
            raise AnnotatorError("--reindex only fills the stored parses: give it no other option")
        with Project.open(project) as proj:
            parsed, dropped, stored = proj.reindex_figures()
        click.echo(f"Parsed {parsed:,} figure quote(s), dropped {dropped:,} no figure quotes; {stored:,} stored in all")
        return
    with Project.open(project) as proj:
        rows = figure_rows(proj, label=label, layer=layer)
        copied = copies_of(proj) if copies_as_one else None
    if by_source:
        groups = source_groups(rows, copied)
        if as_json:
            print_json([g.to_dict() for g in groups])
        else:
            print_table(["source", "layer", "counted", "victims", "value", "qualifier", "outlets", "appearances",
                         "sources reporting it"],
                        [[g.source or "(not attributed)", f.reviewer or f.layer, f.counted, f.victims, _value(f), f.qualifier,
                          "; ".join(f.outlets), f.appearance_count, f.independent_sources] for g in groups for f in g.figures])
        return
    if as_json:
        print_json([row.to_dict() for row in rows])
    elif as_csv:
        click.echo(figures_csv(rows).encode("utf-8"), nl=False)  # bytes: no newline translation of the CRLF
    elif not rows:
        click.echo(f"No {label or 'Figure'} annotations in {project}")
    else:
        print_table(
            ["id", "layer", "counted", "value", "qualifier", "quote", "outlet", "document", "attributed to"],
            [[r.annotation_id[:8], r.reviewer or r.layer, r.counted, _value(r), r.qualifier, r.quote, r.outlet,
              r.document_title, r.attributed_to] for r in rows])
