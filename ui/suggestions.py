"""The suggestion layer of the current pane, for the current reviewer: figures and actors drawn
with a dashed underline, never annotations until accepted. With the text focused: Enter accepts
the current suggestion, Backspace rejects it (remembered; Ctrl+Z takes the rejection back), Ctrl+Enter accepts every suggestion in
the document, F4 / Shift+F4 step to the next or previous one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from annotator.claim_suggest import Candidate, link, same_claim_elsewhere
from annotator.errors import AnnotatorError
from annotator.suggest import Suggestion, accept, reject, suggest
from ui.document_pane import DocumentPane
from ui.overlays import set_overlay
from ui.qt_items import top_item


class SuggestionLayer(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.project = window.project
        self.enabled = False
        self.pane: DocumentPane | None = None
        self.items: list[Suggestion] = []
        self.current = 0
        window.panes.current_changed.connect(self._attach)
        self.session.changed.connect(lambda _change: self.refresh())
        self.session.reviewer_changed.connect(lambda _name: self.refresh())

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self._attach(self.window.panes.current if on else None)

    def _attach(self, pane: DocumentPane | None) -> None:
        if self.pane is not None:
            self.pane.view.removeEventFilter(self)
            set_overlay(self.pane.view, "suggestions", [])
        self.pane = pane if self.enabled else None
        self.items, self.current = [], 0
        if self.pane is not None:
            self.pane.view.installEventFilter(self)
            self.refresh()

    def refresh(self) -> None:
        """Suggest again for the pane's document (after every change: accepted ones turn into annotations)."""
        if self.pane is None:
            return
        try:
            found = [*suggest(self.project, "figures", document_id=self.pane.document_id, annotator=self.session.reviewer),
                     *suggest(self.project, "actors", document_id=self.pane.document_id, annotator=self.session.reviewer)]
        except AnnotatorError as error:  # no figure or actor label in this schema
            self.window.statusBar().showMessage(f"Suggestions: {error}", 6000)
            found = []
        self.items = sorted(found, key=lambda s: (s.start, s.end))
        self.current = min(self.current, max(0, len(self.items) - 1))
        self._paint()

    def _paint(self) -> None:
        if self.pane is None:
            return
        view = self.pane.view
        colors = {label.id: label.color for label in self.project.labels()}
        selections = []
        for i, s in enumerate(self.items):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(view.document())
            start16, end16 = view.offsets.span_to_qt(s.start, s.end)
            cursor.setPosition(start16)
            cursor.setPosition(end16, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            char = QTextCharFormat()
            char.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            char.setUnderlineColor(QColor(colors.get(s.label_id, "#888888")))
            if i == self.current:
                char.setBackground(QColor("#e8eefc"))
            char.setToolTip(f"Suggested {s.label}" + (f": {s.value:,g} ({s.qualifier})" if s.value is not None else "")
                            + " · Enter accepts, Backspace rejects")
            selection.format = char
            selections.append(selection)
        set_overlay(view, "suggestions", selections)

    def step(self, direction: int) -> None:
        if self.items and self.pane is not None:
            self.current = (self.current + direction) % len(self.items)
            self._paint()
            self.pane.view.show_position(self.items[self.current].start)

    def accept_current(self) -> None:
        if self.items:
            self._write(lambda: accept(self.project, [self.items[self.current]], self.session.reviewer))

    def reject_current(self) -> None:
        if self.items:
            # An undo step: its change set reaches Session.changed, which refreshes this layer (Ctrl+Z offers it again)
            self._write(lambda: reject(self.project, self.items[self.current], self.session.reviewer))

    def accept_all(self) -> None:
        if self.items:
            self._write(lambda: accept(self.project, self.items, self.session.reviewer))

    def _write(self, action) -> None:
        try:
            action()
        except AnnotatorError as error:
            self.window.report_error(error, "Suggestion")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and self.pane is not None and watched is self.pane.view:
            assert isinstance(event, QKeyEvent)
            key, mods = event.key(), event.modifiers()
            ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.items:
                self.accept_all() if ctrl else self.accept_current()
                return True
            if key == Qt.Key.Key_Backspace and self.items:
                self.reject_current()
                return True
            if key == Qt.Key.Key_F4:
                self.step(-1 if mods & Qt.KeyboardModifier.ShiftModifier else 1)
                return True
        return super().eventFilter(watched, event)


class SameClaimDialog(QDialog):
    """Claims ▸ Find Same Claim Elsewhere (Ctrl+Shift+K): for the selected claim, the sentences of
    other documents that may restate it, best first, *contradicts* candidates marked in red.
    Enter (or a double click) opens the sentence in a pane; Ctrl+1 links it as the same claim,
    Ctrl+2 as contradicting it: each link tags the sentence as a claim if needed, one undo step."""

    COLUMNS = ("Score", "Relation", "Document", "Sentence")

    def __init__(self, window, claim_id: str) -> None:
        super().__init__(window)
        self.main_window = window  # not self.window: that would hide QWidget.window()
        self.project = window.project
        self.session = window.session
        self.claim_id = claim_id
        self.candidates: list[Candidate] = []
        claim = self.project.annotation(claim_id)
        self.setWindowTitle(f"Same claim elsewhere: {claim.quote[:60]}")
        self.table = QTreeWidget(self)
        self.table.setHeaderLabels(list(self.COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setColumnWidth(0, 50)
        self.table.setColumnWidth(1, 110)
        self.table.setColumnWidth(2, 160)
        self.table.itemActivated.connect(lambda _item, _col: self.open_current())
        self.empty = QLabel("No sentence elsewhere shares enough with this claim.", self)
        buttons = QDialogButtonBox(self)
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.ActionRole)
        self.same_button = buttons.addButton("Link as &Same Claim (Ctrl+1)", QDialogButtonBox.ButtonRole.ActionRole)
        self.contradicts_button = buttons.addButton("Link as &Contradicts (Ctrl+2)", QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.open_button.clicked.connect(self.open_current)
        self.same_button.clicked.connect(lambda: self.link_current("same-claim"))
        self.contradicts_button.clicked.connect(lambda: self.link_current("contradicts"))
        close.clicked.connect(self.close)
        for keys, slot in (("Ctrl+1", lambda: self.link_current("same-claim")), ("Ctrl+2", lambda: self.link_current("contradicts"))):
            QShortcut(QKeySequence(keys), self, slot)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(820, 360)
        self.refresh()

    def refresh(self) -> None:
        """Rank again (after a link the linked sentence leaves the list)."""
        self.candidates = same_claim_elsewhere(self.project, self.claim_id)
        titles = {d.id: d.title for d in self.project.documents(with_text=False)}
        self.table.clear()
        for c in self.candidates:
            item = QTreeWidgetItem([f"{c.score:.2f}", "⚠ contradicts" if c.relation == "contradicts" else "same claim",
                                    titles.get(c.document_id, c.document_id[:8]), c.text])
            item.setToolTip(3, c.text)
            if c.relation == "contradicts":
                for column in range(len(self.COLUMNS)):
                    item.setForeground(column, QColor("#b00020"))
            self.table.addTopLevelItem(item)
        if self.candidates:
            self.table.setCurrentItem(top_item(self.table, 0))
        self.empty.setVisible(not self.candidates)
        for button in (self.open_button, self.same_button, self.contradicts_button):
            button.setEnabled(bool(self.candidates))

    def current(self) -> Candidate | None:
        item = self.table.currentItem()
        row = self.table.indexOfTopLevelItem(item) if item else -1
        return self.candidates[row] if 0 <= row < len(self.candidates) else None

    def open_current(self) -> None:
        if (c := self.current()) is not None:
            self.main_window.open_at(c.document_id, c.start, c.end)

    def link_current(self, relation: str) -> None:
        if (c := self.current()) is None:
            return
        try:
            link(self.project, c, self.session.reviewer, relation)
        except AnnotatorError as error:
            self.main_window.report_error(error, "Link claim")
            return
        self.main_window.statusBar().showMessage(f"Linked as {relation}: Ctrl+Z undoes it", 5000)
        self.refresh()
