"""A folder format against the cost of creating its files: the same names and bytes written with plain open/write.

    PYTHONPATH=. .venv/bin/python benchmarks/file_floor.py [--repeat 3] [--formats brat,xmi]

brat writes 2,000 files for 1,000 documents and xmi 3,000 (and 1,000 folders); the export floor
(``export_floors.py``) writes one. Creating a file costs the kernel far more than writing its few
kilobytes, and how much more depends on the file system and on what else the machine is doing, so
an export of many files is compared with this floor too: after one export, every file it wrote is
read into memory, then written again under a fresh folder (``os.makedirs`` + ``open(..., "wb")``
+ ``write``), nothing else. Times are wall-clock and process CPU (user + system): on a shared
machine the CPU times move less. Uses the project ``export_floor.py`` builds (and builds it if missing).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator import Project
from annotator.exporters import export
from benchmarks.export_floor import CACHE, build


def files_of(folder: Path) -> list[tuple[str, bytes]]:
    """Every file under ``folder`` (its relative path and bytes), the dataset card aside."""
    return [(os.path.relpath(path, folder), path.read_bytes()) for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.endswith(".DATASET.md")]


def write_files(folder: Path, contents: list[tuple[str, bytes]]) -> None:
    """The floor: each file created and written once, its folder made when first needed."""
    made: set[str] = set()
    for relative, data in contents:
        path = os.path.join(folder, relative)
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        with open(path, "wb") as stream:
            stream.write(data)


def timed(run: object, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``repeat`` calls of ``run(attempt)``."""
    wall = cpu = float("inf")
    for attempt in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        run(attempt)  # type: ignore[operator]
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--per-document", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="brat,xmi")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    source = CACHE / f"bench-{args.documents}x{args.per_document}.db"
    if not source.exists():
        build(source, args.documents, args.per_document)
    folder = Path(tempfile.mkdtemp(prefix="annotator-file-floor-"))
    try:
        shutil.copyfile(source, folder / "bench.db")
        print(f"{'format':<8}{'files':>7}{'export s':>10}{'cpu':>7}{'files s':>9}{'cpu':>7}{'ratio':>7}{'cpu':>7}")
        with Project.open(folder / "bench.db") as project:
            for name in args.formats.split(","):
                contents = files_of(export(project, name, folder / f"{name}-sample").data)
                exported = timed(lambda n, f=name: export(project, f, folder / f"{f}-{n}"), args.repeat)
                floor = timed(lambda n, f=name, c=contents: write_files(folder / f"{f}-floor-{n}", c), args.repeat)
                print(f"{name:<8}{len(contents):>7}{exported[0]:>10.2f}{exported[1]:>7.2f}{floor[0]:>9.2f}"
                      f"{floor[1]:>7.2f}{exported[0] / floor[0]:>7.2f}{exported[1] / floor[1]:>7.2f}", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
