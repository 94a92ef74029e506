"""Columns that fit their table's width: one column takes the room the others leave, and the least
needed columns step aside when the view is too narrow for them, so a dock never scrolls sideways.

Every width is a fixed number: sizing a column to its contents reads every row, and a table can
hold 100k of them (tests/gui/test_fast_window.py)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHeaderView, QTableView


class FittedColumns(QObject):
    """Keeps ``view``'s columns within its viewport. ``stretch`` (the quote) takes what the others
    leave, its text elided by the view (the model gives the whole as a tooltip). When that would leave
    it under ``minimum`` pixels, or under ``share`` of the room, the columns in ``hide_order`` are hidden
    one by one, and shown again, in reverse, as the view widens. A width the user drags a column to is kept."""

    def __init__(self, view: QTableView, widths: Sequence[int], stretch: int, hide_order: Sequence[int],
                 minimum: int = 110, share: float = 0.4) -> None:
        super().__init__(view)
        self.view = view
        self.widths = list(widths)
        self.stretch = stretch
        self.hide_order = list(hide_order)
        self.minimum = minimum
        self.share = share
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate(self.widths):
            # never narrower than the column's title (and sort arrow): measured on the header, not the rows
            self.widths[column] = max(width, header.sectionSizeHint(column))
            if column != stretch:
                header.resizeSection(column, self.widths[column])
        self._fitting = False
        # Not inside the header's own resizing: hiding sections while it walks them resized their neighbours
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.fit)
        header.sectionResized.connect(self._resized)

    def _resized(self, column: int, _old: int, new: int) -> None:
        """The stretching column follows the viewport's width (a scroll bar coming or going too): fit again."""
        if self._fitting:
            return
        if column == self.stretch:
            self._later.start()
        elif new > 0:  # hiding a section reports a size of 0: not a width to keep
            self.widths[column] = new

    def shown(self, room: int) -> list[int]:
        """The columns shown in ``room`` pixels."""
        shown = list(range(len(self.widths)))
        quote = max(self.minimum, int(room * self.share))
        for column in self.hide_order:
            if sum(self.widths[c] for c in shown if c != self.stretch) + quote <= room:
                break
            shown.remove(column)
        return shown

    def fit(self) -> None:
        """Hide and show columns for the viewport's width now."""
        if self._fitting:
            return
        self._fitting = True
        try:
            header = self.view.horizontalHeader()
            shown = set(self.shown(self.view.viewport().width()))
            for column in range(len(self.widths)):
                hidden = column not in shown
                if header.isSectionHidden(column) != hidden:
                    header.setSectionHidden(column, hidden)
                    if not hidden:
                        header.resizeSection(column, self.widths[column])
        finally:
            self._fitting = False


class FittedTable(QTableView):
    """A table view whose columns fit it (``fit_columns``). Its resize refits them; not an event filter,
    which would cost the first frame ~7 ms (see ui/empty_state.py)."""

    columns: FittedColumns | None = None

    def fit_columns(self, widths: Sequence[int], stretch: int, hide_order: Sequence[int]) -> FittedColumns:
        """Call once the model is set."""
        self.columns = FittedColumns(self, widths, stretch, hide_order)
        self.columns.fit()
        return self.columns

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.columns is not None:
            self.columns.fit()
