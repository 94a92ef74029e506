"""The annotation table dock: the current pane's annotations, sortable and filterable, click to jump."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRegularExpression, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.history import Change
from ui import empty_state, input_pause
from ui.fitted_columns import FittedTable
from ui.session import Session
from ui.table_model import ColumnsModel
from ui.view import follow, model_cells

FILTER_ROLE = Qt.ItemDataRole.UserRole + 1
"""The role ``AnnotationFilter`` matches: see ``filter_key``."""
COLUMNS = ("Label", "Quote", "Start", "End", "Reviewer", "Note")
WIDTHS = (84, 320, 64, 64, 80, 120)
"""Fixed widths (the quote's is only a start: it takes what the others leave): sizing columns to their
contents reads every row of a long table."""
QUOTE = 1
HIDE_ORDER = (3, 2, 5, 4)
"""Which columns step aside, first to last, when the dock is too narrow for them beside a readable
quote: End, Start, Note, Reviewer (label and quote always show)."""
CACHED_DOCUMENTS = 4
"""Documents whose rows are kept (sorted) for switching panes without reading them again."""
SLICE_CHARACTERS = 2_000
"""The first slice of text whose annotations a document's first load reads at once (the rest: in slices after):
more rows than the dock shows even in a sparse text, and a few hundred at most in a dense one."""
SLICE_ROWS = 50
"""About how many annotations each later slice reads (its span of text adapts to the density): a few
milliseconds, so a key press that comes while a long document is being read waits for one slice at most
(200 rows took ~40 ms under load, most of a key press's budget)."""
SLICE_INTERVAL_MS = 10
"""Pause between slices: reading yields to the reviewer's key presses and paints instead of taking
every pass of the event loop (10k annotations are still all read within a few seconds)."""
SECOND_SLICE_MS = 50
"""The slice after a document's first waits this long: it is shown with a pane just opened, whose first
frame comes first (at 10 ms the second slice was read inside that frame's pass of the event loop)."""
PAUSE_AFTER_CHANGE_MS = 300
"""A change (the reviewer adding, deleting, undoing) puts the next slice off this long: slices are read
while the reviewer pauses, not inside a run of key presses (a change to rows not read yet is left to
their slice, so nothing is lost meanwhile)."""


def _sort_key(column: int) -> Callable[[Any], tuple]:
    """The order of a column, ties broken by offset and id so an insert lands where a fresh sort puts it."""
    value: Callable[[Any], Any] = (
        lambda a: a.label.casefold(), lambda a: " ".join(a.quote.split()).casefold(), lambda a: a.start, lambda a: a.end,
        lambda a: (a.annotator if a.layer == "reviewer" else "gold").casefold(), lambda a: (a.note or "").casefold(),
    )[column]
    return lambda a: (value(a), a.start, a.end, a.id)


class AnnotationTableModel(ColumnsModel):
    """Rows kept sorted by a unique key, so a row is found (``row_of``) and placed by bisect. A long
    document is read in slices of text (a zero-time timer chain), so opening it does not block."""

    loaded = Signal()  # every slice of the document is read

    COLUMNS = COLUMNS

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.document_id: str | None = None
        self.sort_column = 2
        self.descending = False
        self._cache: dict[str, list[Any]] = {}  # document id -> its rows read so far, sorted as shown
        self._unread: dict[str, tuple[int, int, int]] = {}  # cached but partly read: (loaded_until, window, length)
        self._by_id: dict[str, Any] = {}  # annotation id -> the record shown (its sort key finds its row)
        self._ids: dict[str, dict[str, Any]] = {}  # document id -> its _by_id, kept with its cached rows
        self.loaded_until: int | None = None  # annotations starting here or later are not read yet; None: all read
        self._window = SLICE_CHARACTERS
        self._length = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SLICE_INTERVAL_MS)
        self._timer.timeout.connect(self._fetch_when_quiet)
        input_pause.watch()

    def load(self, document_id: str | None, reread: bool = True) -> None:
        """Show a document's rows: from the cache when switching back to it, unless ``reread``;
        else its first slice now and the rest from the event loop. A partly read document is cached
        with how far it was read, so switching back goes on from there instead of reading it again."""
        self._timer.stop()
        if self.loaded_until is not None and self.document_id is not None and self.document_id in self._cache:
            self._unread[self.document_id] = (self.loaded_until, self._window, self._length)
        self.beginResetModel()
        if reread:
            self._cache.clear()
            self._unread.clear()
            self._ids.clear()
        self.document_id = document_id
        rows = self._cache.pop(document_id, None) if document_id is not None else []
        by_id = self._ids.pop(document_id, None) if document_id is not None else None
        self.loaded_until = None
        if rows is None:
            assert document_id is not None  # the cache is only asked for a document
            rows = []
            self.loaded_until = 0
            self._window = SLICE_CHARACTERS
            self._length = self.session.project.document_lengths().get(document_id, 0)
        elif document_id in self._unread:
            self.loaded_until, self._window, self._length = self._unread.pop(document_id)
        self.rows = rows
        self._by_id = by_id if by_id is not None and len(by_id) == len(rows) else {a.id: a for a in rows}
        if document_id is not None:
            self._cache[document_id] = rows
            self._ids[document_id] = self._by_id  # the same dict: kept up to date with the rows
            while len(self._cache) > CACHED_DOCUMENTS:
                self._forget(next(iter(self._cache)))
        self.rows_moved()
        self.endResetModel()
        if self.loaded_until == 0:
            self.fetch_more()
            if self._timer.isActive():
                self._timer.start(SECOND_SLICE_MS)
        elif self.loaded_until is not None:
            self._timer.start(SLICE_INTERVAL_MS)

    def _forget(self, document_id: str) -> None:
        """Drop a document's cached rows (and how far they were read): it is read afresh when shown again."""
        self._cache.pop(document_id, None)
        self._unread.pop(document_id, None)
        self._ids.pop(document_id, None)

    def _fetch_when_quiet(self) -> None:
        """A timed slice waits while the reviewer is pressing keys (``input_pause``)."""
        wait = input_pause.wait_ms()
        if wait:
            self._timer.start(wait)
        else:
            self.fetch_more()

    def fetch_more(self) -> None:
        """Read the next slice of the document's annotations into place; schedule the next one."""
        if self.loaded_until is None or self.document_id is None or self.session.project.closed:
            return
        first = self.loaded_until
        before: int | None = first + self._window
        if before is not None and before >= self._length:
            before = None  # the last slice: whatever starts beyond the known length too
        found = [a for a in self.session.project.annotations(self.document_id, starting_from=first, starting_before=before)
                 if self.session.shows(a.layer, a.annotator)]
        self.loaded_until = before
        self._window = max(200, min(self._window * 4, int(self._window * SLICE_ROWS / max(len(found), 1))))
        found = [a for a in found if a.id not in self._by_id]  # added by a change while the slice was unread: never
        if found:
            key = _sort_key(self.sort_column)
            if self.sort_column == 2 and not self.descending and (not self.rows or key(self.rows[-1]) < key(found[0])):
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(found) - 1)
                self.rows.extend(found)
                self._by_id.update((a.id, a) for a in found)
                self.endInsertRows()
            else:
                self.layoutAboutToBeChanged.emit()
                self.rows.extend(found)
                self._by_id.update((a.id, a) for a in found)
                self.rows.sort(key=key, reverse=self.descending)
                self.layoutChanged.emit()
        if self.loaded_until is not None:
            self._timer.start(SLICE_INTERVAL_MS)
        else:
            self.loaded.emit()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        """More slices to read, unless the project is closed (a view may still ask while its window goes)."""
        return not parent.isValid() and self.loaded_until is not None and not self.session.project.closed

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        """The view asks while scrolled to the end: read the next slice now (the timer would anyway)."""
        if not parent.isValid():
            self.fetch_more()

    def finish_loading(self) -> None:
        """Read every slice left now (before acting on all rows)."""
        while self.loaded_until is not None and self.document_id is not None:
            self.fetch_more()
        self._timer.stop()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python by a key (one pass), not by Qt comparing display strings row against row."""
        self.sort_column, self.descending = column, order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        for rows in {id(rows): rows for rows in (self.rows, *self._cache.values())}.values():
            rows.sort(key=_sort_key(column), reverse=self.descending)
        self.rows_moved()
        self.layoutChanged.emit()

    def _insert_at(self, annotation: Any) -> int:
        key = _sort_key(self.sort_column)
        if not self.descending:
            return bisect_left(self.rows, key(annotation), key=key)
        lo, hi, wanted = 0, len(self.rows), key(annotation)
        while lo < hi:
            mid = (lo + hi) // 2
            if key(self.rows[mid]) > wanted:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def row_of(self, id: str) -> int:
        """The row of an annotation, found by bisect on its (unique) sort key; -1 when not shown."""
        annotation = self._by_id.get(id)
        if annotation is None:
            return -1
        at = self._insert_at(annotation)
        return at if at < len(self.rows) and self.rows[at].id == id else -1

    def apply_change(self, change: Change) -> None:
        """Insert, update or remove the rows a change touched, without resetting the table."""
        if self.document_id is None:
            return
        if self._timer.isActive():
            self._timer.start(PAUSE_AFTER_CHANGE_MS)  # still reading: the next slice waits for a pause
        if change.of("labels"):
            self.load(self.document_id)
            return
        edits = change.of("annotations")
        for row in (*edits.added, *edits.removed, *(after for _, after in edits.updated)):
            if row["document_id"] != self.document_id:
                self._forget(row["document_id"])  # read afresh when shown again
        mine = [r for r in (*edits.added, *(after for _, after in edits.updated)) if r["document_id"] == self.document_id]
        for row in edits.removed:
            if row["document_id"] == self.document_id:
                self._remove(row["id"])
        for row in mine:
            unread = self.loaded_until is not None and row["start"] >= self.loaded_until  # its slice will read it
            if unread or not self.session.visible(row):
                self._remove(row["id"])
                continue
            annotation = self.session.project.annotation(row["id"])
            at = self.row_of(row["id"])
            if at >= 0 and _sort_key(self.sort_column)(self.rows[at]) == _sort_key(self.sort_column)(annotation):
                self.rows[at] = annotation
                self._by_id[annotation.id] = annotation
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
                continue
            if at >= 0:
                self._remove(row["id"])
            at = self._insert_at(annotation)
            self.beginInsertRows(QModelIndex(), at, at)
            self.rows.insert(at, annotation)
            self._by_id[annotation.id] = annotation
            self.endInsertRows()

    def _remove(self, annotation_id: str) -> None:
        at = self.row_of(annotation_id)
        if at >= 0:
            self.beginRemoveRows(QModelIndex(), at, at)
            del self.rows[at]
            del self._by_id[annotation_id]
            self.endRemoveRows()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        a = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (a.label, " ".join(a.quote.split()), a.start, a.end, a.annotator if a.layer == "reviewer" else "gold",
                    a.note or "")[column]
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        if role == FILTER_ROLE:
            return filter_key(a)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(self.session.project.label(a.label_id).color)
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 5):
            return a.quote if column == 1 else a.note
        return None


class AnnotationFilter(QSortFilterProxyModel):
    """Filter by label, reviewer and text (quote or note). Sorting is the source model's (see ``sort``).
    The test is Qt's own regular expression over one ``FILTER_ROLE`` string per row, not a Python
    ``filterAcceptsRow``: with no filter set Qt then accepts every row without calling Python, so
    showing another document's 10k rows (switching panes) does not cost 10k Python calls."""

    def __init__(self) -> None:
        super().__init__()
        self.label = ""
        self.reviewer = ""
        self.text = ""
        self.setFilterRole(FILTER_ROLE)
        self.setFilterKeyColumn(0)

    def set(self, label: str | None = None, reviewer: str | None = None, text: str | None = None) -> None:
        self.label = self.label if label is None else label
        self.reviewer = self.reviewer if reviewer is None else reviewer
        self.text = self.text if text is None else text.casefold()
        self.setFilterRegularExpression(self._pattern())

    def _pattern(self) -> QRegularExpression:
        """Matches ``filter_key``: label and reviewer exactly, the text inside the quote or the note."""
        if not (self.label or self.reviewer or self.text):
            return QRegularExpression()
        any_ = "[^\\x{1f}]*"
        label = QRegularExpression.escape(self.label) if self.label else any_
        reviewer = QRegularExpression.escape(self.reviewer) if self.reviewer else any_
        text = f"{any_}\\x{{1f}}{any_}"
        if self.text:
            t = QRegularExpression.escape(self.text)
            text = f"(?:{any_}{t}{any_}\\x{{1f}}{any_}|{any_}\\x{{1f}}{any_}{t}{any_})"
        return QRegularExpression(f"\\A{label}\\x{{1f}}{reviewer}\\x{{1f}}{text}\\z")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        assert isinstance(model, AnnotationTableModel)
        model.sort(column, order)


