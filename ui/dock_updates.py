"""Docks follow the project a moment after the pane: one coalesced refresh when input pauses.

A key press in a document pane (add, delete, undo) changes one span; the pane paints it at once.
Every dock (annotations, figures, inspector, entities, claims, documents...) also applies the change,
and Qt then repaints each visible dock: most of a press's time, paid again on every press of a burst.
So changes and selections reach the docks through one queue instead: delivered at once when no
input is recent (a script, a menu, another writer), otherwise as soon as
input to a document pane has paused for ``PAUSE_MS`` (``ui.input_pause``), so a run of presses
repaints the docks once. Each dock then gets what waited for it once: its changes as one net
change (``annotator.history.compose``: the project it reads is already at the last one, where an
annotation added and deleted since does not exist), its selection where it is now. Input to a
dock itself (typing a note) keeps its changes immediate.
Before input goes anywhere but a document pane (a click, a key in a dock), the queue is delivered
first, so nobody acts on a dock that is behind.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication

from annotator.history import Change, compose
from ui import input_pause

PAUSE_MS = 120
"""How long after the last key press the docks catch up: longer than the gap between presses in a
burst (auto-repeat is 30-50 ms), short enough to read as "right after"."""


def _to_pane(receiver: QObject, event: QEvent) -> bool:
    """Does this input go to a document pane, which paints its own changes at once?
    Keys go to the focus widget whoever passes them on; a click to the widget under the mouse."""
    if isinstance(event, QKeyEvent):
        focus = QApplication.focusWidget()
        if focus is None:
            return False
        receiver = focus
    parent = receiver.parent()
    return bool(getattr(receiver, "defers_docks", False) or (parent is not None and getattr(parent, "defers_docks", False)))


def _compose(waiting: list[tuple[Any, ...]]) -> tuple[Change] | None:
    change = compose([args[0] for args in waiting])
    return (change,) if change else None


class _Receiver:
    """What is connected in place of a view's slot: hands each delivery to the queue."""

    __slots__ = ("__weakref__", "combine", "gone", "slot", "updates")

    def __init__(self, updates: DockUpdates, slot: Callable[..., Any],
                 combine: Callable[[list[tuple[Any, ...]]], tuple[Any, ...] | None]) -> None:
        self.updates, self.slot, self.combine, self.gone = updates, slot, combine, False

    def __call__(self, *args: Any) -> None:
        if not self.gone:
            self.updates._deliver(self, args)


def _last(waiting: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return waiting[-1]


class DockUpdates(QObject):
    """One ordered queue of (receiver, arguments) for every deferred view of a window's session."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pane_input = False  # did the last input go to a document pane (only then do docks wait)?
        self._receivers: dict[Callable[..., Any], _Receiver] = {}
        self._queue: deque[tuple[_Receiver, tuple[Any, ...]]] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._due)
        input_pause.watch()
        input_pause.before_input(self._before_input)

    @property
    def pending(self) -> int:
        """How many deliveries wait (0: every deferred view is up to date)."""
        return len(self._queue)

    def deferred(self, slot: Callable[..., Any], owner: QObject | None = None,
                 combine: Callable[[list[tuple[Any, ...]]], tuple[Any, ...] | None] | None = None) -> _Receiver:
        """``slot`` as a receiver that waits for an input pause; an ``owner`` that is destroyed gets nothing more.
        What waited reaches it once, where its last delivery was: ``combine`` makes one set of arguments of
        all of them (``None``: nothing to deliver); by default the last ones (a selection: where it is now)."""
        receiver = self._receivers[slot] = _Receiver(self, slot, combine or _last)
        if owner is not None:
            owner.destroyed.connect(lambda *_: self._gone(receiver))
        return receiver

    def changes(self, slot: Callable[[Change], Any], owner: QObject | None = None) -> _Receiver:
        """``deferred`` for a view's ``apply_change``: what waited arrives as one change (``history.compose``)."""
        return self.deferred(slot, owner, _compose)

    def receiver(self, slot: Callable[..., Any]) -> _Receiver:
        """What was connected in place of ``slot`` (to disconnect it)."""
        return self._receivers[slot]

    def drop(self, receiver: _Receiver) -> None:
        """Forget what waits for a receiver that is gone (a closed window, an unwired view)."""
        self._receivers.pop(receiver.slot, None)
        self._queue = deque(item for item in self._queue if item[0] is not receiver)

    def _gone(self, receiver: _Receiver) -> None:
        receiver.gone = True
        self.drop(receiver)

    def _deliver(self, receiver: _Receiver, args: tuple[Any, ...]) -> None:
        if self._queue or (self._pane_input and input_pause.wait_ms(PAUSE_MS) > 0):
            self._queue.append((receiver, args))
            if not self._timer.isActive():
                self._timer.start(input_pause.wait_ms(PAUSE_MS))
        else:
            receiver.slot(*args)

    def flush(self) -> None:
        """Deliver everything that waits (before acting on what a dock shows): each receiver once,
        in the order of its last delivery. What a slot sets off meanwhile follows in a next round."""
        self._timer.stop()
        while self._queue:
            batch, self._queue = list(self._queue), deque()
            waiting: dict[_Receiver, list[tuple[Any, ...]]] = {}
            for receiver, args in batch:
                waiting.setdefault(receiver, []).append(args)
            last = {receiver: i for i, (receiver, _) in enumerate(batch)}
            for i, (receiver, _) in enumerate(batch):
                if last[receiver] != i or receiver.gone:
                    continue
                combined = receiver.combine(waiting[receiver])
                if combined is not None:
                    receiver.slot(*combined)

    def _due(self) -> None:
        wait = input_pause.wait_ms(PAUSE_MS)
        if wait > 0:
            self._timer.start(wait)
        else:
            self.flush()

    def _before_input(self, receiver: QObject, event: QEvent) -> None:
        if isinstance(receiver, QWindow):  # on its way to a widget: that delivery decides
            return
        self._pane_input = _to_pane(receiver, event)
        if self._queue and not self._pane_input:
            self.flush()

    def close(self) -> None:
        self._timer.stop()
        self._queue.clear()
        self._receivers.clear()
        input_pause.forget(self._before_input)
