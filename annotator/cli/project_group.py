"""A command group over one project: ``annotator NOUN PROJECT VERB ...`` (``entities``, ``documents``)."""

from __future__ import annotations

import click

from annotator.store import file as project_file


class ProjectGroup(click.Group):
    """A group whose first argument is PROJECT; its SQLite errors name that file.

    Without a verb after PROJECT (``annotator entities coverage.db --json``) it runs ``default``,
    so the listing that came before the verbs keeps working."""

    default = "list"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        positional = next((i for i, a in enumerate(args) if not a.startswith("-")), None)
        if positional is not None and (positional + 1 >= len(args) or args[positional + 1] not in self.commands):
            args = [*args[: positional + 1], self.default, *args[positional + 1:]]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        with project_file.translating(ctx.params.get("project")):
            return super().invoke(ctx)

