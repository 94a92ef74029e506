"""Time every export format on a project of 1,000 documents and 100,000 annotations.

    .venv/bin/python benchmarks/export_formats.py [--documents 1000] [--per-document 100] [--repeat 1]

Builds the project in a temporary folder in one ``project.group(...)`` (one transaction), then
prints one row per format: seconds (best of --repeat), output size, and annotations per second.
The target from the issue: jsonl well under 5 s for 100,000 annotations.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator import Project
from annotator.exporters import FORMATS, export
from annotator.history import RowChange

WORDS = ("the", "ministry", "said", "at", "least", "1,200", "civilians", "were", "killed", "in", "Aleppo", "on",
         "Tuesday", "while", "officials", "denied", "the", "figure", "👨‍👩‍👧", "قال", "مسؤولون", "إن", "973", "مدنياً",
         "قتلوا", "🇫🇷", "reported", "by", "witnesses")


def build(path: Path, documents: int, per_document: int, seed: int = 7) -> Project:
    """A project with ``documents`` texts of ~600 words and ``per_document`` spans each, some overlapping."""
    rng = random.Random(seed)
    project = Project.create(path)
    labels = [label.name for label in project.labels()]
    with project.group("benchmark data"):
        for number in range(documents):
            text = f"Report {number}.\n" + " ".join(rng.choice(WORDS) for _ in range(600))
            document = project.add_document(text, title=f"Report {number}", outlet=f"Outlet {number % 7}")
            rows = []
            for _ in range(per_document):
                start = rng.randrange(0, len(text) - 40)
                end = start + rng.randrange(1, 40)
                rows.append(RowChange("annotations", None, project.annotation_row(
                    document.id, start, end, rng.choice(labels), annotator=rng.choice(("alice", "bob")),
                    attributes={"certainty": "reported"} if rng.random() < 0.3 else {},
                    note="checked" if rng.random() < 0.05 else None)))
            project.commit("benchmark data", rows)
    for name in ("alice", "bob"):
        project.db.execute("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, '')", [name])
    project.history.clear()
    return project


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--per-document", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    try:
        started = time.perf_counter()
        project = build(folder / "bench.db", args.documents, args.per_document)
        total = args.documents * args.per_document
        print(f"built {args.documents:,} documents, {total:,} annotations in {time.perf_counter() - started:.1f} s")
        print(f"{'format':<10}{'seconds':>10}{'MB':>10}{'annotations/s':>16}")
        for name in FORMATS:
            best = float("inf")
            for attempt in range(args.repeat):
                out = folder / f"{name}-{attempt}"
                started = time.perf_counter()
                try:
                    result = export(project, name, out)
                except Exception as error:  # e.g. spaCy not installed: say so and go on
                    print(f"{name:<10}{'—':>10}  {error}")
                    break
                best = min(best, time.perf_counter() - started)
                megabytes = size(result.data) / 1e6
                shutil.rmtree(out)
            else:
                print(f"{name:<10}{best:>10.2f}{megabytes:>10.1f}{total / best:>16,.0f}")
        project.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
