"""The scaling plot in docs/performance.md: opening a document (first paint) against its floor and peers, by size.

    .venv/bin/python benchmarks/plot.py ROWS.json docs/performance.png

ROWS.json is what ``benchmarks/run.py --json`` writes. matplotlib is only needed here (the
``bench`` extra), never by the app.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SIZE = re.compile(r"^open (\S+)/(\S+) ")


def value(text: str) -> int:
    return int(float(text[:-1]) * (1_000_000 if text.endswith("M") else 1000))


def main(rows_path: Path, out: Path) -> None:
    series: dict[str, dict[str, float]] = {}
    for row in json.loads(rows_path.read_text()):
        match = SIZE.match(row["case"])
        if not match or row["figure"] is None:
            continue
        size = f"{match[1]} chars\n{match[2]} spans"
        series.setdefault("Annotator window", {})[size] = row["figure"]
        series.setdefault(row["floor_name"], {})[size] = row["floor"]
    sizes = list(series.get("Annotator window", {}))
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    for name, points in series.items():
        xs = [i for i, s in enumerate(sizes) if s in points]
        ax.plot(xs, [points[sizes[i]] for i in xs], marker="o", label=name, linewidth=2.5 if name.startswith("Annotator") else 1.5)
    ax.set_xticks(range(len(sizes)), sizes)
    ax.set_yscale("log")
    ax.set_ylabel("open to first paint (ms, log)")
    ax.set_title("Opening a document: the window against a bare editor and two naive peers")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
