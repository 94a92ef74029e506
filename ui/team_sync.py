"""Team ▸ Sync, Server Settings… and periodic sync, with the status bar's sync indicator.

A sync runs on a worker thread (QThreadPool) with its own connection to the project file
(SQLite connections belong to the thread that opened them). The pull writes there as an
EXTERNAL change; when the worker is done the window polls for other writers, so every view
follows the pulled rows as it follows a second window's. The password is never stored: libpq
reads ``PGPASSWORD`` or ``~/.pgpass``; otherwise the reviewer is asked once and it is kept in
memory for this session only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError, TeamServerError, TeamServerUnreachable
from annotator.history import Change
from annotator.project import Project

# Not annotator.team itself: its sync imports psycopg, which the window does not need until a sync runs.
from annotator.team.settings import MAX_MINUTES, last_synced, save_server_settings, server_settings, waiting

if TYPE_CHECKING:
    from ui.main_window import MainWindow

DEFAULT_MINUTES = 5
_PASSWORD_WANTED = ("no password supplied", "password authentication failed")


class _Signals(QObject):
    progress = Signal(str)
    finished = Signal(str, list)      # summary, skipped lines
    failed = Signal(str, bool)        # one-line message, offline


class SyncWorker(QRunnable):
    """One sync of the project file at ``path`` on a pool thread, on a connection of its own."""

    def __init__(self, path: Path, url: str, login: str, password: str | None) -> None:
        super().__init__()
        self.path, self.url, self.login, self.password = path, url, login, password
        self.signals = _Signals()
        self.setAutoDelete(False)  # the controller keeps it until its signals have been delivered

    def run(self) -> None:
        try:
            with Project.open(self.path) as project:
                project.set_busy_timeout(10)
                from annotator.team.syncing import sync  # psycopg: on the first sync, not at start-up

                report = sync(project, self.url, self.login or None, progress=self.signals.progress.emit,
                              password=self.password)
        except TeamServerUnreachable as error:
            self.signals.failed.emit(str(error), True)
        except AnnotatorError as error:
            self.signals.failed.emit(str(error), False)
        except Exception as error:  # a bug: still one line in the window, never a silent thread
            self.signals.failed.emit(f"sync failed: {type(error).__name__}: {error}", False)
        else:
            self.signals.finished.emit(report.summary(), list(report.skipped))


class ServerSettingsDialog(QDialog):
    """URL, login, sync interval; a password typed here is kept for the session, never saved."""

    def __init__(self, project: Project, password: str | None, parent: QWidget | None = None) -> None:
        # the dialog's own widgets: PySide6 makes a class's enums when it is first imported
        from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QSpinBox

        super().__init__(parent)
        self.setWindowTitle("Team Server Settings")
        self.project = project
        current = server_settings(project)
        self.url = QLineEdit(current.url)
        self.url.setPlaceholderText("postgresql://db.example.org/coverage?sslmode=verify-full")
        self.login = QLineEdit(current.login)
        self.password = QLineEdit(password or "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in memory for this session; or PGPASSWORD / ~/.pgpass")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, MAX_MINUTES)
        self.minutes.setSpecialValueText("only when asked (F9)")
        self.minutes.setSuffix(" min")
        self.minutes.setValue(current.every_minutes)
        self.error = QLabel()
        self.error.setObjectName("SettingsError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Server &URL:", self.url)
        form.addRow("&Login:", self.login)
        form.addRow("&Password:", self.password)
        form.addRow("Sync &every:", self.minutes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            save_server_settings(self.project, self.url.text(), self.login.text(), self.minutes.value())
        except AnnotatorError as error:
            self.error.setText(str(error))
            return
        super().accept()


class TeamSync(QObject):
    """The window's team sync: actions, worker, timer and the status-bar indicator."""

    state_changed = Signal(str)
    synced = Signal(str)  # the summary of a finished sync

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.project = window.project
        self.indicator = QLabel()
        self.indicator.setObjectName("TeamStatus")
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.worker: SyncWorker | None = None
        self.password: str | None = None  # typed once per session, never written anywhere
        self.state = "idle"               # idle | syncing | synced | offline | error
        self.stage = ""
        self.last_error = ""
        self._retry_with_password = False
        self._minutes = server_settings(self.project).every_minutes or DEFAULT_MINUTES
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.sync_now(interactive=False))
        # the indicator reads the sync settings: it follows a burst of key presses once, with the docks
        window.session.changed.connect(window.session.docks.deferred(self._on_change, self))
        self._apply_interval()
        self.refresh()

    # -- what the window calls ------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.worker is not None

    def sync_now(self, interactive: bool = True) -> bool:
        """Start a sync on the worker thread; False (and a status message) when it cannot start."""
        if self.running:
            self._say("A sync is already running")
            return False
        settings = server_settings(self.project)
        if not settings.configured:
            if interactive and self.edit_settings():
                settings = server_settings(self.project)
            if not settings.configured:
                self._say("Set the team server first: Team ▸ Server Settings…")
                return False
        self._retry_with_password = interactive
        self.worker = SyncWorker(Path(self.project.path), settings.url, settings.login, self.password)
        self.worker.signals.progress.connect(self._on_progress)
        self.worker.signals.finished.connect(self._on_finished)
        self.worker.signals.failed.connect(self._on_failed)
        self._set_state("syncing", "Connecting")
        self.pool.start(self.worker)
        return True

    def edit_settings(self) -> bool:
        dialog = ServerSettingsDialog(self.project, self.password, self.window)
        if not dialog.exec():
            return False
        self.password = dialog.password.text() or self.password
        self._minutes = server_settings(self.project).every_minutes or self._minutes
        self._apply_interval()
        self.refresh()
        return True

    def set_periodic(self, on: bool) -> None:
        """Team ▸ Sync Every N Minutes: on with the last interval (5 at first), off keeps it for next time."""
        settings = server_settings(self.project)
        if on and not settings.configured and not self.edit_settings():
            self._apply_interval()
            return
        settings = server_settings(self.project)
        try:
            save_server_settings(self.project, settings.url, settings.login, self._minutes if on else 0)
        except AnnotatorError as error:
            self.window.report_error(error, "Sync settings")
        self._apply_interval()

    def shutdown(self) -> None:
        """The window closes: no new syncs; a running one finishes (a killed one would be completed next time)."""
        self.timer.stop()
        self.pool.waitForDone(30_000)

    def ask_password(self, message: str) -> str | None:
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self.window, "Team server password", f"{message}\n\nPassword (kept for this session):",
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    # -- the indicator --------------------------------------------------------------------------

    def text(self) -> str:
        if self.state == "syncing":
            return f"⟳ Syncing: {self.stage}…"
        settings = server_settings(self.project)
        if not settings.configured:
            return ""
        count = waiting(self.project)
        pending = f"{count} change{'s' if count != 1 else ''} waiting"
        if self.state == "offline":
            return f"Offline · {pending}" if count else "Offline"
        if self.state == "error":
            return f"Sync error · {pending}" if count else "Sync error"
        if count:
            return pending
        return "Synced ✓" if last_synced(self.project) else "Not synced yet"

    def refresh(self) -> None:
        self.indicator.setText(self.text())
        settings = server_settings(self.project)
        when = last_synced(self.project)
        tip = [f"Team server: {settings.url or 'not set (Team ▸ Server Settings…)'}"]
        if when:
            tip.append(f"Last synced {when} (UTC)")
        if self.last_error and self.state in ("offline", "error"):
            tip.append(self.last_error)
        self.indicator.setToolTip("\n".join(tip))
        self.indicator.setVisible(bool(self.indicator.text()))

    # -- internals -------------------------------------------------------------------------------

    def _apply_interval(self) -> None:
        minutes = server_settings(self.project).every_minutes
        action = self.window.actions_.get("team_periodic") if hasattr(self.window, "actions_") else None
        if action is not None:
            action.blockSignals(True)
            action.setChecked(minutes > 0)
            action.setText(f"Sync &Every {minutes or self._minutes} Minutes")
            action.blockSignals(False)
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def _on_change(self, _change: Change) -> None:
        if self.state != "syncing":
            self.refresh()

    def _set_state(self, state: str, stage: str = "") -> None:
        self.state, self.stage = state, stage
        self.refresh()
        self.state_changed.emit(state)

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 6000)

    def _on_progress(self, stage: str) -> None:
        if self.state == "syncing":
            self.stage = stage
            self.refresh()

    def _on_finished(self, summary: str, skipped: list[str]) -> None:
        self.worker = None
        self.last_error = ""
        self.window.check_other_writers()  # the pulled rows reach every view as an EXTERNAL change
        self._set_state("synced")
        self._say(summary + (f"; skipped: {'; '.join(skipped)}" if skipped else ""))
        self.synced.emit(summary)

    def _on_failed(self, message: str, offline: bool) -> None:
        self.worker = None
        self.last_error = message
        self.window.check_other_writers()  # a push may have been stored before the failure
        if self._retry_with_password and any(m in message for m in _PASSWORD_WANTED):
            self._retry_with_password = False
            password = self.ask_password(message)
            if password:
                self.password = password
                self.state = "idle"
                self.sync_now(interactive=False)
                return
        if any(m in message for m in _PASSWORD_WANTED):
            self.password = None  # a wrong one is not tried again by the timer
        self._set_state("offline" if offline else "error")
        self.window.report_error(TeamServerUnreachable(message) if offline else TeamServerError(message), "Sync")
