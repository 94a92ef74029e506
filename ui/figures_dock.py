"""All figures across all documents, grouped by what is counted: who reports which number, on
whose authority. Sortable; double-click jumps to the text; exports to CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.crosssource import FigureRow, figure_rows, write_figures_csv
from annotator.history import Change
from ui.lazy import RefreshWhenShown
from ui.session import Session

COLUMNS = (("counted", "Counted"), ("value", "Value"), ("qualifier", "Qualifier"), ("quote", "Text"),
           ("outlet", "Outlet"), ("document_title", "Document"), ("published", "Published"),
           ("date", "Refers to"), ("attributed_to", "Attributed to"), ("annotator", "Reviewer"))


class NumberItem(QTableWidgetItem):
    """Sorts by number, shows the number with thousands separators."""

    def __init__(self, value: float | None) -> None:
        super().__init__("" if value is None else f"{value:,}")
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, NumberItem):
            return (self.value is None, self.value or 0) < (other.value is None, other.value or 0)
        return super().__lt__(other)


class FiguresDock(RefreshWhenShown):
    jump_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[FigureRow] = []
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter figures…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.summary = QLabel()
        self.summary.setObjectName("PaneMeta")
        export = QPushButton("Export CSV…")
        export.clicked.connect(self.export_csv)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.summary)
        top.addWidget(export)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([title for _, title in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.itemActivated.connect(self._jump)
        self.table.itemClicked.connect(self._jump)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table)
        session.changed.connect(self._on_change)
        self.changed()  # filled when first shown: nothing to do at start-up while hidden

    def refresh(self) -> None:
        self.rows = figure_rows(self.session.project)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, (name, _) in enumerate(COLUMNS):
                value = getattr(row, name)
                item = NumberItem(value) if name == "value" else QTableWidgetItem("" if value is None else str(value))
                item.setData(Qt.ItemDataRole.UserRole, row.annotation_id)
                if name == "quote":
                    item.setToolTip(row.quote)
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        for column in range(len(COLUMNS)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        documents = len({row.document_id for row in self.rows})
        self.summary.setText(f"{len(self.rows)} figures in {documents} documents")
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        text = text.casefold()
        for r in range(self.table.rowCount()):
            cells = " ".join(self.table.item(r, c).text() for c in range(len(COLUMNS)))
            self.table.setRowHidden(r, bool(text) and text not in cells.casefold())

    def _jump(self, item: QTableWidgetItem) -> None:
        self.jump_requested.emit(item.data(Qt.ItemDataRole.UserRole))

    def export_csv(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export figures", str(Path.home() / "figures.csv"), "CSV (*.csv)")
        if path:
            write_figures_csv(path, self.rows)

    def _on_change(self, change: Change) -> None:
        if change.tables & {"annotations", "relations", "entities", "documents", "labels"}:
            self.changed()
