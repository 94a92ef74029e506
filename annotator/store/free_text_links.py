"""Migration of the two free-text attributes that duplicated links: Actor "entity" and Claim "attributed-to".

An Actor's "entity" text that names an entity (name or alias, ignoring case and spacing) becomes
the annotation's ``entity_id``; a Claim's "attributed-to" text that names an actor annotation (its
quote) or an entity linked to one in the same document becomes an ``attributed-to`` relation.
Whatever matches nothing (or disagrees with a link already there) is kept in the annotation's
note. Nothing is lost: each value ends up as a link or as a line of the note.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.store.database import Database

ENTITY, ATTRIBUTED = "entity", "attributed-to"
ENTITY_NOTE, ATTRIBUTED_NOTE = "Entity (was free text)", "Attributed to (was free text)"


def _key(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _now() -> str:
    from annotator.store.schema import now

    return now()


def _with_note(note: str | None, line: str) -> str:
    return f"{note}\n{line}" if note else line


def _labels_with(db: Database, role: str, attribute: str) -> dict[str, list[dict[str, Any]]]:
    """Labels of a role whose definitions hold a text attribute of that name: id -> definitions."""
    found = {}
    for row in db.query("SELECT id, attributes FROM labels WHERE kind = 'span' AND role = ?", [role]):
        try:
            definitions = json.loads(row["attributes"])
        except ValueError:
            continue
        if isinstance(definitions, list) and any(isinstance(d, dict) and d.get("name") == attribute for d in definitions):
            found[row["id"]] = definitions
    return found


def _entity_names(db: Database) -> dict[str, str]:
    """Every entity name and alias (normalised) -> entity id; a name two entities share is left out (ambiguous)."""
    names: dict[str, str | None] = {}
    for row in db.query("SELECT id, name, aliases FROM entities ORDER BY created_at, id"):
        try:
            aliases = json.loads(row["aliases"])
        except ValueError:
            aliases = []
        for name in {_key(n) for n in [row["name"], *(aliases if isinstance(aliases, list) else [])] if str(n).strip()}:
            names[name] = row["id"] if name not in names or names[name] == row["id"] else None
    return {k: v for k, v in names.items() if v}


def _drop_definition(db: Database, label_id: str, definitions: list[dict[str, Any]], attribute: str) -> None:
    kept = [d for d in definitions if not (isinstance(d, dict) and d.get("name") == attribute)]
    db.execute("UPDATE labels SET attributes = ? WHERE id = ?", [json.dumps(kept, ensure_ascii=False), label_id])


def _annotations_of(db: Database, label_ids: list[str], attribute: str) -> list[dict[str, Any]]:
    """Annotations of these labels that carry the attribute."""
    marks = ", ".join("?" for _ in label_ids)
    return list(db.query(f"SELECT * FROM annotations WHERE label_id IN ({marks}) AND json_valid(attributes) "
                         "AND json_type(attributes, ?) IS NOT NULL ORDER BY document_id, start, id",
                         [*label_ids, f'$."{attribute}"']))


def _take(annotation: dict[str, Any], attribute: str) -> tuple[dict[str, Any], str | None]:
    """The attributes without ``attribute``, and its value as trimmed text (None when absent or empty)."""
    try:
        attributes = json.loads(annotation["attributes"])
    except ValueError:
        return {}, None
    if not isinstance(attributes, dict) or attribute not in attributes:
        return attributes if isinstance(attributes, dict) else {}, None
    value = attributes.pop(attribute)
    text = " ".join(str(value).split()) if value is not None else ""
    return attributes, text or None


def _save(db: Database, annotation: dict[str, Any], attributes: dict[str, Any], **columns: Any) -> None:
    values = {"attributes": json.dumps(attributes, ensure_ascii=False), **columns}
    assignments = ", ".join(f'"{c}" = ?' for c in values)
    db.execute(f"UPDATE annotations SET {assignments} WHERE id = ?", [*values.values(), annotation["id"]])


def move_entity_attribute(db: Database) -> None:
    labels = _labels_with(db, "actor", ENTITY)
    if not labels:
        return
    names = _entity_names(db)
    for annotation in _annotations_of(db, list(labels), ENTITY):
        attributes, text = _take(annotation, ENTITY)
        if text is None:
            _save(db, annotation, attributes)
            continue
        match = names.get(_key(text))
        if match and annotation["entity_id"] in (None, match):
            _save(db, annotation, attributes, entity_id=match)
        else:
            _save(db, annotation, attributes, note=_with_note(annotation["note"], f"{ENTITY_NOTE}: {text}"))
    for label_id, definitions in labels.items():
        _drop_definition(db, label_id, definitions, ENTITY)


def _actors_by_document(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Actor annotations per document with the names they go by: their quote and their entity's names."""
    entities = {r["id"]: r for r in db.query("SELECT id, name, aliases FROM entities")}
    found: dict[str, list[dict[str, Any]]] = {}
    for row in db.query("SELECT a.id, a.document_id, a.quote, a.entity_id, a.annotator, a.layer, a.start FROM annotations a "
                        "JOIN labels l ON l.id = a.label_id WHERE l.role = 'actor' ORDER BY a.start, a.id"):
        names = {_key(row["quote"])}
        entity = entities.get(row["entity_id"])
        if entity is not None:
            try:
                aliases = json.loads(entity["aliases"])
            except ValueError:
                aliases = []
            names |= {_key(n) for n in [entity["name"], *(aliases if isinstance(aliases, list) else [])]}
        found.setdefault(row["document_id"], []).append({**row, "names": names})
    return found


def move_attributed_to_attribute(db: Database) -> None:
    labels = _labels_with(db, "claim", ATTRIBUTED)
    if not labels:
        return
    actors = _actors_by_document(db)
    for claim in _annotations_of(db, list(labels), ATTRIBUTED):
        attributes, text = _take(claim, ATTRIBUTED)
        if text is None:
            _save(db, claim, attributes)
            continue
        wanted = _key(text)
        matches = [a for a in actors.get(claim["document_id"], []) if wanted in a["names"]]
        # the claim's own reviewer and layer first, then the nearest mention
        matches.sort(key=lambda a: (a["annotator"] != claim["annotator"], a["layer"] != claim["layer"],
                                    abs(a["start"] - claim["start"])))
        if not matches:
            _save(db, claim, attributes, note=_with_note(claim["note"], f"{ATTRIBUTED_NOTE}: {text}"))
            continue
        _save(db, claim, attributes)
        target = matches[0]["id"]
        exists = db.execute("SELECT 1 FROM relations WHERE source_id = ? AND target_id = ? AND label = ?",
                            [claim["id"], target, ATTRIBUTED]).fetchone()
        if not exists:
            import uuid  # a migration only: not at every start

            db.execute("INSERT INTO relations (id, source_id, target_id, label, annotator, layer, note, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
                       [str(uuid.uuid4()), claim["id"], target, ATTRIBUTED, claim["annotator"], claim["layer"], _now()])
    for label_id, definitions in labels.items():
        _drop_definition(db, label_id, definitions, ATTRIBUTED)


def move_free_text_attributes(db: Database) -> None:
    """Entities first: an actor linked by its old "entity" text is then found by that entity's names."""
    move_entity_attribute(db)
    move_attributed_to_attribute(db)
