"""Find in one pane (Ctrl+F): incremental, every hit highlighted, F3 / Shift+F3, match case, whole
word, regular expression; Esc closes. Matching is ``annotator.find``'s, in code points."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget

from annotator.find import FindOptions, PatternError, find_all
from ui.document_view import DocumentView
from ui.overlays import set_overlay

MAX_HITS = 10_000
"""More hits than anyone steps through; highlighting more would only slow typing down."""

HIT = QColor("#fff1a8")
CURRENT = QColor("#ffb74d")


class FindField(QLineEdit):
    """Enter: next hit, Shift+Enter: previous, Esc: close."""

    step = Signal(int)
    close_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step.emit(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
        elif event.key() == Qt.Key.Key_Escape:
            self.close_requested.emit()
        else:
            super().keyPressEvent(event)


def _toggle(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setCheckable(True)
    button.setAutoRaise(True)
    return button


class FindBar(QWidget):
    def __init__(self, view: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FindBar")
        self.view = view
        self.hits: list[tuple[int, int]] = []
        self.current = -1
        self.field = FindField()
        self.field.setPlaceholderText("Find in this document")
        self.field.textChanged.connect(self.search)
        self.field.step.connect(self.step)
        self.field.close_requested.connect(self.close_bar)
        # Compact toggles, so the field keeps its room in a narrow pane on a laptop screen.
        self.case = _toggle("Aa", "Match case")
        self.word = _toggle("W", "Whole words only")
        self.regex = _toggle(".*", "Regular expression")
        self.field.setMinimumWidth(140)
        for box in (self.case, self.word, self.regex):
            box.toggled.connect(self.search)
        self.count = QLabel()
        self.count.setObjectName("FindCount")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        layout.addWidget(self.field, 1)
        for box in (self.case, self.word, self.regex):
            layout.addWidget(box)
        layout.addWidget(self.count)
        for text, tip, direction in (("▲", "Previous (Shift+F3)", -1), ("▼", "Next (F3)", 1)):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, d=direction: self.step(d))
            layout.addWidget(button)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.setAutoRaise(True)
        close.clicked.connect(self.close_bar)
        layout.addWidget(close)
        self.hide()

    def options(self) -> FindOptions:
        return FindOptions(case=self.case.isChecked(), whole_word=self.word.isChecked(), regex=self.regex.isChecked())

    def open_bar(self) -> None:
        """Show and focus the field, starting from the view's selection when it is on one line."""
        selected = self.view.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self.search()

    def close_bar(self) -> None:
        self.hide()
        self.hits, self.current = [], -1
        set_overlay(self.view, "find", [])
        self.view.setFocus()

    def search(self) -> None:
        """Find every hit again (on each keystroke and option change) and show the one at or after the caret."""
        try:
            self.hits = find_all(self.view.text, self.field.text(), self.options(), limit=MAX_HITS)
        except PatternError as error:
            self.hits = []
            self._paint()
            self.count.setText("bad pattern")
            self.count.setToolTip(str(error))
            return
        self.count.setToolTip("")
        caret = self.view.offsets.from_qt(self.view.textCursor().selectionStart())
        self.current = next((i for i, (start, _) in enumerate(self.hits) if start >= caret), 0) if self.hits else -1
        self._paint()

    def step(self, direction: int) -> None:
        """F3 / Shift+F3: the next or previous hit, wrapping around."""
        if not self.isVisible():
            self.open_bar()
            return
        if not self.hits:
            return
        self.current = (self.current + direction) % len(self.hits)
        self._paint()

    def _paint(self) -> None:
        selections = []
        for i, (start, end) in enumerate(self.hits):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.view.document())
            start16, end16 = self.view.offsets.span_to_qt(start, end)
            cursor.setPosition(start16)
            cursor.setPosition(end16, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            char = QTextCharFormat()
            char.setBackground(CURRENT if i == self.current else HIT)
            selection.format = char
            selections.append(selection)
        set_overlay(self.view, "find", selections)
        if not self.field.text():
            self.count.setText("")
        elif not self.hits:
            self.count.setText("No match")
        else:
            more = "+" if len(self.hits) >= MAX_HITS else ""
            self.count.setText(f"{self.current + 1} of {len(self.hits)}{more}")
            start, end = self.hits[self.current]
            self.view.select_text(start, end)
            self.view.centerCursor()
            self.view.paint_visible()
