"""The daily snapshot: made once the window is up, then checked hourly while it stays open.

Apart from File ▸ Restore (ui/restore_dialog.py) so that the window's start imports neither that
dialog nor ``annotator.backups`` before its first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from ui.main_window import MainWindow

DAILY_CHECK_MS = 3_600_000


def start_daily_backups(window: MainWindow) -> QTimer:
    """Make today's snapshot once the window is up, and check hourly while it stays open (past midnight too)."""
    timer = QTimer(window)  # owned by the window: stops with it
    timer.setInterval(DAILY_CHECK_MS)
    timer.timeout.connect(lambda: daily_backup(window))
    timer.start()
    # two passes of the event loop: the first paints the window (a first backup of the day copies the file)
    QTimer.singleShot(0, window, lambda: QTimer.singleShot(0, window, lambda: daily_backup(window)))
    return timer


def daily_backup(window: MainWindow) -> None:
    if not window.isVisible():  # closed: its project may be closed too
        return
    from annotator.backups import ensure_daily

    try:
        ensure_daily(window.project.path)
    except AnnotatorError as error:
        window.statusBar().showMessage(f"No daily backup: {error}", 10000)
