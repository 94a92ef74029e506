"""Span annotations: validated adds, edits that keep quote and context in step, deletes, queries."""

from __future__ import annotations

import json
from typing import Any

from annotator.documents import DocumentsMixin
from annotator.errors import AnnotatorError
from annotator.history import Row, RowChange
from annotator.labels import LabelsMixin
from annotator.models import Annotation, Label
from annotator.proposals import propose_attributes
from annotator.store import annotations as annotation_rows
from annotator.store import annotators as annotator_rows
from annotator.store import new_id, sync_state
from annotator.store.cascade import cascaded
from annotator.store.schema import now
from annotator.text import context
from annotator.validation import LAYERS as LAYERS  # re-exported
from annotator.validation import annotation_problems, check_span, require

UNSET: Any = object()


def placeable(row: Row) -> bool:
    """Whether an annotation row's start and end are whole numbers, which a view can place: another program may
    write a fraction or a text there (``store.export_part.WHOLE_OFFSETS`` is the same test in SQL, which the span
    reads make; an export names such a row)."""
    return type(row["start"]) is int and type(row["end"]) is int


def _json(value: dict[str, Any] | None, what: str) -> str:
    if value is None:
        return "{}"
    if not isinstance(value, dict):
        raise AnnotatorError(f"{what} must be a mapping of names to values")
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise AnnotatorError(f"{what} must be JSON values: {error}") from None


