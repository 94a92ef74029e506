"""The document list dock: title, outlet, date, status, annotation count, with a filter box."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QHeaderView, QLineEdit, QMenu, QTableView, QVBoxLayout, QWidget

from annotator.defaults import DOCUMENT_STATUSES
from annotator.history import Change
from annotator.models import Listed
from ui import empty_state
from ui.session import Session
from ui.table_model import ColumnsModel
from ui.view import follow, model_cells

if TYPE_CHECKING:  # shared passages (rapidfuzz) and revisions load when first asked for, not at start-up
    from ui.copies_dialog import CopiesDialog
    from ui.copies_worker import CopiesTask
    from ui.revision_dialog import RevisionDialog

COLUMNS = ("Title", "Outlet", "Date", "Status", "Spans")
STATUS_MARK = {"not started": "○", "in progress": "◐", "done": "●"}


DISPLAY, EDIT, TOOLTIP, ALIGN, USER = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.UserRole))
ALIGNMENT = {3: int(Qt.AlignmentFlag.AlignCenter), 4: int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)}


class DocumentListModel(ColumnsModel):
    """Rows are ``Listed`` tuples from one query (documents with their annotation counts): column c is field c + 1,
    so ``data`` indexes a tuple and a 10,000-document list costs no per-row Python work."""

    COLUMNS = COLUMNS

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.rows: list[Listed] = []
        self.copy_notes: dict[str, str] = {}  # "shares 62% with …", once copies were looked for
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = self.session.project.document_listing()
        self.rows_moved()
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
        fresh = set()  # rows read back from the store already count this change's annotations
        for _, row in documents.updated:
            at = self.row_of(row["id"])
            listed = self.session.project.document_listed(row["id"])
            if at >= 0 and listed is not None:
                self.rows[at] = listed
                fresh.add(row["id"])
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
        for row in sorted(documents.added, key=lambda r: r["position"]):
            listed = self.session.project.document_listed(row["id"])
            if listed is None or self.row_of(row["id"]) >= 0:
                continue
            at = next((i for i, d in enumerate(self.rows) if d.position > listed.position), len(self.rows))
            self.beginInsertRows(QModelIndex(), at, at)
            self.rows.insert(at, listed)
            self.rows_moved()
            self.endInsertRows()
            fresh.add(row["id"])
        self.apply_counts(change, fresh)

    def apply_counts(self, change: Change, fresh: Collection[str] = ()) -> None:
        """Adjust the per-document counts from a change's records (no query over all annotations)."""
        edits = change.of("annotations")
        steps: dict[str, int] = {}
        for rows, step in ((edits.added, 1), (edits.removed, -1)):
            for row in rows:
                steps[row["document_id"]] = steps.get(row["document_id"], 0) + step
        for document_id, step in steps.items():
            r = self.row_of(document_id)
            if r >= 0 and step and document_id not in fresh:
                self.rows[r] = self.rows[r]._replace(spans=self.rows[r].spans + step)
                self.dataChanged.emit(self.index(r, 4), self.index(r, 4))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        if role == DISPLAY:
            column = index.column()
            d = self.rows[index.row()]
            return STATUS_MARK[d.status] if column == 3 else d[column + 1]
        if role == EDIT:
            return self.rows[index.row()][index.column() + 1]
        if role == ALIGN:
            return ALIGNMENT.get(index.column())
        if role == USER:
            return self.rows[index.row()].id
        if role == TOOLTIP:
            d = self.rows[index.row()]
            return "\n".join(p for p in (d.title, d.outlet, d.author, d.published, d.status,
                                          self.copy_notes.get(d.id)) if p)
        return None


class DocumentFilter(QSortFilterProxyModel):
    """The filter box's text, and optionally only the documents in ``only`` (those assigned to the reviewer)."""

    only: set[str] | None = None

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self.only is not None and self.sourceModel().index(row, 0, parent).data(USER) not in self.only:
            return False
        return super().filterAcceptsRow(row, parent)


