"""Start the desktop app: parse the command line, open the project, ask who is reviewing."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from annotator import Project
from annotator.errors import AnnotatorError
from annotator.paths import default_project
from ui import input_pause
from ui.main_window import MainWindow
from ui.recent import remember
from ui.style import apply_palette

_windows: list[MainWindow] = []  # keep windows alive (Qt does not own top-level windows)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="annotator gui", description="Open a project in the desktop app.")
    parser.add_argument("project", nargs="?", type=Path, help="project file (default: the sample project)")
    parser.add_argument("--open", nargs="+", default=None, metavar="ID", help="documents to open side by side")
    parser.add_argument("--reviewer", help="annotate as this reviewer (no first-run prompt)")
    return parser.parse_args(argv)


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        # The style as Qt's own -style argument: app.setStyle("Fusion") hands Python the QStyle it
        # makes, and wrapping it creates QStyle's ~600 enum members before the first frame.
        app = QApplication([sys.argv[0] if sys.argv else "annotator", "-style", "Fusion"])
        app.setOrganizationName("Annotator")
        app.setApplicationName("Annotator")
        apply_palette(app)
    assert isinstance(app, QApplication)
    return app


def set_if_changed(settings: QSettings, key: str, value: str) -> None:
    """Qt rewrites the settings file (a lock, a temporary file, two fdatasyncs, a rename) in the
    event loop's first pass after any setValue: at a start with the same project and reviewer as
    last time, before the first frame, for nothing."""
    if settings.value(key) != value:
        settings.setValue(key, value)


def ask_reviewer(settings: QSettings) -> str | None:
    """The first start asks once; the answer is remembered."""
    name = settings.value("reviewer")
    if isinstance(name, str) and name.strip():
        return name
    import getpass  # a first start only

    try:
        suggestion = getpass.getuser()
    except (KeyError, OSError):
        suggestion = ""
    from PySide6.QtWidgets import QInputDialog  # a first start only

    name, ok = QInputDialog.getText(None, "Welcome to Annotator",
                                    "Your name as a reviewer (recorded on every annotation you make):",
                                    text=suggestion)
    if not ok or not name.strip():
        return None
    settings.setValue("reviewer", name.strip())
    return name.strip()


def open_window(path: Path, reviewer: str, open_ids: list[str] | None = None,
                settings: QSettings | None = None, first_frame_first: bool = False) -> MainWindow:
    """The window on ``path``. ``first_frame_first`` (the app's start) paints the window before
    restoring the last session's panes; scripts and tests get them at once."""
    project = Project.open(path)
    settings = settings or QSettings()
    set_if_changed(settings, "last_project", str(path))
    starting = first_frame_first and open_ids is None
    if starting:
        # Background steps start yielding to input two passes of the event loop on, after the first
        # frame (even if this window is gone by then)
        input_pause.hold()
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, input_pause.release))
    window = MainWindow(project, reviewer, settings)
    if starting:
        window.restore_layout()
        window.open_panes_after_first_frame()
        # File ▸ Open Recent learns the project two passes of the event loop on: after the first frame
        QTimer.singleShot(0, window, lambda: QTimer.singleShot(0, window, lambda: remember(Path(path))))
    else:
        remember(Path(path))
        window.restore(open_ids)
    window.show()
    _windows.append(window)
    window.destroyed.connect(lambda: _windows.remove(window) if window in _windows else None)
    return window


def collect_garbage() -> None:
    """Turn the garbage collector on (main.py turns it off while the app starts). What the start
    made (modules, classes, the window) lives as long as the app: frozen, no collection scans it
    again. Collecting while starting cost ~70 passes over a growing heap before the first frame."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _excepthook(kind: type[BaseException], error: BaseException, trace: object) -> None:
    """A user error raised in any slot is shown in the window, never lost to stderr: a write
    that was refused (locked, read-only, changed by another program) must be seen."""
    if isinstance(error, AnnotatorError):
        window = next((w for w in _windows if w.isActiveWindow()), _windows[-1] if _windows else None)
        if window is not None:
            window.report_error(error)
            return
    sys.__excepthook__(kind, error, trace)  # type: ignore[arg-type]


def main(argv: list[str] | None = None, built: Callable[[], None] | None = None) -> int:
    """``built`` is called once the window is built, before the event loop (main.py keeps what the
    start compiled)."""
    args = parse(sys.argv[1:] if argv is None else argv)
    app = application()
    sys.excepthook = _excepthook
    settings = QSettings()
    try:
        path = args.project or default_project()
        reviewer = args.reviewer or ask_reviewer(settings)
        if reviewer is None:
            return 1
        if args.reviewer:
            set_if_changed(settings, "reviewer", args.reviewer)
        open_window(path, reviewer, args.open, settings, first_frame_first=True)
    except AnnotatorError as error:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Annotator", str(error))
        print(f"Error: {error}", file=sys.stderr)
        return 1
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, collect_garbage))  # after the first frame
    if built is not None:
        built()
    return app.exec()
