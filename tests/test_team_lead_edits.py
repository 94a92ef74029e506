"""A lead's corrections of another reviewer's rows reach the team server and that reviewer (real
PostgreSQL, tests/team_server.py): edits, deletions and inserts in a reviewer's layer are pushed
and stay that reviewer's rows; a concurrent edit of one row is settled by the later ``sync_times``
stamp (the loser kept in ``audit``); a reviewer still cannot write someone else's row, locally or
on the server."""

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

TEXT = "Officials said 40 people were killed in the flooding on Monday."


def _server_rows(team: Team, table: str) -> dict[str, server_rows.ServerRow]:
    conn = server.connect(team.admin_url)
    try:
        return {r.id: r for r in server_rows.table_rows(conn, table)}
    finally:
        conn.close()


def _audit(team: Team, row_id: str) -> list[tuple[str, str, str]]:
    """(whose version, who replaced it or whose edit lost, the note it had) per audit entry of one row."""
    with psycopg.connect(team.admin_url) as conn:
        return [(owner, by, (data or {}).get("note")) for owner, by, data in conn.execute(
            "SELECT owner, changed_by, data FROM audit WHERE row_id = %s ORDER BY seq", [row_id])]


def _setup(team: Team, tmp_path: Path) -> tuple[Project, Project, str]:
    """The lead's and ben's synced files; ben's document id."""
    lead = Project.create(tmp_path / "lead.db")
    sync(lead, team.url(team.lead))  # the lead's labels go first
    ben = Project.create(tmp_path / "ben.db")
    doc = ben.add_document(TEXT, title="Floods").id
    return lead, ben, doc


def test_a_leads_edit_delete_and_insert_in_a_reviewers_layer_reach_that_reviewer(team: Team, tmp_path: Path) -> None:
    lead, ben, doc = _setup(team, tmp_path)
    name = team.reviewers[1]
    officials = ben.add_annotation(doc, 0, 8, "Actor", annotator=name)          # "Official": one letter short
    wrong = ben.add_annotation(doc, 15, 17, "Actor", annotator=name)            # "40" is no actor
    link = ben.add_relation(wrong.id, officials.id, "attributed-to", annotator=name)
    sync(ben, team.url(name))
    sync(lead, team.url(team.lead))
    assert {a.id for a in lead.annotations(layer="reviewer")} == {officials.id, wrong.id}

    lead.update_annotation(officials.id, end=9, note="whole word")
    lead.delete_annotation(wrong.id)                                             # its link goes with it
    added = lead.add_annotation(lead.annotation(officials.id).document_id, 40, 48, "Actor", annotator=name)
    report = sync(lead, team.url(team.lead))
    assert report.not_yours == 0 and report.pushed == 4  # the edit, two deletions, the insert

    on_server = _server_rows(team, "annotations")
    assert on_server[officials.id].data["quote"] == "Officials" and on_server[officials.id].owner == name
    assert on_server[wrong.id].deleted and _server_rows(team, "relations")[link.id].deleted
    assert on_server[added.id].owner == name  # the reviewer's row, though the lead wrote it
    assert (name, team.lead, None) in _audit(team, officials.id)  # ben's version, replaced by the lead

    pulled = sync(ben, team.url(name))
    assert pulled.pushed == 0 and pulled.pulled == 4
    assert ben.annotation(officials.id).quote == "Officials" and ben.annotation(officials.id).note == "whole word"
    assert {a.id for a in ben.annotations()} == {officials.id, added.id}
    assert ben.relations() == []

    # Still ben's rows: he may go on editing them, and the server takes his edits.
    ben.update_annotation(added.id, note="the flooding")
    ben.delete_annotation(officials.id)
    assert sync(ben, team.url(name)).pushed == 2
    sync(lead, team.url(team.lead))
    assert [(a.id, a.note) for a in lead.annotations(layer="reviewer")] == [(added.id, "the flooding")]
    again = sync(lead, team.url(team.lead))
    assert (again.pushed, again.pulled) == (0, 0)
    lead.close()
    ben.close()


@pytest.mark.parametrize("later", ["lead", "reviewer"])
def test_a_concurrent_edit_of_one_row_keeps_the_later_one_whoever_syncs_first(team: Team, tmp_path: Path,
                                                                             later: str) -> None:
    lead, ben, doc = _setup(team, tmp_path)
    name = team.reviewers[1]
    a = ben.add_annotation(doc, 0, 9, "Actor", annotator=name)
    sync(ben, team.url(name))
    sync(lead, team.url(team.lead))
    first, second = (ben, lead) if later == "lead" else (lead, ben)
    first.update_annotation(a.id, note="earlier")
    time.sleep(0.01)  # change times have millisecond resolution
    second.update_annotation(a.id, note="later")
    # The earlier edit's machine syncs last, so its push arrives after the later one's.
    sync(second, team.url(team.lead if second is lead else name))
    sync(first, team.url(team.lead if first is lead else name))
    sync(second, team.url(team.lead if second is lead else name))
    assert ben.annotation(a.id).note == lead.annotation(a.id).note == "later"
    row = _server_rows(team, "annotations")[a.id]
    assert row.data["note"] == "later" and row.owner == name
    earlier_by = team.lead if later == "reviewer" else name
    assert (earlier_by, earlier_by, "earlier") in _audit(team, a.id)  # the losing edit is kept, by its author
    lead.close()
    ben.close()


