"""Labels are found by role, never by name: renaming Actor or Claim changes nothing but the name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run

from annotator import Project
from annotator.errors import AnnotatorError

TEXT = "The Syrian Observatory for Human Rights said 973 civilians were killed."


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "p.db")
    p.add_document(TEXT, title="One")
    return p


def test_default_labels_carry_their_roles(project: Project) -> None:
    assert {label.name: label.role for label in project.labels()} == {"Claim": "claim", "Actor": "actor", "Figure": "figure"}


def test_renamed_labels_keep_attribution_and_figures(project: Project) -> None:
    from annotator.crosssource import figure_rows

    d = project.documents()[0].id
    actor = project.add_annotation(d, 4, 39, "Actor", annotator="ana")
    figure = project.add_annotation(d, 45, 48, "Figure", annotator="ana")
    project.add_relation(actor.id, figure.id, "attributed-to", annotator="ana")
    project.update_label("Actor", name="Source")
    project.update_label("Figure", name="Toll")
    rows = figure_rows(project)
    assert [(r.value, r.attributed_to) for r in rows] == [(973, "Syrian Observatory for Human Rights")]


def test_a_new_label_can_play_a_role(project: Project) -> None:
    label = project.add_label("Casualty", role="figure")
    assert label.role == "figure"
    assert project.add_label("Count", attributes=[{"name": "value", "type": "number"},
                                                  {"name": "qualifier", "type": "text"}]).role == "figure"
    assert project.add_label("Place").role == "plain"
    with pytest.raises(AnnotatorError, match="role must be one of"):
        project.add_label("Bad", role="villain")
    with pytest.raises(AnnotatorError, match="only span labels"):
        project.add_label("Link", kind="relation", role="actor")


def test_role_change_is_undoable(project: Project) -> None:
    project.update_label("Claim", role="plain")
    assert project.label("Claim").role == "plain"
    project.undo()
    assert project.label("Claim").role == "claim"


def test_cli_lists_adds_and_sets_roles(project: Project) -> None:
    path = project.path
    project.close()
    ok("labels", "set", path, "Actor", "--name", "Source")
    ok("labels", "add", path, "Casualty", "--role", "figure", "--hotkey", "4")
    listed = json.loads(ok("labels", "list", path, "--json").stdout)
    assert {lab["name"]: lab["role"] for lab in listed} == {
        "Claim": "claim", "Source": "actor", "Figure": "figure", "Casualty": "figure"}
    assert "Casualty" in ok("labels", "list", path).stdout
    line = one_line_error(run("labels", "set", path, "Nope", "--role", "actor"))
    assert "unknown label 'Nope'" in line
    assert "nothing to change" in one_line_error(run("labels", "set", path, "Claim"))


def test_schema_migration_gives_old_projects_roles(tmp_path: Path) -> None:
    """A project made before roles existed (schema 1): its default labels get their roles by migration."""
    import json
    import sqlite3

    from annotator.defaults import DEFAULT_LABELS
    from annotator.store import schema
    from annotator.store.database import Database

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    with conn:  # what the first release wrote: migration 1 alone, its labels without a role (Figure renamed)
        _name, script = schema.MIGRATIONS[0]
        script(Database(conn)) if callable(script) else conn.executescript(script)
        conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, 'then')", [_name])
        conn.execute("PRAGMA user_version = 1")
        for position, label in enumerate(DEFAULT_LABELS):
            name = "Toll" if label["name"] == "Figure" else label["name"]
            conn.execute("INSERT INTO labels (id, name, color, kind, hotkey, description, attributes, position) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [f"l{position}", name, label["color"], label.get("kind", "span"), label.get("hotkey"),
                          label.get("description", ""), json.dumps(label.get("attributes", [])), position])
    conn.close()
    with Project.open(path) as p:
        assert {label.name: label.role for label in p.labels()} == {"Claim": "claim", "Actor": "actor", "Toll": "figure"}
