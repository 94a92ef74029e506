"""The project file's tables and their migrations. ``docs/schema.md`` documents every column.

Each migration is a SQL script; ``PRAGMA user_version`` holds the last one applied and the
``schema_migrations`` table records when each ran.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

MIGRATIONS: list[tuple[str, str]] = [
    (
        "initial schema",
        """
        CREATE TABLE schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            outlet TEXT,
            author TEXT,
            url TEXT,
            published TEXT,
            language TEXT,
            status TEXT NOT NULL DEFAULT 'not started'
                CHECK (status IN ('not started', 'in progress', 'done')),
            metadata TEXT NOT NULL DEFAULT '{}',
            source_path TEXT,
            source_format TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE labels (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            color TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'span' CHECK (kind IN ('span', 'relation', 'document')),
            hotkey TEXT,
            description TEXT NOT NULL DEFAULT '',
            attributes TEXT NOT NULL DEFAULT '[]',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE annotators (
            name TEXT PRIMARY KEY,
            color TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL DEFAULT 'other',
            aliases TEXT NOT NULL DEFAULT '[]',
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            label_id TEXT NOT NULL REFERENCES labels(id),
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL,
            layer TEXT NOT NULL DEFAULT 'reviewer' CHECK (layer IN ('reviewer', 'gold')),
            entity_id TEXT REFERENCES entities(id) ON DELETE SET NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            note TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start >= 0 AND end > start)
        );
        CREATE INDEX annotations_by_document ON annotations(document_id, start);
        CREATE INDEX annotations_by_annotator ON annotations(annotator);
        CREATE INDEX annotations_by_entity ON annotations(entity_id);
        CREATE TABLE relations (
            id TEXT PRIMARY KEY,
            source_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            target_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            annotator TEXT NOT NULL,
            layer TEXT NOT NULL DEFAULT 'reviewer' CHECK (layer IN ('reviewer', 'gold')),
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX relations_by_source ON relations(source_id);
        CREATE INDEX relations_by_target ON relations(target_id);
        """,
    ),
]

SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations the file has not seen yet; return how many ran."""
    current = version(db)
    for number, (name, script) in enumerate(MIGRATIONS[current:], start=current + 1):
        with db.atomic():
            for statement in filter(str.strip, script.split(";")):
                db.execute(statement)
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [number, name, now()],
            )
            db.execute(f"PRAGMA user_version = {number}")
    return SCHEMA_VERSION - current
