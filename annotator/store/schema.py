"""The project file's tables and their migrations. ``docs/schema.md`` documents every column.

Each migration is a SQL script; ``PRAGMA user_version`` holds the last one applied and the
``schema_migrations`` table records when each ran.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from annotator.defaults import LABEL_ROLES, RATING_ATTRIBUTE
from annotator.store import sync_state
from annotator.store.database import Database

LOGGED_TABLES = ("documents", "labels", "annotations", "relations", "entities")
"""Tables whose every insert, update and delete lands in ``change_log`` (by triggers, so writes by
sqlite3, Datasette or another Annotator are logged too): how an open project sees other writers."""



def log_triggers(db: Database) -> None:
    """(Re)create the change-log triggers from the tables' current columns.

    Updates and deletes keep the old row as JSON (a document's text left out: it never changes
    and can be large), so a view can tell what another program removed or edited."""
    for table in LOGGED_TABLES:
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")').fetchall()]
        old = ", ".join(f"'{c}', OLD.\"{c}\"" for c in columns if not (table == "documents" and c == "text"))
        for op in ("insert", "update", "delete"):
            name = f"log_{table}_{op}"
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
            row = "NEW" if op == "insert" else "OLD"
            old_json = "NULL" if op == "insert" else f"json_object({old})"
            db.execute(
                f'CREATE TRIGGER {name} AFTER {op.upper()} ON "{table}" BEGIN '
                f"INSERT INTO change_log (table_name, row_id, op, old) VALUES ('{table}', {row}.id, '{op}', {old_json}); END"
            )


def _change_log_and_roles(db: Database) -> None:
    db.execute(
        """CREATE TABLE change_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
            old TEXT
        )"""
    )
    roles = ", ".join(f"'{r}'" for r in LABEL_ROLES)
    db.execute(f"ALTER TABLE labels ADD COLUMN role TEXT NOT NULL DEFAULT 'plain' CHECK (role IN ({roles}))")
    # Existing projects: the default schema's labels by the names it gave them, and any label whose
    # attributes make it a figure. From here on the role is stored and names no longer matter.
    db.execute(
        """UPDATE labels SET role = 'figure' WHERE kind = 'span' AND json_valid(attributes)
           AND (SELECT count(*) FROM json_each(attributes) WHERE json_extract(value, '$.name') IN ('value', 'qualifier')) = 2"""
    )
    db.execute("UPDATE labels SET role = 'claim' WHERE kind = 'span' AND role = 'plain' AND name = 'Claim'")
    db.execute("UPDATE labels SET role = 'actor' WHERE kind = 'span' AND role = 'plain' AND name = 'Actor'")
    log_triggers(db)


def _search_index(db: Database) -> None:
    """Full-text search over titles and texts (FTS5), kept in step with ``documents`` by triggers.

    The index reads its content through a view (no second copy of every text). FTS5 needs integer
    row ids that never move; a ``documents`` rowid may (VACUUM renumbers tables without an
    INTEGER PRIMARY KEY), so ``search_rows`` gives each document its own. The index is not a
    logged table: other programs' writes reach it through the same triggers."""
    db.execute("CREATE TABLE search_rows (rowid INTEGER PRIMARY KEY, document_id TEXT NOT NULL UNIQUE)")
    db.execute(
        "CREATE VIEW search_content AS SELECT s.rowid AS rowid, d.title AS title, d.text AS text "
        "FROM search_rows s JOIN documents d ON d.id = s.document_id")
    db.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='search_content', content_rowid='rowid', "
        "tokenize='unicode61 remove_diacritics 0')")
    row = "(SELECT rowid FROM search_rows WHERE document_id = {}.id)"
    add = f"INSERT INTO documents_fts (rowid, title, text) VALUES ({row.format('NEW')}, NEW.title, NEW.text);"
    drop = (f"INSERT INTO documents_fts (documents_fts, rowid, title, text) "
            f"VALUES ('delete', {row.format('OLD')}, OLD.title, OLD.text);")
    db.execute(f"CREATE TRIGGER search_insert AFTER INSERT ON documents BEGIN "
               f"INSERT OR IGNORE INTO search_rows (document_id) VALUES (NEW.id); {add} END")
    db.execute(f"CREATE TRIGGER search_update AFTER UPDATE OF title, text ON documents BEGIN {drop} {add} END")
    db.execute(f"CREATE TRIGGER search_delete AFTER DELETE ON documents BEGIN {drop} "
               "DELETE FROM search_rows WHERE document_id = OLD.id; END")
    # Existing projects: every document gets its row, then the index is built from the view.
    db.execute("INSERT INTO search_rows (document_id) SELECT id FROM documents ORDER BY position, imported_at")
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")
    # Suggestions a reviewer rejected: never offered to them again.
    db.execute(
        """CREATE TABLE suggestion_rejections (
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            label_id TEXT NOT NULL,
            annotator TEXT NOT NULL,
            rejected_at TEXT NOT NULL,
            PRIMARY KEY (document_id, start, end, label_id, annotator)
        )"""
    )


