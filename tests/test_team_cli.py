"""The team commands end to end: team init, add-reviewer (password from stdin), sync, publish."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from cli_helpers import ok, one_line_error, run
from click.testing import CliRunner

from annotator import Project
from annotator.cli import cli
from tests import team_server

pg_cluster = team_server.pg_cluster  # the fixture, under the name tests ask for


def test_init_add_reviewer_sync_and_publish(pg_cluster: team_server.Cluster, tmp_path: Path) -> None:
    url = pg_cluster.url(dbname=pg_cluster.new_database())
    assert "Initialised" in ok("team", "init", url).output
    assert "already initialised" in one_line_error(run("team", "init", url))
    added = CliRunner().invoke(cli, ["team", "add-reviewer", url, "dora", "--role", "lead", "--password-stdin"],
                               input="dora-secret\n")
    assert added.exit_code == 0 and "Created lead dora" in added.output
    lead_url = url.replace("postgres:" + team_server.PGSUPER_PASSWORD, "dora:dora-secret")
    project = tmp_path / "p.db"
    with Project.create(project) as p:
        d = p.add_document("Officials said 40 people were killed on Monday.", title="Flood")
        p.add_annotation(d.id, 15, 24, "Figure", annotator="dora", layer="gold")
    assert "Synced as dora (lead): pushed" in ok("sync", project, "--server", lead_url).output
    assert "pushed 0, pulled 0" in ok("sync", project, "--server", lead_url).output
    assert "syncs as 'dora'" in one_line_error(run("sync", project, "--server", url))
    bad = one_line_error(run("sync", project, "--server", lead_url.replace("dora-secret", "nope")))
    assert "nope" not in bad and "dora-secret" not in bad
    out = tmp_path / "public.db"
    assert "1 gold annotations" in ok("publish", project, "-o", out).output
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("SELECT quote FROM gold_annotations").fetchall() == [("40 people",)]
        assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] == 1
    finally:
        conn.close()
    assert "gold_annotations" in json.loads((tmp_path / "public.metadata.json").read_text())["databases"]["public"]["tables"]


def test_init_refuses_a_database_with_tables(pg_cluster: team_server.Cluster) -> None:
    import psycopg

    url = pg_cluster.url(dbname=pg_cluster.new_database())
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE mine (x int)")
    assert "not empty" in one_line_error(run("team", "init", url))
