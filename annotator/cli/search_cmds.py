"""search, annotate-all: finding text across the corpus and tagging every occurrence from the shell."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli import cli
from annotator.cli.output import print_json, print_table
from annotator.errors import AnnotatorError
from annotator.project import Project
from annotator.search import search as run_search
from annotator.store.search import DocumentFilter

PROJECT = click.argument("project", type=click.Path(path_type=Path))  # a folder gets our one-line error


@cli.command()
@PROJECT
@click.argument("query")
@click.option("--regex", is_flag=True, help="QUERY is a Python regular expression.")
@click.option("--exact", is_flag=True, help="QUERY is an exact string (no query syntax).")
@click.option("--ignore-case", is_flag=True, help="With --exact or --regex: ignore case (full-text queries always do).")
@click.option("--outlet", default=None, help="Only documents from this outlet.")
@click.option("--since", default=None, metavar="DATE", help="Only documents published on or after DATE (YYYY-MM-DD).")
@click.option("--until", default=None, metavar="DATE", help="Only documents published on or before DATE (YYYY-MM-DD).")
@click.option("--status", type=click.Choice(["not started", "in progress", "done"]), default=None, help="Only documents with this status.")
@click.option("--label", default=None, help="Only documents with at least one annotation of this label.")
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True, help="At most this many hits.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
def search(project: Path, query: str, regex: bool, exact: bool, ignore_case: bool, outlet: str | None, since: str | None,
           until: str | None, status: str | None, label: str | None, limit: int, as_json: bool) -> None:
    """Search every document's text: words, "phrases", OR, NOT and prefix* (SQLite FTS5), or --exact / --regex.

    Prints each hit in context; offsets are code points into the document text, end exclusive.
    """
    if regex and exact:
        raise AnnotatorError("choose one of --regex and --exact")
    with Project.open(project) as proj:
        label_id = proj.label(label).id if label else None
        filters = DocumentFilter(outlet=outlet, published_from=since, published_to=until, status=status, label_id=label_id)
        hits = run_search(proj, query, "regex" if regex else "exact" if exact else "fts", ignore_case=ignore_case,
                          filters=filters, limit=limit)
    if as_json:
        print_json([h.to_dict() for h in hits])
    elif not hits:
        click.echo(f"No match for {query!r}")
    else:
        print_table(["document", "start", "end", "left", "hit", "right"],
                    [[h.document_id[:8], h.start, h.end, h.left[-30:], h.text, h.right[:30]] for h in hits])