def _knowledge_base(db: Database) -> None:
    """Entities get an external identifier, documents a reviewer they are assigned to; the free-text
    "entity" (Actor) and "attributed-to" (Claim) attributes become links (see ``free_text_links``)."""
    db.execute("ALTER TABLE entities ADD COLUMN external_id TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN assigned_to TEXT")
    log_triggers(db)
    from annotator.store.free_text_links import move_free_text_attributes

    move_free_text_attributes(db)


def _search_folds_accents(db: Database) -> None:
    """Rebuild the search index with a tokenizer that folds accents ("Tartus" finds "Tartús").

    ``remove_diacritics 2`` also folds letters whose marks are composed with several code points.
    The triggers on ``documents`` name the index, not its tokenizer, so they stay as they are."""
    db.execute("DROP TABLE documents_fts")
    db.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='search_content', content_rowid='rowid', "
        "tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")


def _claim_rating(db: Database) -> None:
    """Existing projects: every claim label without a ``rating`` attribute gets the default one, last."""
    db.execute(
        """UPDATE labels SET attributes = json_insert(attributes, '$[#]', json(?))
           WHERE kind = 'span' AND role = 'claim' AND json_valid(attributes) AND json_type(attributes) = 'array'
           AND NOT EXISTS (SELECT 1 FROM json_each(labels.attributes) WHERE json_extract(value, '$.name') = 'rating')""",
        (json.dumps(RATING_ATTRIBUTE),),
    )


def _rejection_ids(db: Database) -> None:
    """Give every rejected suggestion an ``id`` (SQLite cannot add a primary key, so the table is rebuilt).

    Without one, deleting a document took its rejections by FK cascade unrecorded (cascade.py lists
    only rows with an id), and undoing the delete offered the rejected suggestions again. The old
    key stays as a UNIQUE constraint; existing rows keep their values and get new UUIDs."""
    db.execute(
        """CREATE TABLE suggestion_rejections_new (
            id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            label_id TEXT NOT NULL,
            annotator TEXT NOT NULL,
            rejected_at TEXT NOT NULL,
            UNIQUE (document_id, start, end, label_id, annotator)
        )"""
    )
    rows = db.execute("SELECT document_id, start, end, label_id, annotator, rejected_at FROM suggestion_rejections "
                      "ORDER BY rejected_at").fetchall()
    import uuid  # a migration only: uuid imports platform, not worth it at every start

    db.conn.executemany(
        "INSERT INTO suggestion_rejections_new (id, document_id, start, end, label_id, annotator, rejected_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", [(str(uuid.uuid4()), *tuple(r)) for r in rows])
    db.execute("DROP TABLE suggestion_rejections")
    db.execute("ALTER TABLE suggestion_rejections_new RENAME TO suggestion_rejections")


Migration = str | Callable[[Database], None]
def _document_tokens(db: Database) -> None:
    """Each text's tokens, keyed by its SHA-256 and the tokenizer's version (``annotator/stored_tokens.py``); the
    texts already in the file are tokenized now, a batch at a time. Not logged, synced or merged; a missing or
    stale row is tokenized on read."""
    from annotator import stored_tokens

    db.execute("""
        CREATE TABLE document_tokens (
            sha256 TEXT PRIMARY KEY,
            tokenizer TEXT NOT NULL,
            starts BLOB NOT NULL,
            ends BLOB NOT NULL,
            words TEXT NOT NULL
        ) WITHOUT ROWID""")
    stored_tokens.fill_all(db)


