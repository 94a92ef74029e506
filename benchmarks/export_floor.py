"""Every export format against its floor: json.dumps / csv.writer of the same fields (export_floors.py).

    PYTHONPATH=. .venv/bin/python benchmarks/export_floor.py [--documents 1000] [--per-document 100]
        [--repeat 1] [--formats jsonl,csv] [--profile FORMAT]

The floor is what any exporter must at least do: read the fields its format carries from SQLite
and write them with the standard library (``benchmarks/export_floors.py``, the floors the
whole-window benchmark uses); the target is 1.5x (spaCy aside, shown against jsonl's floor: its own
serialisation dominates). The project is built
once (``Project.import_documents``) and cached under the temp folder between runs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator import Project
from annotator.exporters import FORMATS, export
from annotator.importers.base import ImportedDocument, ImportedSpan
from benchmarks.export_floors import FLOORS, write_floor

WORDS = ("the", "ministry", "said", "at", "least", "1,200", "civilians", "were", "killed", "in", "Aleppo", "on",
         "Tuesday", "while", "officials", "denied", "the", "figure", "👨‍👩‍👧", "قال", "مسؤولون", "إن", "973", "مدنياً",
         "قتلوا", "🇫🇷", "reported", "by", "witnesses")
CACHE = Path(tempfile.gettempdir()) / "annotator-export-floor"


def build(path: Path, documents: int, per_document: int, seed: int = 7) -> None:
    """``documents`` texts of ~600 words with ``per_document`` spans each (some overlapping, some with attributes)."""
    rng = random.Random(seed)
    project = Project.create(path)
    labels = [label.name for label in project.labels()]
    items = []
    for number in range(documents):
        text = f"Report {number}.\n" + " ".join(rng.choice(WORDS) for _ in range(600))
        spans = []
        for _ in range(per_document):
            start = rng.randrange(0, len(text) - 40)
            label = rng.choice(labels)
            attributes = {"certainty": "reported"} if label == "Claim" and rng.random() < 0.3 else None
            spans.append(ImportedSpan(start, start + rng.randrange(1, 40), label, annotator=rng.choice(("alice", "bob")),
                                      attributes=attributes, note="checked" if rng.random() < 0.05 else None))
        items.append(ImportedDocument(text, {"title": f"Report {number}", "outlet": f"Outlet {number % 7}"}, spans,
                                      source=f"report-{number}.txt"))
    project.import_documents(items)
    project.close()


def best_of(repeat: int, run: Callable[[Path], object], folder: Path, name: str) -> float:
    best = float("inf")
    for attempt in range(repeat):
        out = folder / f"{name}-{attempt}"
        os.sync()  # the writes of the run before on the disk first: an export's fsync would write them out too
        started = time.perf_counter()
        run(out)
        best = min(best, time.perf_counter() - started)
        if out.is_dir():
            shutil.rmtree(out)
        else:
            out.unlink(missing_ok=True)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--per-document", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--profile", help="cProfile this format once and print the top functions")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    from annotator.store.schema import SCHEMA_VERSION  # a file built before a migration lacks what it fills

    source = CACHE / f"bench-{args.documents}x{args.per_document}-schema{SCHEMA_VERSION}.db"
    if not source.exists():
        started = time.perf_counter()
        build(source, args.documents, args.per_document)
        print(f"built {source} in {time.perf_counter() - started:.1f} s")
    folder = Path(tempfile.mkdtemp(prefix="annotator-floor-"))
    try:
        shutil.copyfile(source, folder / "bench.db")
        with Project.open(folder / "bench.db") as project:
            if args.profile:
                profiler = cProfile.Profile()
                profiler.runcall(export, project, args.profile, folder / "profiled")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
                return
            print(f"{'format':<12}{'seconds':>10}{'floor':>8}{'ratio':>8}")
            for name in args.formats.split(","):
                spec = FLOORS.get(name, FLOORS["jsonl"])
                floor = best_of(args.repeat, lambda out, f=spec: write_floor(folder / "bench.db", out, f), folder, "floor")
                seconds = best_of(args.repeat, lambda out, n=name: export(project, n, out), folder, name)
                print(f"{name:<12}{seconds:>10.2f}{floor:>8.2f}{seconds / floor:>8.2f}", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
