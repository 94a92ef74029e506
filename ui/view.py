"""One protocol for every view of the project: refresh from a change set, describe what is shown.

A view applies each ``Change`` itself (``change.of(kind)``: records added, updated, removed) and
touches only what the change touched. ``snapshot()`` is a plain, comparable description of what
the view shows, so a test can check that a view kept up to date equals one built afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject

from annotator.history import Change
from ui.session import Session


@runtime_checkable
class ChangeView(Protocol):
    def apply_change(self, change: Change) -> None:
        """Bring what is shown up to date with one change (only the parts it touched)."""

    def snapshot(self) -> object:
        """What the view shows, as plain tuples and strings (no widgets)."""


def follow(session: Session, view: ChangeView) -> Callable[[], None]:
    """Wire ``view`` to the session's changes, delivered after the document panes' own (when input
    pauses: ``ui/dock_updates.py``); returns a function that unwires it."""
    receiver = session.docks.changes(view.apply_change, view if isinstance(view, QObject) else None)
    session.changed.connect(receiver)

    def unwire() -> None:
        session.changed.disconnect(receiver)
        session.docks.drop(receiver)
    return unwire


def table_cells(table) -> tuple[tuple[str, ...], ...]:
    """The text of every shown row of a QTableWidget, in the order shown (hidden rows left out)."""
    rows = []
    for r in range(table.rowCount()):
        if table.isRowHidden(r):
            continue
        rows.append(tuple("" if table.item(r, c) is None else table.item(r, c).text() for c in range(table.columnCount())))
    return tuple(rows)


def model_cells(model) -> tuple[tuple[object, ...], ...]:
    """Every row of an item model (display role), in the model's order."""
    return tuple(tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount()))
