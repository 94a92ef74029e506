"""Which annotations are linked to which, kept current from change sets: the relations between
annotations and the mentions of one entity, by annotation id. What the connector lines between
panes draw (ui/connectors.py), and any other view that shows an annotation's partners."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.history import Change

if TYPE_CHECKING:
    from annotator.project import Project

ENTITY = "same entity"
"""The kind of link between two mentions of one entity (relations have their label as kind)."""


class Links:
    """Every link between annotations of the documents loaded: relations and entity mentions, by annotation id."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.loaded: set[str] = set()
        self.relations: dict[str, tuple[str, str, str]] = {}  # relation id -> (source, target, label)
        self.by_end: dict[str, set[str]] = {}  # annotation id -> relation ids
        self.entity_of: dict[str, str] = {}  # annotation id -> entity id
        self.mentions: dict[str, set[str]] = {}  # entity id -> annotation ids

    def load(self, document_id: str) -> bool:
        """Read a document's links once (later changes arrive as change sets)."""
        if document_id in self.loaded:
            return False
        self.loaded.add(document_id)
        for r in self.project.relations(document_id=document_id):
            self._add(r.id, r.source_id, r.target_id, r.label)
        for annotation_id, entity_id in self.project.entity_mentions_in(document_id).items():
            self._set_entity(annotation_id, entity_id)
        return True

    def apply(self, change: Change) -> bool:
        """Follow one change; True when a link or an annotation was touched (positions may have moved)."""
        relations, annotations = change.of("relations"), change.of("annotations")
        for row in relations.removed:
            self._remove(row["id"])
        for before, after in relations.updated:
            self._remove(before["id"])
            self._add(after["id"], after["source_id"], after["target_id"], after["label"])
        for row in relations.added:
            self._add(row["id"], row["source_id"], row["target_id"], row["label"])
        for row in annotations.removed:
            self._set_entity(row["id"], None)
        for row in (*annotations.added, *(after for _, after in annotations.updated)):
            self._set_entity(row["id"], row.get("entity_id"))
        return bool(relations or annotations)

    def _add(self, id: str, source: str, target: str, label: str) -> None:
        self.relations[id] = (source, target, label)
        self.by_end.setdefault(source, set()).add(id)
        self.by_end.setdefault(target, set()).add(id)

    def _remove(self, id: str) -> None:
        found = self.relations.pop(id, None)
        if found is None:
            return
        for end in found[:2]:
            ids = self.by_end.get(end)
            if ids is not None:
                ids.discard(id)
                if not ids:
                    del self.by_end[end]

    def _set_entity(self, annotation_id: str, entity_id: str | None) -> None:
        old = self.entity_of.pop(annotation_id, None)
        if old is not None:
            self.mentions[old].discard(annotation_id)
            if not self.mentions[old]:
                del self.mentions[old]
        if entity_id:
            self.entity_of[annotation_id] = entity_id
            self.mentions.setdefault(entity_id, set()).add(annotation_id)

    def is_end(self, annotation_id: str) -> bool:
        return annotation_id in self.by_end or annotation_id in self.entity_of

    def ends(self) -> set[str]:
        return set(self.by_end) | set(self.entity_of)

    def partners(self, annotation_id: str) -> dict[str, str]:
        """Annotations linked to one, with the kind of link (a relation wins over a shared entity)."""
        found: dict[str, str] = {}
        entity = self.entity_of.get(annotation_id)
        if entity is not None:
            found.update({other: ENTITY for other in self.mentions[entity] if other != annotation_id})
        for rid in self.by_end.get(annotation_id, ()):
            source, target, label = self.relations[rid]
            found[target if source == annotation_id else source] = label
        return found
