"""One set of rules for rows that come from outside: what a stored row must be for every command to read it.

Plain functions over rows (dicts, as ``sqlite3.Row`` or the store give them). Each ``*_problems``
function returns a list of one-line problems (empty: the row is good); ``check_rows`` walks a whole
file's tables and also reports rows that depend on a bad one (an annotation of a bad document, a
relation of a skipped annotation). Nothing here runs SQL: callers pass the rows.

Why: merge (and anything that reads another file) must refuse a damaged row before writing it,
because a bad row in the project makes every command and the GUI crash when they read it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from annotator.defaults import DOCUMENT_STATUSES, ENTITY_TYPES, LABEL_ROLES, RELATION_TYPES
from annotator.errors import AnnotatorError, SpanError
from annotator.text import sha256

ATTRIBUTE_TYPES = ("text", "number", "choice", "date", "boolean")
LABEL_KINDS = ("span", "relation", "document")
LAYERS = ("reviewer", "gold")
COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")

Row = Mapping[str, Any]


def require(problems: list[str], error: type[AnnotatorError] = AnnotatorError) -> None:
    """Raise ``error`` naming every problem (one line) when there are any: how entry points use these rules."""
    if problems:
        raise error("; ".join(problems))


def span_problem(start: Any, end: Any, length: int) -> str | None:
    """Whole-number offsets with ``0 <= start < end <= length`` (code points, end exclusive), or the problem."""
    if not _int(start) or not _int(end):
        return f"span offsets must be whole numbers, not {start!r} and {end!r}"
    if start >= end:
        return f"span {start}–{end} is empty or reversed: the end must be after the start"
    if start < 0 or end > length:
        return f"span {start}–{end} is outside the text (0–{length})"
    return None


def check_span(start: Any, end: Any, text: str) -> None:
    """``span_problem`` as a ``SpanError``, for entry points."""
    if (problem := span_problem(start, end, len(text))) is not None:
        raise SpanError(problem)


def check_attributes(attributes: list[Any]) -> list[dict[str, Any]]:
    """Attribute definitions of a label: raise ``AnnotatorError`` on the first bad one; fill in type 'text'."""
    if not isinstance(attributes, list):
        raise AnnotatorError("attribute definitions must be a list")
    seen = set()
    for definition in attributes:
        if not isinstance(definition, dict):
            raise AnnotatorError("every attribute definition must be a mapping with a name")
        name = definition.get("name")
        if not name or not isinstance(name, str):
            raise AnnotatorError("every attribute definition needs a name")
        if name in seen:
            raise AnnotatorError(f"attribute {name!r} is defined twice")
        seen.add(name)
        kind = definition.setdefault("type", "text")
        if kind not in ATTRIBUTE_TYPES:
            raise AnnotatorError(f"attribute {name!r}: type must be one of {', '.join(ATTRIBUTE_TYPES)}")
        choices = definition.get("choices")
        if kind == "choice" and not choices:
            raise AnnotatorError(f"attribute {name!r}: a choice attribute needs choices")
        if choices is not None and (not isinstance(choices, list) or not all(isinstance(c, str) for c in choices)):
            raise AnnotatorError(f"attribute {name!r}: choices must be a list of words")
    return attributes


def color_problem(value: Any) -> str | None:
    if isinstance(value, str) and COLOR.match(value):
        return None
    return f"colour must look like #RRGGBB, not {value!r}"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(value: Any, expected: type, what: str) -> tuple[Any, str | None]:
    """``(parsed, None)`` or ``(None, problem)``: valid JSON (no NaN/Infinity) of the expected type."""
    if not isinstance(value, str):
        return None, f"{what} are not JSON text ({type(value).__name__})"
    if value == "{}" and expected is dict:  # most rows: skip the parser (a merge checks 100k of them)
        return {}, None
    try:
        parsed = json.loads(value, parse_constant=_reject_constant)
    except ValueError:
        return None, f"{what} are not valid JSON"
    if not isinstance(parsed, expected):
        kind = "an object" if expected is dict else "a list"
        return None, f"{what} must be {kind} in JSON, not {type(parsed).__name__}"
    return parsed, None


def _text(row: Row, column: str, *, required: bool = True, nullable: bool = False) -> str | None:
    value = row.get(column)
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        return f"{column} is not text ({type(value).__name__})"
    if required and not value.strip():
        return f"{column} is empty"
    return None


def _int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def document_problems(row: Row) -> list[str]:
    problems = [p for p in (_text(row, "id"), _text(row, "title", required=False)) if p]
    for column in ("outlet", "author", "url", "published", "language", "source_path", "source_format", "assigned_to"):
        if (p := _text(row, column, required=False, nullable=True)):
            problems.append(p)
    text = row.get("text")
    if not isinstance(text, str):
        problems.append(f"text is not text ({type(text).__name__})")
    elif "\x00" in text:
        problems.append("text contains a NUL character")
    elif row.get("sha256") != sha256(text):
        problems.append("sha256 does not match its text")
    if row.get("status") not in DOCUMENT_STATUSES:
        problems.append(f"status must be one of {', '.join(DOCUMENT_STATUSES)}, not {row.get('status')!r}")
    if not _int(row.get("position")):
        problems.append(f"position is not a whole number ({row.get('position')!r})")
    _, problem = parse_json(row.get("metadata"), dict, "metadata")
    return problems + ([problem] if problem else [])


def label_definitions(row: Row) -> tuple[list[dict[str, Any]] | None, str | None]:
    """A label row's attribute definitions, or the problem with them."""
    parsed, problem = parse_json(row.get("attributes"), list, "attributes")
    if problem:
        return None, problem
    try:
        return check_attributes(parsed), None
    except AnnotatorError as error:
        return None, f"attributes: {error}"


