"""Show: which layers the panes paint (me, one reviewer, gold, or all), and a legend of their colours.

One control in three places that always agree: the toolbar combo, View ▸ Show (a radio group with
accelerators: Alt+V, S, then the underlined letter) and Ctrl+Alt+L, which steps to the next
layer. When all layers are shown, each span carries its layer's colour (underline and margin
tick, see ``ui.highlighter``) and the legend names the colours.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QWidget

from annotator.history import Change
from annotator.layers import GOLD as GOLD_OWNER
from ui.session import ALL, GOLD, ME, Session


def escape(name: str) -> str:
    """A reviewer's name as rich text. Not ``html.escape``: importing ``html`` loads its table of
    2,000 named entities, before the first frame when the legend shows."""
    return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LayerControl(QObject):
    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.combo = QComboBox(parent)
        self.combo.setObjectName("ShowLayer")
        self.combo.setToolTip("Which layers the panes show: yours, one reviewer's, gold, or all (Ctrl+Alt+L: next)")
        self.combo.activated.connect(lambda i: self.session.set_view_filter(self.combo.itemData(i)))
        self.legend = QLabel(parent)
        self.legend.setObjectName("LayerLegend")
        self.menu = QMenu("&Show", parent)
        self.menu.setObjectName("ShowMenu")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.colors_changed = lambda: None  # the window repaints its panes
        session.view_filter_changed.connect(lambda _: self._sync())
        session.reviewer_changed.connect(lambda _: self.fill())
        session.changed.connect(self._on_change)
        self.fill()

    def choices(self) -> list[tuple[str, str]]:
        """(text, filter value) for every layer one can show, in menu order."""
        items = [("&All layers", ALL), (f"&Me ({self.session.reviewer})", ME)]
        items += [(name, name) for name in self.session.owners() if name not in (GOLD_OWNER, self.session.reviewer)]
        return [*items, ("&Gold standard", GOLD)]

    def fill(self) -> None:
        """Rebuild the combo and menu (reviewers come and go with merges and switches)."""
        if self.session.refresh_owners():
            self.colors_changed()
        self.combo.clear()
        self.menu.clear()
        for action in self.group.actions():
            self.group.removeAction(action)
        for text, value in self.choices():
            self.combo.addItem(text.replace("&", ""), value)
            action = QAction(self.menu)  # not QAction(text, menu) nor menu.addAction(action): see ui.actions
            action.setText(text)
            action.setCheckable(True)
            action.setData(value)
            action.triggered.connect(lambda _=False, v=value: self.session.set_view_filter(v))
            self.group.addAction(action)
            self.menu.addActions([action])
        self._sync()

    def next_layer(self) -> None:
        values = [value for _, value in self.choices()]
        current = self.session.view_filter
        position = values.index(current) if current in values else -1
        self.session.set_view_filter(values[(position + 1) % len(values)])

    def _sync(self) -> None:
        current = self.session.view_filter
        found = self.combo.findData(current)
        if found < 0 and current not in (ALL, ME, GOLD):  # a reviewer with nothing yet: offer them anyway
            self.combo.addItem(current, current)
            found = self.combo.findData(current)
        self.combo.setCurrentIndex(max(0, found))
        for action in self.group.actions():
            action.setChecked(action.data() == current)
        self._show_legend()

    def _show_legend(self) -> None:
        if not self.session.several_layers:
            self.legend.clear()
            self.legend.setToolTip("")
            return
        parts = [f'<span style="color:{color}">▌</span>{escape(name)}' for name, color in self.session.owner_colors.items()]
        self.legend.setText("&nbsp; " + " &nbsp;".join(parts) + " &nbsp;")
        self.legend.setToolTip("Each span is underlined, and ticked in the margin, in its layer's colour")

    def _on_change(self, change: Change) -> None:
        edits = change.of("annotations")
        rows = (*edits.added, *(after for _, after in edits.updated))
        known = self.session.owner_colors
        if all(("gold" if row["layer"] == "gold" else row["annotator"]) in known for row in rows):
            return  # a new reviewer (or the first gold) changes the colours, nothing else does
        self.fill()
