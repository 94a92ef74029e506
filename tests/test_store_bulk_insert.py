"""The bulk insert (one ``json_each`` statement) stores exactly what ``executemany`` stores."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator import Project
from annotator.history import RowChange
from annotator.store import connection

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
VALUE = st.one_of(st.none(), TEXT, st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.binary(max_size=4))


def _stored(path: Path, rows: list[dict], minimum: int, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    monkeypatch.setattr(connection, "JSON_INSERT_MIN", minimum)
    with Project.create(path) as project:
        project._commit("bulk", [RowChange("entities", None, row) for row in rows])
        return project.db.execute("SELECT id, name, typeof(name), type, aliases, note, typeof(note), created_at, "
                                  "typeof(created_at), external_id, typeof(external_id) FROM entities ORDER BY id").fetchall()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TEXT.filter(bool), VALUE, VALUE, VALUE), min_size=1, max_size=8))
def test_json_path_stores_what_executemany_stores(tmp_path_factory, monkeypatch, values) -> None:
    rows = [{"id": str(uuid.uuid4()), "name": name or "x", "type": "person", "aliases": "[]", "note": note,
             "created_at": created if created is not None else "2024-01-01", "external_id": external}
            for name, note, created, external in values]
    folder = tmp_path_factory.mktemp("bulk")
    fast = _stored(folder / "fast.db", rows, 1, monkeypatch)
    slow = _stored(folder / "slow.db", rows, 10**9, monkeypatch)
    assert fast == slow
    assert len(fast) == len(rows)


def test_json_path_is_taken_for_plain_values() -> None:
    assert connection._json_exact("Ünïcode 😀 \n \\ \" '")
    assert connection._json_exact(2**63 - 1) and connection._json_exact(None)
    assert not connection._json_exact("a\x00b")
    assert not connection._json_exact(2**63)
    assert not connection._json_exact(True)
    assert not connection._json_exact(1.5)
    assert not connection._json_exact(b"x")


@given(st.lists(st.tuples(VALUE, VALUE, st.one_of(st.booleans(), st.integers(), TEXT)), min_size=1, max_size=6))
def test_rows_take_the_json_path_exactly_when_every_value_is_exact(values) -> None:
    """The column-at-a-time check agrees with ``_json_exact`` value by value (a text holding a backslash
    before ``u0000`` may take the slow path: still the same rows stored)."""
    text = connection._json_rows(values)
    exact = all(connection._json_exact(v) for row in values for v in row)
    if text is not None:
        assert exact and json.loads(text) == [list(row) for row in values]
    else:
        assert not exact or any(isinstance(v, str) and "\\u0000" in v for row in values for v in row)


def test_rows_with_a_nul_a_float_or_a_huge_number_take_executemany() -> None:
    assert connection._json_rows([("a", 1), ("b", None)]) == '[["a",1],["b",null]]'
    assert connection._json_rows([("a\x00b", 1)]) is None
    assert connection._json_rows([("a", 2**63)]) is None
    assert connection._json_rows([("a", -(2**63) - 1)]) is None
    assert connection._json_rows([("a", 1.0)]) is None
    assert connection._json_rows([("a", True)]) is None
    assert connection._json_rows([("a\ud800b", 1)]) is None  # a lone surrogate: no UTF-8, executemany refuses it