def label_problems(row: Row) -> list[str]:
    problems = [p for p in (_text(row, "id"), _text(row, "name"), _text(row, "description", required=False),
                            _text(row, "hotkey", nullable=True), color_problem(row.get("color"))) if p]
    if row.get("kind") not in LABEL_KINDS:
        problems.append(f"kind must be one of {', '.join(LABEL_KINDS)}, not {row.get('kind')!r}")
    if not _int(row.get("position")):
        problems.append(f"position is not a whole number ({row.get('position')!r})")
    if "role" in row and row["role"] not in LABEL_ROLES:
        problems.append(f"label role must be one of {', '.join(LABEL_ROLES)}, not {row['role']!r}")
    elif row.get("role", "plain") != "plain" and row.get("kind") != "span":
        problems.append(f"only span labels can have the role {row['role']!r}")
    _, problem = label_definitions(row)
    return problems + ([problem] if problem else [])


def attribute_value_problems(values: Mapping[str, Any], definitions: list[dict[str, Any]]) -> list[str]:
    """Values against the label's definitions. Names without a definition and nulls are allowed (kept as data)."""
    problems = []
    by_name = {d["name"]: d for d in definitions}
    for name, value in values.items():
        definition = by_name.get(name)
        if definition is None or value is None:
            continue
        kind = definition.get("type", "text")
        if kind == "number":
            if not (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)):
                problems.append(f"attribute {name!r} must be a number, not {value!r}")
        elif kind == "boolean":
            if not isinstance(value, bool):
                problems.append(f"attribute {name!r} must be true or false, not {value!r}")
        elif kind == "choice":
            if value not in definition.get("choices", []):
                problems.append(f"attribute {name!r} must be one of {', '.join(definition['choices'])}, not {value!r}")
        elif not isinstance(value, str):
            problems.append(f"attribute {name!r} must be text, not {value!r}")
    return problems


