"""Load-and-first-paint of a long annotated document, against bare setPlainText, and adding one span.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/workspace_load.py

For each size (10k, 100k, 1M characters, with 10 annotations per 1,000 characters, many of them
overlapping) it prints, median of 3 runs:
  bare   QPlainTextEdit.setPlainText + first paint (the floor)
  load   open the project, read the document and its annotations from the file, build the span
         index, set the text with the highlighter attached, first paint
  ratio  load / bare (target: within 3x, stretch 2x)
  rest   the work left for idle time after the first paint: reading the spans beyond the first
         screen and highlighting the rest of the text (the app does it in 0 ms timer slices, and
         at once for whatever is scrolled into view)
  add    add one annotation through the core, stored in SQLite and repainted (median of 20;
         target under 16 ms)
  window the same through the whole main window (the key press's handler, every dock listening,
         status bar and inspector updated, the pane repainted)
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QPlainTextEdit

# The same generated prose as benchmarks/run.py, so the pane-only and whole-window figures compare.
from run import make_text

from annotator import Project
from annotator.history import RowChange
from ui.document_pane import DocumentPane
from ui.session import Session


def make_project(folder: Path, size: int, rng: random.Random) -> tuple[Path, str]:
    path = folder / f"bench-{size}.db"
    project = Project.create(path)
    document = project.add_document(make_text(size, rng), title=f"{size:,} characters")
    labels = [label.name for label in project.labels()]
    with project.group("bench"):
        rows = []
        for _ in range(size // 100):
            start = rng.randrange(0, size - 200)
            end = start + rng.randint(3, 120)
            rows.append(RowChange("annotations", None, project.annotation_row(
                document.id, start, end, rng.choice(labels), annotator=rng.choice(["ana", "ben"]), propose=False)))
        project.register_annotator("ana")
        project.register_annotator("ben")
        project.commit("bench", rows)
    project.close()
    return path, document.id


def bare(text: str) -> float:
    view = QPlainTextEdit()
    view.resize(900, 1000)
    view.show()
    started = time.perf_counter()
    view.setPlainText(text)
    view.viewport().repaint()
    elapsed = time.perf_counter() - started
    view.close()
    view.deleteLater()
    return elapsed


def load(path: Path, document_id: str) -> tuple[float, Project, DocumentPane]:
    started = time.perf_counter()
    project = Project.open(path)
    session = Session(project, "ana")
    pane = DocumentPane(session, document_id)
    pane.resize(900, 1000)
    pane.show()
    pane.view.viewport().repaint()
    elapsed = time.perf_counter() - started
    session.changed.connect(pane.apply_change)
    return elapsed, project, pane


def finish(pane: DocumentPane) -> float:
    started = time.perf_counter()
    pane.view._idle.stop()
    pane.view.complete()
    pane.view.highlighter.finish_pending(budget=10**9)
    return time.perf_counter() - started


def add_one(project: Project, pane: DocumentPane, rng: random.Random) -> float:
    times = []
    text_length = len(pane.document.text)
    for _ in range(20):
        start = rng.randrange(0, min(text_length - 50, 3000))
        started = time.perf_counter()
        project.add_annotation(pane.document_id, start, start + 12, "Claim", annotator="ana", propose=False)
        pane.view.viewport().repaint()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def add_in_window(path: Path, document_id: str, rng: random.Random) -> float:
    from PySide6.QtCore import QSettings

    from ui.app import open_window

    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = open_window(path, "ana", [document_id], settings)
    pane = window.panes.panes()[0]
    pane.view.complete()
    times = []
    claim = window.project.label("Claim").id
    for _ in range(20):
        start = rng.randrange(0, 3000)
        pane.view.select_text(start, start + 12)
        started = time.perf_counter()
        window.apply_label(claim)
        pane.view.viewport().repaint()
        times.append(time.perf_counter() - started)
    window.close()
    window.project.close()
    return statistics.median(times)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    rng = random.Random(7)
    folder = Path(tempfile.mkdtemp())
    print(f"{'characters':>11} {'spans':>7} {'bare ms':>9} {'load ms':>9} {'ratio':>6} {'rest ms':>8} {'add ms':>7} {'window ms':>9}")
    for size in (10_000, 100_000, 1_000_000):
        path, document_id = make_project(folder, size, rng)
        text = Project.open(path).document(document_id).text
        bares, loads, rests, adds = [], [], [], []
        for _ in range(3):
            bares.append(bare(text))
            app.processEvents()
            elapsed, project, pane = load(path, document_id)
            loads.append(elapsed)
            rests.append(finish(pane))
            adds.append(add_one(project, pane, rng))
            pane.close()
            pane.deleteLater()
            project.close()
            app.processEvents()
        b, lo, ad = statistics.median(bares), statistics.median(loads), statistics.median(adds)
        rest = statistics.median(rests)
        whole = add_in_window(path, document_id, rng)
        print(f"{size:>11,} {size // 100:>7,} {b * 1000:>9.1f} {lo * 1000:>9.1f} {lo / b:>6.2f} {rest * 1000:>8.1f}"
              f" {ad * 1000:>7.2f} {whole * 1000:>9.2f}")


if __name__ == "__main__":
    main()
