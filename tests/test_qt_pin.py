"""Guard against PySide6 builds that abort after a few thousand void calls (6.12.0 on Python 3.11, DESIGN.md).

The broken build drops a reference to ``None`` on every Qt method that returns nothing; the
interpreter dies in ``none_dealloc`` (exit 134) after ~5,000 calls. 20,000 calls must pass.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("PySide6.QtCore")

CALLS = 20_000

PROBE = f"""
import sys
from PySide6.QtCore import QObject, QTimer
obj = QObject()
timer = QTimer()
for i in range({CALLS}):
    obj.setObjectName("x")      # void
    timer.setInterval(i % 1000)  # void
    timer.setSingleShot(i % 2 == 0)  # void
assert obj.objectName() == "x" and timer.interval() == ({CALLS} - 1) % 1000
print("ok", sys.getrefcount(None) > 0)
"""


def test_void_qt_calls_do_not_abort() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert done.stdout.startswith("ok True")
