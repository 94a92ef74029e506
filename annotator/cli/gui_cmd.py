"""``annotator gui``: start the desktop app (the only command that loads Qt, and only when run)."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from annotator.cli import cli


def gui_arguments(project: Path | None, more_ids: tuple[str, ...], open_ids: tuple[str, ...],
                  reviewer: str | None) -> list[str]:
    """The app's own command line. ``--open A B`` (as the README shows) and ``--open A --open B``
    both open A and B: click gives an option one value, so the words after it arrive as
    ``more_ids``, which only make sense after ``--open``."""
    if more_ids and not open_ids:
        raise click.UsageError(f"Got unexpected extra argument ({' '.join(more_ids)}): "
                               "document ids go after --open")
    args = [str(project)] if project else []
    ids = [*open_ids, *more_ids]
    if ids:
        args += ["--open", *ids]
    if reviewer:
        args += ["--reviewer", reviewer]
    return args


@cli.command()
@click.argument("project", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.argument("more_ids", nargs=-1, metavar="[ID]...")
@click.option("--open", "open_ids", multiple=True,
              help="Document id(s) to open in panes: --open A B, or --open A --open B.")
@click.option("--reviewer", default=None, help="Work as this reviewer (no first-run prompt).")
def gui(project: Path | None, more_ids: tuple[str, ...], open_ids: tuple[str, ...], reviewer: str | None) -> None:
    """Open PROJECT (default: the sample project in your data folder) in the desktop app."""
    args = gui_arguments(project, more_ids, open_ids, reviewer)
    app = importlib.import_module("ui.app")  # Qt is loaded only here, never by the core
    raise SystemExit(app.main(args))
