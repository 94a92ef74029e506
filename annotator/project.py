"""``Project``: the one public entry point to a project file. ``from annotator import Project``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from annotator.backups import before_import
from annotator.documents import document_row
from annotator.errors import ImportFileError, UnknownLabelError
from annotator.graph import GraphMixin
from annotator.history import RowChange
from annotator.importers.base import ImportedDocument
from annotator.models import Document


@dataclass
class ImportReport:
    """What an import did: documents added, duplicates skipped (with the id already holding that text)."""

    added: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    annotations: int = 0
    labels_created: list[str] = field(default_factory=list)


class Project(GraphMixin):
    """A project file: documents, the label schema, annotations, relations and entities.

    Create with ``Project.create(path)``, open with ``Project.open(path)``. Every method that
    changes something writes at once in one transaction and can be undone with ``undo()``.
    """

    def import_documents(
        self, items: Iterable[ImportedDocument], *, annotator: str = "import", create_labels: bool = False
    ) -> ImportReport:
        """Add documents (and the spans they carry) as one transaction and one undo step.

        Validates everything first: an unknown label or a span outside its text raises
        ``ImportFileError`` naming file and line, and nothing is written.
        """
        items = list(items)
        report = ImportReport()
        known = {label.name for label in self.labels(kind=None)}
        missing: dict[str, ImportedDocument] = {}
        for item in items:
            for span in item.spans:
                if span.label not in known and span.label not in missing:
                    missing[span.label] = item
        if missing and not create_labels:
            name, item = next(iter(missing.items()))
            raise ImportFileError(
                item.source, f"unknown label {name!r} (known: {', '.join(sorted(known))}; "
                "create missing labels with --create-labels)", item.line)
        seen: dict[str, str] = {}
        position = self.next_position()
        planned: list[tuple[ImportedDocument, dict[str, Any]]] = []
        for item in items:
            metadata = {"source_path": str(item.source) if item.source else None, **item.metadata}
            row = document_row(item.text, metadata, position)
            existing = self.document_id_for_hash(row["sha256"]) or seen.get(row["sha256"])
            if existing:
                report.skipped.append((item.where, existing))
                continue
            for span in item.spans:
                if not (0 <= span.start < span.end <= len(row["text"])):
                    raise ImportFileError(item.source, f"span {span.start}–{span.end} ({span.label}) is outside "
                                          f"the text (0–{len(row['text'])})", span.line or item.line)
            seen[row["sha256"]] = row["id"]
            planned.append((item, row))
            position += 1
        if not planned:
            return report
        before_import(self, len(planned) + sum(len(item.spans) for item, _ in planned))
        description = f"Import {len(planned)} document{'s' if len(planned) != 1 else ''}"
        with self.group(description):
            for name in missing:
                self.add_label(name)
                report.labels_created.append(name)
            for item, row in planned:
                self.commit(description, [RowChange("documents", None, row)])
                self._texts[row["id"]] = row["text"]
                rows = []
                for span in item.spans:
                    try:
                        rows.append(RowChange("annotations", None, self.annotation_row(
                            row["id"], span.start, span.end, span.label, annotator=span.annotator or annotator,
                            attributes=span.attributes, note=span.note, propose=False)))
                    except UnknownLabelError as error:  # pragma: no cover - checked above
                        raise ImportFileError(item.source, str(error), span.line or item.line) from None
                if rows:
                    for name in {r.after["annotator"] for r in rows if r.after}:
                        self.register_annotator(name)
                    self.commit(description, rows)
                report.annotations += len(rows)
                report.added.append(Document.from_row(row))
        return report

    def counts(self) -> dict[str, int]:
        """Documents and annotations: cheap enough to ask after every change."""
        documents, annotations = self.db.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM annotations)").fetchone()
        return {"documents": documents, "annotations": annotations}

    def stats(self) -> dict[str, Any]:
        """Counts for the ``stats`` command and the status bar."""
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        by_label = dict(self.db.execute(
            "SELECT l.name, count(a.id) FROM labels l LEFT JOIN annotations a ON a.label_id = l.id "
            "WHERE l.kind = 'span' GROUP BY l.id ORDER BY l.position").fetchall())
        by_annotator = dict(self.db.execute(
            "SELECT annotator, count(*) FROM annotations GROUP BY annotator ORDER BY annotator").fetchall())
        by_status = dict(self.db.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "characters": one("SELECT coalesce(sum(length(text)), 0) FROM documents"),
            "annotations": one("SELECT count(*) FROM annotations"),
            "gold_annotations": one("SELECT count(*) FROM annotations WHERE layer = 'gold'"),
            "relations": one("SELECT count(*) FROM relations"),
            "entities": one("SELECT count(*) FROM entities"),
            "labels": len(self.labels()),
            "by_label": by_label,
            "by_annotator": by_annotator,
            "by_status": by_status,
        }
