"""``Project``: the one public entry point to a project file. ``from annotator import Project``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.graph import GraphMixin
from annotator.models import Document
from annotator.store import reads

if TYPE_CHECKING:  # the importers (and what they read files with) load on the first import, not at start-up
    from annotator.importers.base import ImportedDocument
    from annotator.importers.labelled import DatasetReport, PendingSet


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
        self, items: PendingSet | Iterable[ImportedDocument], *, annotator: str = "import", create_labels: bool = False
    ) -> DatasetReport:
        """Add documents (and the spans, relations and entities they carry) as one transaction and one undo step.

        ``items`` is what ``importers.read_paths`` returns, or plain ``ImportedDocument``s. Every
        kind goes through ``labelled.apply``, which validates everything first: an unknown label or
        a span outside its text raises ``ImportFileError`` naming file and line, and nothing is written.
        """
        from annotator.importers.labelled import PendingSet, apply, pending_from

        pending = items if isinstance(items, PendingSet) else pending_from(items)
        return apply(self, pending, annotator=annotator, create_labels=create_labels)

    def counts(self) -> dict[str, int]:
        """Documents and annotations: cheap enough to ask after every change."""
        documents, annotations = reads.counts(self.db)
        return {"documents": documents, "annotations": annotations}

    def stats(self) -> dict[str, Any]:
        """Counts for the ``stats`` command and the status bar."""
        found = reads.stats(self.db)
        by = {key: found.pop(key) for key in ("by_label", "by_annotator", "by_status")}
        return {**found, "labels": len(self.labels()), **by}
