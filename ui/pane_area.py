"""The central area: document panes side by side in a splitter (open, close, reorder, focus)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QWidget

from annotator.history import Change
from ui.connectors import ConnectorOverlay
from ui.session import Session

if TYPE_CHECKING:
    from ui.document_pane import DocumentPane

MAX_PANES = 6
ZOOM_LIMIT = 12
SPARE_AFTER_OPEN_MS = 120
"""A pane's header, buttons and text widget (~10 ms) are built this long after a pane opens (after its
first frame) for the next open, which then only reads and shows its document."""
SPARE_AFTER_CLOSE_MS = 30
"""... this long after a pane closes, when nothing else is drawn ..."""
SPARE_AFTER_START_MS = 1_000
"""... and this long after the area is built (well after the window's first frame)."""


class PaneArea(QStackedWidget):
    current_changed = Signal(object)  # DocumentPane or None
    panes_changed = Signal()
    scrolled = Signal()  # a pane's text moved: its place is saved (debounced) by the window

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        hint = self.hint = QLabel()
        hint.setObjectName("Hint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(6)
        self.addWidget(hint)
        self.addWidget(self.splitter)
        self.current: DocumentPane | None = None
        self._show_hint()
        self.zoom = 0  # point-size steps from the normal text size, the same for every pane
        session.changed.connect(self._on_change)
        session.selection_changed.connect(self._on_selection)
        session.view_filter_changed.connect(self._reload_all)
        # After the panes' own change handlers, so it measures spans they have already re-filed.
        self.connectors = ConnectorOverlay(self)
        self._spare: DocumentPane | None = None  # an empty pane built in idle time, for the next open
        self._spare_timer = QTimer(self)
        self._spare_timer.setSingleShot(True)
        self._spare_timer.timeout.connect(self._build_spare)
        self._spare_timer.start(SPARE_AFTER_START_MS)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The connectors' overlay covers the area. A typed handler, not an event filter: the first
        event a Python filter is handed makes PySide6 create the type of every QEvent subclass (~50)
        to find its most derived one, ~7 ms before the first frame."""
        super().resizeEvent(event)
        self.connectors.setGeometry(self.rect())

    def panes(self) -> list[DocumentPane]:
        return [self.splitter.widget(i) for i in range(self.splitter.count())]  # type: ignore[misc]

    def pane_for(self, document_id: str) -> DocumentPane | None:
        return next((p for p in self.panes() if p.document_id == document_id), None)

    def open(self, document_id: str, focus: bool = True) -> DocumentPane | None:
        """Show a document in a new pane (or focus the pane that already shows it)."""
        pane = self.pane_for(document_id)
        if pane is None:
            if self.splitter.count() >= MAX_PANES:
                return None
            pane, self._spare = self._spare or self._empty_pane(), None
            pane.set_zoom(self.zoom)
            # In place (and at its final width) before the text goes in: the window is laid out
            # around an empty pane and the text laid out once, at the width it is drawn at.
            self.splitter.addWidget(pane)
            self.splitter.setSizes([1000] * self.splitter.count())
            self.setCurrentIndex(1)
            try:
                pane.load(document_id)
            except BaseException:  # the document is gone: no empty pane stays behind
                pane.setParent(None)
                pane.deleteLater()
                if not self.splitter.count():
                    self.setCurrentIndex(0)
                raise
            pane.activated.connect(self.set_current)
            pane.close_requested.connect(self.close_pane)
            pane.move_requested.connect(self.move)
            pane.view.verticalScrollBar().valueChanged.connect(lambda _: self.scrolled.emit())
            pane.set_linked(getattr(self.window(), "linked_ids", set()))
            self.panes_changed.emit()
            self._spare_timer.start(SPARE_AFTER_OPEN_MS)
        self.set_current(pane)
        if focus:
            pane.view.setFocus()
        return pane

    def _empty_pane(self, parent: QWidget | None = None) -> DocumentPane:
        from ui.document_pane import DocumentPane  # after the first frame: the panes open then

        return DocumentPane(self.session, parent=parent)

    def _build_spare(self) -> None:
        """Build the next pane ahead of time (a hidden child until it is opened), unless the reviewer
        is typing or scrolling: then when they pause."""
        if self._spare is not None or self.session.project.closed:
            return
        from ui import input_pause

        wait = input_pause.wait_ms()
        if wait:
            self._spare_timer.start(wait)
            return
        # A child (deleted with the area) made after the area is shown stays hidden, and no layout
        # places it; the splitter shows it when it is added (it is not hidden explicitly).
        self._spare = self._empty_pane(self)
        for widget in (self._spare, *self._spare.findChildren(QWidget)):  # the stylesheet's polish now, not when shown
            widget.ensurePolished()

    def set_zoom(self, steps: int) -> None:
        """Larger or smaller text in every pane (and in the ones opened later)."""
        self.zoom = max(-ZOOM_LIMIT, min(ZOOM_LIMIT, steps))
        for pane in self.panes():
            pane.set_zoom(self.zoom)

    def set_current(self, pane: DocumentPane | None) -> None:
        if pane is self.current:
            return
        for other in self.panes():
            other.setProperty("active", other is pane)
            other.style().unpolish(other)
            other.style().polish(other)
        self.current = pane
        self.current_changed.emit(pane)

    def close_pane(self, pane: DocumentPane | None = None) -> None:
        pane = pane or self.current
        if pane is None:
            return
        panes = self.panes()
        index = panes.index(pane)
        pane.view.stop_background()
        if self._spare is None:
            self._spare_timer.start(SPARE_AFTER_CLOSE_MS)
        pane.setParent(None)
        pane.deleteLater()
        rest = self.panes()
        if not rest:
            self.setCurrentIndex(0)
            self.current = None
            self.current_changed.emit(None)
        else:
            self.current = None
            following = rest[min(index, len(rest) - 1)]
            self.set_current(following)
            following.view.setFocus()
        self.panes_changed.emit()

    def shift(self, pane: DocumentPane | None, direction: int) -> None:
        """Move ``pane`` (or the current one) one place left (-1) or right (+1) among the panes."""
        pane = pane or self.current
        if pane is None:
            return
        index = self.splitter.indexOf(pane)
        target = index + direction
        if 0 <= target < self.splitter.count():
            sizes = self.splitter.sizes()
            self.splitter.insertWidget(target, pane)
            self.splitter.setSizes(sizes)
            pane.view.setFocus()
            self.panes_changed.emit()

    def cycle(self, direction: int) -> None:
        panes = self.panes()
        if not panes:
            return
        index = panes.index(self.current) if self.current in panes else 0
        pane = panes[(index + direction) % len(panes)]
        self.set_current(pane)
        pane.view.setFocus()

    def _show_hint(self) -> None:
        """What to do when no pane is open: import (an empty project) or open from the list."""
        if self.session.project.counts()["documents"] == 0:
            self.hint.setText("This project has no documents yet.\n\nFile ▸ Import Documents… (Ctrl+I),\n"
                              "or drop .txt, .html, .docx, .pdf files on this window.")
        else:
            self.hint.setText("No document open. Open one from the list on the left:\n"
                              "double-click it, or select it and press Enter.\n\nOpen more to read them side by side.")

    def _on_change(self, change: Change) -> None:
        if change.of("documents") and not self.splitter.count():
            self._show_hint()
        deleted = {row["id"] for row in change.of("documents").removed}
        for pane in self.panes():
            if pane.document_id in deleted:
                self.close_pane(pane)
            else:
                pane.apply_change(change)

    def _reload_all(self, _filter: str) -> None:
        for pane in self.panes():
            pane.reload()

    @contextmanager
    def painting_once(self) -> Iterator[None]:
        """Every pane repaints each paragraph once for what happens inside (a key press that changes
        spans and then the selection), not once per step."""
        with ExitStack() as stack:
            for pane in self.panes():
                stack.enter_context(pane.view.highlighter.batched())
            yield

    def _on_selection(self, annotation_id: str | None) -> None:
        for pane in self.panes():
            pane.set_selected(annotation_id)