def filter_key(a: Any) -> str:
    """Label, reviewer, quote and note (both casefolded), split by a unit separator the fields never hold."""
    return "\x1f".join(field.replace("\x1f", " ") for field in (a.label, a.annotator, a.quote.casefold(), (a.note or "").casefold()))


class AnnotationTable(QWidget):
    jump_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = AnnotationTableModel(session)
        self.proxy = AnnotationFilter()
        self.proxy.setSourceModel(self.model)
        self.labels = QComboBox()
        self.labels.setToolTip("Show one label")
        self.reviewers = QComboBox()
        self.reviewers.setToolTip("Show one reviewer")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter quotes and notes…")
        self.search.setClearButtonEnabled(True)
        self.labels.currentIndexChanged.connect(lambda: self.proxy.set(label=self.labels.currentData() or ""))
        self.reviewers.currentIndexChanged.connect(lambda: self.proxy.set(reviewer=self.reviewers.currentData() or ""))
        self.search.textChanged.connect(lambda text: self.proxy.set(text=text))
        self.table = FittedTable()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.columns = self.table.fit_columns(WIDTHS, QUOTE, HIDE_ORDER)  # the table fits its dock: no sideways scrolling
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.clicked.connect(self._jump)
        self.table.activated.connect(self._jump)
        self.empty = empty_state.show_when_empty(self.table, lambda: empty_state.annotations_hint(
            self.model.document_id, self.model.loaded_until is not None), empty_state.ANNOTATIONS_FILTERED)
        self.model.loaded.connect(self.empty.update)
        filters = QHBoxLayout()
        filters.addWidget(self.labels)
        filters.addWidget(self.reviewers)
        filters.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        follow(session, self)
        session.selection_changed.connect(session.docks.deferred(self._follow_selection, self))
        self.model.loaded.connect(lambda: self._follow_selection(self.session.selected))
        session.view_filter_changed.connect(lambda _: self.model.load(self.model.document_id))
        self._fill_filters()

    def _fill_filters(self) -> None:
        project = self.session.project
        for combo, items, everything in (
            (self.labels, [label.name for label in project.labels()], "All labels"),
            (self.reviewers, project.annotators(), "All reviewers"),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, "")
            for item in items:
                combo.addItem(item, item)
            found = combo.findData(current)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def show_document(self, document_id: str | None) -> None:
        self.model.load(document_id, reread=False)
        self._follow_selection(self.session.selected)

    def apply_change(self, change: Change) -> None:
        self.model.apply_change(change)
        known = {self.reviewers.itemData(i) for i in range(self.reviewers.count())}
        new_reviewer = any(row["annotator"] not in known for row in change.of("annotations").added)
        if change.of("labels") or new_reviewer:
            self._fill_filters()

    def snapshot(self) -> object:
        """The document shown, the filter choices and the rows in the order shown."""
        combos = tuple(tuple(combo.itemText(i) for i in range(combo.count())) for combo in (self.labels, self.reviewers))
        return self.model.document_id, combos, model_cells(self.proxy)

    def _jump(self, index: QModelIndex) -> None:
        annotation_id = index.data(Qt.ItemDataRole.UserRole) or self.proxy.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if annotation_id:
            self.jump_requested.emit(annotation_id)

    def _follow_selection(self, annotation_id: str | None) -> None:
        row = self.model.row_of(annotation_id) if annotation_id else -1
        if row < 0:
            self.table.clearSelection()
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)
