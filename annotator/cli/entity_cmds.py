"""entities: the project's knowledge base of canonical actors from the shell (list, add, edit, merge, split)."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli import cli
from annotator.cli.output import print_json, print_table
from annotator.cli.project_group import ProjectGroup
from annotator.crosssource import entity_table
from annotator.defaults import ENTITY_TYPES
from annotator.models import Entity
from annotator.project import Project

TYPE = click.Choice(ENTITY_TYPES)


def _show(entity: Entity, as_json: bool) -> None:
    if as_json:
        print_json(entity.to_dict())
    else:
        aliases = f"\t{'; '.join(entity.aliases)}" if entity.aliases else ""
        click.echo(f"{entity.id}\t{entity.name}\t{entity.type}{aliases}")


def _aliases(values: tuple[str, ...]) -> list[str]:
    """Repeated --alias options, each possibly a ';'-separated list."""
    return [name.strip() for value in values for name in value.split(";") if name.strip()]


@cli.group(cls=ProjectGroup)
@click.argument("project", type=click.Path(path_type=Path))
@click.pass_context
def entities(ctx: click.Context, project: Path) -> None:
    """The entities (canonical actors): list, add, edit, merge, split. Without a verb: list."""
    ctx.obj = project


@entities.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the documents each entity appears in).")
@click.pass_obj
def list_(project: Path, as_json: bool) -> None:
    """List the entities: type, aliases, mentions and documents they appear in."""
    with Project.open(project) as proj:
        table = entity_table(proj)
    if as_json:
        print_json(table)
    elif not table:
        click.echo(f"No entities in {project}")
    else:
        print_table(["id", "name", "type", "aliases", "mentions", "documents"],
                    [[e["id"][:8], e["name"], e["type"], "; ".join(e["aliases"]), e["mentions"], len(e["documents"])]
                     for e in table])


@entities.command()
@click.argument("name")
@click.option("--type", "type_", type=TYPE, required=True, help="What the entity is (chosen, never guessed).")
@click.option("--alias", "aliases", multiple=True, help="Another name it goes by (repeatable, or ';'-separated).")
@click.option("--description", default=None, help="A description.")
@click.option("--external-id", default=None, help="An identifier elsewhere, e.g. a Wikidata QID (stored, never fetched).")
@click.option("--json", "as_json", is_flag=True, help="Print the new entity as JSON.")
@click.pass_obj
def add(project: Path, name: str, type_: str, aliases: tuple[str, ...], description: str | None,
        external_id: str | None, as_json: bool) -> None:
    """Add an entity called NAME."""
    with Project.open(project) as proj:
        entity = proj.add_entity(name, type_, aliases=_aliases(aliases), note=description, external_id=external_id)
    _show(entity, as_json)


@entities.command()
@click.argument("entity")
@click.option("--name", default=None, help="A new name.")
@click.option("--type", "type_", type=TYPE, default=None, help="A new type.")
@click.option("--alias", "aliases", multiple=True, help="Replace the aliases with these (repeatable, or ';'-separated).")
@click.option("--add-alias", "added", multiple=True, help="Add an alias, keeping the others (repeatable).")
@click.option("--description", default=None, help="A new description ('' clears it).")
@click.option("--external-id", default=None, help="A new external identifier ('' clears it).")
@click.option("--json", "as_json", is_flag=True, help="Print the entity as JSON.")
@click.pass_obj
def edit(project: Path, entity: str, name: str | None, type_: str | None, aliases: tuple[str, ...],
         added: tuple[str, ...], description: str | None, external_id: str | None, as_json: bool) -> None:
    """Edit ENTITY (id or unique prefix): one undoable change."""
    with Project.open(project) as proj:
        entity_id = proj.resolve_id("entities", entity, "entity")
        fields: dict[str, object] = {k: v for k, v in (("name", name), ("type", type_), ("note", description),
                                                       ("external_id", external_id)) if v is not None}
        if aliases or added:
            fields["aliases"] = [*(_aliases(aliases) if aliases else proj.entity(entity_id).aliases), *_aliases(added)]
        result = proj.update_entity(entity_id, **fields) if fields else proj.entity(entity_id)
    _show(result, as_json)


@entities.command()
@click.argument("keep")
@click.argument("others", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the merged entity as JSON.")
@click.pass_obj
def merge(project: Path, keep: str, others: tuple[str, ...], as_json: bool) -> None:
    """Fold OTHERS into KEEP: their names become aliases, their mentions point at KEEP."""
    with Project.open(project) as proj:
        keep_id = proj.resolve_id("entities", keep, "entity")
        result = proj.merge_entities(keep_id, [proj.resolve_id("entities", o, "entity") for o in others])
    _show(result, as_json)


@entities.command()
@click.argument("entity")
@click.argument("mentions", nargs=-1, required=True)
@click.option("--name", required=True, help="Name of the new entity.")
@click.option("--type", "type_", type=TYPE, default=None, help="Its type (default: the type of ENTITY).")
@click.option("--json", "as_json", is_flag=True, help="Print the new entity as JSON.")
@click.pass_obj
def split(project: Path, entity: str, mentions: tuple[str, ...], name: str, type_: str | None, as_json: bool) -> None:
    """Move MENTIONS (annotation ids or prefixes) of ENTITY to a new entity called --name."""
    with Project.open(project) as proj:
        entity_id = proj.resolve_id("entities", entity, "entity")
        ids = [proj.resolve_id("annotations", m, "annotation") for m in mentions]
        result = proj.split_entity(entity_id, ids, name, type_)
    _show(result, as_json)
