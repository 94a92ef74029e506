"""Team ▸ Sync in the window against a real throwaway PostgreSQL server (tests/team_server.py): the
sync runs off the GUI thread, the indicator says synced, another reviewer's annotation appears in
the pane; the password is asked once and kept in memory, never in the project file; an
unreachable server reads "offline" and a refused one an error, each as one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication

from annotator import Project
from annotator.team import save_server_settings, server_settings, sync
from tests import team_server
from tests.gui.conftest import EMOJI_TEXT, press
from tests.team_server import Team

pg_cluster = team_server.pg_cluster  # the fixtures, under the names tests ask for
team = team_server.team


def _open(qtbot, path: Path, reviewer: str, settings):
    from ui.app import open_window

    with Project.open(path) as project:
        ids = [d.id for d in project.documents(with_text=False)]
    win = open_window(path, reviewer, ids[:1], settings)
    qtbot.addWidget(win)
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.panes.panes()[0].view)
    return win


def _no_password(url: str) -> str:
    return url.replace(url.split("//", 1)[1].split("@", 1)[0], url.split("//", 1)[1].split(":", 1)[0])


def test_team_sync_in_the_window_shows_a_second_reviewers_annotation(qtbot, team: Team, tmp_path: Path,
                                                                     project_path: Path, settings, monkeypatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    ana, ben = team.reviewers[0], team.reviewers[1]
    lead = Project.create(tmp_path / "lead.db")
    sync(lead, team.url(team.lead))  # the lead's labels go first
    lead.close()
    with Project.create(tmp_path / "ben.db") as theirs:
        doc = theirs.add_document(EMOJI_TEXT, title="Emoji report")
        start = EMOJI_TEXT.index("Latakia")
        theirs.add_annotation(doc.id, start, start + 7, "Actor", annotator=ben)
        sync(theirs, team.url(ben))
    with Project.open(project_path) as mine:  # ana's file: the server's URL and her login, no password
        save_server_settings(mine, _no_password(team.url(ana)), ana)

    win = _open(qtbot, project_path, ana, settings)
    try:
        pane = win.panes.panes()[0]
        assert pane.count() == 0
        assert win.team.indicator.text().endswith("changes waiting")  # its documents and labels, never pushed
        asked: list[str] = []
        gui_thread = QThread.currentThread()
        win.team.ask_password = lambda message: (asked.append(message), f"{ana}-pw")[1]
        press(win, Qt.Key.Key_F9)  # Team ▸ Sync
        assert win.team.running and win.team.indicator.text().startswith("⟳ Syncing")
        assert QThread.currentThread() is gui_thread
        qtbot.waitUntil(lambda: win.team.state == "synced", timeout=30_000)
        assert len(asked) == 1 and "no password" in asked[0]  # libpq had none: asked once
        assert win.team.indicator.text() == "Synced ✓"
        qtbot.waitUntil(lambda: pane.count() == 1, timeout=3000)  # ben's annotation, in the open pane
        # the docks follow the pane a moment after a key press (ui/dock_updates.py: F9 was one, and a fast sync lands within it)
        qtbot.waitUntil(lambda: [a.annotator for a in win.table.model.rows] == [ben], timeout=3000)
        assert "Synced as" in win.statusBar().currentMessage()

        # A local edit: the indicator counts it from the change set; the next sync (no prompt now) pushes it.
        win.project.add_annotation(pane.document_id, 0, 8, "Actor", annotator=ana)
        assert win.team.indicator.text() == "1 change waiting"
        win.actions_["team_sync"].trigger()
        qtbot.waitUntil(lambda: win.team.state == "synced", timeout=30_000)
        assert len(asked) == 1 and win.team.indicator.text() == "Synced ✓"
    finally:
        win.close()
        win.project.close()
    conn = sqlite3.connect(project_path)
    try:
        stored = " ".join(str(v) for (v,) in conn.execute("SELECT value FROM sync_state"))
    finally:
        conn.close()
    assert f"{ana}-pw" not in stored and ana in stored


def test_unreachable_server_is_offline_and_a_refused_login_an_error(qtbot, team: Team, project_path: Path,
                                                                     settings, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    ana = team.reviewers[0]
    with Project.open(project_path) as mine:
        save_server_settings(mine, f"postgresql://{ana}@127.0.0.1:1/{team.dbname}?connect_timeout=2", ana, 0)
    win = _open(qtbot, project_path, ana, settings)
    try:
        win.project.add_annotation(win.panes.panes()[0].document_id, 0, 8, "Actor", annotator=ana)
        win.team.sync_now(interactive=False)
        qtbot.waitUntil(lambda: win.team.state == "offline", timeout=30_000)
        assert win.team.indicator.text() == "Offline · 6 changes waiting"  # 2 documents, 3 labels, 1 annotation
        assert "127.0.0.1" in win.statusBar().currentMessage() and "\n" not in win.statusBar().currentMessage()

        save_server_settings(win.project, _no_password(team.url(ana)), ana, 0)
        win.team.password = "wrong"
        win.team.sync_now(interactive=False)
        qtbot.waitUntil(lambda: win.team.state == "error", timeout=30_000)
        assert win.team.indicator.text() == "Sync error · 6 changes waiting"
        message = win.statusBar().currentMessage()
        assert message.startswith("Sync: team server") and "password authentication failed" in message
        assert "wrong" not in message and win.team.password is None
    finally:
        win.close()
        win.project.close()


def test_server_settings_dialog_and_periodic_sync(qtbot, window, monkeypatch) -> None:
    from ui.team_sync import ServerSettingsDialog

    dialog = ServerSettingsDialog(window.project, None, window)
    dialog.url.setText("postgresql://ana:secret@db.example.org/coverage")
    dialog.accept()
    assert "holds a password" in dialog.error.text()  # refused: it would be stored in the file
    assert not server_settings(window.project).configured

    def fill_and_save(self: ServerSettingsDialog) -> int:
        self.url.setText("postgresql://db.example.org/coverage")
        self.login.setText("ana")
        self.password.setText("s3cret")
        self.minutes.setValue(15)
        self.accept()
        return self.result()

    monkeypatch.setattr(ServerSettingsDialog, "exec", fill_and_save)
    window.actions_["team_settings"].trigger()
    assert server_settings(window.project) == server_settings(window.project).__class__(
        "postgresql://db.example.org/coverage", "ana", 15)
    assert window.team.password == "s3cret"  # in memory for the session only
    assert window.actions_["team_periodic"].isChecked() and window.team.timer.isActive()
    assert window.team.timer.interval() == 15 * 60_000
    assert window.actions_["team_periodic"].text().replace("&", "") == "Sync Every 15 Minutes"
    window.actions_["team_periodic"].trigger()  # off: the interval is kept for next time
    assert not window.team.timer.isActive() and server_settings(window.project).every_minutes == 0
    window.actions_["team_periodic"].trigger()
    assert window.team.timer.isActive() and window.team.timer.interval() == 15 * 60_000
    assert QApplication.activeModalWidget() is None
