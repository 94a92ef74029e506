"""The agreement dashboard: measures per label and reviewer pair, a bar chart per label, the
confusion matrix as a heatmap, and the documents with the lowest agreement first."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.history import Change
from annotator.project_agreement import documents_by_agreement, project_agreement
from ui.session import Session
from ui.view import follow, table_cells

SERIES = (("alpha_unitizing", "α-u", QColor("#3B82F6")), ("overlap_f1", "overlap F1", QColor("#10B981")),
          ("cohen_kappa", "Cohen κ", QColor("#F59E0B")))


def _mean(values: list[float | None]) -> float | None:
    found = [v for v in values if v is not None and not math.isnan(v)]
    return sum(found) / len(found) if found else None


def summarise(block: dict[str, Any]) -> dict[str, float | None]:
    """The numbers a row of the dashboard shows, from one block of the agreement report."""
    pairs = block.get("pairwise", [])
    return {
        "alpha_unitizing": block.get("alpha_unitizing"),
        "alpha_nominal": block.get("alpha_nominal"),
        "fleiss_kappa": block.get("fleiss_kappa"),
        "overlap_f1": _mean([p["overlap"]["f1"] for p in pairs]),
        "exact_f1": _mean([p["exact"]["f1"] for p in pairs]),
        "cohen_kappa": _mean([p["cohen_kappa"] for p in pairs]),
    }


def fmt(value: float | None) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"


class BarChart(QWidget):
    """Grouped bars per label, values from -1 to 1 (agreement measures)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, dict[str, float | None]]] = []
        self.setMinimumHeight(220)

    def set_rows(self, rows: list[tuple[str, dict[str, float | None]]]) -> None:
        self.rows = rows
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        left, top, bottom = 40, 24, 36
        width, height = self.width() - left - 10, self.height() - top - bottom
        painter.setPen(QPen(QColor("#E5E7EB")))
        for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = top + height * (1 - tick)
            painter.drawLine(left, int(y), left + width, int(y))
            painter.setPen(QColor("#6B7280"))
            painter.drawText(QRectF(0, y - 8, left - 6, 16), Qt.AlignmentFlag.AlignRight, f"{tick:.2f}")
            painter.setPen(QPen(QColor("#E5E7EB")))
        x: float = left + 6
        for i, (_, name, color) in enumerate(SERIES):
            painter.fillRect(QRectF(left + 10 + i * 110, 4, 10, 10), color)
            painter.setPen(QColor("#374151"))
            painter.drawText(QRectF(left + 24 + i * 110, 0, 90, 18), Qt.AlignmentFlag.AlignVCenter, name)
        if not self.rows:
            return
        group = width / len(self.rows)
        bar = max(4.0, min(28.0, (group - 16) / len(SERIES)))
        for index, (label, values) in enumerate(self.rows):
            x = left + index * group + (group - bar * len(SERIES)) / 2
            for key, _, color in SERIES:
                value = values.get(key)
                if value is not None and not math.isnan(value):
                    v = max(0.0, min(1.0, value))
                    painter.fillRect(QRectF(x, top + height * (1 - v), bar - 2, height * v), color)
                x += bar
            painter.setPen(QColor("#111827"))
            painter.drawText(QRectF(left + index * group, top + height + 4, group, 18), Qt.AlignmentFlag.AlignHCenter, label)
        painter.end()


