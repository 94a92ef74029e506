"""``doccano``: doccano's sequence-labelling JSONL, so a project can be loaded into doccano and back.

doccano counts offsets the way JavaScript indexes strings, in UTF-16 code units (an emoji is
two), unless a project uses its "grapheme" mode; we write UTF-16 offsets and read them back the
same way (``annotator.importers.doccano``). Documents with relations need doccano's relation
form (``entities``/``relations``); one file must have one form, so if any relation is exported
every line uses it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.exporters.common import ExportFormat, ExportJob, json_line, utf16_offsets

METADATA = ("title", "outlet", "author", "url", "published", "language")


def write(job: ExportJob, target: Path) -> None:
    with_relations = job.selection.relation_count > 0
    next_entity = next_relation = 1
    with_attributes = with_notes = 0
    with target.open("w", encoding="utf-8", newline="\n") as stream:
        for item in job.documents():
            document = item.document
            with_attributes += sum(1 for a in item.annotations if a.attributes)
            with_notes += sum(1 for a in item.annotations if a.note)
            units = utf16_offsets(document.text)
            line: dict[str, Any] = {"text": document.text}
            if with_relations:
                ids: dict[str, int] = {}
                entities = []
                for a in item.annotations:
                    ids[a.id] = next_entity
                    entities.append({"id": next_entity, "label": a.label,
                                     "start_offset": units(a.start), "end_offset": units(a.end)})
                    next_entity += 1
                links = []
                for r in item.relations:
                    if r.target_id not in ids:
                        job.drop(document.id, r, "relation across documents: doccano links spans of one text only")
                        continue
                    links.append((ids[r.source_id], ids[r.target_id], r.label))
                relations = []
                for from_id, to_id, label in sorted(links):  # by span, not by creation time: stable round trips
                    relations.append({"id": next_relation, "from_id": from_id, "to_id": to_id, "type": label})
                    next_relation += 1
                line["entities"], line["relations"] = entities, relations
            else:
                line["label"] = [[units(a.start), units(a.end), a.label] for a in item.annotations]
            line.update({key: getattr(document, key) for key in METADATA if getattr(document, key)})
            line["document_id"] = document.id
            stream.write(json_line(line))
    if with_attributes or with_notes:
        job.warn(f"doccano has no attributes or notes: left out those of {with_attributes} and {with_notes} "
                 "annotations")
    job.warn_merged_reviewers("doccano")


FORMAT = ExportFormat(
    name="doccano",
    title="doccano sequence-labelling JSONL",
    filename="doccano.jsonl",
    suffixes=(".jsonl",),
    importable=True,
    write=write,
    notes="""
doccano's JSONL for sequence labelling: one document per line, `{"text": ..., "label": [[start,
end, "Label"], ...]}`; when the export holds relations, every line uses doccano's relation form
instead: `"entities": [{"id", "label", "start_offset", "end_offset"}]` and `"relations": [{"id",
"from_id", "to_id", "type"}]`. Document metadata (`title`, `outlet`, `author`, `url`,
`published`, `language`, `document_id`) are extra keys, which doccano keeps as metadata.

**Offsets are UTF-16 code units**, as doccano counts them (JavaScript string indices): every
character outside the Basic Multilingual Plane (most emoji) counts two. In Python:
`text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")` is the span. doccano's
"count grapheme clusters as one character" project option is not supported.

Not written: reviewer, layer, attributes, notes, entity links; relations across documents.
""",
)
