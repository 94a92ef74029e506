"""A lead corrects a reviewer's annotations in the window (widens one span, deletes a wrong one),
Team ▸ Sync pushes both, and the reviewer's next sync brings them into their file (real
PostgreSQL, tests/team_server.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator import Project
from annotator.team import save_server_settings, sync
from tests import team_server
from tests.gui.conftest import EMOJI_TEXT, press
from tests.team_server import Team

pg_cluster = team_server.pg_cluster  # the fixtures, under the names tests ask for
team = team_server.team


def test_a_leads_correction_in_the_window_reaches_the_reviewer(qtbot, team: Team, tmp_path: Path, settings,
                                                                monkeypatch) -> None:
    from ui.app import open_window

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    ben = team.reviewers[1]
    lead_path = tmp_path / "lead.db"
    with Project.create(lead_path) as lead:
        sync(lead, team.url(team.lead))  # the lead's labels go first
    with Project.create(tmp_path / "ben.db") as theirs:
        doc = theirs.add_document(EMOJI_TEXT, title="Emoji report")
        fled = EMOJI_TEXT.index("fled")
        short = theirs.add_annotation(doc.id, fled, fled + 4, "Actor", annotator=ben)      # "fled": a word short
        city = EMOJI_TEXT.index("Latakia")
        wrong = theirs.add_annotation(doc.id, city, city + 7, "Figure", annotator=ben)     # a place, no figure
        sync(theirs, team.url(ben))
    with Project.open(lead_path) as lead:
        sync(lead, team.url(team.lead))
        save_server_settings(lead, team.url(team.lead).replace(f":{team.lead}-pw@", "@"), team.lead)
        ids = [d.id for d in lead.documents(with_text=False)]

    win = open_window(lead_path, team.lead, ids, settings)
    qtbot.addWidget(win)
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.panes.panes()[0].view)
    try:
        win.team.ask_password = lambda _message: f"{team.lead}-pw"
        assert win.team.indicator.text() == "Synced ✓"
        win.session.select(short.id)
        press(win, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # widen the end by a word
        assert win.project.annotation(short.id).quote == "fled Latakia"
        win.session.select(wrong.id)
        press(win, Qt.Key.Key_Delete)
        assert not win.project.has_row("annotations", wrong.id)
        assert win.team.indicator.text() == "2 changes waiting"
        press(win, Qt.Key.Key_F9)  # Team ▸ Sync
        qtbot.waitUntil(lambda: win.team.state == "synced", timeout=30_000)
        assert win.team.indicator.text() == "Synced ✓"
        assert "pushed 2" in win.statusBar().currentMessage()
    finally:
        win.close()
        win.project.close()

    with Project.open(tmp_path / "ben.db") as theirs:
        report = sync(theirs, team.url(ben))
        assert report.pulled == 2
        assert [(a.id, a.quote, a.annotator) for a in theirs.annotations()] == [(short.id, "fled Latakia", ben)]
