"""At twice the scale (QT_SCALE_FACTOR=2, set before the QApplication exists: a process of its own)
the window renders at twice the pixels and the pane header's lines are not clipped; header fonts are
in points, so they follow the desktop's font DPI as the body text does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r'''
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from annotator import Project
from ui.app import application, open_window
folder = Path(sys.argv[1])
app = application()
path = folder / "dpi.db"
with Project.create(path) as project:
    project.add_document("Over 1,200 Alawites were killed, the monitor said. " * 20,
                         title="A long title for the high DPI check", outlet="Wire", published="2025-03-10")
window = open_window(path, "ana", None, QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
for _ in range(5):
    app.processEvents()
pane = window.panes.panes()[0]
image = window.grab()
out = {"dpr": window.devicePixelRatio(), "grab": [image.width(), image.height()], "size": [window.width(), window.height()],
       "labels": {name: [label.height(), label.sizeHint().height(), label.fontMetrics().height(), label.font().pixelSize()]
                  for name, label in (("title", pane.title), ("meta", pane.meta))}}
print(json.dumps(out))
window.close()
window.project.close()
'''


def test_window_at_twice_the_scale_is_sharp_and_unclipped(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2",
           "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["dpr"] == 2.0
    assert out["grab"] == [2 * out["size"][0], 2 * out["size"][1]], "the window renders at the screen's pixels"
    title, meta = out["labels"]["title"], out["labels"]["meta"]
    for height, hint, text_height, _ in (title, meta):
        assert height >= hint and height >= text_height, "a header line is clipped"
    assert title[2] > meta[2], "the title reads larger than its metadata line"
    assert title[3] == -1 and meta[3] == -1, "header fonts in points (a pixel size ignores the desktop's font DPI)"
