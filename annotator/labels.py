"""The label schema: span labels with colour, hotkey, description and attribute definitions."""

from __future__ import annotations

import json
from typing import Any

from annotator.defaults import DEFAULT_LABELS, PALETTE
from annotator.errors import AnnotatorError, UnknownLabelError
from annotator.history import RowChange
from annotator.models import Label
from annotator.store import Store, new_id
from annotator.store import labels as label_rows
from annotator.validation import ATTRIBUTE_TYPES as ATTRIBUTE_TYPES  # re-exported: ui/schema_editor.py imports it here
from annotator.validation import label_definitions, label_problems, require


def _dump_definitions(attributes: Any) -> str:
    """Attribute definitions as the JSON ``label_problems`` checks; a tuple is a list too."""
    attributes = list(attributes) if isinstance(attributes, tuple) else attributes
    try:
        return json.dumps([] if attributes is None else attributes, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise AnnotatorError(f"attribute definitions must be JSON values: {error}") from None


def _checked(row: dict[str, Any]) -> dict[str, Any]:
    """The row after the shared rules (``annotator.validation``), colour upper-cased, attribute types filled in."""
    require(label_problems(row))
    definitions, _ = label_definitions(row)
    return {**row, "color": row["color"].upper(), "attributes": json.dumps(definitions, ensure_ascii=False)}


class LabelsMixin(Store):
    _label_cache: list[Label] | None = None

    def _seed_schema(self) -> None:
        for label in DEFAULT_LABELS:
            self.add_label(**json.loads(json.dumps(label)))

    def _forget_cached(self, rows) -> None:
        """The schema is read once and kept until a change (or its undo, or a rollback) touches it."""
        rows = tuple(rows)
        super()._forget_cached(rows)
        if any(rc.table == "labels" for rc in rows):
            self._label_cache = None

    def labels(self, kind: str | None = "span") -> list[Label]:
        """The schema in palette order (the position gives the 1–9 hotkeys by default)."""
        if self._label_cache is None:
            self._label_cache = [Label.from_row(r) for r in label_rows.all_rows(self.db)]
        return [label for label in self._label_cache if kind is None or label.kind == kind]

    def labels_with_role(self, role: str) -> list[Label]:
        """The span labels that play ``role`` (claim, actor, figure), in palette order."""
        return [label for label in self.labels() if label.role == role]

    def role_of(self, name_or_id: str) -> str:
        """The role of a label given by name or id; ``plain`` for a label the schema no longer has."""
        for label in self.labels(kind=None):
            if name_or_id in (label.name, label.id):
                return label.role
        return "plain"

    def label(self, name_or_id: str) -> Label:
        for label in self.labels(kind=None):
            if name_or_id in (label.name, label.id):
                return label
        known = ", ".join(label.name for label in self.labels())
        raise UnknownLabelError(f"unknown label {name_or_id!r} (the project has: {known})")

    def _hotkey_rows(self, hotkey: str | None, owner: str) -> list[RowChange]:
        """Taking a hotkey from another label frees it there, in the same change."""
        if not hotkey:
            return []
        rows = []
        for label in self.labels(kind=None):
            if label.hotkey == hotkey and label.id != owner:
                before = self.fetch_row("labels", label.id, "label")
                rows.append(RowChange("labels", before, {**before, "hotkey": None}))
        return rows

    def add_label(
        self,
        name: str,
        color: str | None = None,
        hotkey: str | None = None,
        description: str = "",
        attributes: list[dict[str, Any]] | None = None,
        kind: str = "span",
        role: str | None = None,
    ) -> Label:
        """Add a label. ``role`` (claim, actor, figure, plain) says what it is for, whatever its name;
        without one, a span label whose attributes include ``value`` and ``qualifier`` is a figure."""
        name = name.strip() if isinstance(name, str) else name
        if not name:
            raise AnnotatorError("a label needs a name")
        if any(label.name == name for label in self.labels(kind=None)):
            raise AnnotatorError(f"a label named {name!r} already exists")
        if role is None:
            names = {d.get("name") for d in attributes or [] if isinstance(d, dict)} if isinstance(attributes, list | tuple) else set()
            role = "figure" if kind == "span" and {"value", "qualifier"} <= names else "plain"
        existing = self.labels(kind=None)
        row = _checked({
            "id": new_id(),
            "name": name,
            "color": color or PALETTE[len(existing) % len(PALETTE)],
            "kind": kind,
            "hotkey": hotkey or None,
            "description": description or "",
            "attributes": _dump_definitions(attributes),
            "position": max((label.position for label in existing), default=0) + 1,
            "role": role,
        })
        self._commit(f"Add label {name}", [*self._hotkey_rows(hotkey, row["id"]), RowChange("labels", None, row)])
        return self.label(row["id"])

    def update_label(self, name_or_id: str, **fields: Any) -> Label:
        """Rename, recolour, re-key or redefine attributes. Annotations point at the id, so they follow."""
        label = self.label(name_or_id)
        before = self.fetch_row("labels", label.id, "label")
        after = dict(before)
        for key, value in fields.items():
            if key == "name":
                value = value.strip() if isinstance(value, str) else value
                if not value:
                    raise AnnotatorError("a label needs a name")
                if any(other.name == value and other.id != label.id for other in self.labels(kind=None)):
                    raise AnnotatorError(f"a label named {value!r} already exists")
            elif key == "attributes":
                value = _dump_definitions(value)
            elif key == "hotkey":
                value = value or None  # "" clears it
            elif key not in ("color", "role", "hotkey", "description", "position"):
                raise AnnotatorError(f"labels have no editable field {key!r}")
            after[key] = value
        after = _checked(after)
        rows = [*self._hotkey_rows(after["hotkey"], label.id), RowChange("labels", before, after)]
        self._commit(f"Edit label {label.name}", rows)
        return self.label(label.id)

    def delete_label(self, name_or_id: str) -> None:
        label = self.label(name_or_id)
        used = label_rows.use_count(self.db, label.id)
        if used:
            raise AnnotatorError(f"label {label.name} is used by {used} annotation(s): relabel or delete them first")
        self._commit(f"Delete label {label.name}", [RowChange("labels", self.fetch_row("labels", label.id, "label"), None)])
