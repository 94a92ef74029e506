"""File ▸ Browse in Datasette: what ``annotator datasette --serve`` does, without blocking the window.

The metadata is written by the same core function (``annotator.datasette.write_metadata``) beside
the project; Datasette runs as a child ``QProcess`` so the window stays usable, and is stopped
when the application quits. Without Datasette, the exact command that installs it is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import datasette
from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from ui.main_window import MainWindow

OPEN_BROWSER = "--open"
"""Datasette opens the browser itself once it serves (on its default port, 8001)."""


def browse_in_datasette(window: MainWindow) -> QProcess | None:
    """Write the metadata; start Datasette if installed and wanted. Returns the started process, if any."""
    project = Path(window.project.path)
    try:
        written = datasette.write_metadata(project)
    except AnnotatorError as error:
        QMessageBox.warning(window, "Datasette", str(error))
        return None
    command = datasette.datasette_command()
    if command is None:
        QMessageBox.information(window, "Datasette", f"Wrote {written}.\n\nDatasette is not installed. Install it "
                                f"with:\n\n{datasette.install_command()}\n\nthen choose File ▸ Browse in Datasette again.")
        return None
    running = getattr(window, "datasette_process", None)
    if running is not None and running.state() != QProcess.ProcessState.NotRunning:
        QMessageBox.information(window, "Datasette", f"Wrote {written}.\n\nDatasette is already running for this "
                                "window; its pages show the new metadata after a restart.")
        return running
    answer = QMessageBox.question(window, "Datasette", f"Wrote {written}.\n\nStart Datasette on {project.name} now? "
                                  "It opens in your web browser.")
    if answer != QMessageBox.StandardButton.Yes:
        return None
    process = QProcess(window)
    process.setProgram(command[0])
    process.setArguments([*command[1:], *datasette.serve_arguments(project, written), OPEN_BROWSER])
    process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
    output: list[str] = []
    process.readyRead.connect(lambda: output.append(bytes(process.readAll().data()).decode("utf-8", "replace")))
    process.errorOccurred.connect(lambda error: _failed(window, process, "") if error ==
                                  QProcess.ProcessError.FailedToStart else None)
    process.finished.connect(lambda code, status: _failed(window, process, "".join(output))
                             if code and status == QProcess.ExitStatus.NormalExit else None)  # killed: we stopped it
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(process.kill)
    window.datasette_process = process
    process.start()
    window.statusBar().showMessage(f"Starting Datasette on {project.name}: {' '.join(process.arguments())}", 8000)
    return process


def _failed(window: MainWindow, process: QProcess, output: str) -> None:
    """Datasette could not start or stopped with an error (a port in use): say so with its last lines."""
    tail = "\n".join(output.strip().splitlines()[-5:])
    QMessageBox.warning(window, "Datasette", f"Datasette stopped: {tail or process.errorString()}")
