"""labels: list and edit the label schema (the same edits as the GUI's schema editor)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from annotator.cli import cli
from annotator.cli.output import print_json, print_table
from annotator.defaults import LABEL_ROLES
from annotator.errors import AnnotatorError
from annotator.project import Project

PROJECT = click.argument("project", type=click.Path(path_type=Path))


@cli.group()
def labels() -> None:
    """The label schema: list, add and edit labels (name, colour, hotkey, role, attributes)."""


@labels.command("list")
@PROJECT
@click.option("--json", "as_json", is_flag=True, help="Print every label with its attribute definitions as JSON.")
def list_labels(project: Path, as_json: bool) -> None:
    """List the labels in palette order."""
    with Project.open(project) as proj:
        found = proj.labels(kind=None)
    if as_json:
        print_json([label.to_dict() for label in found])
        return
    print_table(["name", "kind", "role", "key", "colour", "attributes"],
                [(lab.name, lab.kind, lab.role, lab.hotkey or "", lab.color, ", ".join(d["name"] for d in lab.attributes))
                 for lab in found])


def _attributes(value: str | None) -> list | None:
    if value is None:
        return None
    try:
        parsed = json.loads(value)
    except ValueError as error:
        raise AnnotatorError(f"--attributes must be a JSON list of definitions: {error}") from None
    if not isinstance(parsed, list):
        raise AnnotatorError("--attributes must be a JSON list of definitions")
    return parsed


ROLE = click.option("--role", type=click.Choice(LABEL_ROLES), default=None,
                    help="What the label is for: claim, actor, figure or plain (attribution, entity linking and the "
                         "Figures table find labels by role, not by name).")


@labels.command("add")
@PROJECT
@click.argument("name")
@click.option("--color", default=None, help="#RRGGBB (default: the next palette colour).")
@click.option("--hotkey", default=None, help="1-9 (taken from another label if it has it).")
@click.option("--description", default="", help="Guidance for reviewers.")
@ROLE
@click.option("--attributes", default=None, metavar="JSON", help='Definitions, e.g. \'[{"name": "value", "type": "number"}]\'.')
def add_label(project: Path, name: str, color: str | None, hotkey: str | None, description: str, role: str | None,
              attributes: str | None) -> None:
    """Add a span label NAME (undoable in the app like any change)."""
    with Project.open(project) as proj:
        label = proj.add_label(name, color=color, hotkey=hotkey, description=description, role=role,
                               attributes=_attributes(attributes))
    click.echo(f"Added label {label.name} ({label.role}, {label.color})")


@labels.command("set")
@PROJECT
@click.argument("label")
@click.option("--name", default=None, help="Rename (annotations follow: they point at the label's id).")
@click.option("--color", default=None, help="#RRGGBB.")
@click.option("--hotkey", default=None, help="1-9, or 'none'.")
@click.option("--description", default=None)
@ROLE
@click.option("--attributes", default=None, metavar="JSON", help="Replace the attribute definitions.")
def set_label(project: Path, label: str, name: str | None, color: str | None, hotkey: str | None, description: str | None,
              role: str | None, attributes: str | None) -> None:
    """Edit LABEL (a name or id): only the options given change."""
    fields: dict[str, object] = {k: v for k, v in {"name": name, "color": color, "description": description,
                                                   "role": role}.items() if v is not None}
    if hotkey is not None:
        fields["hotkey"] = None if hotkey.lower() == "none" else hotkey
    if attributes is not None:
        fields["attributes"] = _attributes(attributes)
    if not fields:
        raise AnnotatorError("nothing to change: give at least one of --name, --color, --hotkey, --description, --role, --attributes")
    with Project.open(project) as proj:
        updated = proj.update_label(label, **fields)
    click.echo(f"Label {updated.name}: {', '.join(f'{k} set' for k in fields)}")
