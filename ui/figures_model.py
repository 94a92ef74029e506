"""The figures dock's model: rows kept sorted with bisect, so a change inserts, replaces or removes
single rows (no reset, no full sort, no scan of every row) even with 10k figures shown."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from annotator.crosssource import FigureRow

COLUMNS = (("counted", "Counted"), ("value", "Value"), ("qualifier", "Qualifier"), ("quote", "Text"),
           ("outlet", "Outlet"), ("document_title", "Document"), ("published", "Published"),
           ("date", "Refers to"), ("attributed_to", "Attributed to"), ("layer", "Layer"), ("reviewer", "Reviewer"),
           ("victims", "Victims"), ("period_start", "From"), ("period_end", "To"))
"""Layer ("gold" or "reviewer") and Reviewer (empty for gold: its annotator is the adjudicator) keep
a gold copy of ana's figure from reading as a second report of it."""
REPORT_ORDER = -1
"""The sort "column" of the report order (``order_figure_rows``): by what is counted, value, document, offset."""


def report_key(row: FigureRow, positions: dict[str, int]) -> tuple:
    """The same order as ``annotator.crosssource.order_figure_rows`` (unique: it ends with the id)."""
    return (row.counted is None, (row.counted or "").casefold(), row.value is None, row.value or 0,
            positions.get(row.document_id, 0), row.start, row.annotation_id)


def cell_text(row: FigureRow, name: str) -> str:
    value = getattr(row, name)
    if value is None:
        return ""
    return f"{value:,}" if name == "value" else str(value)


def column_key(column: int, positions: dict[str, int]) -> Callable[[FigureRow], tuple]:
    """A unique sort key for a column: the column's value (empty first, numbers as numbers), then the report order."""
    if column == REPORT_ORDER:
        return lambda row: report_key(row, positions)
    name = COLUMNS[column][0]
    if name == "value":
        return lambda row: (row.value is None, row.value or 0, report_key(row, positions))
    return lambda row: (cell_text(row, name).casefold(), report_key(row, positions))


class FiguresModel(QAbstractTableModel):
    """Figure rows in ascending key order; a descending sort shows the same list from the end."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[FigureRow] = []
        self._keys: list[tuple] = []  # parallel to _rows, ascending
        self._key_of: dict[str, tuple] = {}  # annotation id -> its key (as stored: found again by bisect)
        self._documents: Counter[str] = Counter()
        self.positions: dict[str, int] = {}
        self.sort_column = REPORT_ORDER
        self.descending = False

    # -- Qt ----------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def row(self, shown: int) -> FigureRow:
        return self._rows[len(self._rows) - 1 - shown if self.descending else shown]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index.row())
        name = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, name)
        if role == Qt.ItemDataRole.UserRole:
            return row.annotation_id
        if role == Qt.ItemDataRole.ToolTipRole and name == "quote":
            return row.quote
        if role == Qt.ItemDataRole.TextAlignmentRole and name == "value":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort once by a key (user's header click); later changes keep the order by bisect."""
        self.layoutAboutToBeChanged.emit()
        self.sort_column, self.descending = column, order == Qt.SortOrder.DescendingOrder
        self._arrange(self._rows)
        self.layoutChanged.emit()

    # -- contents ----------------------------------------------------------------------------------

    @property
    def rows(self) -> list[FigureRow]:
        """Every row in report order (for export)."""
        if self.sort_column == REPORT_ORDER:
            return list(self._rows)
        return sorted(self._rows, key=lambda row: report_key(row, self.positions))

    @property
    def documents(self) -> int:
        return len(self._documents)

    def contains(self, annotation_id: str) -> bool:
        return annotation_id in self._key_of

    def set_rows(self, rows: Iterable[FigureRow], positions: dict[str, int]) -> None:
        """Replace every row (first show, or a change that may touch any row)."""
        self.beginResetModel()
        self.positions = dict(positions)
        self._arrange(list(rows))
        self.endResetModel()

    def _arrange(self, rows: list[FigureRow]) -> None:
        key = column_key(self.sort_column, self.positions)
        keyed = sorted(((key(row), row) for row in rows), key=lambda pair: pair[0])
        self._keys = [k for k, _ in keyed]
        self._rows = [row for _, row in keyed]
        self._key_of = {row.annotation_id: k for k, row in keyed}
        self._documents = Counter(row.document_id for row in self._rows)

    def _shown(self, at: int, count: int) -> int:
        """The view row of stored position ``at`` in a list of ``count`` rows."""
        return count - 1 - at if self.descending else at

    def put(self, row: FigureRow) -> None:
        """Insert a row where the order puts it, or update it in place when its position is unchanged."""
        key = column_key(self.sort_column, self.positions)(row)
        old = self._key_of.get(row.annotation_id)
        if old == key:
            at = bisect_left(self._keys, key)
            if self._rows[at] != row:
                self._rows[at] = row
                shown = self._shown(at, len(self._rows))
                self.dataChanged.emit(self.index(shown, 0), self.index(shown, len(COLUMNS) - 1))
            return
        if old is not None:
            self.discard(row.annotation_id)
        at = bisect_left(self._keys, key)
        shown = self._shown(at, len(self._rows) + 1)
        self.beginInsertRows(QModelIndex(), shown, shown)
        self._rows.insert(at, row)
        self._keys.insert(at, key)
        self._key_of[row.annotation_id] = key
        self._documents[row.document_id] += 1
        self.endInsertRows()

    def discard(self, annotation_id: str) -> None:
        """Remove an annotation's row, if it has one."""
        key = self._key_of.pop(annotation_id, None)
        if key is None:
            return
        at = bisect_left(self._keys, key)
        shown = self._shown(at, len(self._rows))
        self.beginRemoveRows(QModelIndex(), shown, shown)
        document_id = self._rows[at].document_id
        del self._rows[at], self._keys[at]
        self._documents[document_id] -= 1
        if not self._documents[document_id]:
            del self._documents[document_id]
        self.endRemoveRows()


def layer_counts(rows: Iterable[FigureRow]) -> dict[str, int]:
    """Figures per layer (reviewer name or "gold"), reviewers by name then gold: each layer counts its own."""
    counts = Counter(row.owner for row in rows)
    return {name: counts[name] for name in sorted(counts, key=lambda n: (n == "gold", n.casefold()))}


class FiguresFilter(QSortFilterProxyModel):
    """Hides rows whose cells do not contain the filter text, or of another layer; sorting is the source model's."""

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.owner: str | None = None  # a reviewer's name or "gold"; None: every layer

    def set_owner(self, owner: str | None) -> None:
        self.beginFilterChange()
        self.owner = owner or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()  # invalidateFilter() is deprecated since Qt 6.10 (a warning, an error in the tests)
        self.text = text.casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, source_row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.text and self.owner is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, FiguresModel)
        row = model.row(source_row)
        if self.owner is not None and row.owner != self.owner:
            return False
        return not self.text or self.text in " ".join(cell_text(row, name) for name, _ in COLUMNS).casefold()
