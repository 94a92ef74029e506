"""Read Label Studio's JSON task export (and what ``export --format labelstudio`` writes) into a project.

Each task's ``data.text`` becomes a document (other plain ``data`` values its metadata). Every
annotation and every prediction becomes spans: ``labels`` results (one span per label of a
region) and ``relation`` results between regions of the same annotation. The reviewer is the
annotation's ``completed_by`` (a user object's email or username, or a number named through the
task's ``meta.reviewers``, else ``labelstudio-user-N``); a prediction's reviewer is its
``model_version``. ``ground_truth`` annotations go to the gold layer. Offsets are code points,
as Label Studio's ``Text`` tag counts them, and must agree with ``value.text`` when it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.errors import ImportFileError
from annotator.importers.base import warn
from annotator.importers.guard import load_json
from annotator.importers.labelled import PendingAnnotation, PendingDocument, PendingRelation, PendingSet
from annotator.importers.plain import decode

SUFFIXES = (".json",)
SPAN_TYPES = ("labels", "hypertextlabels", "paragraphlabels")


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _reviewer(completed_by: Any, names: dict[str, Any]) -> str | None:
    if isinstance(completed_by, dict):
        for key in ("email", "username", "id"):
            if completed_by.get(key) not in (None, ""):
                return str(completed_by[key])
        return None
    if _int(completed_by):
        name = names.get(str(completed_by))
        return name if isinstance(name, str) and name else f"labelstudio-user-{completed_by}"
    return completed_by if isinstance(completed_by, str) and completed_by else None


def _tasks(path: Path, data: Any) -> list[Any]:
    if isinstance(data, dict) and "data" in data:
        return [data]
    if isinstance(data, list):
        return data
    raise ImportFileError(path, "not a Label Studio task list (expected a JSON list of tasks with \"data\")")


def _annotation_sets(task: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    """(annotation or prediction, is a prediction), cancelled annotations left out."""
    sets: list[tuple[dict[str, Any], bool]] = []
    for key, predicted in (("annotations", False), ("completions", False), ("predictions", True)):
        for item in task.get(key) or []:
            if isinstance(item, dict) and not item.get("was_cancelled"):
                sets.append((item, predicted))
    return sets


def read(path: Path) -> PendingSet:
    data = load_json(path, decode(path, path.read_bytes()))
    pending = PendingSet()
    for number, task in enumerate(_tasks(path, data), start=1):
        where = f"task {task.get('id', number) if isinstance(task, dict) else number}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise ImportFileError(path, f"{where}: a task must be an object with \"data\"")
        text = task["data"].get("text")
        if not isinstance(text, str) or not text.strip():
            raise ImportFileError(path, f"{where}: \"data.text\" must be a non-empty string (other data keys "
                                  "are not supported)")
        metadata = {key: value for key, value in task["data"].items()
                    if key not in ("text", "document_id") and isinstance(value, str | int | float) and not isinstance(value, bool)}
        metadata["source_format"] = "labelstudio"
        document = PendingDocument(path, None, text, metadata=metadata)
        meta: dict[str, Any] = task["meta"] if isinstance(task.get("meta"), dict) else {}
        names: dict[str, Any] = meta["reviewers"] if isinstance(meta.get("reviewers"), dict) else {}
        for index, (item, predicted) in enumerate(_annotation_sets(task)):
            reviewer = (str(item.get("model_version") or "prediction") if predicted
                        else _reviewer(item.get("completed_by"), names))
            layer = "gold" if item.get("ground_truth") and not predicted else "reviewer"
            results = item.get("result") or []
            if not isinstance(results, list):
                raise ImportFileError(path, f"{where}: \"result\" must be a list")
            keys: dict[str, list[str]] = {}
            for result in results:
                if not isinstance(result, dict):
                    raise ImportFileError(path, f"{where}: a result must be an object")
                kind = result.get("type")
                if kind in SPAN_TYPES:
                    value: dict[str, Any] = result["value"] if isinstance(result.get("value"), dict) else {}
                    start, end, labels = value.get("start"), value.get("end"), value.get(kind)
                    if not (isinstance(start, int) and isinstance(end, int) and _int(start) and _int(end)):
                        raise ImportFileError(path, f"{where}: region {result.get('id')} has no whole-number "
                                              "start/end (only plain-text regions can be imported)")
                    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
                        raise ImportFileError(path, f"{where}: region {result.get('id')} has no labels")
                    note = result["meta"].get("text") if isinstance(result.get("meta"), dict) else None
                    for label in labels:
                        key = f"{path}:{number}:{index}:{result.get('id')}:{label}"
                        keys.setdefault(str(result.get("id")), []).append(key)
                        document.annotations.append(PendingAnnotation(
                            key, start, end, label, annotator=reviewer, layer=layer,
                            quote=value.get("text") if isinstance(value.get("text"), str) else None,
                            note="\n".join(n for n in note if isinstance(n, str)) or None if isinstance(note, list) else None))
            for result in results:
                if result.get("type") != "relation":
                    continue
                sources, targets = keys.get(str(result.get("from_id"))), keys.get(str(result.get("to_id")))
                if not sources or not targets:
                    raise ImportFileError(path, f"{where}: relation {result.get('from_id')} → {result.get('to_id')} "
                                          "links regions that are not in its annotation")
                labels = [x for x in result.get("labels") or [] if isinstance(x, str)]
                if not labels:
                    warn(f"{path}: {where}: a relation without a label was left out (Annotator relations have a type)")
                    continue
                if result.get("direction") == "left":
                    sources, targets = targets, sources
                for label in labels:
                    pending.relations.append(PendingRelation(sources[0], targets[0], label, path, None,
                                                             annotator=reviewer, layer=layer))
        pending.documents.append(document)
    if not pending.documents:
        raise ImportFileError(path, "the file has no tasks")
    return pending
