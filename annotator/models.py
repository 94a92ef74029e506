"""Plain records the API hands out. They are snapshots: change the project through ``Project``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from annotator.store.file import json_column


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    text: str
    sha256: str
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    status: str = "not started"
    metadata: dict[str, Any] = field(default_factory=dict)
    source_path: str | None = None
    source_format: str | None = None
    position: int = 0
    imported_at: str = ""
    assigned_to: str | None = None  # the reviewer this document is assigned to

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Document:
        return cls(**{**row, "metadata": json_column(row, "documents", "metadata", "{}")})

    def to_dict(self, text: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not text:
            data.pop("text")
        return data


@dataclass(frozen=True, slots=True)
class Label:
    id: str
    name: str
    color: str
    kind: str = "span"
    hotkey: str | None = None
    description: str = ""
    attributes: list[dict[str, Any]] = field(default_factory=list)
    position: int = 0
    role: str = "plain"  # claim, actor, figure or plain (annotator.defaults.LABEL_ROLES)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Label:
        return cls(**{**row, "attributes": json_column(row, "labels", "attributes", "[]")})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Annotation:
    id: str
    document_id: str
    start: int
    end: int
    label: str
    label_id: str
    quote: str
    prefix: str
    suffix: str
    annotator: str
    layer: str = "reviewer"
    entity_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any], label_name: str) -> Annotation:
        return cls(**{**row, "label": label_name, "attributes": json_column(row, "annotations", "attributes", "{}")})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    source_id: str
    target_id: str
    label: str
    annotator: str
    layer: str = "reviewer"
    note: str | None = None
    created_at: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Relation:
        return cls(**row)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str = "other"
    aliases: list[str] = field(default_factory=list)
    note: str | None = None  # the entity's description
    created_at: str = ""
    external_id: str | None = None  # e.g. a Wikidata QID, stored as text and never fetched

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Entity:
        return cls(**{**row, "aliases": json_column(row, "entities", "aliases", "[]")})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Listed(NamedTuple):
    """One row of the document list, as shown: fields 1-5 are the list's columns, so a view indexes, never computes."""

    id: str
    title: str
    outlet: str
    date: str
    status: str
    spans: int
    author: str | None
    published: str | None
    position: int
