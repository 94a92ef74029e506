"""One document in the workspace: a header (title, metadata, status, pane controls) over its text.

The pane keeps its highlights in step with the project by applying each change's annotation
rows to its span index and repainting only the blocks they touch.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent, QTextDocumentFragment
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.annotations import placeable
from annotator.defaults import DOCUMENT_STATUSES
from annotator.errors import AnnotatorError, NotFoundError
from annotator.history import Change
from annotator.layers import layer_text, readable_attributes
from annotator.models import Document
from ui.document_view import EAGER_CHARACTERS, DocumentView
from ui.find_bar import FindBar
from ui.session import Session
from ui.span_index import PaintedSpan


class ElidedLabel(QLabel):
    """One line of plain text cut with … to fit its width; the whole text is the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, max(self.width(), 40)))


class MetaLabel(QLabel):
    """The pane's metadata line: outlet and date first (what tells panes apart), then author and length,
    and a link to the source. Cut with … to its width like the title: a rich-text QLabel would be clipped
    mid-word instead, under the status box. What goes first as the room shrinks: the link and the rest
    (the URL stays in the tooltip), then the end of a long outlet's name, so the date stays whole."""

    SEPARATOR = " · "

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts: list[str] = []
        self.essential = 0
        self.url = ""
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_parts(self, parts: list[str], essential: int, url: str | None) -> None:
        """``parts`` in the order shown; the first ``essential`` of them (outlet, date) are cut last."""
        self.parts = parts
        self.essential = essential
        self.url = url or ""
        self._elide()

    @property
    def full_text(self) -> str:
        """The whole line as plain text (what the line shows when it has room)."""
        return self.SEPARATOR.join(self.parts) + (f"{self.SEPARATOR}source" if self.url else "")

    def shown_text(self) -> str:
        """The line as painted, as plain text (without its bidi isolates)."""
        return QTextDocumentFragment.fromHtml(self.text()).toPlainText().replace("\u2068", "").replace("\u2069", "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _fit(self, width: int) -> tuple[str, bool]:
        """The plain text that fits ``width`` pixels, and whether the source link fits after it. Each part
        is a bidi isolate: an Arabic outlet keeps its own direction without turning the line around or
        reordering the date beside it (every pane's line reads outlet, date, ... from the left)."""
        metrics = self.fontMetrics()
        parts = [f"\u2068{part}\u2069" for part in self.parts]
        plain = self.SEPARATOR.join(parts)
        essential = self.SEPARATOR.join(parts[:self.essential])
        more = "…" if essential != plain else ""
        link = metrics.horizontalAdvance(f"{self.SEPARATOR}source") if self.url else 0
        if metrics.horizontalAdvance(plain) + link <= width:
            return plain, bool(self.url)
        if self.url and metrics.horizontalAdvance(essential + more) + link <= width:
            return metrics.elidedText(plain, Qt.TextElideMode.ElideRight, width - link), True
        if metrics.horizontalAdvance(essential + more) <= width or self.essential < 2:
            return metrics.elidedText(plain, Qt.TextElideMode.ElideRight, width), False
        # Too narrow for the outlet and the date: the outlet's name is cut, the date stays whole
        tail = self.SEPARATOR + self.SEPARATOR.join(parts[1:self.essential])
        room = width - metrics.horizontalAdvance(tail)
        if room < metrics.horizontalAdvance(self.parts[0][:6] + "…"):
            return metrics.elidedText(plain, Qt.TextElideMode.ElideRight, width), False
        return metrics.elidedText(parts[0], Qt.TextElideMode.ElideRight, room) + tail, False

    def _elide(self) -> None:
        # rich text lays out with a pixel or two more than the metrics say
        shown, with_link = self._fit(max(self.width(), 40) - 2)
        text = html.escape(shown)
        if with_link:
            text += f'{html.escape(self.SEPARATOR)}<a href="{html.escape(self.url)}">source</a>'
        self.setText(text)


class PaneHeader(QWidget):
    """The title's line over the metadata beside the status box and pane buttons. When the pane is too
    narrow to leave the metadata ``BESIDE_CHARACTERS`` beside those (three panes on a 1280 px screen leave
    none), the controls go to a line of their own. Decided by width alone, not by each pane's outlet, so
    panes side by side keep headers of one height and their texts start level."""

    BESIDE_CHARACTERS = 28
    """Room for "The Cradle · 2025-03-11 · G…": a longer outlet is cut at its end, the date stays whole."""

    def __init__(self, title: ElidedLabel, meta: MetaLabel, controls: QWidget) -> None:
        super().__init__()
        self.setObjectName("PaneHeader")
        self.meta = meta
        self.controls = controls
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.row.setSpacing(4)
        self.row.addWidget(meta, 1)
        self.row.addWidget(controls, 0, Qt.AlignmentFlag.AlignRight)
        self.column = layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(title)
        layout.addLayout(self.row)

    @property
    def stacked(self) -> bool:
        """The controls are on a line of their own."""
        return self.row.direction() == QBoxLayout.Direction.TopToBottom

    def arrange(self) -> None:
        """Controls beside the metadata when that leaves it room enough, else below it."""
        margins = self.column.contentsMargins()
        room = self.width() - margins.left() - margins.right() - self.row.spacing() - self.controls.sizeHint().width()
        beside = room >= self.BESIDE_CHARACTERS * self.meta.fontMetrics().averageCharWidth()
        direction = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if self.row.direction() != direction:
            self.row.setDirection(direction)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()


class DocumentPane(QFrame):
    activated = Signal(object)  # the pane
    close_requested = Signal(object)
    move_requested = Signal(object, int)  # pane, -1 left / +1 right
    defers_docks = True  # see ui/dock_updates.py
    document: Document  # set by ``load``

    def __init__(self, session: Session, document_id: str | None = None, parent: QWidget | None = None) -> None:
        """A pane showing ``document_id``; without one, an empty pane built ahead of time (the pane
        area keeps one spare in idle time) that ``load`` fills once it is in place."""
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.document_id = document_id or ""
        self.setObjectName("DocumentPane")
        self.setFrameShape(QFrame.Shape.StyledPanel)

        # One line each, elided to the pane's width (the full title and metadata are the tooltip): a
        # narrow pane keeps its outlet and date, not a header of one word per line.
        self.title = ElidedLabel()
        self.title.setObjectName("PaneTitle")
        self.meta = MetaLabel()
        self.meta.setObjectName("PaneMeta")
        self.status = QComboBox()
        self.status.addItems(list(DOCUMENT_STATUSES))
        self.status.setToolTip("Document status")
        self.status.activated.connect(self._status_chosen)
        controls = QWidget()
        controls_layout = QHBoxLayout(controls)
        controls_layout.setContentsMargins(0, 0, 0, 0)
        controls_layout.setSpacing(2)
        controls_layout.addWidget(self.status)
        for text, tip, slot in (
            ("◀", "Move this pane left", lambda: self.move_requested.emit(self, -1)),
            ("▶", "Move this pane right", lambda: self.move_requested.emit(self, 1)),
            ("✕", "Close this pane (Ctrl+W)", lambda: self.close_requested.emit(self)),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            controls_layout.addWidget(button)
        self.header = PaneHeader(self.title, self.meta, controls)
        header = self.header

        self.view = DocumentView()
        self.base_point_size = self.view.font().pointSizeF()
        self.view.describe = self._describe
        self.view.settled = self._prepare_to_annotate
        self.view.annotation_clicked.connect(self._clicked)
        self.view.step_requested.connect(self.step)
        self.view.focused.connect(lambda: self.activated.emit(self))
        self._find_bar: FindBar | None = None  # built on first use (find_bar)

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(header)
        self._layout.addWidget(self.view, 1)

        if document_id is not None:
            self.load(document_id)

    def load(self, document_id: str) -> None:
        """Show a document in this (empty) pane: its header, its text and spans. Done after the pane is
        added to the window, so the text goes in at the pane's final width (no second layout)."""
        self.document_id = document_id
        self.document = self.project.document(document_id)
        self._show_header()
        self.reload()

    @property
    def find_bar(self) -> FindBar:
        """Find in this document (Ctrl+F), between the header and the text: its dozen widgets are
        built when it is first asked for, not on every open (most panes never search)."""
        if self._find_bar is None:
            self._find_bar = FindBar(self.view)
            self._layout.insertWidget(1, self._find_bar)
        return self._find_bar

    # -- content ---------------------------------------------------------------------------------

    def _show_header(self) -> None:
        d = self.document
        title = d.title or "(untitled)"
        leading = [p for p in (d.outlet, d.published) if p]  # what tells one outlet's pane from another's
        parts = [*leading, *(p for p in (d.author,) if p), f"{len(d.text):,} characters"]
        self.meta.set_parts(parts, len(leading) or 1, d.url)
        self.title.set_full_text(title)
        tip = "\n".join(line for line in (title, MetaLabel.SEPARATOR.join(parts), d.url) if line)
        for widget in (self.title, self.meta, self.header):
            widget.setToolTip(tip)
        self.header.arrange()
        self.status.setCurrentText(d.status)

    def set_zoom(self, steps: int) -> None:
        font = QFont(self.view.font())
        font.setPointSizeF(max(6.0, self.base_point_size + steps))
        self.view.setFont(font)

    def top_offset(self) -> int:
        """The code point at the top left of the text shown: where the reader is."""
        return self.view.offsets.from_qt(self.view.cursorForPosition(QPoint(0, 0)).position())

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that ``offset`` is at the top, without moving the caret or the selection."""
        offset = max(0, min(offset, len(self.document.text)))
        position = self.view.offsets.to_qt(offset)
        block = self.view.document().findBlock(position)
        self.view.document().documentLayout().blockBoundingRect(block)  # lays the block out if it is not yet
        line = block.layout().lineForTextPosition(position - block.position())  # a long paragraph wraps: its line
        bar = self.view.verticalScrollBar()
        self.view.holding = True  # the bottom is passed through, not shown: its spans are not read for it
        try:
            bar.setValue(bar.maximum())  # from the bottom, so the block can end up at the top
            bar.setValue(block.firstLineNumber() + max(0, line.lineNumber()))
        finally:
            self.view.holding = False
        self.view.paint_visible()

    def _painted(self, row: dict[str, Any]) -> PaintedSpan:
        return self.view.painted(row["id"], row["start"], row["end"], row["label_id"], row["annotator"], row["layer"])

    def _colors(self) -> dict[str, str]:
        return {label.id: label.color for label in self.project.labels(kind=None)}

    def reload(self) -> None:
        """Read the document's annotations again (on open, and when the view filter changes)."""
        shows = self.session.shows
        text = self.document.text

        def spans(first: int, before: int | None) -> list[tuple[str, int, int, str, str, str]]:
            rows = self.project.span_rows(self.document_id, first, before)
            return [row for row in rows if shows(row[5], row[4])]

        self.view.highlighter.selected = self.session.selected
        self.view.highlighter.set_owner_colors(self.session.owner_colors if self.session.several_layers else None)
        eager = EAGER_CHARACTERS if len(text) > EAGER_CHARACTERS else None
        rest = spans if eager else None
        self.view.set_content(text, spans(0, eager), self._colors(), rest)

    def _prepare_to_annotate(self) -> None:
        """Idle time once the open is painted: read what the first add, delete and undo would read
        (the text, the schema, the statements), so the reviewer's first key press does not wait for it."""
        if self.project.closed:
            return
        try:
            self.project.prepare_to_annotate(self.document_id, self.session.reviewer)
        except AnnotatorError:  # deleted meanwhile: the press itself will say so
            pass

    def apply_change(self, change: Change) -> None:
        """Bring highlights and header up to date with one change from the project."""
        if self.document_id in {after["id"] for _, after in change.of("documents").updated}:
            self.document = self.project.document(self.document_id)
            self._show_header()
        if change.of("labels"):
            self.view.highlighter.set_colors(self._colors())
            self.view.highlighter.rehighlight()
        edits = change.of("annotations")
        repaint: set[int] = set()
        for row in edits.removed:
            if row["document_id"] == self.document_id:
                repaint.update(self.view.index.remove(row["id"]))
        for row in (*edits.added, *(after for _, after in edits.updated)):
            if row["document_id"] != self.document_id:
                continue
            if self.session.visible(row) and placeable(row):
                repaint.update(self.view.index.add(self._painted(row)))
            else:
                repaint.update(self.view.index.remove(row["id"]))
        if repaint:
            self.view.highlighter.repaint_blocks(range(min(repaint), max(repaint) + 1))

    def snapshot(self) -> object:
        """The header and every highlighted span (with its colour)."""
        self.view.complete()
        colors = self.view.highlighter.colors
        spans = tuple(sorted((s.id, s.start, s.end, s.label_id, s.annotator, colors[s.label_id].name() if s.label_id in colors
                              else "") for s in self.view.index.spans.values()))
        return self.title.full_text, self.meta.full_text, self.status.currentText(), spans

    def annotation_ids(self) -> list[str]:
        self.view.complete()
        return [s.id for s in self.view.index.ordered()]

    def count(self) -> int:
        self.view.complete()
        return len(self.view.index.spans)

    # -- selection -------------------------------------------------------------------------------

    def set_selected(self, annotation_id: str | None, scroll: bool = False) -> None:
        if scroll:
            self.view.complete()
        index = self.view.index
        highlighter = self.view.highlighter
        old = highlighter.selected
        highlighter.selected = annotation_id
        blocks: set[int] = set()  # the old and the new selection often share a paragraph: painted once
        for span_id in (old, annotation_id):
            if span_id and span_id in index.spans:
                blocks.update(index.blocks_of(index.spans[span_id]))
        highlighter.repaint_blocks(sorted(blocks))
        if scroll and annotation_id in index.spans:
            self.view.show_position(self.view.offsets.from_qt(index.spans[annotation_id].start))

    def set_linked(self, ids: set[str]) -> None:
        """Emphasise a set of annotations (an entity's mentions)."""
        highlighter = self.view.highlighter
        touched = (highlighter.linked | ids) & set(self.view.index.spans)
        highlighter.linked = set(ids)
        for span_id in touched:
            highlighter.repaint_blocks(self.view.index.blocks_of(self.view.index.spans[span_id]))

    def _clicked(self, annotation_id: str | None) -> None:
        self.activated.emit(self)
        self.session.select(annotation_id)

    def step(self, direction: int) -> None:
        """Select the next (or previous) annotation in reading order, wrapping around."""
        self.view.complete()
        ordered = self.view.index.ordered()
        if not ordered:
            return
        ids = [s.id for s in ordered]
        current = self.session.selected
        if current in ids:
            position = (ids.index(current) + direction) % len(ids)
        else:
            caret = self.view.textCursor().position()
            after = [i for i, s in enumerate(ordered) if s.start >= caret]
            position = (after[0] if after else 0) if direction > 0 else ((after[0] - 1) if after else len(ids) - 1)
        self.session.select(ids[position])
        self.set_selected(ids[position], scroll=True)

    def _status_chosen(self, index: int) -> None:
        status = self.status.itemText(index)
        if status != self.document.status:
            self.project.set_document_status(self.document_id, status)

    def _describe(self, ids: list[str]) -> str:
        lines = []
        for annotation_id in ids[:4]:
            try:
                a = self.project.annotation(annotation_id)
            except NotFoundError:  # deleted under the mouse: no tooltip for it
                continue
            attrs = "".join(f"<br>&nbsp;&nbsp;{html.escape(k)}: {html.escape(v, quote=False)}"
                            for k, v in readable_attributes(self.project, a))  # no raw ids (source_annotation)
            note = f"<br><i>{html.escape(a.note)}</i>" if a.note else ""
            lines.append(f"<b>{html.escape(a.label)}</b> · {html.escape(layer_text(a))}<br>“{html.escape(a.quote)}”{attrs}{note}")
        return "<hr>".join(lines)
