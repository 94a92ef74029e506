"""The ``annotator`` command: thin click commands over the same API the GUI uses.

User errors (``AnnotatorError``) print one line to stderr and exit with status 1; nothing else
is caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import importlib

import click

from annotator.errors import AnnotatorError

COMMAND_MODULES = ("annotator.cli.project_cmds", "annotator.cli.gui_cmd", "annotator.cli.export_cmd", "annotator.cli.crosssource_cmds",
                   "annotator.cli.review_cmds")


class Annotator(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AnnotatorError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(1)


@click.group(cls=Annotator, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="annotator-news")
def cli() -> None:
    """Annotator: highlight claims, actors and figures in news coverage, compare sources and reviewers."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name)
