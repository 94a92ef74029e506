"""Revisions: an annotated article re-imported with paragraphs inserted, a sentence removed and a figure changed."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import ok, one_line_error, run
from db_helpers import snapshot

from annotator import Project
from annotator.importers.base import ImportedDocument
from annotator.revisions import diff, figure_changes, import_revision, reanchor, unplaced, versions

OLD = (
    "Toll rises in coastal violence\n"
    "At least 745 civilians have been killed in three days, the Syrian Observatory for Human Rights said. "
    "The interim president called for calm. The army denied that its units took part.\n"
    "Residents of Baniyas described gunmen going from house to house. Residents said the calm did not last."
)
NEW = (
    "Toll rises in coastal violence\n"
    "Updated on Sunday with new figures from the monitor.\n"
    "At least 973 civilians have been killed in three days, the Syrian Observatory for Human Rights said. "
    "The interim president called for calm.\n"
    "A second paragraph was inserted here, about the funerals held on Saturday.\n"
    "Residents of Baniyas described gunmen going from house to house. Residents said the calm did not last."
)


def _annotate(project: Project, document_id: str) -> dict[str, str]:
    def at(quote: str, label: str, occurrence: int = 0, **kw: object) -> str:
        start = -1
        for _ in range(occurrence + 1):
            start = OLD.index(quote, start + 1)
        return project.add_annotation(document_id, start, start + len(quote), label, annotator="ana", **kw).id
    ids = {
        "figure": at("745", "Figure"),
        "claim": at("At least 745 civilians have been killed in three days", "Claim"),
        "actor": at("Syrian Observatory for Human Rights", "Actor"),
        "calm": at("The interim president called for calm.", "Claim"),
        "second_calm": at("calm", "Claim", occurrence=1),
        "denied": at("The army denied that its units took part.", "Claim"),
        "gunmen": at("gunmen going from house to house", "Claim"),
    }
    project.add_relation(ids["claim"], ids["actor"], "attributed-to", annotator="ana")
    project.add_relation(ids["calm"], ids["denied"], "supports", annotator="ana")
    return ids


def test_import_as_revision_carries_surviving_annotations_exactly_and_lists_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        old = project.add_document(OLD, title="Toll rises", outlet="Wire", url="https://example.org/toll")
        ids = _annotate(project, old.id)
        before = snapshot(path)
        report = project.import_documents([ImportedDocument(NEW, {"url": "https://example.org/toll"}, source="new.txt")])
        new_id = report.added[0].id
        assert [r.document.id for r in report.revisions] == [new_id]
        revision = report.revisions[0]
        assert versions(project, old.id) == versions(project, new_id) == [old.id, new_id]
        old_annotations = {a.id: a for a in project.annotations(old.id)}
        assert set(old_annotations) == set(ids.values())  # nothing lost: every original stays on the old version
        moved = {a.quote: a for a in project.annotations(new_id)}
        for key in ("actor", "calm", "second_calm", "gunmen"):
            original = old_annotations[ids[key]]
            copy = moved.pop(original.quote) if key != "second_calm" else next(
                a for a in project.annotations(new_id) if a.quote == "calm")
            assert NEW[copy.start:copy.end] == original.quote
            assert (copy.label, copy.annotator) == (original.label, original.annotator)
        calm_copy = next(a for a in project.annotations(new_id) if a.quote == "calm")
        assert NEW[calm_copy.start - 19:calm_copy.start] == "Residents said the "  # the second "calm", by its prefix
        assert {how for _, _, how in revision.placed} == {"exact"}
        assert {o for o, _ in revision.unplaced} == {ids["figure"], ids["claim"], ids["denied"]}
        assert {a.id for _, a, _ in unplaced(project, new_id)} == {ids["figure"], ids["claim"], ids["denied"]}
        assert revision.relations == 0  # both relations have an end left behind: they stay on the old version
        # one undo step takes the whole import back
        assert project.undo() is not None
        assert snapshot(path) == before


def test_relations_between_placed_annotations_follow_them(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db") as project:
        old = project.add_document(OLD, title="Toll rises")
        ids = _annotate(project, old.id)
        report = import_revision(project, old.id, OLD + "\nA late paragraph.")
        assert len(report.placed) == len(ids) and report.unplaced == [] and report.relations == 2
        new_relations = [r for r in project.relations() if project.annotation(r.source_id).document_id == report.document.id]
        assert {r.label for r in new_relations} == {"attributed-to", "supports"}
        assert project.document(report.document.id).title == "Toll rises"


def test_reanchor_exact_then_fuzzy_never_over_a_changed_number() -> None:
    text = "One two three. The monitor counted the dead carefully in every village."
    assert reanchor(text, "three") is not None and reanchor(text, "three").how == "exact"
    fuzzy = reanchor(text, "The monitor counted the dead carefuly in every village.")
    assert fuzzy is not None and fuzzy.how == "fuzzy" and text[fuzzy.start:fuzzy.end].startswith("The monitor")
    assert reanchor("At least 973 were killed in the villages.", "At least 745 were killed in the villages.") is None
    assert reanchor(text, "absent") is None


def test_diff_and_figure_changes(tmp_path: Path) -> None:
    hunks = diff(OLD, NEW)
    assert any(h.old_text.strip() == "745" and h.new_text.strip() == "973" for h in hunks)
    assert any("army denied" in h.old_text and "army" not in h.new_text for h in hunks)
    assert all(OLD[h.old_start:h.old_end] == h.old_text and NEW[h.new_start:h.new_end] == h.new_text for h in hunks)
    with Project.create(tmp_path / "p.db") as project:
        old = project.add_document(OLD)
        project.add_annotation(old.id, OLD.index("745"), OLD.index("745") + 3, "Figure", annotator="ana")
        new = import_revision(project, old.id, NEW).document
        project.add_annotation(new.id, NEW.index("973"), NEW.index("973") + 3, "Figure", annotator="ana")
        [change] = figure_changes(project, old.id, new.id)
        assert change.change == "changed" and (change.old.value, change.new.value) == (745, 973)


def test_cli_import_as_revision_of_and_revisions(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        old = project.add_document(OLD, title="Toll rises")
        _annotate(project, old.id)
    (tmp_path / "new.txt").write_text(NEW, encoding="utf-8")
    result = ok("import", path, tmp_path / "new.txt", "--as-revision-of", old.id[:8])
    assert "4 annotations carried over, 3 left for review" in result.output
    assert "unplaced" in result.output and "“745”" in result.output
    with Project.open(path) as project:
        new_id = versions(project, old.id)[1]
    data = json.loads(ok("revisions", path, new_id, "--json").output)
    assert data["versions"] == [old.id, new_id] and data["previous_id"] == old.id
    assert {u["quote"] for u in data["unplaced"]} >= {"745", "The army denied that its units took part."}
    text = ok("revisions", path, new_id[:8]).output
    assert "- 745" in text and "+ 973" in text and "figure removed" in text
    assert "No previous version" in ok("revisions", path, old.id).output
    (tmp_path / "other.txt").write_text("Another text.", encoding="utf-8")
    assert "--as-revision-of" in one_line_error(run("import", path, tmp_path / "new.txt", tmp_path / "other.txt",
                                                    "--as-revision-of", old.id))


def test_deleting_a_version_and_undoing_it_brings_back_its_version_links_and_unplaced_list(tmp_path: Path) -> None:
    """SQLite's cascades would drop document_versions and unplaced_annotations outside the undo record."""
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        old = project.add_document(OLD, title="Toll rises", outlet="Wire", url="https://example.org/toll")
        _annotate(project, old.id)
        report = project.import_documents([ImportedDocument(NEW, {"url": "https://example.org/toll"}, source="new.txt")])
        new_id = report.added[0].id
        assert unplaced(project, new_id)
        for victim in (new_id, old.id):
            before = snapshot(path)
            project.delete_document(victim)
            assert snapshot(path)["document_versions"] == []
            project.undo()
            assert snapshot(path) == before
            assert unplaced(project, new_id)
            assert versions(project, new_id)
