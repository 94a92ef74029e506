"""docs/schema.md documents every table, column and index the code creates, and its SQL examples run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from db_helpers import query

from annotator import Project

DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def sections() -> dict[str, str]:
    """The text under each ``## heading`` of the document, by heading."""
    found: dict[str, str] = {}
    heading = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            assert heading not in found, f"heading {heading!r} appears twice"
            found[heading] = ""
        elif heading is not None:
            found[heading] += line + "\n"
    return found


def documented_columns(section: str) -> dict[str, str]:
    """Column name -> the table row that documents it (rows look like ``| `name` | TYPE | ...``)."""
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\|\s*`([a-z_][a-z0-9_]*)`\s*\|(.*)$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def actual_schema(project: Project) -> dict[str, list[tuple[str, str]]]:
    tables = [r[0] for r in query(
        project.path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: [(r[1], r[2]) for r in query(project.path, f'PRAGMA table_info("{t}")')] for t in tables}


def test_every_table_and_column_is_documented(project: Project) -> None:
    schema = actual_schema(project)
    assert {"documents", "labels", "annotations", "relations", "entities", "annotators", "schema_migrations"} <= set(
        schema)
    docs = sections()
    for table, columns in schema.items():
        assert table in docs, f"docs/schema.md has no '## {table}' section"
        rows = documented_columns(docs[table])
        for column, declared in columns:
            assert column in rows, f"column {table}.{column} is not documented in its section"
            assert declared in rows[column], f"{table}.{column}: the row should give its type {declared}"
        stale = set(rows) - {c for c, _ in columns}
        assert not stale, f"docs/schema.md documents {table} columns that do not exist: {sorted(stale)}"


def test_no_section_for_a_table_that_does_not_exist(project: Project) -> None:
    schema = actual_schema(project)
    table_like = {h for h in sections() if re.fullmatch(r"[a-z_][a-z0-9_]*", h)}
    assert table_like <= set(schema), f"sections for missing tables: {sorted(table_like - set(schema))}"


def test_indexes_are_documented(project: Project) -> None:
    text = DOC.read_text(encoding="utf-8")
    indexes = [r[0] for r in query(project.path, "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")]
    assert indexes
    for name in indexes:
        assert f"`{name}" in text, f"index {name} is not documented"


def test_conventions_are_stated() -> None:
    docs = sections()
    offsets = docs["Offsets"]
    assert "code point" in offsets and "end exclusive" in offsets.replace("**", "")
    assert "`reviewer`" in docs["Layers"] and "`gold`" in docs["Layers"]
    for table, column in (("labels", "attributes"), ("annotations", "attributes"), ("entities", "aliases"),
                          ("documents", "metadata")):
        section = docs[table]
        assert "JSON" in documented_columns(section)[column]
        assert "```json" in section, f"{table}.{column}: give an example of the JSON shape"
    examples = docs["Example queries"]
    for tool in ("sqlite3", "pandas", "datasette"):
        assert tool in examples.lower()


SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)


def test_example_queries_run(seeded: Project) -> None:
    p = seeded
    doc = p.documents()[2]
    text = doc.text
    start = text.index("1,200")
    figure = p.add_annotation(doc.id, start, start + 5, "Figure", annotator="ana")
    claim = p.add_annotation(doc.id, 0, 40, "Claim", annotator="ana")
    actor = p.add_annotation(doc.id, text.index("Ahmed"), text.index("Ahmed") + 5, "Actor", annotator="ben",
                             layer="gold")
    entity = p.add_entity("Ahmed al-Sharaa", "person", aliases=["al-Julani"])
    p.link_entity(actor.id, entity.id)
    p.add_relation(claim.id, actor.id, "attributed-to", annotator="ana")

    queries = SQL_BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(queries) >= 4
    results = [query(p.path, sql) for sql in queries]
    figures = next(r for sql, r in zip(queries, results) if "l.name = 'Figure'" in sql)
    assert [(row[2], row[3]) for row in figures] == [("1,200", figure.attributes["value"])]
    attributed = next(r for sql, r in zip(queries, results) if "attributed-to" in sql)
    assert [row[1:] for row in attributed] == [(claim.quote, "Ahmed", "Ahmed al-Sharaa")]
    mismatched = next(r for sql, r in zip(queries, results) if "<> a.quote" in sql)
    assert mismatched == []


@pytest.mark.parametrize("word", ["WAL", "foreign_keys", "user_version", "UUID"])
def test_storage_facts_mentioned(word: str) -> None:
    assert word in DOC.read_text(encoding="utf-8")
