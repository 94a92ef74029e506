"""Starting the app: scripted launch, first-run prompt, default project, and surviving SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtWidgets import QApplication, QInputDialog

from annotator import Project
from tests.gui.conftest import EMOJI_TEXT

ROOT = Path(__file__).resolve().parents[2]


def test_scripted_launch_opens_documents_with_focus_and_caret_at_start(qtbot, project_path, settings, monkeypatch):
    from ui import app

    monkeypatch.setattr(app, "QSettings", lambda: settings)
    with Project.open(project_path) as project:
        ids = [d.id for d in project.documents(with_text=False)]
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: asked.append(1) or ("x", True))
    assert app.main([str(project_path), "--open", ids[1][:8], ids[0], "--reviewer", "maya"]) == 0
    window = app._windows[-1]
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.activateWindow()
    panes = window.panes.panes()
    assert [p.document_id for p in panes] == [ids[1], ids[0]]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panes[0].view)
    assert panes[0].view.textCursor().position() == 0
    assert window.session.reviewer == "maya"
    assert not asked
    window.close()
    window.project.close()


def test_first_start_asks_the_reviewer_once(settings, monkeypatch):
    from ui import app

    answers = iter([("Lina", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    assert app.ask_reviewer(settings) == "Lina"
    assert app.ask_reviewer(settings) == "Lina"  # remembered: a second call would exhaust the answers


def test_default_project_is_created_with_the_sample_articles(tmp_path, monkeypatch):
    from annotator.paths import default_project

    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "data"))
    path = default_project()
    with Project.open(path) as project:
        titles = [d.title for d in project.documents(with_text=False)]
    assert len(titles) == 5
    assert "Unrest and Sectarian Violence Escalate in Post-Assad Syria" in titles
    assert default_project() == path  # the second start opens the same file


CHILD = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QTextCursor
    from ui.app import application, open_window
    app = application()
    path, settings_file = sys.argv[1], sys.argv[2]
    window = open_window(path, "ana", None, QSettings(settings_file, QSettings.Format.IniFormat))
    pane = window.panes.open(window.project.documents(with_text=False)[0].id)
    text = pane.document.text
    start = text.index("fled")
    pane.view.select_text(start, start + 4)
    window.apply_label(window.project.label("Figure").id)
    print("annotated", flush=True)
    app.exec()
""")


def test_annotation_survives_sigkill_right_after_it_is_made(project_path, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(project_path), str(tmp_path / "s.ini")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = child.stdout.readline()
        assert line.strip() == "annotated", child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    conn = sqlite3.connect(project_path)
    found = conn.execute("SELECT quote, start FROM annotations").fetchall()
    conn.close()
    assert found == [("fled", EMOJI_TEXT.index("fled"))]


def test_first_start_on_a_project_shows_its_first_articles_side_by_side(qtbot, project_path, settings):
    from ui.app import open_window

    window = open_window(project_path, "ana", None, settings)
    qtbot.addWidget(window)
    with Project.open(project_path) as project:
        first_two = [d.id for d in project.documents(with_text=False)][:2]
    assert [p.document_id for p in window.panes.panes()] == first_two
    window.documents.filter.setText("not started")  # the status filter reads words, not the ○ mark
    assert window.documents.proxy.rowCount() == 2
    window.close()
    window.project.close()