class DocumentList(QWidget):
    open_requested = Signal(str)  # document id
    jump_requested = Signal(str, int, int)  # document id, start, end: a shared passage

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = DocumentListModel(session)
        self.copies_task: CopiesTask | None = None  # shared passages being looked for on a worker thread
        self.proxy = DocumentFilter(self)
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
        # No sort indicator before sorting is enabled: otherwise Qt first sorts 10,000 titles by column 0 (a second
        # of Python data() calls) only for the list to be put back in document order.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Titles wrap onto two lines of a fixed height (no per-row measuring of 10,000 rows), so a
        # news headline reads in full at a laptop's dock width; the tooltip has the rest.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 8)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        for column, width in ((1, 80), (2, 80), (3, 44), (4, 48)):  # never narrower than the header's word
            self.table.setColumnWidth(column, max(width, header.fontMetrics().horizontalAdvance(COLUMNS[column]) + 18))
        self.table.activated.connect(lambda index: self.open_requested.emit(index.data(Qt.ItemDataRole.UserRole)))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.empty = empty_state.show_when_empty(self.table, empty_state.DOCUMENTS,
                                                 lambda: empty_state.matching("document", self.filter.text()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.mine = QCheckBox("Assigned to me")
        self.mine.setToolTip("Only the documents assigned to the current reviewer")
        self.mine.toggled.connect(lambda _: self._filter_mine())
        session.reviewer_changed.connect(lambda _: self._filter_mine())
        layout.addWidget(self.filter)
        layout.addWidget(self.mine)
        layout.addWidget(self.table)
        follow(session, self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A narrow list gives its width to the titles: outlet, then date, go first (the tooltip keeps them)."""
        super().resizeEvent(event)
        width = event.size().width()
        self.table.setColumnHidden(1, width < 440)
        self.table.setColumnHidden(2, width < 340)

    def selected_ids(self) -> list[str]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in sorted(rows)]

    def _menu(self, point) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        menu = QMenu(self)

        def open_each() -> None:
            for i in ids:
                self.open_requested.emit(i)

        menu.addAction("Open in new pane", open_each)
        menu.addAction("Shared passages…", lambda: self.show_copies(ids[0]))
        changes = menu.addAction("Changes from previous version…", lambda: self.show_revision(ids[0]))
        from annotator.revisions import previous_version  # rapidfuzz: not at start-up

        changes.setEnabled(previous_version(self.session.project, ids[0]) is not None)
        status_menu = menu.addMenu("Set status")
        for status in DOCUMENT_STATUSES:
            action = QAction(status, status_menu)
            action.triggered.connect(lambda _=False, s=status: self.set_status(ids, s))
            status_menu.addAction(action)
        menu.addSeparator()
        properties = menu.addAction("Properties…", lambda: self.properties(ids[0]))
        properties.setEnabled(len(ids) == 1)
        menu.addAction("Assign to…", lambda: self.assign(ids))
        menu.addAction("Delete…", lambda: self.delete(ids))
        menu.exec(self.table.viewport().mapToGlobal(point))

    def find_copies(self) -> CopiesTask:
        """Look for shared passages on a worker thread; when they arrive each row's tooltip says what it
        shares ("shares 62% with …"). A search already under way is the one returned."""
        from annotator.copies import find_copies
        from ui.copies_worker import CopiesTask

        if self.copies_task is not None and self.copies_task.running:
            return self.copies_task
        task = self.copies_task = CopiesTask(self.session.project, lambda documents, progress: find_copies(
            documents, progress=progress), self)
        task.finished.connect(self._copies_found)
        return task

    def _copies_found(self, passages: list) -> None:
        from annotator.copies import notes

        project = self.session.project
        self.model.copy_notes = notes(passages, {d.id: d.title for d in project.documents(with_text=False)},
                                      project.document_lengths())
        if self.model.rows:
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(len(self.model.rows) - 1, len(COLUMNS) - 1))

    def show_copies(self, document_id: str | None = None) -> CopiesDialog:
        """The shared passages dialog, open at once; it fills when the worker is done (Cancel stops it)."""
        from ui.copies_dialog import CopiesDialog

        dialog = CopiesDialog(self.session, document_id, self)
        dialog.jump_requested.connect(self.jump_requested)
        task = self.find_copies()
        task.progress.connect(dialog.show_progress)
        task.finished.connect(dialog.set_passages)
        task.cancelled.connect(lambda: dialog.stopped("The documents changed meanwhile: open it again."
                                                      if task.stale else "Cancelled."))
        task.failed.connect(dialog.stopped)
        dialog.stop_requested.connect(task.cancel)
        dialog.show()
        return dialog

    def show_revision(self, document_id: str) -> RevisionDialog:
        from ui.revision_dialog import RevisionDialog

        dialog = RevisionDialog(self.session, document_id, self)
        dialog.show()
        return dialog

    def properties(self, document_id: str) -> None:
        from ui.document_dialog import DocumentDialog

        DocumentDialog(self.session.project, document_id, self).exec()

    def assign(self, ids: list[str]) -> None:
        from ui.document_dialog import ask_assign

        ask_assign(self, self.session.project, ids, self.session.reviewer)

    def delete(self, ids: list[str]) -> None:
        from ui.document_dialog import confirm_delete

        confirm_delete(self, self.session.project, ids)

    def _filter_mine(self) -> None:
        """Show only the current reviewer's documents (re-read when assignments or the reviewer change)."""
        wanted = set(self.session.project.documents_assigned_to(self.session.reviewer)) if self.mine.isChecked() else None
        if wanted != self.proxy.only:
            self.proxy.beginFilterChange()
            self.proxy.only = wanted
            self.proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, ids: list[str], status: str) -> None:
        self.session.project.set_documents_status(ids, status)

    def apply_change(self, change: Change) -> None:
        self.model.apply_change(change)
        if self.mine.isChecked() and change.of("documents"):
            self._filter_mine()

    def snapshot(self) -> object:
        """The rows in the order shown (after the filter and sort)."""
        return model_cells(self.proxy)
