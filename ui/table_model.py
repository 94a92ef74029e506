"""A read-only table model with fixed column titles: the part every list in the window shares."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt


class ColumnsModel(QAbstractTableModel):
    """Subclasses set ``COLUMNS`` and keep their records in ``self.rows``."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self._positions: dict[str, int] | None = None  # id -> row; rebuilt after rows are replaced or removed

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def row_of(self, id: str) -> int:
        if self._positions is None:
            self._positions = {record.id: i for i, record in enumerate(self.rows)}
        return self._positions.get(id, -1)

    def rows_moved(self) -> None:
        """Call after replacing or removing rows; appending keeps the positions valid."""
        self._positions = None
