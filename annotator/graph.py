"""Relations between annotations and the registry of canonical actors (entities)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from annotator.annotations import AnnotationsMixin
from annotator.errors import AnnotatorError
from annotator.history import RowChange
from annotator.models import Annotation, Entity, Relation
from annotator.store import annotations as annotation_rows
from annotator.store import entities as entity_rows
from annotator.store import new_id
from annotator.store import relations as relation_rows
from annotator.store.schema import now
from annotator.validation import entity_problems, relation_problems, require


def _aliases(names: Iterable[str], canonical: str) -> list[str]:
    """Distinct, trimmed aliases in first-seen order, never repeating the canonical name."""
    if isinstance(names, str | bytes) or not isinstance(names, Iterable):
        raise AnnotatorError(f"aliases must be a list of names, not {names!r}")
    if not isinstance(canonical, str):
        raise AnnotatorError(f"an entity's name must be text, not {canonical!r}")
    seen = {canonical.casefold()}
    result = []
    for name in names:
        name = " ".join(str(name).split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


def _external_id(value: object) -> str | None:
    """An external identifier as trimmed text (None when empty)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise AnnotatorError(f"an external identifier is text (e.g. Q12345), not {value!r}")
    return value.strip() or None


class GraphMixin(AnnotationsMixin):
    # -- relations -----------------------------------------------------------------------------

    def add_relation(
        self, source_id: str, target_id: str, label: str, *, annotator: str, note: str | None = None,
        layer: str = "reviewer",
    ) -> Relation:
        """Link two annotations: attributed-to, same-claim, supports, contradicts (or a label of kind 'relation')."""
        row = {
            "id": new_id(), "source_id": source_id, "target_id": target_id, "label": label,
            "annotator": annotator, "layer": layer, "note": note or None, "created_at": now(),
        }
        for end in (source_id, target_id):
            self.fetch_row("annotations", end, "annotation")  # NotFoundError names the missing one
        require(relation_problems(row, {source_id, target_id}, {lab.name for lab in self.labels(kind="relation")}))
        self._commit(f"Link {label}", [RowChange("relations", None, row)])
        return Relation.from_row(row)

    def delete_relation(self, id: str) -> None:
        before = self.fetch_row("relations", id, "relation")
        self._commit(f"Remove {before['label']} link", [RowChange("relations", before, None)])

    def relations(self, document_id: str | None = None, annotation_id: str | None = None) -> list[Relation]:
        """All relations, or those touching one annotation, or whose source or target lies in one document."""
        if annotation_id is not None:
            rows = relation_rows.of_annotation(self.db, annotation_id)
        elif document_id is not None:
            rows = relation_rows.of_document(self.db, document_id)
        else:
            rows = relation_rows.all_rows(self.db)
        return [Relation.from_row(r) for r in rows]

    # -- entities ------------------------------------------------------------------------------

    def add_entity(self, name: str, type: str = "other", aliases: Iterable[str] = (), note: str | None = None,
                   external_id: str | None = None) -> Entity:
        """A new entity; ``note`` is its description, ``external_id`` e.g. a Wikidata QID (text, never fetched)."""
        name = " ".join(name.split()) if isinstance(name, str) else name
        if not name:
            raise AnnotatorError("an entity needs a name")
        row = {"id": new_id(), "name": name, "type": type, "aliases": json.dumps(_aliases(aliases, name), ensure_ascii=False),
               "note": note or None, "created_at": now()}
        if external_id is not None:  # a column added by a later schema only when given: the default fills it
            row["external_id"] = _external_id(external_id)
        require(entity_problems(row))
        self._commit(f"Add entity {name}", [RowChange("entities", None, row)])
        return Entity.from_row(row)

    def entity(self, id: str) -> Entity:
        return Entity.from_row(self.fetch_row("entities", id, "entity"))

    def entities(self) -> list[Entity]:
        return [Entity.from_row(r) for r in entity_rows.all_rows(self.db)]

    def update_entity(self, id: str, **fields: object) -> Entity:
        """Edit name, type, aliases, description (``note``) or ``external_id``: one undo step."""
        before = self.fetch_row("entities", id, "entity")
        after = dict(before)
        for key, value in fields.items():
            key = "note" if key == "description" else key
            if key == "note":
                value = value or None
            elif key == "external_id":
                value = _external_id(value)
            elif key == "name":
                value = " ".join(value.split()) if isinstance(value, str) else value
                if not value:
                    raise AnnotatorError("an entity needs a name")
            elif key == "aliases":
                value = json.dumps(_aliases(value, str(fields.get("name", before["name"]))), ensure_ascii=False)  # type: ignore[arg-type]
            elif key != "type":
                raise AnnotatorError(f"entities have no editable field {key!r}")
            after[key] = value
        require(entity_problems(after))
        self._commit(f"Edit entity {after['name']}", [RowChange("entities", before, after)])
        return Entity.from_row(after)

    def _unlink_rows(self, entity_id: str, new_entity: str | None) -> list[RowChange]:
        rows = []
        for a in annotation_rows.of_entity(self.db, entity_id):
            rows.append(RowChange("annotations", a, {**a, "entity_id": new_entity, "updated_at": now()}))
        return rows

    def delete_entity(self, id: str) -> None:
        before = self.fetch_row("entities", id, "entity")
        self._commit(f"Delete entity {before['name']}", [*self._unlink_rows(id, None), RowChange("entities", before, None)])

    def link_entity(self, annotation_id: str, entity_id: str | None) -> None:
        self.update_annotation(annotation_id, entity_id=entity_id)

    def merge_entities(self, keep_id: str, other_ids: Iterable[str]) -> Entity:
        """Fold other entities into one: aliases combined, their annotations re-pointed, one undo step."""
        keep = self.fetch_row("entities", keep_id, "entity")
        rows: list[RowChange] = []
        names = json.loads(keep["aliases"])
        for other_id in other_ids:
            if other_id == keep_id:
                continue
            other = self.fetch_row("entities", other_id, "entity")
            names += [other["name"], *json.loads(other["aliases"])]
            rows += self._unlink_rows(other_id, keep_id)
            rows.append(RowChange("entities", other, None))
        after = {**keep, "aliases": json.dumps(_aliases(names, keep["name"]), ensure_ascii=False)}
        rows.insert(0, RowChange("entities", keep, after))
        self._commit(f"Merge into entity {keep['name']}", rows)
        return Entity.from_row(after)

    def split_entity(self, id: str, annotation_ids: Iterable[str], name: str, type: str | None = None) -> Entity:
        """Move chosen mentions of an entity to a new entity called ``name`` (same type unless given): one undo step."""
        source = self.fetch_row("entities", id, "entity")
        chosen = list(dict.fromkeys(annotation_ids))
        if not chosen:
            raise AnnotatorError("choose the mentions to move to the new entity")
        mentions = {a["id"]: a for a in annotation_rows.of_entity(self.db, id)}
        strangers = [a for a in chosen if a not in mentions]
        if strangers:
            raise AnnotatorError(f"annotation {strangers[0]} is not a mention of entity {source['name']}")
        name = " ".join(name.split()) if isinstance(name, str) else name
        if not name:
            raise AnnotatorError("an entity needs a name")
        row = {"id": new_id(), "name": name, "type": type or source["type"], "aliases": "[]", "note": None,
               "created_at": now(), "external_id": None}
        require(entity_problems(row))
        rows = [RowChange("entities", None, row)]
        rows += [RowChange("annotations", mentions[a], {**mentions[a], "entity_id": row["id"], "updated_at": now()})
                 for a in chosen]
        self._commit(f"Split {len(chosen)} mention{'s' if len(chosen) != 1 else ''} of {source['name']} into {name}", rows)
        return Entity.from_row(row)

    def has_relation(self, source_id: str, target_id: str, label: str) -> bool:
        return relation_rows.exists(self.db, source_id, target_id, label)

    def entity_mention_counts(self) -> dict[str, dict[str, int]]:
        """entity id -> {document id: mentions}, in one query (for entity lists)."""
        counts: dict[str, dict[str, int]] = {}
        for entity_id, document_id, count in annotation_rows.entity_mention_counts(self.db):
            counts.setdefault(entity_id, {})[document_id] = count
        return counts

    def entity_mentions_in(self, document_id: str) -> dict[str, str]:
        """annotation id -> entity id for one document's linked actors (what the connectors join)."""
        return dict(annotation_rows.entity_mentions_in(self.db, document_id))

    def entity_mentions(self, entity_id: str) -> list[Annotation]:
        """Annotations that point at an entity, across all documents."""
        names = self._label_names()
        rows = annotation_rows.of_entity(self.db, entity_id, ordered=True)
        return [Annotation.from_row(r, names.get(r["label_id"], "?")) for r in rows]
