"""Team sync under load: N concurrent sync clients (processes) on loopback, each pushing its own
project's annotations to one throwaway PostgreSQL server (tests/team_server.py) at the same moment.

    PYTHONPATH=. python benchmarks/team_sync.py                 # 50 clients x 2,000 annotations
    PYTHONPATH=. python benchmarks/team_sync.py --clients 4 --per-client 200

Each client is a reviewer with their own project file (the same 40 articles, their own annotations,
made before the start line); all of them wait at a barrier, then run one ``annotator.team.sync``
(push, then pull of everything the others have pushed so far). Prints p50/p95/max sync time, the
server's CPU time (utime+stime of the postmaster and its reaped backends, from /proc) and checks
that the server ends with exactly clients x per-client annotations. The numbers in docs/team.md's
sizing section come from this script.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator import Project  # noqa: E402
from annotator.store import server  # noqa: E402
from annotator.store.server import rows as server_rows  # noqa: E402
from annotator.team import add_reviewer, init_server, sync  # noqa: E402
from tests.team_server import start_cluster  # noqa: E402

DOCUMENTS = 40


def _text(i: int) -> str:
    return (f"Report {i}: officials said {10 + i} people were killed and {200 + i} homes destroyed near the river; "
            f"the ministry denied the figures, witnesses told reporters on day {i} that the army arrived late.")


def _server_cpu_seconds(data_dir: Path) -> float:
    """utime+stime of the postmaster, its reaped children (cutime+cstime) and its live children."""
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])

    def fields(pid: int) -> list[str]:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state is field 3 -> index 0

    total = 0.0
    own = fields(postmaster)
    total += sum(int(own[i]) for i in (11, 12, 13, 14)) / tick  # utime stime cutime cstime
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            f = fields(int(entry.name))
        except (OSError, ValueError):
            continue  # gone meanwhile
        if int(f[1]) == postmaster:  # ppid
            total += (int(f[11]) + int(f[12])) / tick
    return total


def _client(path: str, url: str, per_client: int, name: str, barrier, results) -> None:
    with Project.open(Path(path)) as project:
        docs = project.documents(with_text=False)
        with project.group(f"{per_client} annotations"):
            for i in range(per_client):
                d = docs[i % len(docs)]
                start = (i * 7) % 120
                project.add_annotation(d.id, start, start + 5 + i % 9, "Actor" if i % 2 else "Claim", annotator=name)
        barrier.wait()
        began = time.perf_counter()
        report = sync(project, url)
        results.put((name, time.perf_counter() - began, report.pushed, report.pulled))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=2000)
    args = parser.parse_args(argv)
    expected = args.clients * args.per_client
    folder = Path(tempfile.mkdtemp(prefix="annotator-bench-sync-"))
    try:
        with start_cluster(max_connections=args.clients + 20) as cluster:
            url = cluster.url(dbname=cluster.new_database())
            dbname = url.rsplit("/", 1)[1]
            init_server(url)
            names = [f"r{i:03d}" for i in range(args.clients)]
            for name in names:
                add_reviewer(url, name, f"{name}-pw")
            add_reviewer(url, "bench_lead", "lead-pw", role="lead")
            base = folder / "base.db"
            with Project.create(base) as project:
                for i in range(DOCUMENTS):
                    project.add_document(_text(i), title=f"Report {i}")
            shutil.copy(base, folder / "lead.db")
            with Project.open(folder / "lead.db") as lead:
                sync(lead, cluster.url("bench_lead", "lead-pw", dbname))  # labels and documents first
            context = multiprocessing.get_context("fork")
            barrier = context.Barrier(args.clients + 1)
            results = context.Queue()
            processes = []
            for name in names:
                path = folder / f"{name}.db"
                shutil.copy(base, path)
                p = context.Process(target=_client, args=(str(path), cluster.url(name, f"{name}-pw", dbname),
                                                          args.per_client, name, barrier, results))
                p.start()
                processes.append(p)
            barrier.wait(timeout=600)  # every client has made its annotations
            cpu_before = _server_cpu_seconds(cluster.folder / "data")
            began = time.perf_counter()
            times = [results.get(timeout=1800) for _ in names]
            wall = time.perf_counter() - began
            for p in processes:
                p.join()
            cpu = _server_cpu_seconds(cluster.folder / "data") - cpu_before
            conn = server.connect(url)
            try:
                rows = len(server_rows.table_rows(conn, "annotations", live_only=True))
                size = conn.execute("SELECT pg_total_relation_size('annotations')").fetchone()[0]
            finally:
                conn.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    seconds = sorted(t for _n, t, _p, _q in times)
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    print("| clients | annotations each | server rows | p50 sync (s) | p95 sync (s) | max (s) | all done (s) "
          "| server CPU (s) | annotations table |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {args.clients} | {args.per_client} | {rows} | {statistics.median(seconds):.2f} | {p95:.2f} | "
          f"{seconds[-1]:.2f} | {wall:.2f} | {cpu:.2f} ({cpu / wall:.2f} cores) | {size / 1e6:.1f} MB |")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    if rows != expected:
        print(f"FAIL: {rows} annotations on the server, expected {expected}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
