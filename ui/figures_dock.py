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

from annotator.crosssource import FigureRow, figure_rows, figures_touched, order_figure_rows, write_figures_csv
from annotator.history import Change
from ui.lazy import RefreshWhenShown
from ui.session import Session
from ui.view import follow, table_cells

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
        follow(session, self)
        self.changed()  # filled when first shown: nothing to do at start-up while hidden

    def refresh(self) -> None:
        """Fill the table from scratch (when first shown, or shown after changes came while hidden)."""
        self.rows = figure_rows(self.session.project)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            self._set_row(r, row)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        for column in range(len(COLUMNS)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        self._summarise()

    def _set_row(self, r: int, row: FigureRow) -> None:
        for c, (name, _) in enumerate(COLUMNS):
            value = getattr(row, name)
            item = NumberItem(value) if name == "value" else QTableWidgetItem("" if value is None else str(value))
            item.setData(Qt.ItemDataRole.UserRole, row.annotation_id)
            if name == "quote":
                item.setToolTip(row.quote)
            self.table.setItem(r, c, item)

    def _summarise(self, rows: range | None = None) -> None:
        """Update the count, and filter ``rows`` (every row when None): an edit refilters only the rows it inserted."""
        documents = len({row.document_id for row in self.rows})
        self.summary.setText(f"{len(self.rows)} figures in {documents} documents")
        self._apply_filter(self.filter.text(), rows)

    def update_rows(self, ids: set[str]) -> None:
        """Recompute the rows of these annotations only: drop their old rows, insert the new ones in order."""
        project = self.session.project
        fresh = figure_rows(project, annotation_ids=ids)
        positions = {d.id: d.position for d in project.documents(with_text=False)}
        self.rows = order_figure_rows([r for r in self.rows if r.annotation_id not in ids] + fresh, positions)
        self.table.setSortingEnabled(False)
        for r in reversed(range(self.table.rowCount())):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) in ids:
                self.table.removeRow(r)
        inserted = {row.annotation_id for row in fresh}
        for at, row in enumerate(self.rows):  # ascending: the rows above each one are already in place
            if row.annotation_id in inserted:
                self.table.insertRow(at)
                self._set_row(at, row)
        self.table.setSortingEnabled(True)
        # No filter: new rows are shown and nothing else changed. A filter: re-sorting may have moved rows, so check all.
        self._summarise(None if self.filter.text() else range(0))

    def _apply_filter(self, text: str, rows: range | None = None) -> None:
        text = text.casefold()
        for r in range(self.table.rowCount()) if rows is None else rows:
            cells = " ".join(self.table.item(r, c).text() for c in range(len(COLUMNS)))
            self.table.setRowHidden(r, bool(text) and text not in cells.casefold())

    def _jump(self, item: QTableWidgetItem) -> None:
        self.jump_requested.emit(item.data(Qt.ItemDataRole.UserRole))

    def export_csv(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export figures", str(Path.home() / "figures.csv"), "CSV (*.csv)")
        if path:
            write_figures_csv(path, self.rows)

    def apply_change(self, change: Change) -> None:
        if not change.tables & {"annotations", "relations", "entities", "documents", "labels"}:
            return
        if not self.isVisible():
            self.changed()  # hidden: no work until shown
            return
        if self._stale:
            self.ensure_fresh()
            return
        ids = figures_touched(self.session.project, change)
        if ids is None:
            self.refresh()
        elif ids:
            self.update_rows(ids)

    def snapshot(self) -> object:
        """The summary and the cells of the rows shown, in the order shown."""
        return self.summary.text(), table_cells(self.table)
