"""documents: editing, deleting and assigning documents from the shell."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli import cli
from annotator.cli.output import print_json, print_table
from annotator.cli.project_group import ProjectGroup
from annotator.models import Document
from annotator.project import Project


def _show(document: Document, as_json: bool) -> None:
    if as_json:
        print_json(document.to_dict(text=False))
    else:
        click.echo("\t".join(v or "" for v in (document.id, document.title, document.outlet, document.author,
                                               document.published, document.url, document.assigned_to)).rstrip("\t"))


@cli.group(cls=ProjectGroup)
@click.argument("project", type=click.Path(path_type=Path))
@click.pass_context
def documents(ctx: click.Context, project: Path) -> None:
    """Manage documents: list, edit metadata, delete, assign to a reviewer. Without a verb: list."""
    ctx.obj = project


@documents.command("list")
@click.option("--assigned-to", default=None, metavar="NAME", help="Only the documents assigned to this reviewer.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(project: Path, assigned_to: str | None, as_json: bool) -> None:
    """List the documents with their metadata and who they are assigned to."""
    with Project.open(project) as proj:
        found = [d for d in proj.documents(with_text=False) if assigned_to is None or d.assigned_to == assigned_to]
    if as_json:
        print_json([d.to_dict(text=False) for d in found])
        return
    print_table(["id", "title", "outlet", "author", "published", "assigned to"],
                [[d.id[:8], d.title, d.outlet, d.author, d.published, d.assigned_to] for d in found])


@documents.command()
@click.argument("document")
@click.option("--title", default=None, help="A new title.")
@click.option("--outlet", default=None, help="A new outlet ('' clears it).")
@click.option("--author", default=None, help="A new author ('' clears it).")
@click.option("--date", "published", default=None, help="A new publication date ('' clears it).")
@click.option("--url", default=None, help="A new URL ('' clears it).")
@click.option("--json", "as_json", is_flag=True, help="Print the document's metadata as JSON.")
@click.pass_obj
def edit(project: Path, document: str, title: str | None, outlet: str | None, author: str | None,
         published: str | None, url: str | None, as_json: bool) -> None:
    """Edit DOCUMENT's metadata (id or unique prefix): one undoable change. The text never changes."""
    fields = {k: (v or None) for k, v in (("outlet", outlet), ("author", author), ("published", published), ("url", url))
              if v is not None}
    if title is not None:
        fields["title"] = title
    with Project.open(project) as proj:
        document_id = proj.resolve_document(document)
        result = proj.update_document(document_id, **fields) if fields else proj.document(document_id)
    _show(result, as_json)


@documents.command()
@click.argument("document")
@click.pass_obj
def delete(project: Path, document: str) -> None:
    """Delete DOCUMENT with its annotations and their relations."""
    with Project.open(project) as proj:
        document_id = proj.resolve_document(document)
        title = proj.document(document_id).title
        count = len(proj.annotations(document_id))
        proj.delete_document(document_id)
    click.echo(f"Deleted “{title}” and {count} annotation{'s' if count != 1 else ''}")


@documents.command()
@click.argument("document")
@click.argument("name", required=False, default="")
@click.pass_obj
def assign(project: Path, document: str, name: str) -> None:
    """Assign DOCUMENT to reviewer NAME (without NAME: to nobody)."""
    with Project.open(project) as proj:
        result = proj.assign_document(proj.resolve_document(document), name)
    click.echo(f"{result.id[:8]} assigned to {result.assigned_to}" if result.assigned_to else f"{result.id[:8]} assigned to nobody")