class AgreementWindow(QMainWindow):
    compare_requested = Signal(str)  # document id

    def __init__(self, session: Session, reviewers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.reviewers = reviewers
        self.setWindowTitle(f"Agreement — {', '.join(reviewers)}")
        self.resize(1200, 860)
        QShortcut(QKeySequence("Esc"), self, self.close)
        self.labels_table = QTableWidget()
        self.pairs_table = QTableWidget()
        self.chart = BarChart()
        self.pair_box = QComboBox()
        self.pair_box.currentIndexChanged.connect(lambda _: self._show_matrix())
        self.heatmap = QTableWidget()
        self.heatmap.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.worst = QListWidget()
        self.worst.itemActivated.connect(lambda item: self.compare_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.refresh()

        def caption(text: str) -> QLabel:
            label = QLabel(text)
            label.setObjectName("PaneTitle")
            return label

        # Two columns, each a stack of caption over its view: rows shared across the columns left a
        # caption over a gap the height of its neighbour (and the matrix three rows high at 1280x720).
        # Lists and tables fit their column instead of scrolling sideways.
        self.worst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.worst.setWordWrap(True)
        self.worst.setResizeMode(QListView.ResizeMode.Adjust)
        central = QWidget()
        columns = QHBoxLayout(central)
        left, right = QVBoxLayout(), QVBoxLayout()
        for column, parts in ((left, ((caption("Per label"), 0), (self.labels_table, 3),
                                      (caption("Agreement per label"), 0), (self.chart, 4),
                                      (caption("Documents, lowest agreement first (double-click to compare)"), 0),
                                      (self.worst, 3))),
                              (right, ((caption("Per reviewer pair"), 0), (self.pairs_table, 3),
                                       (caption("Confusion matrix (tokens)"), 0), (self.pair_box, 0), (self.heatmap, 7)))):
            for widget, stretch in parts:
                column.addWidget(widget, stretch)
            columns.addLayout(column, 1)
        note = QLabel("Formulas and the treatment of unannotated tokens: docs/agreement.md")
        note.setObjectName("PaneMeta")
        right.addWidget(note)
        self.setCentralWidget(central)
        follow(session, self)

    def refresh(self) -> None:
        """Recompute the report (agreement is a whole-corpus measure: no part of it can be updated alone)."""
        session, reviewers = self.session, self.reviewers
        try:
            self.report = project_agreement(session.project, reviewers)
        except AnnotatorError as error:  # e.g. a reviewer's last annotation was deleted, here or elsewhere
            for table in (self.labels_table, self.pairs_table):
                table.setRowCount(0)
            self.worst.clear()
            self.statusBar().showMessage(f"No agreement to show: {error}")
            return
        self.statusBar().clearMessage()
        corpus = self.report["corpus"]
        # Means over reviewer pairs on a second header line: one line each, the table was wider than its half
        columns = ["Label", "α-u", "α nominal", "Fleiss κ", "Cohen κ\n(mean)", "Overlap F1\n(mean)", "Exact F1\n(mean)"]
        keys = ["alpha_unitizing", "alpha_nominal", "fleiss_kappa", "cohen_kappa", "overlap_f1", "exact_f1"]
        rows = [("All labels", summarise(corpus["overall"]))]
        rows += [(label, summarise(block)) for label, block in corpus["per_label"].items()]
        self._fill(self.labels_table, columns, [[name, *(fmt(values[k]) for k in keys)] for name, values in rows])
        pair_rows = [[f"{p['a']} × {p['b']}", fmt(p["exact"]["f1"]), fmt(p["overlap"]["f1"]), fmt(p["cohen_kappa"]),
                      str(p["n_documents"])] for p in corpus["overall"]["pairwise"]]
        self._fill(self.pairs_table, ["Pair", "Exact F1", "Overlap F1", "Cohen κ", "Documents"], pair_rows)
        self.chart.set_rows(rows[1:] or rows)
        current = self.pair_box.currentIndex()
        self.pair_box.blockSignals(True)
        self.pair_box.clear()
        for matrix in corpus["overall"].get("confusion_matrices", []):
            self.pair_box.addItem(f"{matrix['a']} (rows) × {matrix['b']} (columns)", matrix)
        self.pair_box.setCurrentIndex(current if 0 <= current < self.pair_box.count() else 0)
        self.pair_box.blockSignals(False)
        self._show_matrix()
        self.worst.clear()
        for document_id, title, score in documents_by_agreement(session.project, reviewers):
            item = QListWidgetItem(f"{fmt(score)}   {title}")
            item.setData(Qt.ItemDataRole.UserRole, document_id)
            item.setToolTip("Mean pairwise overlap F1; double-click to compare the reviewers on this document")
            self.worst.addItem(item)

    def apply_change(self, change: Change) -> None:
        if change.of("annotations") or change.of("labels") or change.of("documents"):
            self.refresh()

    def snapshot(self) -> object:
        """Every number and name the dashboard shows."""
        chart = tuple((name, tuple(fmt(v) for v in values.values())) for name, values in self.chart.rows)
        return (table_cells(self.labels_table), table_cells(self.pairs_table), chart,
                tuple(self.pair_box.itemText(i) for i in range(self.pair_box.count())),
                table_cells(self.heatmap), tuple(self.worst.item(i).text() for i in range(self.worst.count())))

    @staticmethod
    def _fill(table: QTableWidget, headers: list[str], rows: list[list[str]]) -> None:
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)

    def _show_matrix(self) -> None:
        matrix = self.pair_box.currentData()
        if not matrix:
            self.heatmap.setRowCount(0)
            self.heatmap.setColumnCount(0)
            return
        labels, counts = matrix["labels"], matrix["matrix"]
        self.heatmap.setRowCount(len(labels))
        self.heatmap.setColumnCount(len(labels))
        self.heatmap.setHorizontalHeaderLabels(labels)
        self.heatmap.setVerticalHeaderLabels(labels)
        # A log scale, and the cell where both said "no label" left out of the peak: otherwise it
        # outweighs every other count and the map is blank but for one cell.
        outside = {i for i, name in enumerate(labels) if name in ("O", "∅", "(none)", "")}
        peak = max((v for r, row in enumerate(counts) for c, v in enumerate(row) if not (r in outside and c in outside)),
                   default=1) or 1
        for r, row in enumerate(counts):
            for c, value in enumerate(row):
                item = QTableWidgetItem(str(value))
                shade = min(1.0, math.log1p(value) / math.log1p(peak))
                color = QColor.fromRgbF(1 - 0.75 * shade, 1 - 0.45 * shade, 1 - 0.1 * shade)
                item.setBackground(color)
                item.setForeground(QColor("#FFFFFF" if shade > 0.6 else "#111827"))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.heatmap.setItem(r, c, item)
        self.heatmap.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
