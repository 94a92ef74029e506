"""Background work yields to the reviewer: idle-time steps (painting the rest of a long document,
reading a table's remaining rows) wait until key presses, clicks and wheel turns pause.

A zero-interval timer runs at every pass of the event loop, and one key press takes several passes,
so a step of a few milliseconds ran several times inside each press (a switch between panes took
three times as long while a document was still being painted). One application-wide event filter
notes when input last came; a step asks ``wait_ms`` and, if input is recent, comes back after it."""

from __future__ import annotations

import time
from collections.abc import Callable
from weakref import WeakMethod

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QInputEvent
from PySide6.QtWidgets import QApplication

PAUSE_MS = 250
"""How long after the last input background steps wait: longer than the gap between key presses
of a reviewer stepping through spans, short enough that the rest is done within a moment."""

_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.MouseButtonPress,
                    QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel})


_hooks: list[WeakMethod] = []  # weak: a window's session that is gone stops listening by itself


class _Watch(QObject):
    last = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here: the cheap class test first (PySide gives each
        # event its own class), the type (an enum made per call) only for the few input events.
        if isinstance(event, QInputEvent) and event.type() in _INPUT:
            _Watch.last = time.monotonic()
            for ref in _hooks:
                hook = ref()
                if hook is not None:
                    hook(watched, event)
        return False


_watch: _Watch | None = None
_held = False


def watch() -> None:
    """Start noting input (once per application; views call it when they start background work)."""
    global _watch
    app = QApplication.instance()
    if _watch is None and app is not None and not _held:
        _watch = _Watch(app)
        app.installEventFilter(_watch)


def hold() -> None:
    """The app's start: no filter until ``release`` (after the first frame). Installed while the
    window is built, it sees every event of building it, and each Qt-internal object it is handed
    makes PySide6 load every class that object might be (~60 classes' enums, before the first frame)."""
    global _held
    _held = True


def release() -> None:
    """Note input from now on (what ``watch`` was asked for while held)."""
    global _held
    _held = False
    watch()


def before_input(hook: Callable[[QObject, QEvent], None]) -> None:
    """Call ``hook(receiver, event)`` (a bound method, held weakly) before each key press, click or
    wheel turn is delivered."""
    _hooks[:] = [ref for ref in _hooks if ref() is not None]
    _hooks.append(WeakMethod(hook))


def forget(hook: Callable[[QObject, QEvent], None]) -> None:
    _hooks[:] = [ref for ref in _hooks if ref() is not None and ref() != hook]


def wait_ms(pause: int = PAUSE_MS) -> int:
    """Milliseconds until input has paused for ``pause`` (0: go ahead now)."""
    left = pause - (time.monotonic() - _Watch.last) * 1000
    return max(0, int(left) + 1) if left > 0 else 0
