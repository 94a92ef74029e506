"""copies, revisions: shared passages across documents, and the versions of a revised article."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from annotator.cli import cli
from annotator.cli.output import print_json, print_table
from annotator.copies import MIN_SIMILARITY, Progress, copies
from annotator.project import Project
from annotator.revisions import diff, figure_changes, previous_version, unplaced, versions

PROJECT = click.argument("project", type=click.Path(path_type=Path))


@cli.command("copies")
@PROJECT
@click.option("--json", "as_json", is_flag=True, help="Print the passages as JSON.")
@click.option("--min-similarity", type=float, default=MIN_SIMILARITY, show_default=True,
              help="How alike two sentences must be (0–1, rapidfuzz's normalised Indel similarity of their words).")
def copies_(project: Path, as_json: bool, min_similarity: float) -> None:
    """List near-duplicate passages across documents and within one (code-point offsets, sentences merged when adjacent)."""
    with Project.open(project) as proj:
        passages = copies(proj, min_similarity, _progress_on_terminal())
        titles = {d.id: d.title for d in proj.documents(with_text=False)}
    if as_json:
        print_json([p.to_dict() for p in passages])
        return
    if not passages:
        click.echo(f"No shared passages in {project}")
        return
    print_table(["document", "start", "end", "other document", "start", "end", "similarity"],
                [[titles[p.document_id][:40], p.start, p.end, titles[p.other_document_id][:40], p.other_start,
                  p.other_end, f"{p.similarity:.0%}"] for p in passages])


def _progress_on_terminal() -> Progress | None:
    """A progress line on stderr while copies are compared (tens of seconds at 1,000 documents), only on a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> bool:
        click.echo(f"\rComparing documents: {done * 100 // max(1, total)}%", err=True, nl=done >= total)
        return True
    return show


@cli.command()
@PROJECT
@click.argument("document")
@click.option("--json", "as_json", is_flag=True, help="Print the versions, differences, figures and unplaced annotations as JSON.")
def revisions(project: Path, document: str, as_json: bool) -> None:
    """Show the versions of DOCUMENT (id or unique prefix): what changed from the previous version, how its
    figures changed, and the annotations that could not be carried over."""
    with Project.open(project) as proj:
        document_id = proj.resolve_document(document)
        chain = versions(proj, document_id)
        previous = previous_version(proj, document_id)
        hunks = diff(proj.document_text(previous), proj.document_text(document_id)) if previous else []
        figures = figure_changes(proj, previous, document_id) if previous else []
        left = unplaced(proj, document_id)
        titles = {d: proj.document(d).title for d in chain}
    if as_json:
        print_json({"document_id": document_id, "versions": chain, "previous_id": previous,
                    "diff": [h.to_dict() for h in hunks], "figures": [f.to_dict() for f in figures],
                    "unplaced": [{"annotation_id": a.id, "label": a.label, "quote": a.quote, "start": a.start,
                                  "end": a.end, "reason": reason} for _, a, reason in left]})
        return
    for n, version in enumerate(chain, start=1):
        mark = " <" if version == document_id else ""
        click.echo(f"v{n} {version[:8]} {titles[version]}{mark}")
    if previous is None:
        click.echo("No previous version.")
        return
    click.echo(f"Changes from {previous[:8]}:")
    for h in hunks:
        if h.old_text.strip():
            click.echo(f"- {h.old_text.strip()}")
        if h.new_text.strip():
            click.echo(f"+ {h.new_text.strip()}")
    for f in figures:
        old = f"{f.old.quote} ({f.old.value})" if f.old else "—"
        new = f"{f.new.quote} ({f.new.value})" if f.new else "—"
        click.echo(f"figure {f.change}: {old} -> {new}")
    for _, a, reason in left:
        click.echo(f"unplaced {a.id[:8]} {a.label} “{a.quote}”: {reason}")
