"""backup, backups, restore: snapshots of a project file in the user data folder."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.backups import backup_dir, find_backup, list_backups, restore, snapshot
from annotator.cli import cli
from annotator.cli.output import print_json, print_table
from annotator.project import Project
from annotator.store import check_project_file

PROJECT = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} kB"


@cli.command()
@PROJECT
def backup(project: Path) -> None:
    """Make a snapshot of PROJECT now (consistent even while the app has it open)."""
    path = snapshot(project, "manual")
    click.echo(f"Backed up {project} to {path}")


@cli.command()
@PROJECT
@click.option("--json", "as_json", is_flag=True, help="Print JSON (full paths, ISO times).")
def backups(project: Path, as_json: bool) -> None:
    """List PROJECT's snapshots, newest first, numbered for `annotator restore`."""
    check_project_file(project)
    found = list_backups(project)
    if as_json:
        print_json([{"index": i, **b.to_dict()} for i, b in enumerate(found, start=1)])
        return
    if not found:
        click.echo(f"No backups of {project} yet (they are kept in {backup_dir(project)})")
        return
    unknown = "?"
    print_table(["#", "time", "reason", "size", "documents", "annotations", "file"],
                [[i, b.created.strftime("%Y-%m-%d %H:%M:%S"), b.reason, _size(b.size),
                  unknown if b.documents is None else b.documents, unknown if b.annotations is None else b.annotations, b.name]
                 for i, b in enumerate(found, start=1)])


@cli.command("restore")
@PROJECT
@click.argument("backup_name", metavar="BACKUP")
def restore_(project: Path, backup_name: str) -> None:
    """Replace PROJECT's content with BACKUP (its number in `annotator backups`, its file name, or a path).

    The current state is saved first as a "before-restore" snapshot, so a restore can be undone
    by restoring that one.
    """
    check_project_file(project)
    source = find_backup(project, backup_name)
    with Project.open(project) as proj:
        saved = restore(proj, source)
        counts = proj.counts()
    click.echo(f"Restored {project} from {source.name}: {counts['documents']} documents, {counts['annotations']} annotations")
    click.echo(f"The state before is saved as {saved.name}")
