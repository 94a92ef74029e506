"""Cold-start probe: run ``main.py ARGS`` (or a bare QMainWindow) and exit at the first frame.

    python benchmarks/first_frame.py app PROJECT --reviewer ana
    python benchmarks/first_frame.py bare

The parent (benchmarks/run.py) times the whole process from spawn to exit, so interpreter start,
imports and opening the project all count. ``ui.app.open_window`` is wrapped (not changed) so that
once the window is shown a 0 ms timer, which fires after the first pass of the event loop (expose
and paint), repaints the window, prints its resident memory and exits without teardown.

The probe imports nothing of the app's before ``main.py`` does: the wrap is installed when ``main.py``
itself imports ``ui.app``, so the app's modules load in the order a user's start loads them (PySide6's
import hook reads the source of every module imported after PySide6, so a probe that imported PySide6
first would time a start no user has).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mib() -> float:
    """Resident memory now (VmRSS), not the peak: what the process holds after starting."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def first_frame(window) -> None:
    window.repaint()
    print(f"FIRSTFRAME {rss_mib():.1f}", flush=True)
    os._exit(0)


def wrap(app_module) -> None:
    """Wrap ``ui.app.open_window``: the first frame of the window it returns ends the process."""
    from PySide6.QtCore import QTimer

    original = app_module.open_window

    def wrapped(*args, **kwargs):
        window = original(*args, **kwargs)
        QTimer.singleShot(0, lambda: first_frame(window))
        return window

    app_module.open_window = wrapped


class WrapOnImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: when ``ui.app`` is imported, wraps it once it has run."""

    def find_spec(self, name, path, target=None):
        if name != "ui.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module) -> None:
            run(module)
            wrap(module)

        spec.loader.exec_module = exec_module
        return spec


def main() -> None:
    if sys.argv[1] == "bare":
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication([])
        window = QMainWindow()
        window.resize(1500, 900)
        window.show()
        QTimer.singleShot(0, lambda: first_frame(window))
        app.exec()
        return
    sys.path.insert(0, str(ROOT))
    sys.meta_path.insert(0, WrapOnImport())
    sys.argv = [str(ROOT / "main.py"), *sys.argv[2:]]
    runpy.run_path(str(ROOT / "main.py"), run_name="__main__")


if __name__ == "__main__":
    main()