def test_an_edit_made_during_a_sync_that_loses_later_still_takes_the_leads_version(team: Team, tmp_path: Path) -> None:
    """Ben edits while his sync runs; the lead's later edit arrives in that sync's pull and is left
    (the row is busy here); ben's next push loses to it, so that pull brings the lead's version,
    though its transaction lies before ben's cursor: the two machines never silently differ."""
    lead, ben, doc = _setup(team, tmp_path)
    name = team.reviewers[1]
    a = ben.add_annotation(doc, 0, 9, "Actor", annotator=name)
    sync(ben, team.url(name))
    sync(lead, team.url(team.lead))

    def meanwhile(stage: str) -> None:
        if stage == "Pulling":
            ben.update_annotation(a.id, note="ben, during the sync")
            time.sleep(0.01)
            lead.update_annotation(a.id, note="lead, later")
            sync(lead, team.url(team.lead))

    sync(ben, team.url(name), progress=meanwhile)
    assert ben.annotation(a.id).note == "ben, during the sync"  # busy here: left for the next sync
    sync(ben, team.url(name))
    assert ben.annotation(a.id).note == "lead, later"
    assert _server_rows(team, "annotations")[a.id].data["note"] == "lead, later"
    assert (name, name, "ben, during the sync") in _audit(team, a.id)
    lead.close()
    ben.close()


@pytest.mark.parametrize("later", ["reviewer's edit", "lead's deletion"])
def test_a_leads_deletion_and_a_reviewers_edit_of_one_row_keep_the_later(team: Team, tmp_path: Path,
                                                                          later: str) -> None:
    lead, ben, doc = _setup(team, tmp_path)
    name = team.reviewers[1]
    a = ben.add_annotation(doc, 0, 9, "Actor", annotator=name)
    sync(ben, team.url(name))
    sync(lead, team.url(team.lead))
    steps = [lambda: lead.delete_annotation(a.id), lambda: ben.update_annotation(a.id, note="keep it")]
    for step in (steps if later == "reviewer's edit" else steps[::-1]):
        step()
        time.sleep(0.01)
    sync(lead, team.url(team.lead))
    sync(ben, team.url(name))
    sync(lead, team.url(team.lead))
    if later == "reviewer's edit":  # back on the lead's machine, as ben last left it
        assert not _server_rows(team, "annotations")[a.id].deleted
        assert lead.annotation(a.id).note == ben.annotation(a.id).note == "keep it"
    else:  # gone on ben's machine too; his edit is in the audit
        assert _server_rows(team, "annotations")[a.id].deleted
        assert not ben.has_row("annotations", a.id) and not lead.has_row("annotations", a.id)
        assert (name, name, "keep it") in _audit(team, a.id)
    lead.close()
    ben.close()


def test_a_reviewer_still_cannot_write_another_reviewers_row(team: Team, tmp_path: Path) -> None:
    lead, ben, doc = _setup(team, tmp_path)
    ana_name, ben_name = team.reviewers[0], team.reviewers[1]
    a = ben.add_annotation(doc, 0, 9, "Actor", annotator=ben_name)
    sync(ben, team.url(ben_name))
    ana = Project.create(tmp_path / "ana.db")
    sync(ana, team.url(ana_name))
    with pytest.raises(ConflictError, match="read-only") as refused:  # locally: one line, nothing written
        ana.update_annotation(a.id, note="mine now")
    assert "\n" not in str(refused.value) and ana.annotation(a.id).note is None
    with pytest.raises(ConflictError, match="read-only"):
        ana.delete_annotation(a.id)

    # On the server: a hand-made push of ben's row as ana is refused by row-level security, whole.
    row = {**ben.fetch_row_or_none("annotations", a.id), "note": "forged"}  # type: ignore[dict-item]
    conn = server.connect(team.url(ana_name))
    try:
        for op in (server_rows.Op("forged:1", "annotations", a.id, "reviewer", row, "9999", False, ben_name),
                   server_rows.Op("forged:2", "annotations", "new-id", "reviewer", row, "9999", False, ben_name)):
            with pytest.raises(TeamServerError, match="row-level security"), server.translating(team.url(ana_name)):
                server_rows.push(conn, [op], lead=False)
    finally:
        conn.close()
    assert _server_rows(team, "annotations")[a.id].data["note"] is None
    lead.close()
    ben.close()
    ana.close()
