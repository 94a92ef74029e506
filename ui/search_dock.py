"""Search across documents: a keyword-in-context concordance (left | hit | right), filtered by
outlet, date, status and label; Enter or a double-click opens the document at the hit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.defaults import DOCUMENT_STATUSES
from annotator.errors import AnnotatorError
from annotator.search import DocumentFilter, Hit, outlets, search
from ui import empty_state
from ui.session import Session

MODES = (("Words", "fts"), ("Exact", "exact"), ("Regex", "regex"))
LIMIT = 2000


class ResultsTable(QTableWidget):
    """Enter opens the hit under the cursor (a double-click does too)."""

    open_current = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current.emit()
        else:
            super().keyPressEvent(event)


class SearchDock(QWidget):
    hit_activated = Signal(str, int, int)  # document id, start, end (code points)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.hits: list[Hit] = []
        self.query = QLineEdit()
        self.query.setPlaceholderText('Search all documents: words, "a phrase", OR, NOT, prefix*')
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run)
        self.mode = QComboBox()
        for text, mode in MODES:
            self.mode.addItem(text, mode)
        self.ignore_case = QCheckBox("Ignore case")
        self.ignore_case.setToolTip("For exact and regex searches (word searches always ignore case)")
        self.outlet = QComboBox()
        self.status = QComboBox()
        self.label = QComboBox()
        self.since = QLineEdit()
        self.since.setPlaceholderText("from YYYY-MM-DD")
        self.until = QLineEdit()
        self.until.setPlaceholderText("to YYYY-MM-DD")
        for widget in (self.mode, self.outlet, self.status, self.label):
            widget.activated.connect(lambda _=0: self.run() if self.query.text() else None)
        for edit in (self.since, self.until):
            edit.returnPressed.connect(self.run)
        self.summary = QLabel()
        self.summary.setObjectName("PaneMeta")
        self.table = ResultsTable(0, 4)
        self.table.setHorizontalHeaderLabels(["Document", "Left", "Hit", "Right"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        self.table.open_current.connect(lambda: self.open_row(self.table.currentRow()))
        self.empty = empty_state.show_when_empty(self.table, lambda: "" if self.query.text().strip() else empty_state.SEARCH)

        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.mode)
        top.addWidget(self.ignore_case)
        filters = QHBoxLayout()
        for field in (self.outlet, self.since, self.until, self.status, self.label):
            filters.addWidget(field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.fill_filters()

    def fill_filters(self) -> None:
        """The outlets, statuses and labels there are now (called when the dock is shown)."""
        for combo, first, items in ((self.outlet, "Any outlet", [(o, o) for o in outlets(self.project)]),
                                    (self.status, "Any status", [(s, s) for s in DOCUMENT_STATUSES]),
                                    (self.label, "Any label", [(f"has {lb.name}", lb.id) for lb in self.project.labels()])):
            current = combo.currentData()
            combo.clear()
            combo.addItem(first, None)
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(current)))

    def filters(self) -> DocumentFilter:
        return DocumentFilter(outlet=self.outlet.currentData(), published_from=self.since.text().strip() or None,
                              published_to=self.until.text().strip() or None, status=self.status.currentData(),
                              label_id=self.label.currentData())

    def run(self) -> None:
        """Search with the query and filters as they are; errors (a bad regex) are said, not raised."""
        try:
            self.hits = search(self.project, self.query.text(), self.mode.currentData(), ignore_case=self.ignore_case.isChecked(),
                               filters=self.filters(), limit=LIMIT) if self.query.text().strip() else []
        except AnnotatorError as error:
            self.hits = []
            self.summary.setText(str(error))
            self._fill()
            return
        documents = len({h.document_id for h in self.hits})
        more = "+" if len(self.hits) >= LIMIT else ""
        self.summary.setText(f"{len(self.hits)}{more} hits in {documents} documents" if self.hits else
                             ("No match" if self.query.text().strip() else ""))
        self._fill()

    def _fill(self) -> None:
        titles = {d.id: d.title or "(untitled)" for d in self.project.documents(with_text=False)}
        self.table.setRowCount(len(self.hits))
        for row, hit in enumerate(self.hits):
            cells = (titles.get(hit.document_id, hit.document_id[:8]), hit.left, hit.text, hit.right)
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == 2:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
        self.empty.update()  # "No match" is the summary's to say
        if self.hits:
            self.table.setCurrentCell(0, 2)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.hits):
            hit = self.hits[row]
            self.hit_activated.emit(hit.document_id, hit.start, hit.end)

    def showEvent(self, event) -> None:
        self.fill_filters()
        super().showEvent(event)
        self.query.setFocus()
        self.query.selectAll()