class AnnotationsMixin(DocumentsMixin, LabelsMixin):
    def _check_span(self, document_id: str, start: Any, end: Any) -> str:
        text = self.document_text(document_id)
        check_span(start, end, text)
        return text

    def _check_annotation(self, row: Row, text: str, label: Label, values: bool = True) -> None:
        """The rules every stored annotation obeys (``annotator.validation``), and its entity exists.

        ``values=False`` skips attribute values against the label's definitions: an edit of the note
        must not be refused because the definitions changed after the values were stored."""
        require(annotation_problems(row, text, {"name": label.name, "kind": label.kind},
                                    label.attributes if values else None))
        if row["entity_id"] is not None:
            self.fetch_row("entities", row["entity_id"], "entity")

    def register_annotator(self, name: str, color: str | None = None, created_at: str | None = None) -> None:
        """List a reviewer in the ``annotators`` registry (kept on undo: a name is not a change)."""
        if self.in_transaction:
            annotator_rows.add(self.db, name, color, created_at or now())
            return
        if annotator_rows.has(self.db, name):
            return
        with self._transaction():
            self.register_annotator(name, color, created_at)

    def registered_annotators(self) -> set[str]:
        return annotator_rows.names(self.db)

    def annotation_row(
        self,
        document_id: str,
        start: int,
        end: int,
        label: str,
        *,
        annotator: str,
        attributes: dict[str, Any] | None = None,
        note: str | None = None,
        layer: str = "reviewer",
        entity_id: str | None = None,
        id: str | None = None,
        propose: bool = True,
    ) -> Row:
        """Validate and build an ``annotations`` row without writing it (imports build many at once).

        Without ``attributes``, values are proposed from the quote (a Figure's parsed number);
        ``propose=False`` stores none."""
        if not isinstance(annotator, str) or not annotator.strip():
            raise AnnotatorError("an annotation needs the name of the reviewer who made it")
        text = self._check_span(document_id, start, end)
        label_obj = self.label(label)
        quote, prefix, suffix = context(text, start, end)
        if attributes is None and propose:
            attributes = propose_attributes(label_obj, quote) or None
        stamp = now()
        row = {
            "id": id or new_id(),
            "document_id": document_id,
            "start": start,
            "end": end,
            "label_id": label_obj.id,
            "quote": quote,
            "prefix": prefix,
            "suffix": suffix,
            "annotator": annotator.strip(),
            "layer": layer,
            "entity_id": entity_id,
            "attributes": _json(attributes, "attributes"),
            "note": note or None,
            "created_at": stamp,
            "updated_at": stamp,
        }
        self._check_annotation(row, text, label_obj)
        return row

    def add_annotation(self, document_id: str, start: int, end: int, label: str, **options: Any) -> Annotation:
        """Add one span (code points, end exclusive).

        Options: annotator (required), attributes, note, layer, entity_id, propose (see annotation_row)."""
        row = self.annotation_row(document_id, start, end, label, **options)
        self.register_annotator(row["annotator"])
        self._commit(f"Add {self.label(row['label_id']).name} “{_short(row['quote'])}”", [RowChange("annotations", None, row)])
        return self._annotation(row)

    def update_annotation(
        self,
        id: str,
        *,
        start: int = UNSET,
        end: int = UNSET,
        label: str = UNSET,
        attributes: dict[str, Any] | None = UNSET,
        note: str | None = UNSET,
        entity_id: str | None = UNSET,
        layer: str = UNSET,
    ) -> Annotation:
        """Change any of bounds, label, attributes, note, entity or layer; quote and context follow the bounds."""
        before = self.fetch_row("annotations", id, "annotation")
        after = dict(before)
        text = self.document_text(before["document_id"])
        if start is not UNSET or end is not UNSET:
            new_start = before["start"] if start is UNSET else start
            new_end = before["end"] if end is UNSET else end
            check_span(new_start, new_end, text)
            after["start"], after["end"] = new_start, new_end
            after["quote"], after["prefix"], after["suffix"] = context(text, new_start, new_end)
        if label is not UNSET:
            after["label_id"] = self.label(label).id
        if attributes is not UNSET:
            after["attributes"] = _json(attributes, "attributes")
        if note is not UNSET:
            after["note"] = note or None
        if entity_id is not UNSET:
            after["entity_id"] = entity_id
        if layer is not UNSET:
            after["layer"] = layer
        if after == before:
            return self._annotation(before)
        values = attributes is not UNSET or after["label_id"] != before["label_id"]
        self._check_annotation(after, text, self.label(after["label_id"]), values)
        after["updated_at"] = now()
        self._commit(_describe_update(before, after), [RowChange("annotations", before, after)])
        return self._annotation(after)

    def prepare_to_annotate(self, document_id: str, annotator: str) -> None:
        """Read what the first add, delete and undo in a document read, so the reviewer's first key
        press does not: the document's text (100k characters take ~4 ms from the file), the label
        schema, the foreign keys a delete follows (a dozen PRAGMAs), the reviewer's registry row, the
        sync state a delete checks, and the statements they run (compiled once, then cached by
        sqlite3). Only reads; call it when the program has nothing else to do."""
        self.document_text(document_id)
        self.labels(kind=None)
        annotator_rows.has(self.db, annotator.strip())
        cascaded(self.db, "annotations", [])
        self.fetch_row_or_none("annotations", "")
        sync_state.refusal(self.db, (RowChange("annotations", {"id": ""}, None),))

    def delete_annotation(self, id: str) -> None:
        """Delete a span and the relations that hang on it, as one undoable change."""
        before = self.fetch_row("annotations", id, "annotation")
        rows = [RowChange(table, row, None) for table, row in cascaded(self.db, "annotations", [id])]
        rows.append(RowChange("annotations", before, None))
        self._commit(f"Delete “{_short(before['quote'])}”", rows)

    def annotation(self, id: str) -> Annotation:
        return self._annotation(self.fetch_row("annotations", id, "annotation"))

    def annotations(
        self,
        document_id: str | None = None,
        annotator: str | None = None,
        layer: str | None = None,
        label: str | None = None,
        starting_from: int = 0,
        starting_before: int | None = None,
    ) -> list[Annotation]:
        """Annotations in text order, filtered by any of document, reviewer, layer and label. The start
        bounds let a view read a long document's annotations in slices."""
        label_id = self.label(label).id if label is not None else None
        rows = annotation_rows.filtered(self.db, document_id, annotator, layer, label_id, starting_from, starting_before)
        names = self._label_names()
        return [Annotation.from_row(r, names.get(r["label_id"], "?")) for r in rows]

    def span_rows(
        self, document_id: str, starting_from: int = 0, starting_before: int | None = None
    ) -> list[tuple[str, int, int, str, str, str]]:
        """(id, start, end, label_id, annotator, layer) per annotation, by start: what painting needs,
        without building full records. The bounds let a long document load its first screen first."""
        return annotation_rows.span_rows(self.db, document_id, starting_from, starting_before)

    def _label_names(self) -> dict[str, str]:
        return {label.id: label.name for label in self.labels(kind=None)}

    def _annotation(self, row: Row) -> Annotation:
        return Annotation.from_row(row, self._label_names().get(row["label_id"], "?"))

    def annotators(self, layer: str | None = None, document_id: str | None = None) -> list[str]:
        """Names of those who made annotations (in one layer, one document), sorted."""
        return annotation_rows.annotator_names(self.db, layer, document_id)

    def find_annotation(self, document_id: str, start: int, end: int, label_id: str, layer: str) -> str | None:
        """The id of an annotation with exactly these bounds, label and layer, if there is one."""
        return annotation_rows.find(self.db, document_id, start, end, label_id, layer)

    def annotation_counts(self) -> dict[str, int]:
        """Annotations per document id, for document lists."""
        return annotation_rows.counts_by_document(self.db)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe_update(before: Row, after: Row) -> str:
    if (before["start"], before["end"]) != (after["start"], after["end"]):
        return f"Resize “{_short(after['quote'])}”"
    if before["label_id"] != after["label_id"]:
        return f"Relabel “{_short(after['quote'])}”"
    if before["note"] != after["note"]:
        return "Edit note"
    if before["entity_id"] != after["entity_id"]:
        return "Link entity"
    return "Edit attributes"
