"""Every write is a ``Change``: a named, typed change set that knows its own inverse.

A change lists the rows it edited (``RowChange``: table, before, after) and says where it came
from (``Origin``: a user's action, its undo or redo, or another program writing the same file).
Views read it through ``change.of(kind)``: the records added, updated and removed per kind, so
none of them has to interpret raw row diffs on its own. The store applies a change in one
transaction, pushes it on the ``History`` and tells its subscribers; undo applies the inverse
after checking that nobody else changed those rows since.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

Row = dict[str, Any]
Kind = Literal["documents", "labels", "annotations", "relations", "entities"]
KINDS: tuple[Kind, ...] = ("documents", "labels", "annotations", "relations", "entities")


class Origin(Enum):
    """Why a change reached the subscribers."""

    DO = "do"
    UNDO = "undo"
    REDO = "redo"
    EXTERNAL = "external"  # another process wrote the file (a second window, the CLI, sqlite3, a sync)


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
        return str(row["id"])

    def inverted(self) -> RowChange:
        return RowChange(self.table, self.after, self.before)


@dataclass(frozen=True, slots=True)
class Edits:
    """The records of one kind a change added, updated (before, after) and removed.

    For an external change the ``before`` of an update or removal is what the file held before
    (from the change log), which may lack large columns such as a document's text.
    """

    added: tuple[Row, ...] = ()
    updated: tuple[tuple[Row, Row], ...] = ()
    removed: tuple[Row, ...] = ()

    @property
    def ids(self) -> set[str]:
        return ({r["id"] for r in self.added} | {after["id"] for _, after in self.updated}
                | {r["id"] for r in self.removed})

    def changed_fields(self) -> set[str]:
        """Columns that differ in at least one update."""
        found: set[str] = set()
        for before, after in self.updated:
            found.update(k for k, v in after.items() if k not in before or before[k] != v)
        return found

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True, slots=True)
class Change:
    """What one user action (or one batch of another program's writes) changed.

    The unit of undo and of view refresh."""

    description: str
    rows: tuple[RowChange, ...]
    origin: Origin = Origin.DO
    _edits: dict[str, Edits] = field(default_factory=dict, compare=False, repr=False)

    def inverted(self, origin: Origin | None = None) -> Change:
        """The change that takes this one back: an undo of a change, a redo of an undo."""
        if origin is None:
            origin = {Origin.DO: Origin.UNDO, Origin.REDO: Origin.UNDO}.get(self.origin, Origin.DO)
        return Change(self.description, tuple(r.inverted() for r in reversed(self.rows)), origin)

    def with_origin(self, origin: Origin) -> Change:
        return Change(self.description, self.rows, origin)

    def of(self, kind: str) -> Edits:
        """Added / updated / removed records of one kind (``annotations``, ``labels``, ...)."""
        found = self._edits.get(kind)
        if found is None:
            added: list[Row] = []
            updated: list[tuple[Row, Row]] = []
            removed: list[Row] = []
            for r in self.rows:
                if r.table != kind:
                    continue
                if r.after is None:
                    assert r.before is not None
                    removed.append(r.before)
                elif r.before is None:
                    added.append(r.after)
                else:
                    updated.append((r.before, r.after))
            found = Edits(tuple(added), tuple(updated), tuple(removed))
            self._edits[kind] = found
        return found

    def ids(self, table: str) -> set[str]:
        return {r.key for r in self.rows if r.table == table}

    def annotation_rows(self, document_id: str) -> Iterator[RowChange]:
        """The changes to one document's annotations, in order (what a view of that document applies)."""
        for r in self.rows:
            if r.table == "annotations":
                row = r.after if r.after is not None else r.before
                if row is not None and row.get("document_id") == document_id:
                    yield r

    def touched_annotations(self) -> set[str]:
        """Annotations changed themselves or through a relation that hangs on them."""
        found = self.ids("annotations")
        for r in self.rows:
            if r.table == "relations":
                for row in (r.before, r.after):
                    if row is not None:
                        found.update(v for k, v in row.items() if k in ("source_id", "target_id") and v)
        return found

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
                elif row.get("document_id"):
                    found.add(row["document_id"])
        return found

    def __bool__(self) -> bool:
        return bool(self.rows)


def compose(changes: Sequence[Change]) -> Change:
    """One change with the net effect of several, in order: each row from its first ``before`` to
    its last ``after``; a row that ends as it began is left out. What a view that fell behind
    applies at once (the project it reads is already at the last change: an annotation added and
    deleted since is not there to read). The origin is theirs when they share one, else ``do``."""
    if len(changes) == 1:
        return changes[0]
    if not changes:
        return Change("", ())
    net: dict[tuple[str, str], RowChange] = {}
    for change in changes:
        for r in change.rows:
            key = (r.table, r.key)
            found = net.get(key)
            net[key] = r if found is None else RowChange(r.table, found.before, r.after)
    origins = {c.origin for c in changes}
    return Change(changes[-1].description, tuple(r for r in net.values() if r.before != r.after),
                  origins.pop() if len(origins) == 1 else Origin.DO)


class History:
    """Undo and redo stacks of changes. In memory: a reopened project starts a fresh history.

    The store peeks, applies, and only then moves a change between the stacks, so a write that
    fails (locked, disk full, read-only) leaves the history exactly as it was."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    def push(self, change: Change) -> None:
        self._undo.append(change)
        del self._undo[: -self.limit]
        self._redo.clear()

    def peek_undo(self) -> Change | None:
        return self._undo[-1] if self._undo else None

    def peek_redo(self) -> Change | None:
        return self._redo[-1] if self._redo else None

    def undone(self) -> None:
        """The change ``peek_undo`` gave was undone: it moves to the redo stack."""
        self._redo.append(self._undo.pop())

    def redone(self) -> None:
        self._undo.append(self._redo.pop())

    def drop_undo(self) -> Change:
        """Forget the next change to undo (another program changed its rows: it cannot be undone)."""
        return self._undo.pop()

    def drop_redo(self) -> Change:
        return self._redo.pop()

    def pop_undo(self) -> Change | None:
        change = self.peek_undo()
        if change is not None:
            self.undone()
        return change

    def pop_redo(self) -> Change | None:
        change = self.peek_redo()
        if change is not None:
            self.redone()
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
