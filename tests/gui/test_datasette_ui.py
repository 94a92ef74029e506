"""File ▸ Browse in Datasette writes what ``annotator datasette`` writes and starts Datasette without blocking."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QMessageBox

from annotator import datasette
from annotator.datasette import metadata


def test_without_datasette_the_metadata_is_written_and_the_install_command_shown(window, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(datasette, "datasette_command", lambda: None)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *rest: shown.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: (_ for _ in ()).throw(AssertionError("asked")))
    window.actions_["browse_in_datasette"].trigger()
    project = Path(window.project.path)
    written = project.with_name("ui.datasette.json")
    assert json.loads(written.read_text(encoding="utf-8")) == metadata(project)  # what the CLI writes
    assert shown == [f"Wrote {written}.\n\nDatasette is not installed. Install it with:\n\n"
                     f"{datasette.install_command()}\n\nthen choose File ▸ Browse in Datasette again."]
    assert datasette.install_command().endswith(" -m pip install datasette")


def test_with_datasette_it_starts_as_a_child_process_on_the_project_and_metadata(qtbot, window, monkeypatch) -> None:
    # A stand-in for Datasette that records its arguments beside the project, then waits like a server. The
    # record is renamed into place, so the test never reads a file that exists but is not written yet.
    script = ("import sys, pathlib, time; p = pathlib.Path(sys.argv[1]); part = p.with_suffix('.part'); "
              "part.write_text('\\n'.join(sys.argv[1:])); part.rename(p.with_suffix('.argv')); time.sleep(5)")
    monkeypatch.setattr(datasette, "datasette_command", lambda: [sys.executable, "-c", script])
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *rest: asked.append(text) or QMessageBox.StandardButton.Yes)
    from ui.datasette_launch import browse_in_datasette

    process = browse_in_datasette(window)
    assert process is not None and process.state() != QProcess.ProcessState.NotRunning  # the window did not wait
    project = Path(window.project.path)
    written = project.with_name("ui.datasette.json")
    assert "Start Datasette on ui.db now?" in asked[0] and written.is_file()
    argv = project.with_suffix(".argv")
    qtbot.waitUntil(argv.exists, timeout=10000)
    assert argv.read_text().splitlines() == [str(project), "-m", str(written), "--open"]
    process.kill()
    assert process.waitForFinished(3000)


def test_a_datasette_that_stops_with_an_error_says_why(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(datasette, "datasette_command",
                        lambda: [sys.executable, "-c", "print('Error: port 8001 is in use'); raise SystemExit(1)"])
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warned.append(text))
    from ui.datasette_launch import browse_in_datasette

    process = browse_in_datasette(window)
    assert process is not None
    qtbot.waitUntil(lambda: bool(warned), timeout=10000)
    assert warned == ["Datasette stopped: Error: port 8001 is in use"]


def test_declining_starts_nothing(window, monkeypatch) -> None:
    monkeypatch.setattr(datasette, "datasette_command", lambda: [sys.executable, "-c", "raise SystemExit(3)"])
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    from ui.datasette_launch import browse_in_datasette

    assert browse_in_datasette(window) is None
    assert Path(window.project.path).with_name("ui.datasette.json").is_file()