def annotation_problems(row: Row, text: str | None, label: Row | None,
                        definitions: list[dict[str, Any]] | None = None) -> list[str]:
    """``text``: its document's text; ``label``: its label row; ``definitions``: that label's parsed attributes."""
    problems = [p for p in (_text(row, "id"), _text(row, "annotator"), _text(row, "prefix", required=False),
                            _text(row, "suffix", required=False), _text(row, "note", required=False, nullable=True))
                if p]
    start, end = row.get("start"), row.get("end")
    if text is None:
        problems.append(f"its document {row.get('document_id')!r} is not in the file")
    elif (problem := span_problem(start, end, len(text))) is not None:
        problems.append(problem)
    elif row.get("quote") != text[start:end]:
        problems.append(f"quote {_short(row.get('quote'))} does not match the text at {start}–{end} "
                        f"({_short(text[start:end])})")
    if label is None:
        problems.append(f"its label {row.get('label_id')!r} is not in the file")
    elif label.get("kind") != "span":
        problems.append(f"its label {label.get('name')!r} is of kind {label.get('kind')!r}, not 'span'")
    if row.get("layer") not in LAYERS:
        problems.append(f"layer must be one of {', '.join(LAYERS)}, not {row.get('layer')!r}")
    values, problem = parse_json(row.get("attributes"), dict, "attributes")
    if problem:
        problems.append(problem)
    elif definitions is not None:
        problems += attribute_value_problems(values, definitions)
    return problems


def plainly_good_annotation(row: Row, text: str | None, label: Row | None) -> bool:
    """True only when ``annotation_problems(row, text, label, definitions)`` is ``[]`` whatever the definitions:
    the common row (text fields, offsets inside the text, its quote, a span label, no attributes) told in one
    expression, for a merge's 10,000 rows; anything else (and every message) is ``annotation_problems``' to
    find. ``tests/test_validation_fast.py`` checks the implication on random rows."""
    ident, annotator, note = row.get("id"), row.get("annotator"), row.get("note")
    start, end = row.get("start"), row.get("end")
    return (type(ident) is str and bool(ident.strip()) and type(annotator) is str and bool(annotator.strip())
            and type(row.get("prefix")) is str and type(row.get("suffix")) is str
            and (note is None or type(note) is str)
            and type(text) is str and type(start) is int and type(end) is int and 0 <= start < end <= len(text)
            and row.get("quote") == text[start:end]
            and label is not None and label.get("kind") == "span"
            and row.get("layer") in LAYERS and row.get("attributes") == "{}")


def relation_problems(row: Row, annotation_ids: Collection[object], relation_labels: Collection[object] = ()) -> list[str]:
    """``annotation_ids``: annotations that exist; ``relation_labels``: names of labels of kind 'relation'.

    Both are only tested for membership, so they may hold whatever an untrusted file had (None, numbers)."""
    problems = [p for p in (_text(row, "id"), _text(row, "annotator"), _text(row, "label"),
                            _text(row, "note", required=False, nullable=True),
                            _text(row, "external_id", required=False, nullable=True)) if p]
    for end in ("source_id", "target_id"):
        if row.get(end) not in annotation_ids:
            problems.append(f"its {end.removesuffix('_id')} {row.get(end)!r} is not an annotation in the file")
    if row.get("source_id") == row.get("target_id"):
        problems.append("it links an annotation to itself: a relation needs two different annotations")
    if isinstance(row.get("label"), str) and row["label"] not in RELATION_TYPES and row["label"] not in relation_labels:
        problems.append(f"unknown relation {row['label']!r}")
    if row.get("layer") not in LAYERS:
        problems.append(f"layer must be one of {', '.join(LAYERS)}, not {row.get('layer')!r}")
    return problems


def entity_problems(row: Row) -> list[str]:
    problems = [p for p in (_text(row, "id"), _text(row, "name"), _text(row, "type"),
                            _text(row, "note", required=False, nullable=True)) if p]
    if isinstance(row.get("type"), str) and row["type"] not in ENTITY_TYPES:
        problems.append(f"entity type must be one of {', '.join(ENTITY_TYPES)}, not {row['type']!r}")
    aliases, problem = parse_json(row.get("aliases"), list, "aliases")
    if problem:
        problems.append(problem)
    elif not all(isinstance(a, str) for a in aliases):
        problems.append("aliases must be a list of names (text)")
    return problems


