"""The entities dock: canonical actors with their mentions; selecting one lights up every mention
in every open pane; entities can be merged, renamed and deleted (all undoable)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.history import Change
from annotator.models import Entity
from ui import empty_state
from ui.lazy import RefreshWhenShown
from ui.qt_items import cell
from ui.session import Session
from ui.view import follow, table_cells


class EntitiesDock(RefreshWhenShown):
    mentions_highlighted = Signal(object)  # set of annotation ids
    mention_activated = Signal(str)  # annotation id

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter entities…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda _: self.changed())
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Entity", "Type", "Mentions"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty = empty_state.show_when_empty(self.table, lambda: empty_state.matching(
            "entity", self.filter.text()) if self.filter.text() else empty_state.ENTITIES)
        # The selected entities' mentions, shown only when there are some: in a laptop's short dock an empty
        # list took the room the table needs (its hint was cut). Each wraps to the dock, never scrolls sideways.
        self.mentions = QListWidget()
        self.mentions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.mentions.setWordWrap(True)
        self.mentions.setResizeMode(QListView.ResizeMode.Adjust)
        self.mentions.hide()
        self.mentions.itemActivated.connect(lambda item: self.mention_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.mentions.itemClicked.connect(lambda item: self.mention_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        buttons = QHBoxLayout()
        self.mentions.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for text, slot in (("Edit…", self.edit_selected), ("Merge", self.merge_selected), ("Split…", self.split_selected),
                           ("Delete", self._delete)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.mentions, 1)
        follow(session, self)
        self.changed()  # filled when first shown: nothing to do at start-up while hidden

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [cell(self.table, r, 0).data(Qt.ItemDataRole.UserRole) for r in rows]

    def refresh(self) -> None:
        """Fill the table from scratch (when shown after changes came while hidden, or the filter changed)."""
        keep = set(self.selected_ids())
        counts = self._counts()
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for entity in self._wanted():
            row = self.table.rowCount()
            self.table.insertRow(row)
            self._set_row(row, entity, counts)
            if entity.id in keep:
                flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
                self.table.selectionModel().select(self.table.model().index(row, 0), flags)
        self.table.blockSignals(False)
        self._selected()

    def _counts(self) -> dict[str, int]:
        return {i: sum(per.values()) for i, per in self.project.entity_mention_counts().items()}

    def _wanted(self) -> list[Entity]:
        """The entities that pass the filter, in list order."""
        text = self.filter.text().casefold()
        return [e for e in self.project.entities()
                if not text or text in " ".join([e.name, *e.aliases, e.external_id or ""]).casefold()]

    def _set_row(self, row: int, entity: Entity, counts: dict[str, int]) -> None:
        name = QTableWidgetItem(entity.name)
        name.setData(Qt.ItemDataRole.UserRole, entity.id)
        tip = [f"Also: {', '.join(entity.aliases)}" if entity.aliases else entity.name, entity.note or "", entity.external_id or ""]
        name.setToolTip("\n".join(t for t in tip if t))
        self.table.setItem(row, 0, name)
        self.table.setItem(row, 1, QTableWidgetItem(entity.type))
        count = QTableWidgetItem()
        count.setData(Qt.ItemDataRole.DisplayRole, counts.get(entity.id, 0))
        self.table.setItem(row, 2, count)

    def update_rows(self, ids: set[str]) -> None:
        """Redo the rows of these entities only: drop them, insert their new rows where they belong."""
        counts = self._counts()
        keep = set(self.selected_ids()) & ids
        self.table.blockSignals(True)
        for r in reversed(range(self.table.rowCount())):
            if cell(self.table, r, 0).data(Qt.ItemDataRole.UserRole) in ids:
                self.table.removeRow(r)
        for at, entity in enumerate(self._wanted()):  # ascending: the rows above each one are in place
            if entity.id in ids:
                self.table.insertRow(at)
                self._set_row(at, entity, counts)
                if entity.id in keep:
                    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
                    self.table.selectionModel().select(self.table.model().index(at, 0), flags)
        self.table.blockSignals(False)

    def select_entity(self, entity_id: str) -> None:
        self.ensure_fresh()
        for row in range(self.table.rowCount()):
            if cell(self.table, row, 0).data(Qt.ItemDataRole.UserRole) == entity_id:
                flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                self.table.selectionModel().select(self.table.model().index(row, 0), flags)
                return

    def _selected(self) -> None:
        ids: set[str] = set()
        self.mentions.clear()
        titles = {d.id: d.title for d in self.project.documents(with_text=False)}
        for entity_id in self.selected_ids():
            for mention in self.project.entity_mentions(entity_id):
                ids.add(mention.id)
                item = QListWidgetItem(f"{titles.get(mention.document_id, '')} — “{' '.join(mention.quote.split())}”")
                item.setData(Qt.ItemDataRole.UserRole, mention.id)
                item.setToolTip(item.text())
                self.mentions.addItem(item)
        self.mentions.setVisible(self.mentions.count() > 0)
        self.mentions_highlighted.emit(ids)

    def merge_selected(self) -> None:
        from PySide6.QtWidgets import QInputDialog, QMessageBox

        ids = self.selected_ids()
        if len(ids) < 2:
            QMessageBox.information(self, "Merge entities", "Select two or more entities to merge (Ctrl+click).")
            return
        entities = [self.project.entity(i) for i in ids]
        names = [e.name for e in entities]
        keep, ok = QInputDialog.getItem(self, "Merge entities", "Keep this name (the others become aliases):", names, 0, False)
        if ok:
            keep_id = ids[names.index(keep)]
            self.project.merge_entities(keep_id, [i for i in ids if i != keep_id])
            self.select_entity(keep_id)

    def edit_selected(self) -> None:
        """Name, type, aliases, description and external id of the one selected entity: one undo step."""
        from PySide6.QtWidgets import QMessageBox

        from ui.entity_dialog import EntityEditor

        ids = self.selected_ids()
        if len(ids) != 1:
            QMessageBox.information(self, "Edit entity", "Select one entity to edit.")
            return
        EntityEditor(self.project, ids[0], self).exec()

    def split_selected(self) -> None:
        """Move the mentions selected in the list below to a new entity."""
        from PySide6.QtWidgets import QInputDialog, QMessageBox

        ids = self.selected_ids()
        mentions = [item.data(Qt.ItemDataRole.UserRole) for item in self.mentions.selectedItems()]
        if len(ids) != 1 or not mentions:
            QMessageBox.information(self, "Split entity", "Select one entity, then the mentions (below) to move to a new entity.")
            return
        entity = self.project.entity(ids[0])
        name, ok = QInputDialog.getText(self, "Split entity", f"Move {len(mentions)} mention(s) of {entity.name} to a new entity:")
        if ok:
            try:
                new = self.project.split_entity(entity.id, mentions, name)
            except AnnotatorError as error:
                QMessageBox.warning(self, "Split entity", str(error))
                return
            self.select_entity(new.id)

    def _delete(self) -> None:
        for entity_id in self.selected_ids():
            self.project.delete_entity(entity_id)

    def apply_change(self, change: Change) -> None:
        """Entities a change added, edited or removed, or whose mentions it moved, changed or removed."""
        annotations = change.of("annotations")
        ids = set(change.of("entities").ids)
        moved = {r.get("entity_id") for r in (*annotations.added, *annotations.removed)}
        for before, after in annotations.updated:
            moved.update((before.get("entity_id"), after.get("entity_id")) if before.get("entity_id") != after.get(
                "entity_id") else ())
        ids |= {m for m in moved if m is not None}
        mentions = {after.get("entity_id") for _, after in annotations.updated} | ids
        documents = bool(change.of("documents"))
        selected = set(self.selected_ids())
        if not ids and not (selected and (mentions & selected or documents)):
            return
        if not self.isVisible():
            self.changed()  # hidden: no work until shown
        elif self._stale:
            self.ensure_fresh()
        else:
            if ids:
                self.update_rows(ids)
            self._selected()

    def snapshot(self) -> object:
        """The rows shown, the entities selected and their mentions listed."""
        mentions = tuple(self.mentions.item(i).text() for i in range(self.mentions.count()))
        return table_cells(self.table), tuple(self.selected_ids()), mentions
