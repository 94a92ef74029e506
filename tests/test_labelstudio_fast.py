"""Label Studio's writer reads only the columns a task carries (``labelstudio.READ``) and counts attributes with
each value parsed once; tasks.json, the config, the warnings and the left-out relations must be those of the plain
writer (every column of every annotation as ``ExportAnnotation`` records), and a damaged attributes value must
still stop the export."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from annotator import Project
from annotator.exporters import FORMATS, export, json_array, labelstudio
from annotator.exporters.common import ExportJob, Filters
from annotator.store.file import BadRowError


def plain_write(job: ExportJob, folder: Path) -> None:
    """labelstudio.write before the narrow read (kept here as the reference)."""
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
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        group_of: dict[str, tuple[str, str]] = {}
        for a in item.annotations:
            key = (a.annotator, a.layer)
            groups[key].append(labelstudio.region(a))
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
        data.update({key: getattr(document, key) for key in labelstudio.METADATA if getattr(document, key)})
        tasks.append({"id": number, "data": data, "annotations": annotations, "predictions": [],
                      "meta": {"reviewers": {str(n): name for name, n in user_ids.items()}}})
    with (folder / labelstudio.TASKS).open("wb") as stream:
        stream.write(json_array.dumps(tasks))
        stream.write(b"\n")
    (folder / labelstudio.CONFIG).write_text(labelstudio.labeling_config(job, relation_types), encoding="utf-8",
                                             newline="\n")
    if with_attributes:
        job.warn(f"Label Studio results have no place for attributes: left out those of {with_attributes} annotations")


def _same(project: Project, folder: Path, filters: Filters | None = None) -> Any:
    fast = export(project, "labelstudio", folder / "fast", filters, force=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(FORMATS, "labelstudio", dataclasses.replace(FORMATS["labelstudio"], write=plain_write))
        plain = export(project, "labelstudio", folder / "plain", filters, force=True)
    for name in (labelstudio.TASKS, labelstudio.CONFIG):
        assert (folder / "fast" / name).read_bytes() == (folder / "plain" / name).read_bytes()
    assert (fast.warnings, fast.dropped) == (plain.warnings, plain.dropped)
    return fast


def test_the_sample_is_the_plain_writers(sample: Project, tmp_path: Path) -> None:
    """Emoji, Arabic, overlaps, notes, attributes, relations (some across reviewers: left out)."""
    assert _same(sample, tmp_path).dropped  # a relation across reviewers
    _same(sample, tmp_path / "gold", Filters(layer="gold"))


RAW = [("{}", None), ('{"certainty": "reported"}', "checked"), ("{}", ""), ('{"a": 1}', None), ("", "n"), ("", 0)]


def test_raw_attributes_and_notes_are_the_plain_writers(seeded: Project, raw_db: sqlite3.Connection,
                                                         tmp_path: Path) -> None:
    for number, document in enumerate(seeded.documents(with_text=False)):
        for index, (attributes, note) in enumerate(RAW):
            start = 3 * index + number
            id_ = seeded.add_annotation(document.id, start, start + 4, "Claim" if index % 2 else "Actor",
                                        annotator="ana" if index % 3 else "ben", layer="gold" if index == 2 else "reviewer").id
            raw_db.execute("UPDATE annotations SET attributes = ?, note = ? WHERE id = ?", [attributes, note, id_])
            raw_db.commit()
    assert "left out those of 10 annotations" in _same(seeded, tmp_path).warnings[0]
    _same(seeded, tmp_path / "ben", Filters(annotators=("ben",)))


@pytest.mark.parametrize("damaged", ["not json", "[1]", '"x"'])
@pytest.mark.parametrize(("name", "written"), [("labelstudio", f"out/{labelstudio.TASKS}"), ("doccano", "out")])
def test_a_damaged_attributes_value_still_stops_the_export(seeded: Project, raw_db: sqlite3.Connection,
                                                            tmp_path: Path, damaged: str, name: str, written: str) -> None:
    """Both formats count attribute values once per distinct value (ExportJob.count_attributes): a damaged one
    still names its annotation and leaves no file."""
    document = seeded.documents(with_text=False)[0]
    id_ = seeded.add_annotation(document.id, 0, 5, "Actor", annotator="ana").id
    raw_db.execute("UPDATE annotations SET attributes = ? WHERE id = ?", [damaged, id_])
    raw_db.commit()
    with pytest.raises(BadRowError, match=id_):
        export(seeded, name, tmp_path / "out")
    assert not (tmp_path / written).exists()
