"""``labelstudio``: Label Studio's JSON task list plus a labeling config, so a project opens in Label Studio.

One task per document (``data.text`` and the document's metadata), one Label Studio annotation per
reviewer and layer (``completed_by``; the gold layer has ``ground_truth: true``), spans as
``labels`` results and relations as ``relation`` results between regions of the same annotation.
Label Studio's ``Text`` tag counts offsets in code points (since label-studio-frontend #308; its
"NER - Emoji" end-to-end test checks it), so offsets are written as we store them.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable
from json.encoder import encode_basestring as _string  # the C encoder's own string escaping (ensure_ascii=False)
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from annotator.defaults import RELATION_TYPES
from annotator.exporters.common import ExportAnnotation, ExportFormat, ExportJob

TASKS = "tasks.json"
CONFIG = "labeling_config.xml"
FROM_NAME, TO_NAME = "label", "text"
METADATA = ("title", "outlet", "author", "url", "published", "language", "status")


def region(a: ExportAnnotation) -> dict[str, Any]:
    """A span as a Label Studio ``labels`` result; the note is the region's meta text."""
    result: dict[str, Any] = {
        "id": a.id, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels", "origin": "manual",
        "value": {"start": a.start, "end": a.end, "text": a.quote, "labels": [a.label]},
    }
    if a.note:
        result["meta"] = {"text": [a.note]}
    return result


@functools.cache
def _pads(level: int) -> tuple[str, str, str, str]:
    """The line breaks plus indents of ``json.dump(indent=1)`` at ``level`` and the three levels inside it."""
    return tuple("\n" + " " * (level + n) for n in range(4))  # type: ignore[return-value]


def region_json(a: ExportAnnotation, level: int) -> str:
    """``json.dumps(region(a), indent=1, ensure_ascii=False)`` as it appears ``level`` deep, in one f-string.

    The pure-Python encoder that ``indent`` forces costs a generator step per token; a span is
    written 100,000 times in a large export, always with the same keys."""
    p0, p1, p2, p3 = _pads(level)
    meta = f',{p1}"meta": {{{p2}"text": [{p3}{_string(a.note)}{p2}]{p1}}}' if a.note else ""
    return (f'{{{p1}"id": {_string(a.id)},{p1}"from_name": "{FROM_NAME}",{p1}"to_name": "{TO_NAME}",{p1}"type": "labels",'
            f'{p1}"origin": "manual",{p1}"value": {{{p2}"start": {a.start:d},{p2}"end": {a.end:d},{p2}"text": {_string(a.quote)},'
            f'{p2}"labels": [{p3}{_string(a.label)}{p2}]{p1}}}{meta}{p0}}}')


def dump_indented(value: Any, level: int, out: Callable[[str], object]) -> None:
    """Write ``value`` as ``json.dump(value, indent=1, ensure_ascii=False)`` does, ``level`` deep.

    ``ExportAnnotation``s stand for their ``region`` and are written by ``region_json``. Scalars
    other than strings go through ``json.dumps`` itself, so numbers are written exactly as it does."""
    if isinstance(value, str):
        out(_string(value))
    elif isinstance(value, ExportAnnotation):
        out(region_json(value, level))
    elif isinstance(value, dict):
        if not value:
            out("{}")
            return
        pad = "\n" + " " * (level + 1)
        separator = "{" + pad
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"keys must be str, not {type(key).__name__}")
            out(f"{separator}{_string(key)}: ")
            dump_indented(item, level + 1, out)
            separator = "," + pad
        out("\n" + " " * level + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out("[]")
            return
        pad = "\n" + " " * (level + 1)
        separator = "[" + pad
        for item in value:
            out(separator)
            dump_indented(item, level + 1, out)
            separator = "," + pad
        out("\n" + " " * level + "]")
    else:
        out(json.dumps(value, ensure_ascii=False))


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
    tasks = []
    next_annotation = 1
    with_attributes = 0
    for number, item in enumerate(job.documents(), start=1):
        document = item.document
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)  # regions as annotations, relations as dicts
        group_of: dict[str, tuple[str, str]] = {}
        for a in item.annotations:
            key = (a.annotator, a.layer)
            groups[key].append(a)  # written by region_json
            group_of[a.id] = key
            with_attributes += bool(a.attributes)
        for r in item.relations:
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
        tasks.append({"id": number, "data": data, "annotations": annotations, "predictions": [],
                      "meta": {"reviewers": {str(n): name for name, n in user_ids.items()}}})
    with (folder / TASKS).open("w", encoding="utf-8", newline="\n") as stream:
        parts: list[str] = []
        dump_indented(tasks, 0, parts.append)  # what json.dump(tasks, indent=1) writes, without its generators
        stream.write("".join(parts))
        stream.write("\n")
    (folder / CONFIG).write_text(labeling_config(job, relation_types), encoding="utf-8", newline="\n")
    if with_attributes:
        job.warn(f"Label Studio results have no place for attributes: left out those of {with_attributes} annotations")


FORMAT = ExportFormat(
    name="labelstudio",
    title="Label Studio JSON tasks and labeling config",
    filename="",
    suffixes=(),
    importable=True,
    write=write,
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
