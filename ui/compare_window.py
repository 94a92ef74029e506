"""Compare reviewers on one document and adjudicate a gold standard.

One pane per reviewer, each span coloured by how it compares (agreed, label differs, boundary
differs, only this reviewer), and a gold pane. The differences are listed to step through with
the keyboard; 1–9 accept that reviewer's version into gold, G writes a new gold annotation from
the text selected in any pane, Ctrl+Shift+A accepts every agreed span. All undoable (Ctrl+Z).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.comparison import (
    AGREED,
    BOUNDARY_DIFFERS,
    LABEL_AND_BOUNDARY_DIFFER,
    LABEL_DIFFERS,
    ONLY,
    Difference,
    accept_all_agreed,
    accept_into_gold,
    compare_document,
)
from annotator.errors import AnnotatorError
from annotator.history import Change
from ui.colors import blend
from ui.document_view import DocumentView
from ui.session import Session
from ui.view import follow

KIND_COLORS = {
    AGREED: "#16A34A",
    LABEL_DIFFERS: "#F59E0B",
    BOUNDARY_DIFFERS: "#0EA5E9",
    LABEL_AND_BOUNDARY_DIFFER: "#A855F7",
    ONLY: "#DC2626",
}


class ComparePane(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title)
        self.title.setObjectName("PaneTitle")
        self.view = DocumentView()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)


class CompareWindow(QMainWindow):
    def __init__(self, session: Session, document_id: str, reviewers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.document_id = document_id
        self.reviewers = reviewers
        self.differences: list[Difference] = []
        self.current = -1
        document = self.project.document(document_id)
        self.setWindowTitle(f"Compare reviewers — {document.title}")
        self.resize(1500, 900)

        self.document_box = QComboBox()
        for d in self.project.documents(with_text=False):
            self.document_box.addItem(d.title, d.id)
        self.document_box.setCurrentIndex(self.document_box.findData(document_id))
        self.document_box.activated.connect(lambda i: self.show_document(self.document_box.itemData(i)))
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m differences resolved in gold")
        self.legend = QLabel("Colours: " + "  ".join(
            f'<span style="background:{blend([QColor(c)], 0.28).name()}">&nbsp;{k}&nbsp;</span>' for k, c in KIND_COLORS.items()))
        top = QHBoxLayout()
        top.addWidget(QLabel("Document:"))
        top.addWidget(self.document_box, 1)
        top.addWidget(self.progress, 1)

        self.panes: list[ComparePane] = []
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for number, reviewer in enumerate(reviewers, start=1):
            pane = ComparePane(f"{number}  {reviewer}")
            splitter.addWidget(pane)
            self.panes.append(pane)
        self.gold = ComparePane(f"Gold — adjudicated by {session.reviewer}")
        splitter.addWidget(self.gold)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._go)
        help_text = QLabel("<b>N</b>/<b>P</b> next/previous unresolved difference · <b>1–9</b> accept that reviewer's version · "
                           "<b>G</b> new gold annotation from a selection · <b>Ctrl+Shift+A</b> accept all agreed · "
                           "<b>Ctrl+Z</b> undo")
        help_text.setObjectName("PaneMeta")
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(splitter)
        body.addWidget(self.list)
        body.setSizes([650, 200])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(body, 1)
        layout.addWidget(help_text)
        self.setCentralWidget(central)

        for keys, slot in (("N", lambda: self.step(1)), ("P", lambda: self.step(-1)), ("G", self.write_gold),
                           ("Ctrl+Shift+A", self.accept_agreed), ("Ctrl+Z", self.project.undo),
                           ("Ctrl+Shift+Z", self.project.redo), ("Esc", self.close)):
            QShortcut(QKeySequence(keys), self, slot)
        for number in range(1, min(len(reviewers), 9) + 1):
            QShortcut(QKeySequence(str(number)), self, lambda n=number: self.accept(n))
        follow(session, self)
        self.show_document(document_id)

    # -- content ---------------------------------------------------------------------------------

    def show_document(self, document_id: str) -> None:
        self.document_id = document_id
        self.current = -1
        self.refresh()
        if self.differences:
            self.list.setCurrentRow(0)

    def refresh(self) -> None:
        text = self.project.document_text(self.document_id)
        compared = compare_document(self.project, self.document_id, self.reviewers)
        kind_of: dict[str, str] = {}
        for difference in compared:
            for span in difference.spans:
                kind_of[span.id] = difference.kind
        # Spans every reviewer agrees on are coloured as agreed but are not differences to step
        # through (Ctrl+Shift+A accepts them all at once).
        self.differences = [d for d in compared if d.kind != AGREED]
        for pane, reviewer in zip(self.panes, self.reviewers, strict=True):
            spans = [(a.id, a.start, a.end, kind_of.get(a.id, ONLY), a.annotator)
                     for a in self.project.annotations(self.document_id, annotator=reviewer, layer="reviewer")]
            pane.view.set_content(text, spans, KIND_COLORS)
            pane.view.complete()
        gold = self.project.annotations(self.document_id, layer="gold")
        self.gold.view.set_content(text, [(a.id, a.start, a.end, a.label_id, a.annotator) for a in gold],
                                   {label.id: label.color for label in self.project.labels(kind=None)})
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for difference in self.differences:
            by = " · ".join(f"{s.annotator}: {s.label} “{' '.join(text[s.start:s.end].split())[:50]}”" for s in difference.spans)
            mark = "✓" if difference.covered else "•"
            item = QListWidgetItem(f"{mark} [{difference.title}] {difference.start}–{difference.end}  {by}")
            item.setForeground(Qt.GlobalColor.darkGray if difference.covered else Qt.GlobalColor.black)
            self.list.addItem(item)
        self.list.blockSignals(False)
        resolved = sum(1 for d in self.differences if d.covered)
        self.progress.setMaximum(max(len(self.differences), 1))
        self.progress.setValue(resolved)
        if 0 <= row < len(self.differences):
            self.list.setCurrentRow(row)
            self._go(row)

    def _go(self, row: int) -> None:
        if not 0 <= row < len(self.differences):
            return
        self.current = row
        difference = self.differences[row]
        ids = {s.id for s in difference.spans}
        for pane in (*self.panes, self.gold):
            pane.view.highlighter.linked = set()
            pane.view.highlighter.selected = next((i for i in ids if i in pane.view.index.spans), None)
            pane.view.highlighter.rehighlight()
            pane.view.show_position(difference.start)

    def step(self, direction: int) -> None:
        """Go to the next (or previous) difference not yet resolved in gold, wrapping around."""
        count = len(self.differences)
        for distance in range(1, count + 1):
            row = (self.current + direction * distance) % count
            if not self.differences[row].covered:
                self.list.setCurrentRow(row)
                return
        if count:
            self.statusBar().showMessage("Every difference is resolved in gold", 4000)

    # -- adjudication ---------------------------------------------------------------------------

    def accept(self, number: int) -> None:
        """Accept reviewer ``number``'s span(s) in the current difference into gold."""
        if not 0 <= self.current < len(self.differences):
            return
        reviewer = self.reviewers[number - 1]
        ids = self.differences[self.current].annotations.get(reviewer, ())
        if not ids:
            self.statusBar().showMessage(f"{reviewer} has no annotation here", 4000)
            return
        with self.project.group(f"Accept {reviewer}'s version into gold"):
            for annotation_id in ids:
                accept_into_gold(self.project, annotation_id, self.session.reviewer)

    def accept_agreed(self) -> None:
        count = accept_all_agreed(self.project, self.document_id, self.reviewers, self.session.reviewer)
        self.statusBar().showMessage(f"Accepted {count} agreed span(s) into gold", 4000)

    def write_gold(self) -> None:
        """A new gold annotation from the text selected in any pane, with a label chosen from a list."""
        span = None
        for pane in (*self.panes, self.gold):
            span = pane.view.selected_span(self.session.snap_to_words)
            if span:
                break
        if span is None:
            self.statusBar().showMessage("Select text in one of the panes first", 4000)
            return
        names = [label.name for label in self.project.labels()]
        name, ok = QInputDialog.getItem(self, "New gold annotation", "Label:", names, 0, False)
        if ok:
            try:
                self.project.add_annotation(self.document_id, span[0], span[1], name, annotator=self.session.reviewer,
                                            layer="gold")
            except AnnotatorError as error:
                self.statusBar().showMessage(str(error), 6000)

    def apply_change(self, change: Change) -> None:
        """Recompare when the document shown or the labels changed (differences are between whole documents)."""
        if self.document_id in change.document_ids or change.of("labels"):
            self.refresh()

    def snapshot(self) -> object:
        """The differences listed, the progress and every pane's spans."""
        items = tuple(self.list.item(i).text() for i in range(self.list.count()))
        panes = tuple(tuple(sorted(pane.view.index.spans.values())) for pane in (*self.panes, self.gold))
        return self.document_id, items, self.progress.value(), self.progress.maximum(), panes
