"""attribute, victims: sources proposed for figures and claims, and the victim categories of figures."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.attribution import accept_sources, propose_sources
from annotator.cli import cli
from annotator.cli.output import print_json, print_table
from annotator.project import Project
from annotator.victims import add_victim_category, victim_categories

PROJECT = click.argument("project", type=click.Path(path_type=Path))


@cli.command()
@PROJECT
@click.option("--accept", is_flag=True, help="Apply every proposal (one undo step).")
@click.option("--annotator", "annotator_name", default=None, metavar="NAME",
              help="Only this reviewer's figures and claims; what --accept adds is recorded under NAME "
                   "(default: each annotation's own reviewer).")
@click.option("--json", "as_json", is_flag=True, help="Print the proposals as JSON.")
def attribute(project: Path, accept: bool, annotator_name: str | None, as_json: bool) -> None:
    """Propose a source for each figure and claim not yet attributed ("according to X", "X said", ...).

    Sources are entities of the registry (names and aliases) next to a source cue; each proposal
    shows the words that gave it away. With --accept, each is applied as an attributed-to link
    to an Actor annotation on the source's name.
    """
    with Project.open(project) as proj:
        proposals = propose_sources(proj, annotator=annotator_name)
        if accept:
            accept_sources(proj, proposals, annotator_name)
    if as_json:
        print_json([{**p.to_dict(), "accepted": accept} for p in proposals])
    elif not proposals:
        click.echo(f"No source to propose in {project}")
    else:
        print_table(["id", "quote", "source", "because", "where"],
                    [[p.annotation_id[:8], p.quote, p.entity_name, p.evidence, p.scope] for p in proposals])
        if accept:
            click.echo(f"Attributed {len(proposals)} annotation{'s' if len(proposals) != 1 else ''}")


@cli.command()
@PROJECT
@click.option("--add", "new", default=None, metavar="NAME", help="Add a victim category to the vocabulary.")
@click.option("--json", "as_json", is_flag=True, help="Print the categories as a JSON list.")
def victims(project: Path, new: str | None, as_json: bool) -> None:
    """List the victim categories figures can count (civilians, security forces, ...); --add extends them."""
    with Project.open(project) as proj:
        categories = add_victim_category(proj, new) if new is not None else victim_categories(proj)
    if as_json:
        print_json(categories)
    else:
        for category in categories:
            click.echo(category)