MIGRATIONS: list[tuple[str, Migration]] = [
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
    ("change log for other writers; label roles", _change_log_and_roles),
    ("full-text search index over titles and texts; rejected suggestions", _search_index),
    (
        "document versions (revised articles) and annotations a new version could not place",
        """
        CREATE TABLE document_versions (
            id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            previous_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL
        );
        CREATE INDEX document_versions_by_previous ON document_versions(previous_id);
        CREATE TABLE unplaced_annotations (
            id TEXT PRIMARY KEY,
            version_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            reason TEXT NOT NULL
        );
        CREATE INDEX unplaced_annotations_by_version ON unplaced_annotations(version_id);
        """,
    ),
    ("entity external ids, document assignment; free-text entity and attributed-to become links", _knowledge_base),
    ("team sync: state, change times, pulled ranges, server keys", sync_state.migrate),
    ("search folds accents (FTS5 remove_diacritics 2)", _search_folds_accents),
    (
        "readable views for Datasette and other SQL browsers",
        # Views hold no rows and need no triggers. They name few columns (d.* where they can), so a
        # later migration can still drop a column they do not show.
        """
        CREATE VIEW annotations_readable AS
        SELECT a.id, d.title AS document, d.outlet, d.status, l.name AS label, a.quote, a.annotator,
               a.layer, e.name AS entity, a.note, a.start, a."end", a.document_id, a.created_at, a.updated_at
        FROM annotations AS a
        JOIN documents AS d ON d.id = a.document_id
        JOIN labels AS l ON l.id = a.label_id
        LEFT JOIN entities AS e ON e.id = a.entity_id;
        CREATE VIEW documents_searchable AS
        SELECT s.rowid AS search_rowid, d.*
        FROM documents AS d JOIN search_rows AS s ON s.document_id = d.id;
        """,
    ),
    ("claim labels get a rating attribute (ClaimReview export)", _claim_rating),
    (
        "indexes: a document's annotation ids and entity mentions, reviewer names per layer",
        # A document's annotation ids from the index alone (its relations are looked up by them), and its
        # few entity-linked annotations without visiting the rest: at 100,000 annotations in one document,
        # opening it read every row twice (seconds). annotator_names seeks from one name to the next in the
        # last index instead of scanning every annotation (the window's layer list, before its first frame).
        """
        CREATE INDEX annotations_ids_by_document ON annotations(document_id, id);
        CREATE INDEX annotations_linked_by_document ON annotations(document_id, entity_id) WHERE entity_id IS NOT NULL;
        CREATE INDEX annotations_by_layer_annotator ON annotations(layer, annotator);
        """,
    ),    ("rejected suggestions get an id, so a document delete's undo brings them back", _rejection_ids),
    (
        "figure quotes' parses, stored by the writes so reads skip the parser (derived: safe to delete)",
        # Keyed by the quote text: a parse is a pure function of the quote and the parser's version
        # (annotator/figure_values.py). Not logged, synced or merged; a missing or stale row is parsed on read.
        """
        CREATE TABLE figure_parses (
            quote TEXT PRIMARY KEY,
            parser INTEGER NOT NULL,
            parsed TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
    ("texts' tokens, stored by the writes so exports skip the tokenizer (derived: safe to delete)", _document_tokens),
]

SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, upto: int | None = None) -> int:
    """Apply the migrations the file has not seen yet (up to schema ``upto``: the tests write files as
    an older release did); return how many ran."""
    current = version(db)
    for number, (name, script) in enumerate(MIGRATIONS[current:upto], start=current + 1):
        with db.atomic():
            if callable(script):
                script(db)
            else:
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [number, name, now()],
            )
            db.execute(f"PRAGMA user_version = {number}")
    return (SCHEMA_VERSION if upto is None else upto) - current
