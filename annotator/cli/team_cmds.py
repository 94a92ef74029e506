"""team init, team add-reviewer, sync, publish: working as a team on a PostgreSQL server (docs/team.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from annotator.cli import cli
from annotator.errors import AnnotatorError
from annotator.project import Project


@cli.group()
def team() -> None:
    """Set up a team server (PostgreSQL) that reviewers sync with."""


@team.command("init")
@click.argument("url")
def team_init(url: str) -> None:
    """Create the team schema, row-level security and group roles in the empty database at URL.

    URL is a libpq URL (postgresql://user@host:port/db?sslmode=verify-full); the password comes
    from the URL, PGPASSWORD or ~/.pgpass."""
    from annotator.store.server import public_url
    from annotator.team import init_server

    init_server(url)
    click.echo(f"Initialised the team server {public_url(url)}")


@team.command("add-reviewer")
@click.argument("url")
@click.argument("name")
@click.option("--role", type=click.Choice(["reviewer", "lead"]), default="reviewer", show_default=True,
              help="A lead also adjudicates gold, edits the label schema and merges entities.")
@click.option("--password-stdin", is_flag=True, help="Read the new login's password from standard input (else a prompt).")
def team_add_reviewer(url: str, name: str, role: str, password_stdin: bool) -> None:
    """Create the PostgreSQL login NAME on the team server (or give it a new password)."""
    from annotator.team import add_reviewer

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True)
    created = add_reviewer(url, name, password, role)
    click.echo(f"{'Created' if created else 'Updated'} {role} {name}")


@cli.command()
@click.argument("project", type=click.Path(path_type=Path))
@click.option("--server", "url", required=True, help="The team server's libpq URL (no password needed in it).")
@click.option("--as", "as_name", default=None, metavar="NAME", help="Log in as NAME (else the URL's user).")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def sync(project: Path, url: str, as_name: str | None, quiet: bool) -> None:
    """Push your changes to the team server and pull everyone else's (documents, labels, layers, gold)."""
    from annotator.team import sync as run_sync

    with Project.open(project) as proj:
        proj.set_busy_timeout(10)
        report = run_sync(proj, url, as_name)
    if not quiet:
        click.echo(report.summary())
        for line in report.skipped:
            click.echo(f"Skipped {line}", err=True)


@cli.command()
@click.argument("project", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The SQLite file to write (a Datasette metadata JSON is written next to it).")
def publish(project: Path, output: Path) -> None:
    """Write gold annotations and the figures table to a read-only-intended SQLite file for Datasette."""
    from annotator.team.publish import publish as run_publish

    if output.resolve() == project.resolve():
        raise AnnotatorError(f"{output}: is the project itself: choose another file")
    with Project.open(project) as proj:
        counts = run_publish(proj, output)
    click.echo(f"Wrote {output}: {counts['annotations']} gold annotations, {counts['figures']} figures")
