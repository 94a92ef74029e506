"""search, annotate-all: finding text across the corpus and tagging every occurrence from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


@cli.command("annotate-all")
@PROJECT
@click.argument("text")
@click.argument("label")
@click.option("--annotator", required=True, metavar="NAME", help="Reviewer recorded on the new annotations.")
@click.option("--ignore-case", is_flag=True, help="Match TEXT whatever its case.")
@click.option("--whole-word", is_flag=True, help="Only where TEXT is not part of a longer word.")
@click.option("--document", "document_id", default=None, metavar="ID", help="Only this document (id or unique prefix).")
@click.option("--dry-run", is_flag=True, help="List what would be tagged; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the occurrences as JSON.")
def annotate_all_cmd(project: Path, text: str, label: str, annotator: str, ignore_case: bool, whole_word: bool,
                     document_id: str | None, dry_run: bool, as_json: bool) -> None:
    """Tag every occurrence of TEXT with LABEL, in every document or one, as one undoable step.

    Occurrences that already carry LABEL from the same reviewer are skipped.
    """
    from annotator.annotate_all import annotate_all, occurrences

    with Project.open(project) as proj:
        found = occurrences(proj, text, label, annotator, ignore_case=ignore_case, whole_word=whole_word, document_id=document_id)
        added = [] if dry_run else annotate_all(proj, found, label, annotator)
    ids = iter(a.id for a in added)
    rows: list[dict[str, Any]] = [{**o.to_dict(), "id": None if o.already or dry_run else next(ids)} for o in found]
    if as_json:
        print_json(rows)
        return
    if not found:
        click.echo(f"No occurrence of {text!r}")
        return
    print_table(["document", "start", "end", "left", "text", "right", "annotation"],
                [[r["document_id"][:8], r["start"], r["end"], r["left"][-25:], r["text"], r["right"][:25],
                  "already tagged" if r["already"] else ("would add" if dry_run else r["id"][:8])] for r in rows])
    skipped = sum(r["already"] for r in rows)
    click.echo(f"{'Would add' if dry_run else 'Added'} {len(rows) - skipped} annotation(s); {skipped} already tagged")


@cli.command()
@PROJECT
@click.option("--kind", type=click.Choice(["figures", "actors", "claims"]), default="figures", show_default=True,
              help="What to suggest: figure phrases, actors (entity names and aliases; spaCy entities when a pipeline is installed), "
                   "or claims (sentences elsewhere that may restate or contradict a claim).")
@click.option("--document", "document_id", default=None, metavar="ID", help="Only this document (id or unique prefix).")
@click.option("--annotator", default=None, metavar="NAME",
              help="Leave out what this reviewer already tagged or rejected; required with --accept and --reject.")
@click.option("--accept", is_flag=True, help="Accept every suggestion listed, as NAME's annotations, in one undoable step.")
@click.option("--reject", is_flag=True,
              help="Reject every suggestion listed for NAME, in one undoable step: they are not offered to NAME again.")
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@click.option("--ner-model", default=None, metavar="NAME",
              help="Actors: the spaCy pipeline to find PERSON/ORG/NORP/GPE entities with (a package such as en_core_web_sm, "
                   "or a folder saved by spaCy); default: the first installed one, if any.")
def suggest(project: Path, kind: str, document_id: str | None, annotator: str | None, accept: bool, reject: bool,
            as_json: bool, ner_model: str | None) -> None:
    """Suggest figures, actors or same-claim sentences to annotate; nothing is written unless --accept or --reject.

    Offsets are code points into the document text, end exclusive.
    """
    from annotator.suggest import accept as accept_all
    from annotator.suggest import reject_all
    from annotator.suggest import suggest as run_suggest

    if accept and not (annotator or "").strip():
        raise AnnotatorError("--accept needs --annotator NAME: whose annotations the suggestions become")
    if reject and accept:
        raise AnnotatorError("--accept and --reject exclude each other: choose one")
    if reject and not (annotator or "").strip():
        raise AnnotatorError("--reject needs --annotator NAME: whose rejections they are")
    with Project.open(project) as proj:
        found = run_suggest(proj, kind, document_id=document_id, annotator=annotator,  # type: ignore[arg-type]
                            ner_model=ner_model)
        added = accept_all(proj, found, annotator or "") if accept else []
        rejected = reject_all(proj, found, annotator or "") if reject else None
    if as_json:
        print_json([s.to_dict() for s in found])
        return
    if not found:
        click.echo("No suggestions")
        return
    if kind == "claims":
        print_table(["claim", "relation", "document", "start", "end", "text", "score"],
                    [[s.claim_id[:8] if s.claim_id else "", s.relation or "", s.document_id[:8], s.start, s.end, s.text[:80],
                      f"{s.score:.2f}"] for s in found])
    else:
        print_table(["document", "start", "end", "label", "text", "score", "value", "qualifier"],
                    [[s.document_id[:8], s.start, s.end, s.label, s.text, f"{s.score:.2f}", "" if s.value is None else f"{s.value:,g}",
                      s.qualifier or ""] for s in found])
    if accept and kind == "claims":
        click.echo(f"Linked {len(found)} sentence(s) to their claims as {annotator}'s; {len(added)} new claim annotation(s)")
    elif accept:
        click.echo(f"Accepted {len(added)} suggestion(s) as {annotator}'s annotations")
    if rejected is not None:
        click.echo(f"Rejected {len(rejected.rows)} suggestion(s) for {annotator}: not offered to them again")
