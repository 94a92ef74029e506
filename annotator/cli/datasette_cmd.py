"""datasette: browse a project in Datasette with descriptions, display names, facets, search and canned queries."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from annotator.cli import cli
from annotator.datasette import datasette_command, install_command, metadata_path, serve_arguments, write_metadata
from annotator.errors import AnnotatorError
from annotator.project import Project


@cli.command()
@click.argument("project", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the metadata (default: PROJECT's name with .datasette.json, beside it).")
@click.option("--serve", is_flag=True, help="Then run `datasette PROJECT -m OUTPUT` (Datasette must be installed).")
def datasette(project: Path, output: Path | None, serve: bool) -> None:
    """Write a Datasette metadata file for PROJECT: table and column descriptions, labels shown by name,
    facets (outlet, label, annotator, status), full-text search over documents and the example
    queries of docs/schema.md as canned queries."""
    with Project.open(project):  # checks the file and brings its schema (the readable views) up to date
        pass
    output = output or metadata_path(project)
    command: list[str] | None = None
    if serve:  # before writing anything: a refused command leaves no file behind
        command = datasette_command()
        if command is None:
            raise AnnotatorError(f"Datasette is not installed: {install_command()} (or pipx install datasette), "
                                 f"then run: annotator datasette {project} --serve")
    write_metadata(project, output)
    click.echo(f"Wrote {output}")
    if command is None:
        return
    sys.stdout.flush()
    os.execv(command[0], [*command, *serve_arguments(project, output)])
