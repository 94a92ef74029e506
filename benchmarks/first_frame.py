"""Cold-start probe: run ``main.py ARGS`` (or a bare QMainWindow) and exit at the first frame.

    python benchmarks/first_frame.py app PROJECT --reviewer ana
    python benchmarks/first_frame.py bare

The parent (benchmarks/run.py) times the whole process from spawn to exit, so interpreter start,
imports and opening the project all count. ``ui.app.open_window`` is wrapped (not changed) so that
once the window is shown a 0 ms timer, which fires after the first pass of the event loop (expose
and paint), repaints the window, prints its resident memory and exits without teardown.
"""

from __future__ import annotations

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


def main() -> None:
    from PySide6.QtCore import QTimer

    if sys.argv[1] == "bare":
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication([])
        window = QMainWindow()
        window.resize(1500, 900)
        window.show()
        QTimer.singleShot(0, lambda: first_frame(window))
        app.exec()
        return
    sys.path.insert(0, str(ROOT))
    import ui.app

    original = ui.app.open_window

    def wrapped(*args, **kwargs):
        window = original(*args, **kwargs)
        QTimer.singleShot(0, lambda: first_frame(window))
        return window

    ui.app.open_window = wrapped
    sys.argv = [str(ROOT / "main.py"), *sys.argv[2:]]
    runpy.run_path(str(ROOT / "main.py"), run_name="__main__")


if __name__ == "__main__":
    main()
