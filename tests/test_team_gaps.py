"""What other migrations added, on a real server (tests/team_server.py): a lead's label deletion
reaches the other machines (kept where it is still in use, and said so); a reviewer's does not;
the lead's document assignment (documents.assigned_to) and an entity's external_id sync; a
revision's new version and carried annotations sync, its version link and unplaced annotations
stay local (docs/team.md)."""

from __future__ import annotations

from pathlib import Path

from annotator import Project
from annotator.revisions import import_revision, previous_version, unplaced
from annotator.store import server
from annotator.store.server import rows as server_rows
from annotator.team import sync
from tests import team_server
from tests.team_server import Team

pg_cluster = team_server.pg_cluster  # the fixtures, under the names tests ask for
team = team_server.team

TEXT = "Officials said 40 people were killed in the flooding on Monday, and 200 homes were destroyed."
REVISED = "Officials said 45 people were killed in the flooding on Monday, and 200 homes were destroyed."


def _project(path: Path) -> Project:
    project = Project.create(path)
    project.add_document(TEXT, title="Flood")
    return project


def _server_labels(team: Team) -> dict[str, bool]:
    conn = server.connect(team.admin_url)
    try:
        return {r.data["name"]: r.deleted for r in server_rows.table_rows(conn, "labels")}
    finally:
        conn.close()


def test_a_leads_label_deletion_reaches_the_others_but_a_reviewers_does_not(team: Team, tmp_path: Path) -> None:
    ana, ben = team.reviewers[0], team.reviewers[1]
    lead = _project(tmp_path / "lead.db")
    lead.add_label("Casualty", color="#AA0000")
    lead.add_label("Rumour", color="#00AA00")
    sync(lead, team.url(team.lead))
    mine, theirs = _project(tmp_path / "ana.db"), _project(tmp_path / "ben.db")
    for project, name in ((mine, ana), (theirs, ben)):
        sync(project, team.url(name))
        assert {"Casualty", "Rumour"} <= {label.name for label in project.labels()}
    doc = theirs.documents()[0].id
    theirs.add_annotation(doc, 15, 24, "Casualty", annotator=ben)
    sync(theirs, team.url(ben))

    mine.delete_label("Rumour")  # a reviewer's deletion stays local: the schema is the lead's
    report = sync(mine, team.url(ana))
    assert report.not_yours == 1 and _server_labels(team)["Rumour"] is False

    sync(mine, team.url(ana))  # ana now holds ben's annotation with Casualty
    theirs.delete_annotation(theirs.annotations()[0].id)  # ben takes it back
    sync(theirs, team.url(ben))
    sync(lead, team.url(team.lead))
    lead.delete_label("Casualty")  # unused now, here and on the server
    lead.delete_label("Rumour")
    sync(lead, team.url(team.lead))
    assert _server_labels(team)["Casualty"] is True and _server_labels(team)["Rumour"] is True

    report = sync(mine, team.url(ana))  # ben's deletion first, then the label it used
    assert not mine.annotations() and "Casualty" not in {label.name for label in mine.labels()}
    assert report.pulled == 2 and not report.skipped
    report = sync(theirs, team.url(ben))
    assert {"Casualty", "Rumour"}.isdisjoint(label.name for label in theirs.labels())
    assert report.pulled == 2


def test_a_deleted_label_still_in_use_here_is_kept_and_said(team: Team, tmp_path: Path) -> None:
    ana = team.reviewers[0]
    lead = _project(tmp_path / "lead.db")
    lead.add_label("Casualty", color="#AA0000")
    sync(lead, team.url(team.lead))
    mine = _project(tmp_path / "ana.db")
    sync(mine, team.url(ana))
    mine.add_annotation(mine.documents()[0].id, 15, 24, "Casualty", annotator=ana)  # offline, not pushed yet
    lead.delete_label("Casualty")
    sync(lead, team.url(team.lead))
    report = sync(mine, team.url(ana))
    assert "Casualty" in {label.name for label in mine.labels()}
    assert any("the lead deleted it, but 1 annotation(s) here use it" in line for line in report.skipped)
    assert len(mine.annotations()) == 1


def test_assignment_and_entity_external_ids_sync(team: Team, tmp_path: Path) -> None:
    ana, ben = team.reviewers[0], team.reviewers[1]
    lead = _project(tmp_path / "lead.db")
    sync(lead, team.url(team.lead))
    mine = _project(tmp_path / "ana.db")
    sync(mine, team.url(ana))
    lead.assign_document(lead.documents()[0].id, ana)
    sync(lead, team.url(team.lead))
    mine.set_document_status(mine.documents()[0].id, "in progress")  # her own status stays hers
    sync(mine, team.url(ana))
    document = mine.documents()[0]
    assert document.assigned_to == ana and document.status == "in progress"

    entity = mine.add_entity("World Health Organization", "organisation", external_id="Q7817")
    sync(mine, team.url(ana))
    theirs = _project(tmp_path / "ben.db")
    sync(theirs, team.url(ben))
    assert theirs.entity(entity.id).external_id == "Q7817"
    assert theirs.documents()[0].assigned_to == ana
    lead.close()


def test_a_revision_syncs_as_a_new_document_and_its_version_link_stays_local(team: Team, tmp_path: Path) -> None:
    ana, ben = team.reviewers[0], team.reviewers[1]
    lead = _project(tmp_path / "lead.db")
    sync(lead, team.url(team.lead))
    mine = _project(tmp_path / "ana.db")
    old = mine.documents()[0].id
    mine.add_annotation(old, 0, 9, "Actor", annotator=ana)
    mine.add_annotation(old, 15, 24, "Claim", annotator=ana)  # "40 people" is not in the revision
    sync(mine, team.url(ana))
    revision = import_revision(mine, old, REVISED)
    new = revision.document.id
    assert previous_version(mine, new) == old and len(unplaced(mine, new)) == 1
    sync(mine, team.url(ana))
    theirs = _project(tmp_path / "ben.db")
    sync(theirs, team.url(ben))
    texts = {d.text: d.id for d in theirs.documents()}
    assert set(texts) == {TEXT, REVISED}  # the new version is a document of its own on the server
    carried = [a for a in theirs.annotations(document_id=texts[REVISED])]
    assert [(a.quote, a.annotator) for a in carried] == [("Officials", ana)]
    assert previous_version(theirs, texts[REVISED]) is None and unplaced(theirs) == []  # local to ana's file
