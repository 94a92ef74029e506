"""Issue 15's acceptance tests on a real server: agreement over synced layers equals agreement over
a merge; a sync killed with SIGKILL and rerun loses and duplicates nothing; a day offline gives
the same server state as syncing after every edit; the CLI end to end."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from annotator import Project
from annotator.merge import merge_project
from annotator.project_agreement import project_agreement, reviewers
from annotator.store import server
from annotator.store.server import rows as server_rows
from annotator.team import sync
from tests import team_server
from tests.team_server import Team, make_team

pg_cluster = team_server.pg_cluster  # the fixtures, under the names tests ask for
team = team_server.team

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [f"Report {i}: officials said {10 + i} people were killed and {200 + i} homes destroyed near the river."
         for i in range(6)]


def _base(path: Path) -> Path:
    with Project.create(path) as project:
        for text in TEXTS:
            project.add_document(text, title=text[:9])
    return path


def _server_state(team: Team, table: str = "annotations") -> dict[str, tuple]:
    conn = server.connect(team.admin_url)
    try:
        return {r.id: (r.owner, r.layer, r.deleted, {k: v for k, v in r.data.items() if k not in ("created_at", "updated_at")})
                for r in server_rows.table_rows(conn, table)}
    finally:
        conn.close()


def _annotate(project: Project, name: str, seed: int, count: int = 8) -> None:
    rng = random.Random(seed)
    docs = project.documents()
    for _ in range(count):
        d = rng.choice(docs)
        start = rng.randrange(0, 30)
        project.add_annotation(d.id, start, start + rng.randrange(3, 20), rng.choice(["Actor", "Claim"]), annotator=name)


def test_lead_agreement_over_synced_layers_equals_agreement_over_a_merge(team: Team, tmp_path: Path) -> None:
    base = _base(tmp_path / "base.db")
    shutil.copy(base, tmp_path / "lead.db")
    shutil.copy(base, tmp_path / "merged.db")
    lead = Project.open(tmp_path / "lead.db")
    sync(lead, team.url(team.lead))
    for i, name in enumerate(team.reviewers):
        path = tmp_path / f"{name}.db"
        shutil.copy(base, path)
        with Project.open(path) as project:
            _annotate(project, name, seed=i)
            sync(project, team.url(name))
    sync(lead, team.url(team.lead))
    with Project.open(tmp_path / "merged.db") as merged:
        for name in team.reviewers:
            merge_project(merged, tmp_path / f"{name}.db")
        expected = project_agreement(merged)
    assert project_agreement(lead) == expected
    assert reviewers(lead) == sorted(team.reviewers)
    lead.close()


def _sync_command(path: Path, url: str) -> list[str]:
    return [sys.executable, "-m", "annotator", "sync", str(path), "--server", url, "--quiet"]


def test_a_sync_killed_at_random_points_completes_with_no_duplicates(team: Team, tmp_path: Path) -> None:
    base = _base(tmp_path / "base.db")
    lead_path = tmp_path / "lead.db"
    shutil.copy(base, lead_path)
    with Project.open(lead_path) as lead:
        sync(lead, team.url(team.lead))
    name = team.reviewers[0]
    path = tmp_path / "ana.db"
    shutil.copy(base, path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(15)
    made: set[str] = set()
    killed = 0
    for round_ in range(5):
        with Project.open(path) as project:
            _annotate(project, name, seed=100 + round_, count=40)
            made |= {a.id for a in project.annotations(annotator=name)}
        process = subprocess.Popen(_sync_command(path, team.url(name)), env=env, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.05, 1.2))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait()
    assert killed >= 1
    final = subprocess.run(_sync_command(path, team.url(name)), env=env, cwd=ROOT, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    state = _server_state(team)
    assert set(state) == made  # each annotation exactly once (the primary key), none lost
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    again = subprocess.run(_sync_command(path, team.url(name))[:-1], env=env, cwd=ROOT, capture_output=True, text=True)
    assert "pushed 0, pulled 0" in again.stdout


def _a_day_of_edits(project: Project, name: str, after_each=lambda: None) -> None:
    docs = project.documents()
    rng = random.Random(7)
    ids: list[str] = []
    for step in range(30):
        action = rng.choice(["add", "add", "relabel", "delete", "undo", "note"]) if ids else "add"
        if action == "add":
            d = rng.choice(docs)
            start = rng.randrange(0, 30)
            ids.append(project.add_annotation(d.id, start, start + 5, "Actor", annotator=name, id=f"a-{step}").id)
        elif action == "relabel":
            project.update_annotation(rng.choice(ids), label="Claim")
        elif action == "note":
            project.update_annotation(rng.choice(ids), note=f"note {step}")
        elif action == "delete":
            victim = ids.pop(rng.randrange(len(ids)))
            project.delete_annotation(victim)
        else:
            project.undo()
            ids = sorted(a.id for a in project.annotations(annotator=name))  # not by document id: random per file
        after_each()


def test_a_day_offline_gives_the_same_server_state_as_syncing_every_edit(pg_cluster, tmp_path: Path) -> None:
    states = []
    for mode in ("every edit", "end of day"):
        team_ = make_team(pg_cluster)
        base = _base(tmp_path / f"base-{mode}.db")
        lead_path = tmp_path / f"lead-{mode}.db"
        shutil.copy(base, lead_path)
        with Project.open(lead_path) as lead:
            sync(lead, team_.url(team_.lead))
        name = team_.reviewers[0]
        with Project.open(base) as project:
            url = team_.url(name)
            _a_day_of_edits(project, name, (lambda p=project, u=url: sync(p, u)) if mode == "every edit" else (lambda: None))
            sync(project, url)
        labels = {k: data["name"] for k, (_o, _l, _d, data) in _server_state(team_, "labels").items()}
        states.append({k: (layer, deleted, {**{c: v for c, v in data.items() if c != "annotator"},
                                            "label_id": labels[data["label_id"]]})
                       for k, (_o, layer, deleted, data) in _server_state(team_).items()})
    assert states[0] == states[1]
    assert any(not deleted for _l, deleted, _d in states[0].values())
