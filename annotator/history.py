"""Every write is a ``Change``: a named list of row edits that knows its own inverse.

The project applies a change in one transaction, pushes it on the ``History`` and tells its
subscribers. Undo applies the inverse, redo the change again, so undo covers every kind of edit
(annotations, labels, relations, entities, document status) without one class per operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row of ``table`` going from ``before`` to ``after`` (``None`` = absent)."""

    table: str
    before: Row | None
    after: Row | None

    @property
    def key(self) -> str:
        row = self.after if self.after is not None else self.before
        assert row is not None
        return row["id"]

    def inverted(self) -> RowChange:
        return RowChange(self.table, self.after, self.before)


@dataclass(frozen=True, slots=True)
class Change:
    """What one user action changed; the unit of undo and of view refresh."""

    description: str
    rows: tuple[RowChange, ...]

    def inverted(self) -> Change:
        return Change(self.description, tuple(r.inverted() for r in reversed(self.rows)))

    def ids(self, table: str) -> set[str]:
        return {r.key for r in self.rows if r.table == table}

    def annotation_rows(self, document_id: str) -> Iterator[RowChange]:
        """The changes to one document's annotations, in order (what a view of that document applies)."""
        for r in self.rows:
            if r.table == "annotations":
                row = r.after if r.after is not None else r.before
                if row is not None and row["document_id"] == document_id:
                    yield r

    @property
    def tables(self) -> set[str]:
        return {r.table for r in self.rows}

    @property
    def document_ids(self) -> set[str]:
        """Documents whose text or annotations this change touched."""
        found: set[str] = set()
        for r in self.rows:
            for row in (r.before, r.after):
                if row is None:
                    continue
                if r.table == "documents":
                    found.add(row["id"])
                elif "document_id" in row:
                    found.add(row["document_id"])
        return found

    def __bool__(self) -> bool:
        return bool(self.rows)


class History:
    """Undo and redo stacks of changes. In memory: a reopened project starts a fresh history."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    def push(self, change: Change) -> None:
        self._undo.append(change)
        del self._undo[: -self.limit]
        self._redo.clear()

    def pop_undo(self) -> Change | None:
        if not self._undo:
            return None
        change = self._undo.pop()
        self._redo.append(change)
        return change

    def pop_redo(self) -> Change | None:
        if not self._redo:
            return None
        change = self._redo.pop()
        self._undo.append(change)
        return change

    @property
    def undo_text(self) -> str | None:
        return self._undo[-1].description if self._undo else None

    @property
    def redo_text(self) -> str | None:
        return self._redo[-1].description if self._redo else None

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
