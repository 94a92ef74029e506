"""The tables and columns of a project file at the newest schema, written down so that opening a
file need not run every migration in memory to know what to check it against.

Written by ``python -m annotator.store.schema_columns`` after a migration is added; until then (or
if the migrations were renumbered or renamed: ``MIGRATIONS`` must be their names) the store runs the
migrations as before (``file.expected_columns``), only slower. tests/test_schema_columns.py checks
that this record is what running its migrations gives.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

VERSION = 13
MIGRATIONS: tuple[str, ...] = (
    'initial schema',
    'change log for other writers; label roles',
    'full-text search index over titles and texts; rejected suggestions',
    'document versions (revised articles) and annotations a new version could not place',
    'entity external ids, document assignment; free-text entity and attributed-to become links',
    'team sync: state, change times, pulled ranges, server keys',
    'search folds accents (FTS5 remove_diacritics 2)',
    'readable views for Datasette and other SQL browsers',
    'claim labels get a rating attribute (ClaimReview export)',
    "indexes: a document's annotation ids and entity mentions, reviewer names per layer",
    "rejected suggestions get an id, so a document delete's undo brings them back",
    "figure quotes' parses, stored by the writes so reads skip the parser (derived: safe to delete)",
    "texts' tokens, stored by the writes so exports skip the tokenizer (derived: safe to delete)",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "annotations": ("annotator", "attributes", "created_at", "document_id", "end", "entity_id", "id", "label_id",
        "layer", "note", "prefix", "quote", "start", "suffix", "updated_at",),
    "annotators": ("color", "created_at", "name",),
    "change_log": ("old", "op", "row_id", "seq", "table_name",),
    "document_tokens": ("ends", "sha256", "starts", "tokenizer", "words",),
    "document_versions": ("created_at", "id", "previous_id",),
    "documents": ("assigned_to", "author", "id", "imported_at", "language", "metadata", "outlet", "position",
        "published", "sha256", "source_format", "source_path", "status", "text", "title", "url",),
    "documents_fts": ("text", "title",),
    "documents_fts_config": ("k", "v",),
    "documents_fts_data": ("block", "id",),
    "documents_fts_docsize": ("id", "sz",),
    "documents_fts_idx": ("pgno", "segid", "term",),
    "entities": ("aliases", "created_at", "external_id", "id", "name", "note", "type",),
    "figure_parses": ("parsed", "parser", "quote",),
    "labels": ("attributes", "color", "description", "hotkey", "id", "kind", "name", "position", "role",),
    "relations": ("annotator", "created_at", "id", "label", "layer", "note", "source_id", "target_id",),
    "schema_migrations": ("applied_at", "name", "version",),
    "search_rows": ("document_id", "rowid",),
    "sqlite_sequence": ("name", "seq",),
    "suggestion_rejections": ("annotator", "document_id", "end", "id", "label_id", "rejected_at", "start",),
    "sync_keys": ("local_id", "server_id", "table_name",),
    "sync_pulled": ("first_seq", "last_seq",),
    "sync_state": ("key", "value",),
    "sync_times": ("at", "seq",),
    "unplaced_annotations": ("annotation_id", "id", "reason", "version_id",),
}


def render() -> str:
    """This module's text, with the record of the newest schema."""
    from annotator.store import file, schema

    version = schema.SCHEMA_VERSION
    columns = file.migrated_columns(version)
    text = Path(__file__).read_text(encoding="utf-8")
    head, _, rest = text.partition("VERSION = ")
    _, _, tail = rest.partition("\n\n\n")
    lines = [f"VERSION = {version}", "MIGRATIONS: tuple[str, ...] = ("]
    lines += [f"    {name!r}," for name in file.migration_names(version)]
    lines += [")", "COLUMNS: dict[str, tuple[str, ...]] = {"]
    for table in sorted(columns):
        names = " ".join(f'"{name}",' for name in sorted(columns[table]))
        lines.append(textwrap.fill(f'"{table}": ({names}),', width=116, initial_indent="    ", subsequent_indent="        "))
    lines.append("}")
    return head + "\n".join(lines) + "\n\n\n" + tail


if __name__ == "__main__":
    Path(__file__).write_text(render(), encoding="utf-8")
    sys.exit(0)
