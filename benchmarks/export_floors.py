"""Each export format's floor: the standard library writing the same fields from the same rows.

An exporter must at least read the fields its format carries and serialise them. The floor of a
format does exactly that and nothing else: one SQL read of those columns, then ``json.dumps`` (one
line per document with its spans as plain lists, or one line per annotation) or ``csv.writer``,
into one file. What a format adds beyond that (tokens for CoNLL, offsets in UTF-16 units for
doccano and XMI, thousands of files for brat and XMI, XML for REFI-QDA, grouping figures by source
for the casualty table) is the format's own work, which the 1.5x target leaves room for.

The fields follow each format's notes (``annotator/exporters/*.py``, ``docs/formats``): e.g.
doccano carries the text, seven metadata keys and ``[start, end, label]`` and must be ASCII;
W3C carries no text but fifteen fields per annotation. Values stay as SQLite holds them (JSON
columns as strings), so a floor never does more than its format.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

DOCUMENT = ("d.id", "d.title", "d.outlet", "d.author", "d.url", "d.published", "d.language", "d.status", "d.source_path",
            "d.source_format", "d.position", "d.imported_at", "d.sha256", "d.metadata", "d.text")
ANNOTATION = ("a.id", "a.start", "a.end", "l.name", "a.quote", "a.prefix", "a.suffix", "a.annotator", "a.layer",
              "a.entity_id", "a.attributes", "a.note", "a.created_at", "a.updated_at")
METADATA = ("d.id", "d.title", "d.outlet", "d.author", "d.url", "d.published", "d.language")


@dataclass(frozen=True)
class Floor:
    """``documents`` empty: one record per annotation (with ``annotations`` naming document columns too)."""

    annotations: tuple[str, ...]
    documents: tuple[str, ...] = ()
    role: str = ""  # only annotations whose label has this role (the casualty table's figures, ClaimReview's claims)
    ascii: bool = False
    writer: str = "json"


FLOORS = {
    "jsonl": Floor(ANNOTATION, DOCUMENT),
    "doccano": Floor(("a.start", "a.end", "l.name"), (*METADATA, "d.text"), ascii=True),
    "brat": Floor(("a.id", "l.name", "a.start", "a.end", "a.quote", "a.attributes", "a.note", "a.entity_id"),
                  ("d.id", "d.title", "d.outlet", "d.text")),
    "conll": Floor(("a.start", "a.end", "l.name"), ("d.id", "d.text")),
    "w3c": Floor(("a.id", "a.annotator", "a.created_at", "a.updated_at", "l.name", "a.attributes", "a.note", "a.layer",
                  "d.id", "d.url", "d.sha256", "a.start", "a.end", "a.quote", "a.prefix", "a.suffix")),
    "csv": Floor(("d.id", "d.title", "d.outlet", "d.published", "a.id", "l.name", "a.quote", "a.start", "a.end",
                  "a.annotator", "a.layer", "a.note", "a.entity_id", "a.attributes"), writer="csv"),
    "labelstudio": Floor(("a.id", "a.start", "a.end", "a.quote", "l.name", "a.annotator", "a.layer", "a.note"),
                         (*METADATA, "d.status", "d.text")),
    "xmi": Floor(("a.start", "a.end", "l.name", "a.annotator", "a.layer"), ("d.id", "d.title", "d.text")),
    # a PlainTextSelection's name is the quote, its creation and modification times the annotation's; a TextSource's
    # creationDateTime is the document's import time
    "qdpx": Floor(("a.id", "a.start", "a.end", "l.name", "a.quote", "a.note", "a.annotator", "a.layer", "a.created_at",
                   "a.updated_at"), (*METADATA, "d.imported_at", "d.text")),
    # outlets: each document's outlet, else its title
    "casualties": Floor(("a.id", "a.quote", "a.attributes", "a.annotator", "d.outlet", "d.title", "d.url", "d.published"),
                        role="figure", writer="csv"),
    "claimreview": Floor(("a.id", "a.quote", "a.attributes", "a.annotator", "a.updated_at", "d.url", "d.title",
                          "d.published", "d.outlet"), role="claim"),
}


def write_floor(path: Path, out: Path, floor: Floor) -> None:
    """Read ``floor``'s columns from the project at ``path`` and write them to ``out``, nothing more."""
    conn = sqlite3.connect(path)
    where = " WHERE l.role = ?" if floor.role else ""
    arguments = (floor.role,) if floor.role else ()
    joined = "FROM annotations a JOIN labels l ON l.id = a.label_id"
    if floor.documents:
        spans: dict[str, list[tuple]] = {}
        for document_id, *values in conn.execute(f"SELECT a.document_id, {', '.join(floor.annotations)} {joined}{where}",
                                                 arguments):
            spans.setdefault(document_id, []).append(values)
        names = [column.split(".")[1] for column in floor.documents]
        with out.open("w", encoding="utf-8") as handle:
            for row in conn.execute(f"SELECT {', '.join(floor.documents)} FROM documents d"):
                record = dict(zip(names, row))
                record["spans"] = spans.get(row[0], [])
                handle.write(json.dumps(record, ensure_ascii=floor.ascii) + "\n")
    else:
        rows = conn.execute(f"SELECT {', '.join(floor.annotations)} {joined} JOIN documents d ON d.id = a.document_id"
                            f"{where}", arguments)
        with out.open("w", encoding="utf-8", newline="") as handle:
            if floor.writer == "csv":
                csv.writer(handle).writerows(rows)
            else:
                for row in rows:
                    handle.write(json.dumps(row, ensure_ascii=floor.ascii) + "\n")
    conn.close()
