"""The ``annotator`` command: thin click commands over the same API the GUI uses.

User errors (``AnnotatorError``) print one line to stderr and exit with status 1. An
``sqlite3.Error`` escaping a command is a problem with the project file (damaged, read-only,
full, locked): it is translated into the user error it means, naming the file. Nothing else is
caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import importlib
import re

import click

from annotator.errors import AnnotatorError
from annotator.store import DatabaseError
from annotator.store import file as project_file

COMMAND_MODULES = ("annotator.cli.project_cmds", "annotator.cli.gui_cmd", "annotator.cli.export_cmd", "annotator.cli.crosssource_cmds",
                   "annotator.cli.review_cmds", "annotator.cli.backup_cmds", "annotator.cli.label_cmds",
                   "annotator.cli.search_cmds", "annotator.cli.attribution_cmds", "annotator.cli.copies_cmds",
                   "annotator.cli.entity_cmds", "annotator.cli.document_cmds",
                   "annotator.cli.team_cmds", "annotator.cli.datasette_cmd", "annotator.cli.timeline_cmd")


class ProjectCommand(click.Command):
    """A command whose SQLite errors name its PROJECT argument's file."""

    def invoke(self, ctx: click.Context):
        with project_file.translating(ctx.params.get("project")):
            return super().invoke(ctx)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(message: str) -> str:
    """Control characters, line separators and lone surrogates (from a file name or content) escaped: one printable line."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace").decode("ascii"), message)


class Annotator(click.Group):
    command_class = ProjectCommand

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AnnotatorError as error:
            click.echo(one_line(project_file.user_message(error)), err=True)
            ctx.exit(1)
        except DatabaseError as error:  # a command without a PROJECT argument
            click.echo(one_line(project_file.user_message(project_file.translate(error, None))), err=True)
            ctx.exit(1)


@click.group(cls=Annotator, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="annotator-news")
def cli() -> None:
    """Annotator: highlight claims, actors and figures in news coverage, compare sources and reviewers."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name)
