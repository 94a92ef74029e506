"""init, import, docs, stats, reindex, annotate: building and inspecting a project from the shell."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli import cli, one_line
from annotator.cli.output import print_json, print_table
from annotator.errors import AnnotatorError
from annotator.importers import read_paths, skips_bad_lines
from annotator.importers.labelled import coerce_attributes
from annotator.project import Project

PROJECT = click.argument("project", type=click.Path(path_type=Path))  # a folder gets our one-line error


@cli.command()
@PROJECT
def init(project: Path) -> None:
    """Create a new project file with the default labels (Claim, Actor, Figure)."""
    with Project.create(project):
        pass
    click.echo(f"Created {project}")


@cli.command("import")
@PROJECT
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--skip-bad", is_flag=True, help="Import the good files and name the ones skipped.")
@click.option("--annotator", "annotator_name", default="import", show_default=True,
              help="Reviewer recorded on spans that a labelled file (.jsonl) brings without one.")
@click.option("--create-labels", is_flag=True, help="Add labels that the files use but the project lacks.")
@click.option("--format", "fmt", default=None, metavar="FMT",
              help="Read every file as FMT: jsonl (Annotator's lossless export), doccano, brat, w3c, or documents "
                   "(.jsonl of texts with code-point \"label\" spans). Without it a .jsonl is recognised by its keys.")
@click.option("--as-revision-of", "revision_of", default=None, metavar="ID",
              help="Import the one document given as a new version of document ID, carrying its annotations over.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_(project: Path, paths: tuple[Path, ...], skip_bad: bool, annotator_name: str, create_labels: bool,
            fmt: str | None, revision_of: str | None, as_json: bool) -> None:
    """Import .txt .md .html .docx .pdf .jsonl files, or folders of them.

    Everything is read before anything is written: one bad file stops the import and leaves
    the project unchanged, unless --skip-bad is given.
    """
    if fmt is not None and skip_bad and not skips_bad_lines(fmt):
        raise AnnotatorError(f"--skip-bad does not apply to --format {fmt}: a labelled dataset is imported whole "
                             "(only brat leaves out bad lines)")
    with Project.open(project) as proj:
        pending, problems = read_paths(paths, skip_bad=skip_bad, fmt=fmt)
        if revision_of is not None:
            if len(pending.documents) != 1 or pending.documents[0].text is None:
                raise AnnotatorError(f"--as-revision-of takes one document, not {len(pending.documents)}")
            pending.documents[0].revision_of = proj.resolve_document(revision_of)
        report = proj.import_documents(pending, annotator=annotator_name, create_labels=create_labels)
        revision_lines = []
        for revision in report.revisions:
            revision_lines.append(f"New version {revision.document.id[:8]} of {revision.previous_id[:8]}: "
                                  f"{len(revision.placed)} annotations carried over, {len(revision.unplaced)} left for review")
            for annotation_id, reason in revision.unplaced:
                annotation = proj.annotation(annotation_id)
                revision_lines.append(f"  unplaced {annotation_id[:8]} {annotation.label} “{one_line(annotation.quote)}”: "
                                      f"{reason}")
    for warning in pending.warnings:
        click.echo(f"Warning: {one_line(warning)}", err=True)
    if as_json:
        print_json({
            "added": [{"id": d.id, "title": d.title, "source": d.source_path} for d in report.added],
            "skipped_duplicates": [{"source": s, "existing_id": e} for s, e in report.skipped],
            "skipped_bad": [{"source": str(p.path), "problem": p.problem, "line": p.line} for p in problems],
            "annotations": report.annotations,
            "labels_created": report.labels_created,
            **report.extra(),
        })
        return
    for error in problems:
        click.echo(f"Skipped {error}", err=True)
    for source, existing in report.skipped:
        click.echo(f"Skipped {source}: same text as document {existing[:8]} already in the project", err=True)
    click.echo(report.summary(project))
    for line in revision_lines:
        click.echo(line)


@cli.command()
@PROJECT
@click.option("--json", "as_json", is_flag=True, help="Print JSON (full ids and metadata).")
def docs(project: Path, as_json: bool) -> None:
    """List the documents."""
    with Project.open(project) as proj:
        documents = proj.documents(with_text=False)
        counts = proj.annotation_counts()
        lengths = proj.document_lengths()
    if as_json:
        print_json([{**d.to_dict(text=False), "characters": lengths[d.id], "annotations": counts.get(d.id, 0)}
                    for d in documents])
        return
    print_table(["id", "title", "outlet", "published", "status", "chars", "annotations"],
                [[d.id[:8], d.title, d.outlet, d.published, d.status, lengths[d.id], counts.get(d.id, 0)]
                 for d in documents])


@cli.command()
@PROJECT
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(project: Path, as_json: bool) -> None:
    """Count documents, annotations (per label and reviewer), relations and entities."""
    with Project.open(project) as proj:
        data = proj.stats()
    if as_json:
        print_json(data)
        return
    for key in ("documents", "characters", "annotations", "gold_annotations", "relations", "entities", "labels"):
        click.echo(f"{key.replace('_', ' '):<18}{data[key]}")
    for group in ("by_label", "by_annotator", "by_status"):
        if data[group]:
            click.echo(f"{group.replace('_', ' ')}:")
            for name, count in data[group].items():
                click.echo(f"  {name:<16}{count}")


@cli.command()
@PROJECT
def reindex(project: Path) -> None:
    """Fill the derived tables for what an older release or another program wrote, and drop their unused rows.

    The stored figure parses (``figure_parses``) and each text's tokens (``document_tokens``): the writes keep both
    filled, and a read without a stored row computes it, so this makes the Figures table, the casualty table and the
    CoNLL export faster, never different."""
    with Project.open(project) as proj:
        parsed, unparsed, parses = proj.reindex_figures()
        tokenized, untokenized, texts = proj.reindex_tokens()
    click.echo(f"Figure parses: {parsed:,} stored now, {unparsed:,} dropped, {parses:,} in all")
    click.echo(f"Tokens: {tokenized:,} text(s) tokenized now, {untokenized:,} dropped, {texts:,} in all")


def _attributes(pairs: tuple[str, ...]) -> dict[str, str]:
    result = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise AnnotatorError(f"--attr takes NAME=VALUE, not {pair!r}")
        result[name] = value
    return result


@cli.command()
@PROJECT
@click.argument("document")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("label")
@click.option("--annotator", "annotator_name", required=True, help="Reviewer name recorded on the annotation.")
@click.option("--note", default=None, help="A free-text note.")
@click.option("--attr", "attrs", multiple=True, metavar="NAME=VALUE", help="An attribute (repeatable).")
@click.option("--gold", is_flag=True, help="Put the annotation in the gold layer.")
@click.option("--json", "as_json", is_flag=True, help="Print the new annotation as JSON.")
def annotate(project: Path, document: str, start: int, end: int, label: str, annotator_name: str,
             note: str | None, attrs: tuple[str, ...], gold: bool, as_json: bool) -> None:
    """Add one annotation: DOCUMENT (id or unique prefix), START and END (code points, end exclusive), LABEL."""
    with Project.open(project) as proj:
        annotation = proj.add_annotation(
            proj.resolve_document(document), start, end, label, annotator=annotator_name,
            attributes=coerce_attributes(proj.label(label), _attributes(attrs)) or None, note=note, layer="gold" if gold else "reviewer")
    if as_json:
        print_json(annotation.to_dict())
    else:
        click.echo(f"{annotation.id}\t{annotation.label}\t{annotation.start}\t{annotation.end}\t{annotation.quote}")
