"""``publish``: gold annotations and the figures table as a separate SQLite file for Datasette.

Read-only intended: the metadata JSON next to it tells Datasette the licence-free description and
column meanings; serve it with ``datasette public.db -m public.metadata.json`` (immutable with
``-i``). Written under a temporary name and renamed into place, so a killed publish leaves nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.atomic import Staging, write_text
from annotator.crosssource import FIGURE_COLUMNS, figure_rows
from annotator.store import publishing

if TYPE_CHECKING:
    from annotator.project import Project

GOLD_COLUMNS = ("id", "document_id", "document_title", "outlet", "published", "url", "label", "start", "end",
                "quote", "attributes", "note", "annotator")


def publish(project: Project, output: Path) -> dict[str, int]:
    documents = {d.id: d for d in project.documents(with_text=False)}
    gold = []
    for a in project.annotations(layer="gold"):
        d = documents[a.document_id]
        gold.append((a.id, a.document_id, d.title, d.outlet, d.published, d.url, a.label, a.start, a.end, a.quote,
                     json.dumps(a.attributes, ensure_ascii=False, sort_keys=True), a.note, a.annotator))
    figures = [tuple(r.to_dict()[c] for c in FIGURE_COLUMNS) for r in figure_rows(project)]
    with Staging() as staging:
        publishing.write_tables(staging.file(output), {"gold_annotations": (GOLD_COLUMNS, gold),
                                                       "figures": (FIGURE_COLUMNS, figures)})
        staging.commit()
    metadata = {
        "title": f"Annotator: {project.path.stem}",
        "description": "Gold annotations adjudicated by the team's leads, and every figure with its numbers. "
                       "Offsets are Unicode code points into the document text, end exclusive.",
        "databases": {output.stem: {"tables": {
            "gold_annotations": {"description": "Spans in the gold layer", "columns": {
                "start": "first code point", "end": "one past the last code point", "quote": "the text of the span",
                "attributes": "JSON of the label's attribute values"}},
            "figures": {"description": "Figures (numbers of people, homes...) with parsed or confirmed values"},
        }}},
    }
    write_text(output.with_suffix(".metadata.json"), json.dumps(metadata, indent=2, ensure_ascii=False) + "\n")
    return {"annotations": len(gold), "figures": len(figures)}
