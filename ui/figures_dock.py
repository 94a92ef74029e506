"""All figures across all documents, grouped by what is counted: who reports which number, on
whose authority. Sortable; double-click jumps to the text; exports to CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressDialog,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.copies import copied
from annotator.crosssource import FigureRow, figure_rows, figures_touched, source_groups, write_figures_csv
from annotator.history import Change
from ui import empty_state
from ui.copies_worker import CopiesTask
from ui.figures_model import REPORT_ORDER, FiguresFilter, FiguresModel, layer_counts
from ui.lazy import RefreshWhenShown
from ui.qt_items import children, top_items
from ui.session import Session
from ui.view import follow, model_cells

WIDTHS = (130, 80, 90, 260, 110, 180, 90, 90, 160, 70, 80, 110, 90, 90)
"""Fixed starting widths: sizing columns to their contents reads every row of a long table."""


class FiguresDock(RefreshWhenShown):
    jump_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = FiguresModel()
        self.proxy = FiguresFilter()
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter figures…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_text)
        self.layer = QComboBox()
        self.layer.setObjectName("FiguresLayer")
        self.layer.setToolTip("One layer's figures: a reviewer's own, or gold (each layer counts a figure once)")
        self.layer.activated.connect(lambda i: self._choose_layer(self.layer.itemData(i)))
        self.summary = QLabel()
        self.summary.setObjectName("PaneMeta")
        export = QPushButton("Export CSV…")
        export.clicked.connect(self.export_csv)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.layer)
        top.addWidget(self.summary)
        self.by_source = QPushButton("By source")
        self.by_source.setCheckable(True)
        self.by_source.setToolTip("Group by source: each source's figures, the outlets they appear in, "
                                  "how many independent sources report each")
        self.by_source.toggled.connect(self._show_sources)
        top.addWidget(self.by_source)
        self.copies_as_one = QCheckBox("Copies count once")
        self.copies_as_one.setToolTip("A document that copies another (its shared passages) counts as one appearance with it")
        self.copies_as_one.toggled.connect(self._count_copies)
        self.copies_as_one.hide()
        self._copied: dict[str, str] | None = None
        self.copies_task: CopiesTask | None = None  # looking for copies on a worker thread
        self.copies_progress: QProgressDialog | None = None
        top.addWidget(self.copies_as_one)
        top.addWidget(export)
        self.sources = QTreeWidget()
        self.sources.setHeaderLabels(["Source / figure", "Victims", "Outlets", "Appearances", "Sources reporting it"])
        self.sources.setColumnWidth(0, 280)
        self.sources.itemActivated.connect(self._jump_source)
        self.sources.hide()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(WIDTHS):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSortIndicator(REPORT_ORDER, Qt.SortOrder.AscendingOrder)  # report order until a header is clicked
        self.table.setSortingEnabled(True)
        self.table.activated.connect(self._jump)
        self.table.clicked.connect(self._jump)
        self.empty = empty_state.show_when_empty(self.table, empty_state.FIGURES, empty_state.FIGURES_FILTERED)
        empty_state.show_when_empty(self.sources, empty_state.FIGURES)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.sources)
        follow(session, self)
        self.model.rowsInserted.connect(self._summarise)
        self.model.rowsRemoved.connect(self._summarise)
        self.model.modelReset.connect(self._summarise)
        self.model.dataChanged.connect(self._fill_sources)
        self._summarise()
        self.changed()  # filled when first shown: nothing to do at start-up while hidden

    @property
    def rows(self) -> list[FigureRow]:
        """Every figure row, in report order."""
        return self.model.rows

    def _positions(self) -> dict[str, int]:
        return {d.id: d.position for d in self.session.project.documents(with_text=False)}

    def refresh(self) -> None:
        """Fill the table from scratch (when first shown, or shown after changes came while hidden)."""
        self.model.set_rows(figure_rows(self.session.project), self._positions())

    def _summarise(self) -> None:
        counts = layer_counts(self.model.rows)
        per_layer = f" ({', '.join(f'{name} {n}' for name, n in counts.items())})" if len(counts) > 1 else ""
        self.summary.setText(f"{self.model.rowCount()} figures{per_layer} in {self.model.documents} documents")
        self._fill_layers(counts)
        self._fill_sources()

    def _fill_layers(self, counts: dict[str, int]) -> None:
        wanted = [("All layers", ""), *((f"{name} ({n})", name) for name, n in counts.items())]
        if [(self.layer.itemText(i), self.layer.itemData(i)) for i in range(self.layer.count())] == wanted:
            return
        current = self.proxy.owner or ""
        self.layer.clear()
        for text, value in wanted:
            self.layer.addItem(text, value)
        self.layer.setCurrentIndex(max(0, self.layer.findData(current)))

    def _choose_layer(self, owner: str | None) -> None:
        """Show one layer (a reviewer or gold), in the table and the by-source tree."""
        self.proxy.set_owner(owner)
        if self.layer.currentData() != (owner or ""):
            self.layer.setCurrentIndex(max(0, self.layer.findData(owner or "")))
        self._fill_sources()

    def _show_sources(self, on: bool) -> None:
        self.table.setVisible(not on)
        self.sources.setVisible(on)
        self.copies_as_one.setVisible(on)
        self._fill_sources()

    def _count_copies(self, on: bool) -> None:
        """Find the copies (a pass over every text) on a worker thread when asked; the tree counts with them
        when they arrive. Unchecking, or Cancel in the progress dialog, stops the search."""
        self._stop_copies()
        self._copied = None
        if on:
            task = self.copies_task = CopiesTask(self.session.project, lambda documents, progress: copied(
                documents, progress=progress), self)
            progress = self.copies_progress = QProgressDialog("Looking for copies…", "Cancel", 0, 0, self)
            progress.setWindowTitle("Copies count once")
            progress.setMinimumDuration(400)
            progress.canceled.connect(task.cancel)
            def show_progress(done: int, total: int) -> None:
                progress.setMaximum(total)
                progress.setValue(done)

            task.progress.connect(show_progress)
            task.finished.connect(self._copies_found)
            task.cancelled.connect(self._copies_stopped)
            task.failed.connect(self._copies_stopped)
        self._fill_sources()

    def _stop_copies(self) -> None:
        if self.copies_task is not None:
            self.copies_task.cancel()
            self.copies_task.deleteLater()  # its late signals go nowhere
            self.copies_task = None
        if self.copies_progress is not None:
            self.copies_progress.reset()
            self.copies_progress.deleteLater()
            self.copies_progress = None

    def _copies_found(self, found: dict[str, str]) -> None:
        self._stop_copies()
        self._copied = found
        self._fill_sources()

    def _copies_stopped(self, message: str | None = None) -> None:
        """Cancelled, failed or out of date (documents added or removed meanwhile): the box unchecks
        (a failure says why in the window's status bar)."""
        self._stop_copies()
        self.copies_as_one.setChecked(False)
        window = self.window()
        if message and isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 10000)

    def _fill_sources(self, *_: object) -> None:
        """The by-source tree, from the rows in memory (no query); built only while it is shown."""
        if not self.by_source.isChecked():
            return
        self.sources.clear()
        owner = self.proxy.owner
        rows = self.model.rows
        several = len({row.owner for row in rows}) > 1
        for group in source_groups((row for row in rows if owner is None or row.owner == owner), self._copied):
            top = QTreeWidgetItem([group.source or "(not attributed)", "", "", "", ""])
            for figure in group.figures:
                value = f"{figure.value:,}" if figure.value is not None else f"{figure.lower}–{figure.upper}"
                what = " ".join(x for x in (figure.qualifier if figure.qualifier != "exact" else "", value,
                                            figure.counted or "") if x)
                if several and owner is None:
                    what += f"  [{figure.reviewer or figure.layer}]"  # each layer's report of it, never summed
                item = QTreeWidgetItem([what, figure.victims or "", "; ".join(figure.outlets),
                                        str(figure.appearance_count), str(figure.independent_sources)])
                item.setData(0, Qt.ItemDataRole.UserRole, figure.appearances[0].annotation_id)
                top.addChild(item)
            self.sources.addTopLevelItem(top)
            top.setExpanded(True)

    def _jump_source(self, item: QTreeWidgetItem) -> None:
        annotation_id = item.data(0, Qt.ItemDataRole.UserRole)
        if annotation_id:
            self.jump_requested.emit(annotation_id)

    def update_rows(self, ids: set[str]) -> None:
        """Recompute the rows of these annotations only; each lands in its sorted place (bisect), one row at a time."""
        fresh = {row.annotation_id: row for row in figure_rows(self.session.project, annotation_ids=ids)}
        for id in ids:
            if id not in fresh:
                self.model.discard(id)
        for row in fresh.values():
            self.model.put(row)

    def _jump(self, index: QModelIndex) -> None:
        annotation_id = self.proxy.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if annotation_id:
            self.jump_requested.emit(annotation_id)

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
        if ids is not None and change.of("documents"):
            positions = self._positions()  # a document moved: every stored key that uses its position is stale
            if any(positions.get(id, position) != position for id, position in self.model.positions.items()):
                ids = None
            self.model.positions = positions
        if ids is None:
            self.refresh()
        elif ids:
            self.update_rows(ids)

    def snapshot(self) -> object:
        """The summary and the cells of the rows shown, in the order shown."""
        return self.summary.text(), model_cells(self.proxy), self.sources_snapshot()

    def sources_snapshot(self) -> list[tuple[str, ...]]:
        """The by-source tree as shown: one tuple per line, sources flush left, figures indented (victims, outlets,
        sources reporting it)."""
        lines: list[tuple[str, ...]] = []
        for top in top_items(self.sources):
            lines.append((top.text(0),))
            lines.extend(("  " + child.text(0), *(child.text(c) for c in (1, 2, 4))) for child in children(top))
        return lines
