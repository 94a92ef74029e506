"""A throwaway PostgreSQL cluster for the team tests: ``initdb`` + ``pg_ctl`` in a temporary folder
on a free loopback port, stopped afterwards. It fails (never skips) when it cannot start.

Logins use passwords over TCP (scram-sha-256), as a real team server would; the superuser's is
``PGSUPER_PASSWORD`` below. Under root the cluster runs as the ``postgres`` user (initdb refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from annotator.team import add_reviewer, init_server

PGSUPER_PASSWORD = "super-secret"


def _binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        pytest.fail(f"{name} not found on PATH or in /usr/lib/postgresql/*/bin: run scripts/bootstrap.sh test "
                    "(it installs PostgreSQL from Debian's packages)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    port: int
    folder: Path

    def url(self, user: str = "postgres", password: str = PGSUPER_PASSWORD, dbname: str = "postgres") -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """A fresh empty database; its name."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name


def _run(args: list[str], user: str | None) -> subprocess.CompletedProcess[str]:
    command = ["runuser", "-u", user, "--", *args] if user else args
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@contextmanager
def start_cluster(max_connections: int = 200) -> Iterator[Cluster]:
    """A running throwaway cluster (also for benchmarks/team_sync.py); stopped and removed afterwards."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
    data = folder / "data"
    pwfile = folder / "pw"
    pwfile.write_text(PGSUPER_PASSWORD + "\n")
    if user:
        shutil.chown(folder, user)
        shutil.chown(pwfile, user)
    port = _free_port()
    done = _run([initdb, "-D", str(data), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
                 f"--pwfile={pwfile}", "-E", "UTF8", "--no-instructions"], user)
    if done.returncode != 0:
        pytest.fail(f"initdb failed: {done.stderr.strip()[-400:]}")
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               f"-c max_connections={max_connections}")
    done = _run([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"], user)
    if done.returncode != 0:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        pytest.fail(f"PostgreSQL did not start on port {port}: {done.stderr.strip()[-300:]} {log[-300:]}")
    try:
        yield Cluster(port, folder)
    finally:
        _run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], user)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    with start_cluster() as cluster:
        yield cluster


@dataclass
class Team:
    """One initialised team database with three reviewers and a lead (password = name + '-pw')."""

    cluster: Cluster
    dbname: str
    reviewers: tuple[str, ...]
    lead: str

    @property
    def admin_url(self) -> str:
        return self.cluster.url(dbname=self.dbname)

    def url(self, name: str) -> str:
        return self.cluster.url(name, f"{name}-pw", self.dbname)


@pytest.fixture
def team(pg_cluster: Cluster) -> Team:
    return make_team(pg_cluster)


def make_team(pg_cluster: Cluster) -> Team:
    """A new database on the cluster, initialised, with three reviewers and a lead."""
    dbname = pg_cluster.new_database()
    suffix = dbname[-6:]
    reviewers = tuple(f"{n}_{suffix}" for n in ("ana", "ben", "chloe"))
    lead = f"lea_{suffix}"
    url = pg_cluster.url(dbname=dbname)
    init_server(url)
    for name in reviewers:
        add_reviewer(url, name, f"{name}-pw")
    add_reviewer(url, lead, f"{lead}-pw", role="lead")
    return Team(pg_cluster, dbname, reviewers, lead)
