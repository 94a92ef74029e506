"""What the whole window shares: the project, who is reviewing, what is shown and selected.

The core tells the session about every change (``Project.subscribe``); the session re-emits it
as a Qt signal so each view refreshes itself from the change. No widget keeps its own truth.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator import Project
from annotator.history import Change
from annotator.layers import GOLD as GOLD_OWNER
from annotator.layers import owner_colors
from ui.dock_updates import DockUpdates

ALL = ""
GOLD = "@gold"
ME = "@me"
"""Whoever is reviewing now: follows a switch of reviewer (Ctrl+R)."""


class Session(QObject):
    changed = Signal(object)  # Change
    selection_changed = Signal(object)  # annotation id or None
    reviewer_changed = Signal(str)
    view_filter_changed = Signal(str)  # ALL, ME, GOLD or a reviewer name
    snap_changed = Signal(bool)

    def __init__(self, project: Project, reviewer: str) -> None:
        super().__init__()
        self.project = project
        self.reviewer = reviewer
        self.view_filter = ALL
        self.snap_to_words = True
        self.selected: str | None = None
        self.owner_colors: dict[str, str] = {}  # reviewer name or "gold" -> its mark's colour
        # owners() scans every annotation (twice): kept until the project changes or the reviewer
        # switches, so the window's start (five asks) and each key press pay for it at most once.
        self._owners: list[str] | None = None
        self.refresh_owners()
        self._unsubscribe = project.subscribe(self._on_change)
        self.docks = DockUpdates(self)  # the docks' changes and selections, delivered when input pauses

    def _on_change(self, change: Change) -> None:
        self._owners = None
        gone = {row["id"] for row in change.of("annotations").removed}
        if self.selected in gone:
            self.selected = None
            self.selection_changed.emit(None)
        self.changed.emit(change)

    def select(self, annotation_id: str | None) -> None:
        if annotation_id != self.selected:
            self.selected = annotation_id
            self.selection_changed.emit(annotation_id)

    def set_reviewer(self, name: str) -> None:
        name = " ".join(name.split())
        if name and name != self.reviewer:
            self.reviewer = name
            self._owners = None
            self.reviewer_changed.emit(name)
            if self.view_filter == ME:  # "me" is someone else now
                self.view_filter_changed.emit(ME)

    def set_view_filter(self, value: str) -> None:
        if value != self.view_filter:
            self.view_filter = value
            self.view_filter_changed.emit(value)

    def set_snap(self, on: bool) -> None:
        self.snap_to_words = on
        self.snap_changed.emit(on)

    def shows(self, layer: str, annotator: str) -> bool:
        """Does an annotation of this layer and reviewer pass the view filter?"""
        if self.view_filter == ALL:
            return True
        if self.view_filter == GOLD:
            return layer == "gold"
        if self.view_filter == ME:
            return layer == "reviewer" and annotator == self.reviewer
        return layer == "reviewer" and annotator == self.view_filter

    @property
    def several_layers(self) -> bool:
        """Are several layers shown at once (then each span is marked with its layer's colour)?"""
        return self.view_filter == ALL and len(self.owner_colors) > 1

    def visible(self, row: dict) -> bool:
        """``shows`` for an annotation row as a change carries it."""
        return self.shows(row["layer"], row["annotator"])

    def owners(self) -> list[str]:
        """Every layer there is to show: each reviewer with annotations of their own (and whoever
        reviews now), then "gold" when anything was adjudicated. The adjudicator is not a reviewer."""
        if self._owners is None:
            names = sorted(set(self.project.annotators(layer="reviewer")) | {self.reviewer}, key=str.casefold)
            self._owners = [*names, *([GOLD_OWNER] if self.project.annotators(layer="gold") else [])]
        return list(self._owners)

    def refresh_owners(self) -> bool:
        """Recompute the layers' colours; True when they changed."""
        colors = owner_colors(self.owners())
        if colors == self.owner_colors:
            return False
        self.owner_colors = colors
        return True

    def close(self) -> None:
        self._unsubscribe()
        self.docks.close()
