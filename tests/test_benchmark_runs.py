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
