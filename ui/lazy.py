"""Views that are expensive to rebuild refresh only while shown; hidden, they remember to."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class RefreshWhenShown(QWidget):
    """Mixin for docks: call ``changed()`` on a relevant change; ``refresh()`` runs now or when shown."""

    _stale = False

    def refresh(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def ensure_fresh(self) -> None:
        """Refresh now if a change came while hidden (before acting on the contents)."""
        if self._stale:
            self._stale = False
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_fresh()
        super().showEvent(event)
