"""The inspector dock: the selected annotation's label, quote, attributes (as inputs that fit
their type), note and reviewer. Each edit is one undoable change, written at once."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDoubleValidator, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError, NotFoundError
from annotator.history import Change
from annotator.layers import layer_text, source_text
from annotator.models import Annotation
from ui.session import Session
from ui.view import follow

if TYPE_CHECKING:  # the frame proposals (periods, victims, sources) are imported when first used, not at start-up
    from annotator.figure_frame import FrameProposal

NOTE_SAVE_MS = 600


def _number(text: str) -> int | float | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


class Inspector(QWidget):
    error = Signal(str)
    link_requested = Signal()
    entity_requested = Signal()
    jump_requested = Signal(str)  # another annotation's id (a link's other end)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.annotation: Annotation | None = None
        self.editors: dict[str, QWidget] = {}
        self._form_key: tuple[str, str] | None = None
        self._form_id: str | None = None
        self._linked: set[str] = set()  # the other ends of the links shown: their quotes are shown too
        self._documents: set[str] = set()  # documents whose titles the links show

        self.empty = QLabel("Select an annotation to see and edit it.\nSelect text and press 1–9 to make one.")
        self.empty.setObjectName("Hint")
        self.empty.setWordWrap(True)
        self.label = QComboBox()
        self.label.setToolTip("Relabel (Ctrl+1…9)")
        self.label.activated.connect(self._relabel)
        self.quote = QLabel()
        self.quote.setObjectName("Quote")
        self.quote.setWordWrap(True)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where = QLabel()
        self.where.setObjectName("PaneMeta")
        self.attributes = QFormLayout()
        self.attributes.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Note (saved as you type; Tab moves on)")
        self.note.setMaximumHeight(90)
        self.note.setTabChangesFocus(True)
        self.note.installEventFilter(self)
        # Saved a moment after the typing stops: one undo step per burst of typing, not per key,
        # and nothing lost if the app is killed with the caret still in the box.
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_MS)
        self._note_timer.timeout.connect(self._save_note)
        self.note.textChanged.connect(self._note_typed)
        self.entity = QLabel()
        self.entity.setObjectName("PaneMeta")
        self.entity_button = QPushButton("Link entity…")
        self.entity_button.setToolTip("Link this actor to a canonical entity (Ctrl+E)")
        self.entity_button.clicked.connect(self.entity_requested)
        entity_row = QHBoxLayout()
        entity_row.addWidget(self.entity, 1)
        entity_row.addWidget(self.entity_button)
        self.entity_box = QWidget()
        self.entity_box.setLayout(entity_row)
        entity_row.setContentsMargins(0, 0, 0, 0)
        self.links = QListWidget()
        self.links.setMaximumHeight(110)
        # A link wraps to the dock's width (the whole also in the item's tooltip), not a list that
        # scrolls sideways: a link into another document carries its title.
        self.links.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.links.setWordWrap(True)
        self.links.setResizeMode(QListView.ResizeMode.Adjust)
        self.links.setToolTip("Double-click to go to the other end; Delete removes the link")
        self.links.itemActivated.connect(lambda item: self.jump_requested.emit(item.data(Qt.ItemDataRole.UserRole + 1)))
        self.links.installEventFilter(self)
        add_link = QPushButton("Add link…")
        add_link.setToolTip("Attribute to an actor, or mark the same claim in another article (Ctrl+K)")
        add_link.clicked.connect(self.link_requested)
        remove_link = QPushButton("Remove link")
        remove_link.clicked.connect(self._remove_link)
        link_buttons = QHBoxLayout()
        link_buttons.addWidget(add_link)
        link_buttons.addWidget(remove_link)
        self._proposal: FrameProposal | None = None
        self.proposed = QLabel()
        self.proposed.setObjectName("PaneMeta")
        self.proposed.setWordWrap(True)
        self.accept_button = QPushButton("Accept proposal")
        self.accept_button.setToolTip("Store the proposed victims, period and source as one undoable step (Ctrl+J)")
        self.accept_button.clicked.connect(self.accept_proposal)
        proposal_row = QVBoxLayout()
        proposal_row.setContentsMargins(0, 0, 0, 0)
        proposal_row.addWidget(self.proposed)
        proposal_row.addWidget(self.accept_button)
        self.proposal_box = QWidget()
        self.proposal_box.setLayout(proposal_row)
        self.accept_shortcut = QShortcut(QKeySequence("Ctrl+J"), self, context=Qt.ShortcutContext.WindowShortcut)
        self.accept_shortcut.activated.connect(self.accept_proposal)
        self.delete = QPushButton("Delete annotation")
        self.delete.setToolTip("Delete")
        self.delete.clicked.connect(self._delete)

        self.body = QWidget()
        form = QFormLayout(self.body)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Label", self.label)
        form.addRow(self.quote)
        form.addRow(self.where)
        form.addRow(self.attributes)
        form.addRow("Proposed", self.proposal_box)
        form.addRow("Note", self.note)
        form.addRow("Entity", self.entity_box)
        form.addRow("Links", self.links)
        form.addRow(link_buttons)
        form.addRow(self.delete)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.empty)
        layout.addWidget(self.body)
        layout.addStretch(1)
        session.selection_changed.connect(session.docks.deferred(self.show_annotation, self))
        follow(session, self)
        self.show_annotation(None)

    # -- showing -------------------------------------------------------------------------------

    def show_annotation(self, annotation_id: str | None) -> None:
        self._save_note()
        try:
            self.annotation = self.project.annotation(annotation_id) if annotation_id else None
        except NotFoundError:
            self.annotation = None
        self.empty.setVisible(self.annotation is None)
        self.body.setVisible(self.annotation is not None)
        if self.annotation is not None:
            self._fill()

    def _fill(self) -> None:
        a = self.annotation
        assert a is not None
        labels = self.project.labels()
        self.label.blockSignals(True)
        items = [(label.name, label.id) for label in labels]
        if items != [(self.label.itemText(i), self.label.itemData(i)) for i in range(self.label.count())]:
            self.label.clear()  # only when the labels changed: refilling on every selection relaid the form out
            for name, label_id in items:
                self.label.addItem(name, label_id)
        self.label.setCurrentIndex(max(0, self.label.findData(a.label_id)))
        self.label.blockSignals(False)
        self.quote.setText(f"“{html.escape(a.quote)}”")
        layer = layer_text(a) if a.layer == "gold" else f"by {a.annotator}"
        self.where.setText(f"{a.start}–{a.end} · {layer} · {a.updated_at[:16].replace('T', ' ')}")
        self.where.setToolTip(source_text(self.project, a) or "")  # "gold copy of ana's Actor “SOHR”", never the id
        label = next(label for label in self.project.labels(kind=None) if label.id == a.label_id)
        form_key = (a.label_id, repr(label.attributes))  # same schema: reuse the editors (building widgets is slow)
        editing = self._form_id != a.id and any(editor.hasFocus() for editor in self.editors.values())
        if self._form_key != form_key or editing:  # an editor with focus holds the last annotation's typing: a new form
            self._build_attribute_form(label)
            self._form_key = form_key
        self._form_id = a.id
        for name, editor in self.editors.items():
            self._set_value(editor, a.attributes.get(name))
        if not self.note.hasFocus():
            self.note.setPlainText(a.note or "")
        self._fill_entity_and_links()
        self._fill_proposal()

    def _fill_proposal(self) -> None:
        """The frame proposed from the sentence (figures: victims, period; figures and claims: source),
        shown in its own box and as the empty editors' placeholders; Ctrl+J accepts it."""
        a = self.annotation
        assert a is not None
        proposal = None
        if self.project.role_of(a.label_id) in ("figure", "claim"):
            from annotator.figure_frame import propose_frame

            try:
                proposal = propose_frame(self.project, a.id)
            except AnnotatorError:
                proposal = None
        self._proposal = proposal if proposal else None
        attributes = self._proposal.attributes if self._proposal else {}
        for name, editor in self.editors.items():
            proposed = attributes.get(name)
            if isinstance(editor, QLineEdit):
                editor.setPlaceholderText(f"{proposed} (proposed)" if proposed else
                                          "a number" if isinstance(editor.validator(), QDoubleValidator) else "")
            elif isinstance(editor, QComboBox) and editor.count():
                editor.setItemText(0, f"{proposed} (proposed)" if proposed else "")
        lines = []
        if "victims" in attributes:
            lines.append(f"victims: <b>{html.escape(attributes['victims'])}</b>")
        if "period-start" in attributes:
            span = attributes["period-start"]
            if attributes.get("period-end") != span:
                span += f" – {attributes.get('period-end')}"
            lines.append(f"period: <b>{html.escape(span)}</b> (“{html.escape(attributes.get('period', ''))}”)")
        source = self._proposal.source if self._proposal else None
        if source is not None:
            lines.append(f"source: <b>{html.escape(source.entity_name)}</b> (“{html.escape(source.evidence)}”)")
        self.proposed.setText("<br>".join(lines))
        self.proposal_box.setVisible(bool(lines))
        self.accept_shortcut.setEnabled(bool(lines))

    def accept_proposal(self) -> None:
        """Store the shown proposal (one undo step); the form refills from the change."""
        if self.annotation is None or self._proposal is None:
            return
        try:
            from annotator.figure_frame import accept_frame

            accept_frame(self.project, self.annotation.id, self.session.reviewer, self._proposal)
        except AnnotatorError as error:
            self.error.emit(str(error))

    def _fill_entity_and_links(self) -> None:
        a = self.annotation
        assert a is not None
        if a.entity_id:
            try:
                entity = self.project.entity(a.entity_id)
                self.entity.setText(f"<b>{html.escape(entity.name)}</b> ({html.escape(entity.type)})")
            except NotFoundError:
                self.entity.setText("—")
        else:
            self.entity.setText("— (Ctrl+E to link)" if self.project.role_of(a.label_id) == "actor" else "—")
        self.links.clear()
        self._linked = set()
        self._documents = {a.document_id}
        relations = self.project.relations(annotation_id=a.id)
        # Titles only for links into other documents (reading every document on each selection cost an edit ~10 ms).
        titles = {d.id: d.title for d in self.project.documents(with_text=False)} if relations else {}
        for relation in relations:
            outgoing = relation.source_id == a.id
            other_id = relation.target_id if outgoing else relation.source_id
            try:
                other = self.project.annotation(other_id)
            except NotFoundError:
                continue
            self._linked.add(other.id)
            self._documents.add(other.document_id)
            where = "" if other.document_id == a.document_id else f" — {titles.get(other.document_id, '')}"
            arrow = "→" if outgoing else "←"
            item = QListWidgetItem(f"{arrow} {relation.label}: “{' '.join(other.quote.split())}”{where}")
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, relation.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, other.id)
            self.links.addItem(item)

    def _remove_link(self) -> None:
        item = self.links.currentItem()
        if item is not None:
            self.project.delete_relation(item.data(Qt.ItemDataRole.UserRole))

    def _build_attribute_form(self, label) -> None:
        while self.attributes.rowCount():
            self.attributes.removeRow(0)
        self.editors = {}
        for definition in label.attributes:
            name, kind = definition["name"], definition.get("type", "text")
            editor: QWidget
            if kind == "choice":
                editor = QComboBox()
                editor.addItem("", None)
                for choice in definition.get("choices", []):
                    editor.addItem(str(choice), choice)
                editor.setProperty("choices", editor.count())  # items past these: another annotation's own value
                editor.activated.connect(lambda _=0, n=name: self._commit(n))
            elif kind == "boolean":
                editor = QCheckBox()
                editor.toggled.connect(lambda _=False, n=name: self._commit(n))
            else:
                editor = QLineEdit()
                if kind == "number":
                    editor.setValidator(QDoubleValidator())
                    editor.setPlaceholderText("a number")
                elif kind == "date":
                    editor.setPlaceholderText("YYYY-MM-DD or a period")
                editor.editingFinished.connect(lambda n=name: self._commit(n))
            editor.setToolTip(definition.get("description", ""))
            self.editors[name] = editor
            self.attributes.addRow(name, editor)

    @staticmethod
    def _set_value(editor: QWidget, value: Any) -> None:
        editor.blockSignals(True)
        if isinstance(editor, QComboBox):
            while editor.count() > (editor.property("choices") or 0):
                editor.removeItem(editor.count() - 1)
            index = editor.findData(value)
            if index < 0 and value not in (None, ""):
                editor.addItem(str(value), value)
                index = editor.count() - 1
            editor.setCurrentIndex(max(index, 0))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QLineEdit) and not editor.hasFocus():
            editor.setText("" if value is None else str(value))
        editor.blockSignals(False)

    @staticmethod
    def _get_value(editor: QWidget, kind: str) -> Any:
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        assert isinstance(editor, QLineEdit)
        return _number(editor.text()) if kind == "number" else (editor.text().strip() or None)

    # -- editing -------------------------------------------------------------------------------

    def _kind(self, name: str) -> str:
        a = self.annotation
        assert a is not None
        label = self.project.label(a.label_id)
        return next((d.get("type", "text") for d in label.attributes if d["name"] == name), "text")

    def _commit(self, name: str) -> None:
        if self.annotation is None:
            return
        try:
            value = self._get_value(self.editors[name], self._kind(name))
        except ValueError:
            self.error.emit(f"{name}: not a number")
            return
        attributes = dict(self.annotation.attributes)
        if value in (None, "") and name in attributes:
            del attributes[name]
        elif value not in (None, ""):
            attributes[name] = value
        if attributes != self.annotation.attributes:
            self._apply(attributes=attributes)

    def _relabel(self, index: int) -> None:
        if self.annotation is not None and self.label.itemData(index) != self.annotation.label_id:
            self._apply(label=self.label.itemData(index))

    def _note_typed(self) -> None:
        if self.note.hasFocus() and self.annotation is not None:
            self._note_timer.start()

    def _save_note(self) -> None:
        self._note_timer.stop()
        if self.annotation is None:
            return
        note = self.note.toPlainText().strip() or None
        if note != self.annotation.note:
            self._apply(note=note)

    def _apply(self, **changes: Any) -> None:
        assert self.annotation is not None
        try:
            self.annotation = self.project.update_annotation(self.annotation.id, **changes)
        except NotFoundError:  # deleted meanwhile (undo): nothing left to edit
            self.annotation = None
        except AnnotatorError as error:
            self.error.emit(str(error))

    def _delete(self) -> None:
        if self.annotation is not None:
            self.project.delete_annotation(self.annotation.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self._save_note()
        if watched is self.links and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # Delete here removes the link, not the annotation
                else:
                    self._remove_link()
                return True
        return super().eventFilter(watched, event)

    def apply_change(self, change: Change) -> None:
        """Refill when the change touched the annotation shown, a linked one, its entity, a linked
        document's title or the labels; clear when the annotation shown was deleted."""
        a = self.annotation
        if a is None:
            return
        if a.id in {row["id"] for row in change.of("annotations").removed}:
            self.show_annotation(None)
            return
        touched = change.touched_annotations() & ({a.id} | self._linked)
        labels = bool(change.of("labels"))
        if not (touched or labels or a.entity_id in change.ids("entities") or change.of("documents").ids & self._documents):
            return
        try:
            self.annotation = self.project.annotation(a.id)
        except NotFoundError:
            self.show_annotation(None)
            return
        if labels:
            self._form_key = None
        self._fill()

    def snapshot(self) -> object:
        """The fields shown: label choices, quote, position, attribute values, note, entity, links."""
        if self.annotation is None:
            return None
        values: list[tuple[str, object]] = []
        for name, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                values.append((name, editor.currentText()))
            elif isinstance(editor, QCheckBox):
                values.append((name, editor.isChecked()))
            else:
                assert isinstance(editor, QLineEdit)
                values.append((name, editor.text()))
        labels = tuple(self.label.itemText(i) for i in range(self.label.count()))
        links = tuple(self.links.item(i).text() for i in range(self.links.count()))
        return (self.annotation.id, labels, self.label.currentText(), self.quote.text(), self.where.text(), tuple(values),
                self.note.toPlainText(), self.entity.text(), links, self.proposed.text())
