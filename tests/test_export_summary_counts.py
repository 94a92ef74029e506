"""An export's (label, reviewer, layer) counts come from one scan with a filter per combination when there are
few; they must equal a plain ``GROUP BY`` (the same rows; their order is SQLite's choice either way and nothing
reads it: the card and the result key them by label), also with labels missing from the schema,
names that differ only in case or spacing, filters, and more combinations than the one-scan path takes."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.store import exports
from annotator.store.database import Database
from annotator.store.schema import migrate

LABELS = ("L1", "L2", "l1", "Lé")
NAMES = st.sampled_from(["ana", "Ana", "ben", "zoë", "ana ", "", "c", "d", "e"])
ROWS = st.lists(st.tuples(st.sampled_from([*LABELS, "gone"]), NAMES, st.sampled_from(["reviewer", "gold"]),
                          st.sampled_from(["d1", "d2"])), max_size=40)
FILTERS = [("1", []), ("layer = ?", ["gold"]), ("annotator IN (?, ?)", ["ana", "ben"]), ("document_id = ?", ["d2"]),
           ("label_id IN (?)", ["L2"])]


def _database(labels: tuple[str, ...], rows: list[tuple[str, str, str, str]]) -> Database:
    """The real schema; annotations hold what the counts read (other columns: filler). "gone" is a label id the
    labels table does not have (a damaged file)."""
    db = Database(sqlite3.connect(":memory:"))
    migrate(db)
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("DELETE FROM labels")
    for number, label_id in enumerate(labels):
        db.execute("INSERT INTO labels (id, name, color) VALUES (?, ?, '#000')", [label_id, f"name {number}"])
    for number, (label_id, annotator, layer, document_id) in enumerate(rows):
        db.execute("INSERT INTO annotations (id, document_id, start, end, label_id, quote, annotator, layer, "
                   "created_at, updated_at) VALUES (?, ?, 0, 1, ?, 'q', ?, ?, '', '')",
                   [f"a{number}", document_id, label_id, annotator, layer])
    return db


def _plain(db: Database, where: str, params: list[str]) -> list[tuple]:
    return [tuple(row) for row in db.execute(
        f"SELECT label_id, annotator, layer, count(*) FROM annotations WHERE {where} "
        "GROUP BY label_id, annotator, layer", params)]


@settings(max_examples=80, deadline=None)
@given(labels=st.sampled_from([LABELS[:1], LABELS[:2], LABELS]), rows=ROWS)
def test_counts_equal_a_plain_group_by(labels: tuple[str, ...], rows: list[tuple[str, str, str, str]]) -> None:
    db = _database(labels, rows)
    for where, params in FILTERS:
        summary = exports.summary(db, where, params)
        assert sorted(summary.counts) == sorted(_plain(db, where, params))
        assert summary.total == sum(count for *_, count in summary.counts)


def test_both_paths_are_taken() -> None:
    """Few combinations: the one-scan path; a label outside the schema or many reviewers: the GROUP BY."""
    few = _database(LABELS[:2], [("L1", "ana", "reviewer", "d1"), ("L2", "ben", "gold", "d1"), ("L1", "ana", "reviewer", "d2")])
    assert exports.summary(few, "1", []).counts == [("L1", "ana", "reviewer", 2), ("L2", "ben", "gold", 1)]
    damaged = _database(LABELS[:2], [("L1", "ana", "reviewer", "d1"), ("gone", "ana", "reviewer", "d1")])
    assert exports.summary(damaged, "1", []).counts == [("L1", "ana", "reviewer", 1), ("gone", "ana", "reviewer", 1)]
    many = [("L1", f"r{n}", "reviewer", "d1") for n in range(exports.FEW_COUNTS + 1)]
    assert exports.summary(_database(LABELS[:1], many), "1", []).counts == [(*row[:3], 1) for row in sorted(many)]


def _group_by(path: object, where: str = "1", params: tuple[str, ...] = ()) -> list[tuple]:
    with sqlite3.connect(str(path)) as conn:
        return sorted(conn.execute(f"SELECT label_id, annotator, layer, count(*) FROM annotations WHERE {where} "
                                   "GROUP BY label_id, annotator, layer", params).fetchall())


def test_counts_read_beside_the_writer_are_the_plain_ones(sample, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The second connection's counts (in a thread) are the GROUP BY's; inside a transaction (writes another
    connection cannot see) and when the second connection fails, they are read on the project's own connection."""
    from annotator.exporters.common import Filters, select

    monkeypatch.setattr(exports, "BESIDE_ABOVE", 0)  # the sample's few annotations in a thread too
    counts = exports.read_beside(sample.db, sample.path, lambda other: exports.card_counts(other, "1", []), "t", 1)
    label_counts, per_document, bad_offsets = counts()
    assert sorted(label_counts) == _group_by(sample.path) and sum(n for _, n in per_document) == sample.counts()["annotations"]
    assert bad_offsets == (0, None)
    names = {label.id: label.name for label in sample.labels(kind=None)}
    expected: dict[tuple[str, str, str], int] = {}
    for label_id, annotator, layer, count in _group_by(sample.path, "annotator = ?", ("bob",)):
        expected[(names[label_id], annotator, layer)] = expected.get((names[label_id], annotator, layer), 0) + count
    assert dict(select(sample, Filters(annotators=("bob",))).counts) == expected and expected
    document = sample.documents(with_text=False)[0]
    with sample.group("add two"):
        sample.add_annotation(document.id, 0, 2, "Claim", annotator="zed")
        sample.add_annotation(document.id, 1, 3, "Claim", annotator="zed")
        inside = select(sample, Filters())
    assert sum(count for (_, annotator, _), count in inside.counts.items() if annotator == "zed") == 2
    assert sum(inside.per_document.values()) == inside.total == sample.counts()["annotations"]
    plain = _group_by(sample.path)

    def refused(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(exports.export_part.sqlite3, "connect", refused)  # the thread's connection fails
    assert sorted(exports.read_beside(sample.db, sample.path, lambda other: exports.card_counts(other, "1", []),
                                      "t", 1)()[0]) == plain


@pytest.mark.parametrize("few", [16, 0])
def test_the_counts_scan_finds_offsets_that_are_not_whole_numbers(sample, few, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With a filter per combination and with the GROUP BY (too many combinations): the same count, the first's fields."""
    monkeypatch.setattr(exports, "FEW_COUNTS", few)
    conn = sqlite3.connect(sample.path)
    with conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM annotations ORDER BY id LIMIT 2")]
        start = conn.execute("SELECT start FROM annotations WHERE id = ?", [ids[0]]).fetchone()[0]
        conn.execute('UPDATE annotations SET "end" = ? WHERE id = ?', [start + 0.5, ids[0]])
        conn.execute('UPDATE annotations SET "end" = ? WHERE id = ?', ["x", ids[1]])
    conn.close()
    assert exports.card_counts(sample.db, "1", [])[2] == (2, (ids[0], start, start + 0.5))
    assert exports.card_counts(sample.db, "annotator = ?", ["nobody"])[2] == (0, None)
