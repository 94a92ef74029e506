"""The written record of the newest schema's columns is what running its migrations gives."""

from __future__ import annotations

from pathlib import Path

import annotator.store.file as project_file
from annotator.store import schema, schema_columns


def test_the_record_is_what_its_migrations_make():
    version = schema_columns.VERSION
    assert project_file.migration_names(version) == schema_columns.MIGRATIONS, "regenerate: python -m annotator.store.schema_columns"
    assert {t: frozenset(c) for t, c in schema_columns.COLUMNS.items()} == project_file.migrated_columns(version)


def test_a_file_is_checked_against_the_migrations_when_the_record_is_not_of_them(monkeypatch):
    version = schema.SCHEMA_VERSION
    made = project_file.migrated_columns(version)
    project_file.expected_columns.cache_clear()
    try:
        assert project_file.expected_columns(version) == made
        project_file.expected_columns.cache_clear()
        # a record of other migrations (renumbered, renamed, or an older newest schema) is not used
        monkeypatch.setattr(schema_columns, "MIGRATIONS", ("another", *schema_columns.MIGRATIONS[1:]))
        monkeypatch.setattr(schema_columns, "COLUMNS", {"documents": ("id",)})
        assert project_file.expected_columns(version) == made
        project_file.expected_columns.cache_clear()
        monkeypatch.setattr(schema_columns, "MIGRATIONS", project_file.migration_names(version))
        assert project_file.expected_columns(version) == {"documents": frozenset({"id"})}  # the record is used
    finally:
        project_file.expected_columns.cache_clear()


def test_the_record_is_of_the_newest_schema():
    """After adding a migration, write the record again, or every open runs the migrations (~20 ms)."""
    written = Path(schema_columns.__file__).read_text(encoding="utf-8")
    assert schema_columns.render() == written, "regenerate: python -m annotator.store.schema_columns"
