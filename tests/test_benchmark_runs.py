"""benchmarks/run.py runs end to end: one cheap case in quick mode prints its table row (timings are not asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_html_case_prints_a_table_row(tmp_path: Path) -> None:
    env = {**os.environ, "ANNOTATOR_BENCH_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--case", "html",
                          "--json", str(tmp_path / "rows.json")], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("| case | figure (ms) | floor / peer |")
    row = next(line for line in lines if line.startswith("| import 40 HTML pages |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2] == "trafilatura alone"
    assert cells[4].endswith("x")  # a ratio was computed from two real measurements
    assert cells[8] == "<= 1.2x" and cells[9].split()[0] in {"PASS", "FAIL"}
    assert "SKIPPED" not in out.stdout and "ERROR" not in out.stdout


def test_each_export_floor_writes_every_row_its_format_carries(tmp_path: Path) -> None:
    """A floor that skipped rows or columns would flatter the exports measured against it."""
    import csv
    import json

    from annotator import Project
    from annotator.importers.base import ImportedDocument, ImportedSpan
    from benchmarks.export_floors import FLOORS, write_floor

    path = tmp_path / "floors.db"
    with Project.create(path) as project:
        text = "The monitor said 973 civilians were killed, ministry says 1,200 \U0001F469."
        spans = [ImportedSpan(0, 11, "Actor"), ImportedSpan(17, 42, "Figure"), ImportedSpan(43, 62, "Claim"),
                 ImportedSpan(17, 20, "Figure", annotator="bob")]
        project.import_documents([ImportedDocument(text, {"title": "One"}, spans), ImportedDocument("Empty.", {"title": "Two"}, [])])
    for name, floor in FLOORS.items():
        out = tmp_path / f"{name}.out"
        write_floor(path, out, floor)
        if floor.writer == "csv":
            rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
            assert all(len(row) == len(floor.annotations) for row in rows), name
        else:
            rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            if floor.ascii:
                assert out.read_bytes().isascii(), name
        expected = {"figure": 2, "claim": 1}.get(floor.role, 4)
        if floor.documents:
            assert len(rows) == 2 and sorted(len(row["spans"]) for row in rows) == [0, 4], name
            assert rows[0]["text"] == text or rows[1]["text"] == text, name
        else:
            assert len(rows) == expected, name
