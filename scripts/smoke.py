"""Smoke test of an installed Annotator: the path a new user takes, through the real ``annotator`` command.

CI runs it in ``.venv-lowest`` (every dependency at the minimum pyproject.toml allows, scripts/lowest.sh)
to prove those minimums work: create a project, import seeds/, annotate as two reviewers, export
jsonl and qdpx, compute agreement, then open the GUI offscreen for a moment. Needs no test tools.

    .venv-lowest/bin/python scripts/smoke.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
COMMAND = Path(sys.executable).parent / "annotator"  # the console script of this interpreter's venv


def annotator(*args: object, env: dict[str, str] | None = None) -> str:
    """Run ``annotator ARGS`` and return its stdout; any failure stops the smoke test with its stderr."""
    done = subprocess.run([str(COMMAND), *map(str, args)], capture_output=True, text=True, env=env, timeout=300)
    if done.returncode != 0:
        sys.exit(f"smoke: annotator {' '.join(map(str, args))} exited {done.returncode}\n{done.stdout}{done.stderr}")
    return done.stdout


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"smoke: {what}")


def cli_steps(db: Path, out: Path) -> list[str]:
    """Every core step through the command line; returns the document ids."""
    check(annotator("--version").startswith("annotator, version "), "annotator --version")  # finds its distribution
    annotator("init", db)
    check("Imported 5 documents" in annotator("import", db, SEEDS), "seeds/ did not import 5 documents")
    docs = json.loads(annotator("docs", db, "--json"))
    ids = [d["id"] for d in docs]
    check(len(ids) == 5, f"expected 5 documents, got {len(ids)}")

    from annotator import Project  # the core API too, to find a real span to annotate

    with Project.open(db) as project:
        text = project.document(ids[0]).text
    start = text.index("Alawite")
    end = start + len("Alawite")
    for reviewer in ("maya", "omar"):
        annotator("annotate", db, ids[0][:8], start, end, "Actor", "--annotator", reviewer)

    annotator("export", db, "--format", "jsonl", "-o", out)
    records = [json.loads(line) for line in (out / "dataset.jsonl").read_text(encoding="utf-8").splitlines()]
    spans = [a for r in records for a in r.get("annotations", [])]
    check(len(records) == 5 and len(spans) == 2, f"jsonl export: {len(records)} documents, {len(spans)} annotations")
    # qdpx deflates project.qde with isal (its minimum's API): the archive must read back whole
    annotator("export", db, "--format", "qdpx", "-o", out)
    with zipfile.ZipFile(out / "project.qdpx") as archive:
        check(archive.testzip() is None and b"PlainTextSelection" in archive.read("project.qde"), "qdpx export does not read back")

    report = json.loads(annotator("agreement", db, "--annotators", "maya,omar", "--json"))
    check("maya" in json.dumps(report) and "omar" in json.dumps(report), "agreement report names neither reviewer")
    return ids


GUI_PROBE = """
import sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from ui.app import application, open_window
app = application()
win = open_window(Path(sys.argv[1]), "maya", sys.argv[3:], QSettings(sys.argv[2], QSettings.Format.IniFormat))
seen = []
def look():
    seen.append((win.isVisible(), len(win.panes.panes())))
    app.quit()
QTimer.singleShot(1500, look)
app.exec()
assert seen == [(True, 2)], seen
win.close()
win.project.close()
print("gui ok", seen[0][1])
"""


def gui_steps(db: Path, ids: list[str], tmp: Path) -> None:
    """Open two documents in the real main window offscreen, then the ``annotator gui`` command for a moment."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp / "config"),
           "XDG_DATA_HOME": str(tmp / "data")}
    done = subprocess.run([sys.executable, "-c", GUI_PROBE, str(db), str(tmp / "settings.ini"), *ids[:2]],
                          capture_output=True, text=True, env=env, timeout=300, cwd=tmp)
    check(done.returncode == 0 and "gui ok 2" in done.stdout, f"GUI window: exit {done.returncode}\n{done.stderr[-3000:]}")

    app = subprocess.Popen([str(COMMAND), "gui", str(db), "--open", ids[0], "--open", ids[1], "--reviewer", "maya"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    crashed = app.poll()
    app.terminate()
    _, err = app.communicate(timeout=30)
    check(crashed is None, f"annotator gui exited {crashed} within 4 s\n{err[-3000:]}")
    check("Traceback" not in err, f"annotator gui wrote a traceback\n{err[-3000:]}")


def main() -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        ids = cli_steps(tmp / "coverage.db", tmp / "out")
        gui_steps(tmp / "coverage.db", ids, tmp)
    print(f"smoke: ok in {time.monotonic() - started:.1f} s (init, import, annotate, export jsonl and qdpx, agreement, GUI)")


if __name__ == "__main__":
    main()
