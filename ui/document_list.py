"""The document list dock: title, outlet, date, status, annotation count, with a filter box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QMenu, QTableView, QVBoxLayout, QWidget

from annotator.defaults import DOCUMENT_STATUSES
from annotator.history import Change
from ui.session import Session
from ui.table_model import ColumnsModel
from ui.view import follow, model_cells

COLUMNS = ("Title", "Outlet", "Date", "Status", "Spans")
STATUS_MARK = {"not started": "○", "in progress": "◐", "done": "●"}


class DocumentListModel(ColumnsModel):
    COLUMNS = COLUMNS

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.counts: dict[str, int] = {}
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = self.session.project.documents(with_text=False)
        self.rows_moved()
        self.counts = self.session.project.annotation_counts()
        self.endResetModel()

    def apply_change(self, change: Change) -> None:
        """Insert, update or remove the documents a change touched and adjust the counts it moved."""
        documents = change.of("documents")
        if "position" in documents.changed_fields():  # reordered: rare, and every row may move
            self.refresh()
            return
        for row in documents.removed:
            at = self.row_of(row["id"])
            if at >= 0:
                self.beginRemoveRows(QModelIndex(), at, at)
                del self.rows[at]
                self.rows_moved()
                self.endRemoveRows()
            self.counts.pop(row["id"], None)
        for _, row in documents.updated:
            at = self.row_of(row["id"])
            if at >= 0:
                self.rows[at] = self.session.project.document(row["id"])
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
        for row in sorted(documents.added, key=lambda r: r["position"]):
            at = next((i for i, d in enumerate(self.rows) if d.position > row["position"]), len(self.rows))
            self.beginInsertRows(QModelIndex(), at, at)
            self.rows.insert(at, self.session.project.document(row["id"]))
            self.rows_moved()
            self.endInsertRows()
        self.apply_counts(change)

    def apply_counts(self, change: Change) -> None:
        """Adjust the per-document counts from a change's records (no query over all annotations)."""
        edits = change.of("annotations")
        touched = set()
        for rows, step in ((edits.added, 1), (edits.removed, -1)):
            for row in rows:
                self.counts[row["document_id"]] = self.counts.get(row["document_id"], 0) + step
                touched.add(row["document_id"])
        for document_id in touched:
            r = self.row_of(document_id)
            if r >= 0:
                self.dataChanged.emit(self.index(r, 4), self.index(r, 4))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        d = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return d.title
            if column == 1:
                return d.outlet or ""
            if column == 2:
                return (d.published or "")[:10]
            if column == 3:
                return STATUS_MARK[d.status] if role == Qt.ItemDataRole.DisplayRole else d.status
            if column == 4:
                return self.counts.get(d.id, 0)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(p for p in (d.title, d.outlet, d.author, d.published, d.status) if p)
        if role == Qt.ItemDataRole.UserRole:
            return d.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class DocumentList(QWidget):
    open_requested = Signal(str)  # document id

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = DocumentListModel(session)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterRole(Qt.ItemDataRole.EditRole)  # so "done" finds the ● rows
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter documents…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        for column, width in ((1, 96), (2, 84), (3, 52), (4, 58)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(lambda index: self.open_requested.emit(index.data(Qt.ItemDataRole.UserRole)))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        follow(session, self)

    def selected_ids(self) -> list[str]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in sorted(rows)]

    def _menu(self, point) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        menu = QMenu(self)
        menu.addAction("Open in new pane", lambda: [self.open_requested.emit(i) for i in ids])
        status_menu = menu.addMenu("Set status")
        for status in DOCUMENT_STATUSES:
            action = QAction(status, status_menu)
            action.triggered.connect(lambda _=False, s=status: self.set_status(ids, s))
            status_menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(point))

    def set_status(self, ids: list[str], status: str) -> None:
        self.session.project.set_documents_status(ids, status)

    def apply_change(self, change: Change) -> None:
        self.model.apply_change(change)

    def snapshot(self) -> object:
        """The rows in the order shown (after the filter and sort)."""
        return model_cells(self.proxy)
