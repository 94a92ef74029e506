"""One export format against its floor on the whole-window benchmark's own project, alternately, N times.

    ANNOTATOR_BENCH_CACHE=/tmp/bench PYTHONPATH=. .venv/bin/python benchmarks/export_pairs.py csv,qdpx 7
        [--second-core] [--profile]

The project is ``run.export_project("full")`` (ClaimReview's ``run.rated_project``; 1,000 documents, 100,000
annotations, built once into the cache folder), the floors are ``export_floors.FLOORS`` and the timing is
``run.written``: what ``benchmarks/run.py`` measures in its export case, for one format at a time and quicker to
repeat. Prints the median export and floor (ms), their ratio, the median CPU of the export with its finished second process, and every time.
``--second-core``: the second process is started whatever the machine's load (``second_core.free`` refuses it on
a busy host, which makes a loaded minute measure the one-process path). ``--profile``: one cProfile of the
exporting process per format instead (cumulative order).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator import Project, second_core
from annotator.exporters import export
from benchmarks import run
from benchmarks.export_floors import FLOORS, write_floor


def cpu_seconds() -> float:
    """CPU of this process and of its children that ended (an export's second process)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("formats", help="comma-separated export formats")
    parser.add_argument("pairs", type=int, nargs="?", default=7, help="floor/export pairs (default 7)")
    parser.add_argument("--second-core", action="store_true", help="start the second process whatever the load")
    parser.add_argument("--profile", action="store_true", help="cProfile one export per format instead")
    args = parser.parse_args()
    if args.second_core:
        second_core.free = lambda: True  # type: ignore[method-assign]
    work = Path(tempfile.mkdtemp(dir=run.CACHE))
    try:
        for name in args.formats.split(","):
            path = run.EXPORT_PROJECTS.get(name, run.export_project)("full")
            with Project.open(path) as project:
                if args.profile:
                    profiler = cProfile.Profile()
                    profiler.runcall(export, project, name, work / f"profiled-{name}")
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
                    continue
                floor = FLOORS.get(name, FLOORS["jsonl"])
                floors, times, cpus = [], [], []
                for attempt in range(args.pairs):
                    floors.append(run.written(lambda a=attempt, n=name, f=floor, p=path: write_floor(p, work / f"floor-{n}-{a}", f)))
                    before = cpu_seconds()
                    times.append(run.written(lambda a=attempt, n=name: export(project, n, work / f"{n}-{a}")))
                    cpus.append((cpu_seconds() - before) * 1000)
                median, floor_median = statistics.median(times), statistics.median(floors)
                print(f"{name:<12} export {median:6.0f} ms  floor {floor_median:6.0f} ms  ratio {median / floor_median:5.2f}"
                      f"  cpu {statistics.median(cpus):6.0f} ms  exports {[round(t) for t in times]}"
                      f"  floors {[round(t) for t in floors]}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
