"""Documents: adding (with duplicate detection), listing, status and metadata edits."""

from __future__ import annotations

import json
from typing import Any

from annotator.errors import AnnotatorError, DuplicateDocumentError
from annotator.history import Row, RowChange
from annotator.models import Document, Listed
from annotator.store import Store, new_id
from annotator.store import documents as document_rows
from annotator.store import relations as relation_rows
from annotator.store.cascade import cascaded
from annotator.store.schema import now
from annotator.text import first_line, normalize_newlines, sha256
from annotator.validation import document_problems, require

DOCUMENT_COLUMNS = ("title", "outlet", "author", "url", "published", "language", "status", "source_path", "source_format",
                    "assigned_to")
ALIASES = {"date": "published", "source": "outlet", "sitename": "outlet", "site": "outlet", "lang": "language"}


def document_row(text: str, metadata: dict[str, Any], position: int) -> Row:
    """A new ``documents`` row: text with normalised newlines, known fields as columns, the rest as JSON."""
    text = normalize_newlines(text)
    columns: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in metadata.items():
        if value is None or value == "":
            continue
        key = ALIASES.get(key, key)
        if key in DOCUMENT_COLUMNS:
            columns.setdefault(key, str(value))
        elif key not in ("id", "text", "sha256", "metadata", "position", "imported_at"):
            extra[key] = value
    # a column added by a later schema (assigned_to) only when given: the default fills it
    row: Row = {column: columns.get(column) for column in DOCUMENT_COLUMNS if column != "assigned_to" or column in columns}
    row.update(
        id=new_id(),
        text=text,
        sha256=sha256(text),
        title=columns.get("title") or first_line(text),
        status=columns.get("status", "not started"),
        metadata=json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str),
        position=position,
        imported_at=now(),
    )
    require(document_problems(row))
    return row


class DocumentsMixin(Store):
    def add_document(self, text: str, **metadata: Any) -> Document:
        """Add one document; known metadata (title, outlet, author, url, published/date, language) become columns."""
        if not isinstance(text, str) or not text.strip():
            raise AnnotatorError("a document needs some text")
        row = document_row(text, metadata, self.next_position())
        existing = self.document_id_for_hash(row["sha256"])
        if existing:
            raise DuplicateDocumentError(f"the same text is already in the project as document {existing}", existing)
        self._commit(f"Add document “{row['title']}”", [RowChange("documents", None, row)])
        return Document.from_row(row)

    def next_position(self) -> int:
        return document_rows.next_position(self.db)

    def document_ids_by_hash(self) -> dict[str, str]:
        """sha256 of the text -> document id, for matching documents across files."""
        return document_rows.ids_by_hash(self.db)

    def document_id_for_hash(self, digest: str) -> str | None:
        return document_rows.id_for_hash(self.db, digest)

    def document(self, id: str) -> Document:
        return Document.from_row(self.fetch_row("documents", id, "document"))

    def documents(self, with_text: bool = True) -> list[Document]:
        """All documents in list order. ``with_text=False`` leaves ``text`` empty, for long lists."""
        columns = ["sha256", *DOCUMENT_COLUMNS, "metadata", "position", "imported_at"]
        return [Document.from_row(r) for r in document_rows.listed(self.db, columns, with_text)]

    def document_listing(self) -> list[Listed]:
        """The document list's rows (title, outlet, date, status, annotation count) in list order, as plain tuples."""
        return document_rows.listed_with_counts(self.db)

    def document_listed(self, id: str) -> Listed | None:
        """One document's row of ``document_listing`` (None once it is gone)."""
        return document_rows.listed_one(self.db, id)

    def document_lengths(self) -> dict[str, int]:
        """Characters per document id, without loading the texts."""
        return document_rows.lengths(self.db)

    def document_text(self, id: str) -> str:
        """The text of a document, cached: texts never change once stored."""
        text = self._texts.get(id)
        if text is None:
            text = self._texts[id] = self.fetch_row("documents", id, "document")["text"]
        return text

    def resolve_document(self, id_or_prefix: str) -> str:
        return self.resolve_id("documents", id_or_prefix, "document")

    def update_document(self, id: str, **fields: Any) -> Document:
        """Edit metadata (title, outlet, author, url, published, language, status). The text never changes."""
        before = self.fetch_row("documents", id, "document")
        after = dict(before)
        for key, value in fields.items():
            key = ALIASES.get(key, key)
            if key not in DOCUMENT_COLUMNS:
                raise AnnotatorError(f"documents have no editable field {key!r}")
            after[key] = value
        require(document_problems(after))
        self._commit(f"Edit “{before['title']}”", [RowChange("documents", before, after)])
        return Document.from_row(after)

    def set_document_status(self, id: str, status: str) -> Document:
        return self.update_document(id, status=status)

    def set_documents_status(self, ids: list[str], status: str) -> None:
        """Mark several documents at once: one transaction, one undo step."""
        with self.group(f"Mark {len(ids)} document{'s' if len(ids) != 1 else ''} {status}"):
            for document_id in ids:
                self.update_document(document_id, status=status)

    def assign_document(self, id: str, reviewer: str | None) -> Document:
        """Assign a document to a reviewer (``None`` or "" to nobody): one undoable edit."""
        name = " ".join(reviewer.split()) if isinstance(reviewer, str) else reviewer
        return self.update_document(id, assigned_to=name or None)

    def documents_assigned_to(self, reviewer: str) -> list[str]:
        """Ids of the documents assigned to a reviewer, in list order."""
        return document_rows.assigned_to(self.db, reviewer)

    def delete_document(self, id: str) -> None:
        """Remove a document with everything that hangs on it (annotations, their relations, its
        versions and unplaced annotations), as one undoable change."""
        before = self.fetch_row("documents", id, "document")
        rows = [RowChange(table, row, None) for table, row in cascaded(self.db, "documents", [id])]
        annotations = [rc.before for rc in rows if rc.table == "annotations"]
        rows.append(RowChange("documents", before, None))
        self._commit(f"Delete “{before['title']}” and its {len(annotations)} annotation{'s' if len(annotations) != 1 else ''}", rows)

    def _relation_rows_touching(self, annotation_ids: list[str]) -> list[Row]:
        return relation_rows.touching(self.db, annotation_ids)
