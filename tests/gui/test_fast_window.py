"""What keeps the window fast on long documents (behaviour, never timings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QHeaderView

ROOT = Path(__file__).resolve().parents[2]


def test_annotation_table_never_sizes_columns_to_contents(window) -> None:
    header = window.table.table.horizontalHeader()
    modes = [header.sectionResizeMode(c) for c in range(header.count())]
    assert QHeaderView.ResizeMode.ResizeToContents not in modes
    assert window.table.table.verticalHeader().sectionResizeMode(0) != QHeaderView.ResizeMode.ResizeToContents


def test_an_add_lands_in_sorted_place_without_a_reset(window) -> None:
    pane = window.panes.panes()[0]
    project = window.project
    project.add_annotation(pane.document_id, 20, 25, "Claim", annotator="ana")
    project.add_annotation(pane.document_id, 0, 8, "Claim", annotator="ana")
    events: list[str] = []
    window.table.model.modelReset.connect(lambda: events.append("reset"))
    window.table.model.rowsInserted.connect(lambda _p, first, _last: events.append(f"insert {first}"))
    project.add_annotation(pane.document_id, 10, 15, "Claim", annotator="ana")
    assert events == ["insert 1"]
    assert [a.start for a in window.table.model.rows] == [0, 10, 20]


def test_switching_back_to_a_pane_does_not_reread_its_annotations(window, monkeypatch) -> None:
    first, second = window.panes.panes()
    reads: list[str] = []
    real = window.project.annotations
    monkeypatch.setattr(window.project, "annotations", lambda *a, **k: reads.append(a) or real(*a, **k))
    window.panes.set_current(second)
    window.panes.set_current(first)
    window.panes.set_current(second)
    assert reads == []


def test_start_up_imports_no_pandas_numpy_trafilatura_or_sqlite_utils() -> None:
    code = ("import sys, json; import main, ui.app, ui.main_window; "
            "print(json.dumps(sorted(m for m in ('pandas', 'numpy', 'trafilatura', 'sqlite_utils', 'krippendorff') "
            "if m in sys.modules)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