def _short(value: Any, limit: int = 24) -> str:
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# -- a whole file -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A row that cannot be used: its own problems, or (``because`` names a table) a row it depends on is bad."""

    table: str
    id: str
    name: str
    problems: tuple[str, ...]
    because: str | None = None

    def __str__(self) -> str:
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return f"{self.name}: {self.problems[0]}{more}"

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "id": self.id, "name": self.name, "problems": list(self.problems),
                "because": self.because}


SINGULAR = {"documents": "document", "labels": "label", "entities": "entity", "annotations": "annotation",
            "relations": "relation"}


def _name(table: str, row: Row) -> str:
    if table == "labels" and isinstance(row.get("name"), str) and row["name"].strip():
        return f"label {row['name']!r}"
    ident = str(row.get("id"))
    return f"{SINGULAR[table]} {ident[:8] + '…' if len(ident) > 9 else ident}"


def check_rows(tables: Mapping[str, Sequence[Row]], known_entity_ids: Collection[str] = (),
               known_annotation_ids: Collection[str] = ()) -> list[Problem]:
    """Every bad row of a file's tables, and the rows that depend on one, in table order: documents,
    labels, entities, then annotations (bad when their document, label or entity is), then relations
    (bad when an annotation they link is). Each row appears at most once.

    ``known_entity_ids``: entities that exist elsewhere (in the project being merged into);
    ``known_annotation_ids``: good annotations of the file left out of ``tables`` (a merge's rows
    identical to the project's), which its relations may link."""
    found: list[Problem] = []
    bad: dict[str, set[Any]] = {t: set() for t in SINGULAR}

    def report(table: str, row: Row, problems: list[str], because: str | None = None) -> None:
        bad[table].add(row.get("id"))
        found.append(Problem(table, str(row.get("id")), _name(table, row), tuple(problems), because))

    for table, check in (("documents", document_problems), ("labels", label_problems), ("entities", entity_problems)):
        for row in tables.get(table, []):
            if problems := check(row):
                report(table, row, problems)
    texts = {d["id"]: d["text"] for d in tables.get("documents", []) if d.get("id") not in bad["documents"]}
    labels = {lab.get("id"): lab for lab in tables.get("labels", [])}
    entities = {e.get("id") for e in tables.get("entities", [])} | set(known_entity_ids)
    definitions_by_label: dict[Any, list[dict[str, Any]] | None] = {}
    for row in tables.get("annotations", []):
        if row.get("document_id") in bad["documents"]:
            report("annotations", row, ["its document is bad"], because="documents")
            continue
        label = labels.get(row.get("label_id"))
        label_bad = row.get("label_id") in bad["labels"]
        definitions = None
        if label is not None and not label_bad:
            key = row.get("label_id")
            if key not in definitions_by_label:  # parsed once per label, not once per annotation
                definitions_by_label[key] = label_definitions(label)[0]
            definitions = definitions_by_label[key]
        text = texts.get(row.get("document_id"))
        problems = [] if plainly_good_annotation(row, text, label) else annotation_problems(row, text, label, definitions)
        entity_id = row.get("entity_id")
        if entity_id is not None and entity_id not in entities:
            problems.append(f"its entity {entity_id!r} is not in the file")
        if problems:
            report("annotations", row, problems)
        elif label_bad:
            report("annotations", row, ["its label is bad"], because="labels")
        elif entity_id is not None and entity_id in bad["entities"]:
            report("annotations", row, ["its entity is bad"], because="entities")
    annotation_ids = {a.get("id") for a in tables.get("annotations", [])} | set(known_annotation_ids)
    relation_labels = {lab.get("name") for lab in labels.values() if lab.get("kind") == "relation"}
    bad_relation_labels = {lab.get("name") for lab in labels.values() if lab.get("id") in bad["labels"]}
    for row in tables.get("relations", []):
        if problems := relation_problems(row, annotation_ids, relation_labels):
            report("relations", row, problems)
        elif row.get("source_id") in bad["annotations"] or row.get("target_id") in bad["annotations"]:
            report("relations", row, ["an annotation it links is bad"], because="annotations")
        elif row.get("label") in bad_relation_labels and row.get("label") not in RELATION_TYPES:
            report("relations", row, ["its relation label is bad"], because="labels")
    return found
