"""``Project``: the one public entry point to a project file. ``from annotator import Project``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.graph import GraphMixin
from annotator.history import RowChange
from annotator.models import Document
from annotator.store import figure_parses, reads

PARSE_AHEAD_MIN = 500
"""A write bringing at least this many figure quotes parses them in a thread beside its inserts (``_derive_ahead``)."""

if TYPE_CHECKING:  # the importers (and what they read files with) load on the first import, not at start-up
    from concurrent.futures import Future

    from annotator import stored_tokens
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

    _pending_tokens: stored_tokens.Pending | None = None
    """The texts the current group wrote and took, their tokens stored or dropped at its end (``_derive_group``)."""

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

    def _written_figure_quotes(self, rows: tuple[RowChange, ...]) -> tuple[set[str], list[str]]:
        """The quotes of the figure annotations these rows insert or re-quote (or re-label), and the labels they
        make figure labels. Anything else costs one look at the row."""
        figure_labels: set[str] | None = None
        quotes: set[str] = set()
        new_figure_labels: list[str] = []
        for rc in rows:
            after, before = rc.after, rc.before
            if after is None:
                continue
            if rc.table == "annotations":
                if before is not None and before.get("quote") == after.get("quote") \
                        and before.get("label_id") == after.get("label_id"):
                    continue
                if figure_labels is None:
                    figure_labels = {label.id for label in self.labels_with_role("figure")}
                if after.get("label_id") in figure_labels and isinstance(after.get("quote"), str):
                    quotes.add(after["quote"])
            elif rc.table == "labels" and after.get("role") == "figure" and (before or {}).get("role") != "figure":
                new_figure_labels.append(after["id"])
        return quotes, new_figure_labels

    @staticmethod
    def _written_texts(rows: tuple[RowChange, ...]) -> tuple[list[str], list[str]]:
        """The texts these rows give documents (an insert, a changed text) and the texts they take from them
        (a delete, a changed text): ``document_tokens``' rows to store and to drop."""
        written: list[str] = []
        gone: list[str] = []
        for rc in rows:
            if rc.table != "documents":
                continue
            after = rc.after.get("text") if rc.after is not None else None
            before = rc.before.get("text") if rc.before is not None else None
            if after == before:
                continue
            if isinstance(after, str):
                written.append(after)
            if isinstance(before, str):
                gone.append(before)
        return written, gone

    def _derive_ahead(self, rows: tuple[RowChange, ...]) -> Future[dict[str, str]] | None:
        """For a large write (a merge, an import): the figure quotes it brings parsed in a thread while SQLite
        inserts the rows (``figure_values.parse_ahead``); ``_derive`` then only stores them. Not texts' tokens:
        tokenized in a thread, the 1,000 HTML pages' import and its redo took as long or longer (the GIL)."""
        if sum(1 for rc in rows if rc.table == "annotations" and rc.before is None) < PARSE_AHEAD_MIN:
            return None
        quotes, _ = self._written_figure_quotes(rows)  # labels as they are before the write: a miss is parsed later
        if len(quotes) < PARSE_AHEAD_MIN:
            return None
        from annotator import figure_values

        return figure_values.parse_ahead(quotes)

    def _derive(self, rows: tuple[RowChange, ...], ahead: Future[dict[str, str]] | None = None) -> None:
        """Keep the derived tables in step with these rows, in their transaction: the parse of each figure quote
        they wrote (``annotator/figure_values.py``) and the tokens of each text they wrote
        (``annotator/stored_tokens.py``; the rows of texts no document holds any more dropped).

        A figure quote: an annotation inserted, or given a new quote or label, of a figure label; or every
        annotation of a label that just became a figure label. ``ahead``: what ``_derive_ahead`` started."""
        texts, gone = self._written_texts(rows)
        if texts or gone:
            from annotator import stored_tokens

            if self._group is not None:  # stored once at the group's end
                if self._pending_tokens is None:
                    self._pending_tokens = stored_tokens.Pending()
                self._pending_tokens.add(texts, gone)
            else:
                if gone:
                    stored_tokens.forget(self.db, gone)
                if texts:
                    stored_tokens.fill(self.db, texts)
        quotes, new_figure_labels = self._written_figure_quotes(rows)
        if quotes or new_figure_labels:
            from annotator import figure_values  # the figure patterns compile on import: not for other writes

            if new_figure_labels:
                quotes |= figure_parses.figure_quotes(self.db, new_figure_labels)
            figure_values.fill(self.db, quotes, ahead.result() if ahead is not None else None)

    def _derive_group(self, done: bool = True) -> None:
        """The texts the group's commits wrote: their tokens stored, or (``done=False``) dropped."""
        pending, self._pending_tokens = self._pending_tokens, None
        if pending is not None and done:
            pending.store(self.db)

    def reindex_figures(self) -> tuple[int, int, int]:
        """Store the parse of every figure quote that has none of the current parser version (a project made before
        ``figure_parses``, rows other programs wrote, a new parser) and drop the rows no figure quotes any more;
        return (quotes parsed now, rows dropped, quotes stored in all).

        Derived data only, so one transaction and nothing on the undo history; a read-only file raises ``WriteError``."""
        from annotator import figure_values

        with self._transaction():
            parsed, dropped = figure_values.reindex(self.db)
        return parsed, dropped, figure_parses.counts(self.db, figure_values.PARSER_VERSION)[0]

    def reindex_tokens(self) -> tuple[int, int, int]:
        """Store the tokens of every text that has none of the current tokenizer (documents other programs wrote, a
        new tokenizer or Unicode version) and drop the rows of texts no document holds; return (texts tokenized now,
        rows dropped, rows of the current tokenizer in all). Derived data only: one transaction, not on the undo
        history; a read-only file raises ``WriteError``."""
        from annotator import stored_tokens
        from annotator.store import document_tokens

        with self._transaction():
            tokenized, dropped = stored_tokens.reindex(self.db)
        return tokenized, dropped, document_tokens.counts(self.db, stored_tokens.TOKENIZER)[0]

    def counts(self) -> dict[str, int]:
        """Documents and annotations: cheap enough to ask after every change."""
        documents, annotations = reads.counts(self.db)
        return {"documents": documents, "annotations": annotations}

    def stats(self) -> dict[str, Any]:
        """Counts for the ``stats`` command and the status bar."""
        found = reads.stats(self.db)
        by = {key: found.pop(key) for key in ("by_label", "by_annotator", "by_status")}
        return {**found, "labels": len(self.labels()), **by}
