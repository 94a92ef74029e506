"""``labelstudio``: Label Studio's JSON task list plus a labeling config, so a project opens in Label Studio.

One task per document (``data.text`` and the document's metadata), one Label Studio annotation per
reviewer and layer (``completed_by``; the gold layer has ``ground_truth: true``), spans as
``labels`` results and relations as ``relation`` results between regions of the same annotation.
Label Studio's ``Text`` tag counts offsets in code points (since label-studio-frontend #308; its
"NER - Emoji" end-to-end test checks it), so offsets are written as we store them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from annotator.defaults import RELATION_TYPES
from annotator.exporters import json_array
from annotator.exporters.common import ExportAnnotation, ExportFormat, ExportJob, without_collector
from annotator.models import Document, Relation

TASKS = "tasks.json"
CONFIG = "labeling_config.xml"
FROM_NAME, TO_NAME = "label", "text"
METADATA = ("title", "outlet", "author", "url", "published", "language", "status")


READ = ("id", "start", "end", "label_id", "quote", "annotator", "layer", "note", "attributes")
"""The annotation columns a task carries (``ExportJob.document_rows``), and the attributes it counts: not
prefix, suffix or timestamps, which were half the read."""


def region(a: ExportAnnotation) -> dict[str, Any]:
    """A span as a Label Studio ``labels`` result; the note is the region's meta text."""
    return span_region(a.id, a.start, a.end, a.quote, a.label, a.note)


def span_region(id_: str, start: int, end: int, quote: str, label: str, note: str | None) -> dict[str, Any]:
    """``region`` from the raw column values."""
    result: dict[str, Any] = {
        "id": id_, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels", "origin": "manual",
        "value": {"start": start, "end": end, "text": quote, "labels": [label]},
    }
    if note:
        result["meta"] = {"text": [note]}
    return result


def labeling_config(job: ExportJob, relation_types: set[str]) -> str:
    """``<View>`` with the span labels (colours kept), the relation types and the ``Text`` they apply to."""
    view = ElementTree.Element("View")
    relations = ElementTree.SubElement(view, "Relations")
    names = dict.fromkeys([*RELATION_TYPES, *(lab.name for lab in job.labels if lab.kind == "relation"), *sorted(relation_types)])
    for name in names:
        ElementTree.SubElement(relations, "Relation", value=name)
    labels = ElementTree.SubElement(view, "Labels", name=FROM_NAME, toName=TO_NAME)
    for label in job.labels:
        if label.kind == "span":
            ElementTree.SubElement(labels, "Label", value=label.name, background=label.color)
    ElementTree.SubElement(view, "Text", name=TO_NAME, value="$text")
    ElementTree.indent(view)
    return ElementTree.tostring(view, encoding="unicode") + "\n"


def write(job: ExportJob, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    reviewers = sorted({reviewer for _, reviewer, _ in job.selection.counts}
                       | {r.annotator for rs in job.selection.relations.values() for r in rs})
    user_ids = {name: number for number, name in enumerate(reviewers, start=1)}
    relation_types: set[str] = set()
    next_annotation = 1
    with_attributes = 0
    parsed: dict[Any, bool] = {}
    label_names = {label.id: label.name for label in job.labels}  # job.label_name's map
    meta = {"reviewers": {str(n): name for name, n in user_ids.items()}}  # the same on every task

    def tasks() -> Iterator[dict[str, Any]]:
        for number, (document, rows, document_relations) in enumerate(job.document_rows(READ), start=1):
            yield task(number, document, rows, document_relations)

    def task(number: int, document: Document, rows: list[tuple[Any, ...]], document_relations: list[Relation]
             ) -> dict[str, Any]:
        """A document's task, built as ``json_array.write`` asks for it."""
        nonlocal next_annotation, with_attributes
        if rows:
            _, ids, *_, attributes = zip(*rows)
            with_attributes += job.count_attributes(ids, attributes, parsed)
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)  # regions and relations
        group_of: dict[str, tuple[str, str]] = {}
        for _, id_, start, end, label_id, quote, annotator, layer, note, _ in rows:
            key = (annotator, layer)
            groups[key].append(span_region(id_, start, end, quote, label_names.get(label_id, "?"), note))
            group_of[id_] = key
        for r in document_relations:
            found = group_of.get(r.source_id)
            if found is None or group_of.get(r.target_id) != found:
                job.drop(document.id, r, "relation between spans of different reviewers, layers or documents: "
                         "Label Studio links regions of one annotation only")
                continue
            groups[found].append({"from_id": r.source_id, "to_id": r.target_id, "type": "relation",
                                "direction": "right", "labels": [r.label]})
            relation_types.add(r.label)
        annotations = []
        for (reviewer, layer), results in sorted(groups.items()):
            annotations.append({"id": next_annotation, "completed_by": user_ids[reviewer],
                                "ground_truth": layer == "gold", "was_cancelled": False, "result": results})
            next_annotation += 1
        data = {"text": document.text, "document_id": document.id}
        data.update({key: getattr(document, key) for key in METADATA if getattr(document, key)})
        return {"id": number, "data": data, "annotations": annotations, "predictions": [], "meta": meta}

    with (folder / TASKS).open("wb") as stream:
        json_array.write(stream, tasks())  # one task at a time: never all 100,000 regions in memory
        stream.write(b"\n")
    (folder / CONFIG).write_text(labeling_config(job, relation_types), encoding="utf-8", newline="\n")
    if with_attributes:
        job.warn(f"Label Studio results have no place for attributes: left out those of {with_attributes} annotations")


FORMAT = ExportFormat(
    name="labelstudio",
    title="Label Studio JSON tasks and labeling config",
    filename="",
    suffixes=(),
    importable=True,
    write=without_collector(write),
    notes="""
A folder with `tasks.json` (Label Studio's JSON task list: import it into a project) and
`labeling_config.xml` (paste it as the project's labeling interface first: `<Labels name="label"
toName="text">` with every span label and its colour, `<Relations>` with the relation types,
`<Text name="text" value="$text">`).

- One task per document: `data.text` is the text, `data.document_id`, `title`, `outlet`,
  `author`, `url`, `published`, `language`, `status` its metadata.
- One annotation per reviewer and layer: `completed_by` is a number, and the task's
  `meta.reviewers` maps it to the reviewer's name; the gold layer's annotation has
  `ground_truth: true`.
- A span is a result `{"type": "labels", "from_name": "label", "to_name": "text", "value":
  {"start", "end", "text", "labels": [LABEL]}}` whose `id` is the annotation id; its note is the
  region's `meta.text`. A relation is `{"type": "relation", "from_id", "to_id", "direction":
  "right", "labels": [TYPE]}` inside the same annotation.

**Offsets are code points** (Python string indices), which is what Label Studio's `Text` tag
counts (it has since 2022; older releases counted UTF-16 units, wrong after an emoji).

Not written: attributes, entity links; relations between spans of different reviewers or layers,
or across documents (Label Studio links regions of one annotation only).
""",
)
