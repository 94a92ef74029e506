"""The ``annotator`` command: thin click commands over the same API the GUI uses.

User errors (``AnnotatorError``) print one line to stderr and exit with status 1; nothing else
is caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import importlib
import re

import click

from annotator.errors import AnnotatorError

COMMAND_MODULES = ("annotator.cli.project_cmds", "annotator.cli.gui_cmd", "annotator.cli.export_cmd", "annotator.cli.crosssource_cmds",
                   "annotator.cli.review_cmds")


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(message: str) -> str:
    """Control characters, line separators and lone surrogates (from a file name or content) escaped: one printable line."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace").decode("ascii"), message)


class Annotator(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AnnotatorError as error:
            click.echo(f"Error: {one_line(str(error))}", err=True)
            ctx.exit(1)


@click.group(cls=Annotator, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="annotator")
def cli() -> None:
    """Annotator: highlight claims, actors and figures in news coverage, compare sources and reviewers."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name)
