"""Team sync against a real PostgreSQL server (tests/team_server.py): reviewers see each other's
work, the server refuses writes to others' layers, syncs are idempotent and kill-safe."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest

from annotator import Project
from annotator.errors import ConflictError, TeamServerError
from annotator.store import server
from annotator.store.server import rows as server_rows
from annotator.team import sync
from tests import team_server
from tests.team_server import Team

pg_cluster = team_server.pg_cluster  # the fixtures, under the names tests ask for
team = team_server.team

TEXTS = ["Officials said 40 people were killed in the flooding on Monday.",
         "The ministry denied that more than 200 homes were destroyed.",
         "Witnesses told reporters that the army arrived late."]


def _reviewer(path: Path, texts: list[str] = TEXTS) -> Project:
    project = Project.create(path)
    for text in texts:
        project.add_document(text, title=text[:12])
    return project


def _live(team: Team, table: str) -> list[server_rows.ServerRow]:
    conn = server.connect(team.admin_url)
    try:
        return server_rows.table_rows(conn, table, live_only=True)
    finally:
        conn.close()


def _doc(project: Project, text: str) -> str:
    return next(d.id for d in project.documents() if d.text == text)


def test_three_reviewers_and_a_lead_see_each_others_work(team: Team, tmp_path: Path) -> None:
    lead = Project.create(tmp_path / "lead.db")
    sync(lead, team.url(team.lead))  # the lead's labels go first
    projects = {name: _reviewer(tmp_path / f"{name}.db") for name in team.reviewers}
    for i, (name, project) in enumerate(projects.items()):
        project.add_annotation(_doc(project, TEXTS[0]), 0, 9 + i, "Actor", annotator=name)
        report = sync(project, team.url(name))
        assert report.pushed >= 2
    for name, project in projects.items():
        sync(project, team.url(name))
        assert sorted(a.annotator for a in project.annotations()) == sorted(team.reviewers)
        assert len(project.documents()) == 3  # the same texts matched by hash, not duplicated
    sync(lead, team.url(team.lead))
    assert len(lead.documents()) == 3
    assert len(lead.annotations(layer="reviewer")) == 3
    assert len(_live(team, "annotations")) == 3
    # Someone else's row is read-only locally.
    ana, ben = team.reviewers[0], team.reviewers[1]
    theirs = next(a for a in projects[ana].annotations() if a.annotator == ben)
    with pytest.raises(ConflictError, match="read-only"):
        projects[ana].delete_annotation(theirs.id)
    # Running it twice changes nothing.
    again = sync(projects[ana], team.url(ana))
    assert (again.pushed, again.pulled) == (0, 0)
    for project in [lead, *projects.values()]:
        project.close()


def test_a_reviewer_cannot_touch_another_reviewers_rows_or_gold(team: Team, tmp_path: Path) -> None:
    lead = Project.create(tmp_path / "lead.db")
    sync(lead, team.url(team.lead))
    ana, ben = team.reviewers[0], team.reviewers[1]
    project = _reviewer(tmp_path / "ana.db")
    mine = project.add_annotation(_doc(project, TEXTS[1]), 4, 12, "Actor", annotator=ana)
    sync(project, team.url(ana))
    sync(lead, team.url(team.lead))
    gold = lead.add_annotation(_doc(lead, TEXTS[1]), 4, 12, "Actor", annotator=team.lead, layer="gold")
    sync(lead, team.url(team.lead))
    with psycopg.connect(team.url(ben), autocommit=True) as conn:
        for row_id in (mine.id, gold.id):
            assert conn.execute("UPDATE annotations SET data = '{}' WHERE id = %s", [row_id]).rowcount == 0
            assert conn.execute("DELETE FROM annotations WHERE id = %s", [row_id]).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # not as someone else, not into gold
            conn.execute("INSERT INTO annotations (id, owner, layer, data, edited_at) VALUES ('x', %s, 'reviewer', '{}', '')", [ana])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO annotations (id, owner, layer, data, edited_at) VALUES ('y', %s, 'gold', '{}', '')", [ben])
        assert conn.execute("UPDATE labels SET deleted = true").rowcount == 0  # the label schema is the lead's
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO labels (id, data, edited_at) VALUES ('z', '{}', '')")
    rows = {r.id: r for r in _live(team, "annotations")}
    assert rows[mine.id].data["quote"] == mine.quote and rows[gold.id].layer == "gold"
    with psycopg.connect(team.url(ana), autocommit=True) as conn:  # the owner can
        assert conn.execute("UPDATE annotations SET data = data WHERE id = %s", [mine.id]).rowcount == 1
    lead.close()
    project.close()


def test_the_later_edit_wins_and_the_earlier_stays_in_the_audit(team: Team, tmp_path: Path) -> None:
    lead = Project.create(tmp_path / "lead.db")
    sync(lead, team.url(team.lead))
    ana = team.reviewers[0]
    laptop = _reviewer(tmp_path / "laptop.db")
    a = laptop.add_annotation(_doc(laptop, TEXTS[0]), 0, 9, "Actor", annotator=ana)
    sync(laptop, team.url(ana))
    desktop = Project.create(tmp_path / "desktop.db")
    sync(desktop, team.url(ana))
    assert desktop.annotation(a.id).label == "Actor"
    laptop.update_annotation(a.id, note="first")       # earlier, offline
    time.sleep(0.01)  # change times have millisecond resolution: two edits within one are a tie, not "later"
    desktop.update_annotation(a.id, note="second")     # later
    sync(desktop, team.url(ana))
    sync(laptop, team.url(ana))                         # the earlier edit arrives last: it loses
    assert laptop.annotation(a.id).note == "second"
    conn = server.connect(team.admin_url)
    try:
        assert [r.data["note"] for r in server_rows.table_rows(conn, "annotations")] == ["second"]
        assert server_rows.audit_count(conn, "annotations", a.id) >= 2
    finally:
        conn.close()
    for p in (lead, laptop, desktop):
        p.close()


def test_a_bad_password_is_one_line(team: Team, tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p.db")
    url = team.cluster.url(team.reviewers[0], "wrong", team.dbname)
    with pytest.raises(TeamServerError) as error:
        sync(project, url)
    assert "wrong" not in str(error.value) and "\n" not in str(error.value)
    project.close()
