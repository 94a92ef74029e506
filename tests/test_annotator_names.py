"""Reviewer names per layer come from index seeks; they must equal a plain ``SELECT DISTINCT``."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.store.annotations import annotator_names
from annotator.store.database import Database
from annotator.store.schema import migrate

NAMES = st.sampled_from(["ana", "Ana", "ben", "zoë", "Ölga", "", "ana ", "b"])
LAYERS = st.sampled_from(["reviewer", "gold"])


def _database(rows: list[tuple[str, str, str]]) -> Database:
    """The real schema, with annotation rows that hold only what the query reads (other columns: filler)."""
    db = Database(sqlite3.connect(":memory:"))
    migrate(db)
    db.execute("PRAGMA foreign_keys = OFF")
    columns = db.execute("PRAGMA table_info(annotations)").fetchall()
    filler = [name for _, name, _, notnull, default, key in columns
              if ((notnull and default is None) or key) and name not in ("annotator", "layer", "document_id")]
    sql = (f"INSERT INTO annotations (annotator, layer, document_id, {', '.join(filler)}) "
           f"VALUES (?, ?, ?, {', '.join('?' for _ in filler)})")
    for number, (annotator, layer, document) in enumerate(rows):
        db.execute(sql, [annotator, layer, document, *[_filler(name, number) for name in filler]])
    return db


def _filler(column: str, number: int) -> object:
    return {"id": f"a{number}", "end": 1}.get(column, 0)


def _distinct(db: Database, layer: str | None, document_id: str | None) -> list[str]:
    sql = "SELECT DISTINCT annotator FROM annotations WHERE (? IS NULL OR layer = ?) AND (? IS NULL OR document_id = ?)"
    return [r[0] for r in db.execute(sql + " ORDER BY annotator", [layer, layer, document_id, document_id])]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(NAMES, LAYERS, st.sampled_from(["d1", "d2"])), max_size=30),
       layer=st.one_of(st.none(), LAYERS), document_id=st.sampled_from([None, "d1"]))
def test_annotator_names_equal_a_plain_distinct(rows, layer, document_id) -> None:
    db = _database(rows)
    assert annotator_names(db, layer, document_id) == _distinct(db, layer, document_id)


def test_names_per_layer_seek_the_layer_index() -> None:
    db = _database([("ana", "reviewer", "d1")])
    plan = " ".join(str(row[3]) for row in db.execute("EXPLAIN QUERY PLAN SELECT MIN(annotator) FROM annotations "
                                                      "WHERE layer = 'gold' AND annotator > 'a'"))
    assert "annotations_by_layer_annotator" in plan
    assert annotator_names(db, "reviewer") == ["ana"] and annotator_names(db, "gold") == []
