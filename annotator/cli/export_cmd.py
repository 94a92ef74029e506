"""``annotator export``: write a labelled dataset (jsonl, doccano, brat, conll, spacy, w3c, csv) with its dataset card."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli import cli
from annotator.cli.output import print_json
from annotator.errors import AnnotatorError
from annotator.exporters import FORMATS, Filters, export
from annotator.project import Project


@cli.command("export")
@click.argument("project", type=click.Path(path_type=Path))  # a folder gets our one-line error
@click.option("--format", "fmt", required=True, metavar="FMT", help=f"One of: {', '.join(FORMATS)}.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path),
              help="Output folder (or a file with the format's suffix, e.g. data.jsonl); the dataset card goes beside the data.")
@click.option("--annotator", "annotators", multiple=True, metavar="NAME", help="Only this reviewer's annotations (repeatable).")
@click.option("--layer", type=click.Choice(["gold", "reviewer"]), default=None, help="Only the gold layer, or only reviewers' own.")
@click.option("--label", "labels", multiple=True, metavar="LABEL", help="Only annotations with this label (repeatable).")
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              help="Only documents with this status, e.g. done (repeatable).")
@click.option("--document", "documents", multiple=True, metavar="ID", help="Only this document, id or unique prefix (repeatable).")
@click.option("--review-author", default=None, metavar="NAME",
              help="claimreview: the organisation publishing the reviews (default: each rating's reviewer).")
@click.option("--review-url", default=None, metavar="URL",
              help="claimreview: where the reviews are published; each review's url is URL/<annotation id>.")
@click.option("--force", is_flag=True, help="Write over an earlier export of the same files (deletes nothing).")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def export_(project: Path, fmt: str, out: Path, annotators: tuple[str, ...], layer: str | None,
            labels: tuple[str, ...], statuses: tuple[str, ...], documents: tuple[str, ...], review_author: str | None,
            review_url: str | None, force: bool, as_json: bool) -> None:
    """Export PROJECT as a labelled dataset in format FMT.

    Offsets are code points, end exclusive, except where the dataset card says the format counts
    otherwise (doccano: UTF-16 code units). Document filters choose documents; --annotator,
    --layer and --label choose annotations inside them.
    """
    filters = Filters(annotators=annotators, layer=layer, labels=labels, statuses=statuses, documents=documents)
    options = {k: v for k, v in (("review_author", review_author), ("review_url", review_url)) if v is not None}
    if options and fmt != "claimreview":
        raise AnnotatorError("--review-author and --review-url are for --format claimreview only")
    with Project.open(project) as proj:
        result = export(proj, fmt, out, filters, force=force, options=options)
    if as_json:
        print_json(result.to_dict())
        return
    for warning in result.warnings:
        click.echo(f"Note: {warning}", err=True)
    if result.dropped:
        click.echo(f"Note: {len(result.dropped)} annotations or relations left out or changed (listed in "
                   f"{result.readme})", err=True)
    click.echo(f"Exported {result.documents} documents, {result.annotations} annotations, {result.relations} "
               f"relations as {result.format} to {result.data} (see {result.readme.name})")
