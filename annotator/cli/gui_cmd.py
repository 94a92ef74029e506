"""``annotator gui``: start the desktop app (the only command that loads Qt, and only when run)."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from annotator.cli import cli


@cli.command()
@click.argument("project", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--open", "open_ids", multiple=True, help="Document id to open in a pane (repeatable).")
@click.option("--reviewer", default=None, help="Work as this reviewer (no first-run prompt).")
def gui(project: Path | None, open_ids: tuple[str, ...], reviewer: str | None) -> None:
    """Open PROJECT (default: the sample project in your data folder) in the desktop app."""
    args = [str(project)] if project else []
    if open_ids:
        args += ["--open", *open_ids]
    if reviewer:
        args += ["--reviewer", reviewer]
    app = importlib.import_module("ui.app")  # Qt is loaded only here, never by the core
    raise SystemExit(app.main(args))
