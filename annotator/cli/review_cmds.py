"""merge, agreement, adjudicate: combining reviewers' project files and comparing their work."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from annotator.cli import cli
from annotator.cli.output import print_json, print_table
from annotator.comparison import AGREED, accept_all_agreed, accept_into_gold, adjudication_progress, compare_document
from annotator.errors import AnnotatorError
from annotator.merge import conflict_summary, merge_project
from annotator.project import Project
from annotator.project_agreement import documents_by_agreement, project_agreement, reviewers

PROJECT = click.argument("project", type=click.Path(path_type=Path))  # a folder gets our one-line error
ANNOTATOR = click.option("-a", "--annotator", "annotator_names", multiple=True, metavar="NAME",
                         help="A reviewer to compare (repeatable).")
ANNOTATORS = click.option("--annotators", "annotator_list", default=None, metavar="NAMES",
                          help='Reviewers to compare in one value: "ana,ben" or "ana ben".')


def reviewer_names(repeated: tuple[str, ...], joined: str | None) -> list[str] | None:
    """``-a`` values plus ``--annotators`` split at commas (if it has any) or else at spaces; None if neither."""
    names = list(repeated)
    if joined:
        names += re.split(r"\s*,\s*", joined.strip()) if "," in joined else joined.split()
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    return names or None


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


# -- merge -----------------------------------------------------------------------------------------


@cli.command()
@PROJECT
@click.argument("other", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would be merged; write nothing.")
@click.option("--skip-bad", is_flag=True, help="Leave out bad rows of OTHER (and rows depending on them) and merge the rest.")
@click.option("--json", "as_json", is_flag=True, help="Print the merge report as JSON.")
def merge(project: Path, other: Path, dry_run: bool, skip_bad: bool, as_json: bool) -> None:
    """Merge another project file OTHER into PROJECT: documents, labels, entities, annotations, relations,
    and the suggestions OTHER's reviewers rejected.

    Documents are matched by text, labels by name, everything else by id. A row with the same id
    and different content is a conflict: reported, and PROJECT's version kept. Merging twice
    adds nothing the second time. OTHER is validated first: a bad row (invalid JSON, a span off its
    text, a missing label...) refuses the merge unless --skip-bad. An OTHER of an older schema is
    merged from an upgraded temporary copy (OTHER itself is never changed); a newer one is refused.
    """
    with Project.open(project) as proj:
        report = merge_project(proj, other, dry_run=dry_run, skip_bad=skip_bad)
    if as_json:
        print_json(report.to_dict())
        return
    counts = ", ".join(f"{n} {table}" for table, n in report.added.items())
    present = ", ".join(f"{n} {table}" for table, n in report.skipped.items())
    verb = "Would add" if dry_run else "Added"
    click.echo(f"{verb} {counts} from {other}" + (" (dry run: nothing written)" if dry_run else f" into {project}"))
    click.echo(f"Already there, skipped: {present}"
               + (f" ({report.documents_remapped} documents matched by text under another id)"
                  if report.documents_remapped else ""))
    if report.rejections_added or report.rejections_skipped:
        click.echo(f"Rejected suggestions: {report.rejections_added} {'would be ' if dry_run else ''}added, "
                   f"{report.rejections_skipped} already here")
    for problem in report.problems:
        click.echo(f"Note: {problem}")
    if report.invalid:
        click.echo(f"Left out {len(report.invalid)} bad row{'s' if len(report.invalid) != 1 else ''} of {other} (--skip-bad):")
        for bad in report.invalid[:20]:
            click.echo(f"  {bad}")
        if len(report.invalid) > 20:
            click.echo(f"  … and {len(report.invalid) - 20} more (see --json)")
    if report.conflicts:
        click.echo(f"{len(report.conflicts)} conflict{'s' if len(report.conflicts) != 1 else ''} "
                   f"(same id, different content; {project}'s version kept):")
        for conflict in report.conflicts:
            click.echo(f"  {conflict.table} {conflict.id}: {conflict_summary(conflict)}")
    else:
        click.echo("No conflicts")


# -- agreement -------------------------------------------------------------------------------------


@cli.command()
@PROJECT
@ANNOTATOR
@ANNOTATORS
@click.option("--label", default=None, metavar="LABEL", help="Only this label.")
@click.option("--by-document", is_flag=True, help="Also list documents, lowest agreement (mean pairwise overlap F1) first.")
@click.option("--json", "as_json", is_flag=True, help="Print the full agreement report as JSON.")
def agreement(project: Path, annotator_names: tuple[str, ...], annotator_list: str | None, label: str | None,
              by_document: bool, as_json: bool) -> None:
    """Inter-annotator agreement between reviewers (reviewer layer), per pair and per label.

    Reviewers: -a NAME (repeatable) and/or --annotators "A,B"; default everyone with annotations.
    """
    names = reviewer_names(annotator_names, annotator_list)
    with Project.open(project) as proj:
        report = project_agreement(proj, names, label, per_document=as_json)
        ranking = documents_by_agreement(proj, report["annotators"], label) if by_document else None
    if as_json:
        print_json({**report, "by_document": [{"doc_id": d, "title": t, "score": s} for d, t, s in ranking]}
                   if ranking is not None else report)
        return
    _print_agreement(report)
    if ranking is not None:
        click.echo("\nDocuments, lowest agreement first (mean pairwise overlap F1)")
        print_table(["id", "title", "score"], [[d[:8], t, _number(s)] for d, t, s in ranking])


def _print_agreement(report: dict[str, Any]) -> None:
    corpus = report["corpus"]
    blocks = [("(all)", corpus["overall"]), *corpus["per_label"].items()]
    click.echo(f"Agreement between {', '.join(report['annotators'])} over {report['n_documents']} documents "
               "(reviewer layer; F1 from spans, kappa from tokens)")
    click.echo("\nPer pair")
    print_table(
        ["label", "a", "b", "docs", "exact F1", "overlap F1", "Cohen kappa", "kappa (annotated)"],
        [[name, p["a"], p["b"], p["n_documents"], _number(p["exact"]["f1"]), _number(p["overlap"]["f1"]),
          _number(p["cohen_kappa"]), _number(p["cohen_kappa_annotated_only"])]
         for name, block in blocks for p in block["pairwise"]])
    click.echo("\nAll reviewers")
    print_table(
        ["label", "docs (all)", "alpha nominal", "alpha-u", "Fleiss kappa"],
        [[name, block["n_documents_all_annotators"], _number(block["alpha_nominal"]),
          _number(block["alpha_unitizing"]), _number(block["fleiss_kappa"])] for name, block in blocks])


# -- adjudicate ------------------------------------------------------------------------------------


@cli.command()
@PROJECT
@click.argument("document")
@ANNOTATOR
@ANNOTATORS
@click.option("--accept-agreed", is_flag=True, help="Copy every agreed span not yet in gold into the gold layer.")
@click.option("--accept", "accept_ids", multiple=True, metavar="ID",
              help="Copy this annotation (id or unique prefix) into the gold layer (repeatable).")
@click.option("--adjudicator", default=None, metavar="NAME", help="Name recorded on gold annotations (needed to accept).")
@click.option("--json", "as_json", is_flag=True, help="Print differences, what was accepted and progress as JSON.")
def adjudicate(project: Path, document: str, annotator_names: tuple[str, ...], annotator_list: str | None,
               accept_agreed: bool, accept_ids: tuple[str, ...], adjudicator: str | None, as_json: bool) -> None:
    """Compare reviewers on DOCUMENT and accept spans into the gold layer.

    Without --accept-agreed or --accept, lists the differences and the progress. Reviewers:
    -a NAME (repeatable) and/or --annotators "A,B"; default everyone with annotations on DOCUMENT.
    """
    names = reviewer_names(annotator_names, annotator_list)
    if (accept_agreed or accept_ids) and not (adjudicator and adjudicator.strip()):
        raise AnnotatorError("accepting into gold needs --adjudicator NAME")
    with Project.open(project) as proj:
        document_id = proj.resolve_document(document)
        names = names or reviewers(proj, document_id)
        chosen = []
        for prefix in accept_ids:  # all checked before anything is written
            annotation_id = proj.resolve_id("annotations", prefix, "annotation")
            if proj.annotation(annotation_id).document_id != document_id:
                raise AnnotatorError(f"annotation {prefix} is not in document {document_id}")
            chosen.append(annotation_id)
        compare_document(proj, document_id, names)  # checks the reviewers
        accepted: list[str] = []
        agreed = 0
        if accept_agreed:
            agreed = accept_all_agreed(proj, document_id, names, adjudicator or "")
        for annotation_id in chosen:
            gold = accept_into_gold(proj, annotation_id, adjudicator or "")
            if gold is not None:
                accepted.append(gold.id)
        differences = compare_document(proj, document_id, names)
        resolved, total = adjudication_progress(proj, document_id, names)
        quotes = {a.id: a.quote for a in proj.annotations(document_id)}
    if as_json:
        print_json({"document_id": document_id, "annotators": names, "accepted_agreed": agreed,
                    "accepted": accepted, "differences": [d.to_dict() for d in differences],
                    "progress": {"resolved": resolved, "total": total}})
        return
    print_table(["start", "end", "kind", "labels", "ids", "gold", "quote"],
                [[d.start, d.end, d.title, "/".join(d.labels),
                  " ".join(f"{r}:{','.join(i[:8] for i in ids)}" for r, ids in d.annotations.items()),
                  "yes" if d.covered else "", quotes[d.spans[0].id]] for d in differences])
    if accept_agreed:
        click.echo(f"Accepted {agreed} agreed span{'s' if agreed != 1 else ''} into gold as {adjudicator}")
    if accept_ids:
        skipped = len(accept_ids) - len(accepted)
        click.echo(f"Accepted {len(accepted)} annotation{'s' if len(accepted) != 1 else ''} into gold as {adjudicator}"
                   + (f" ({skipped} already in gold)" if skipped else ""))
    open_agreed = sum(1 for d in differences if d.kind == AGREED and not d.covered)
    click.echo(f"Adjudicated {resolved} of {total} differences"
               + (f"; {open_agreed} agreed not yet in gold (--accept-agreed)" if open_agreed else ""))
