"""A document's relations are the same whichever side drives the query (its annotations, or the
project's relations: the smaller one), and opening a long document does not read every row."""

from __future__ import annotations

import random

from annotator import Project
from annotator.store import relations as relation_rows


def expected(project: Project, document_id: str) -> list[str]:
    mine = {a.id for a in project.annotations(document_id)}
    return sorted(r.id for r in project.relations() if r.source_id in mine or r.target_id in mine)


def test_both_query_paths_give_every_relation_touching_the_document(fresh: Project) -> None:
    rng = random.Random(4)
    text = "Officials said 973 people were killed; the monitor said 1,200. " * 4
    docs = [fresh.add_document(f"Report {i}. " + text, title=f"D{i}").id for i in range(3)]
    spans = {d: [fresh.add_annotation(d, s, s + 5, "Claim", annotator="ana").id for s in range(0, 200, 10)] for d in docs}
    short = fresh.add_document("A short note on 740 dead.", title="short").id
    spans[short] = [fresh.add_annotation(short, 0, 7, "Claim", annotator="ana").id]
    every = [a for ids in spans.values() for a in ids]

    def two(first: list[str]) -> tuple[str, str]:
        source = rng.choice(first)
        return source, rng.choice([a for a in every if a != source])
    # Few relations: for a long document the relations drive (fewer than its 20 annotations).
    for _ in range(6):
        fresh.add_relation(*two(spans[docs[0]]), "same-claim", annotator="ana")
    fresh.add_relation(spans[short][0], spans[docs[1]][0], "contradicts", annotator="ana")
    assert fresh.db.execute("SELECT count(*) FROM relations").fetchone()[0] < len(spans[docs[0]])
    for d in [*docs, short]:
        assert sorted(r["id"] for r in relation_rows.of_document(fresh.db, d)) == expected(fresh, d)
    # Many relations: the document's annotations drive.
    for _ in range(60):
        fresh.add_relation(*two(every), "supports", annotator="ben")
    assert fresh.db.execute("SELECT count(*) FROM relations").fetchone()[0] > len(spans[docs[0]])
    for d in [*docs, short]:
        found = relation_rows.of_document(fresh.db, d)
        assert sorted(r["id"] for r in found) == expected(fresh, d)
        assert [(r["created_at"], r["id"]) for r in found] == sorted((r["created_at"], r["id"]) for r in found)


def test_a_long_documents_relations_and_mentions_come_from_indexes(fresh: Project) -> None:
    document = fresh.add_document("word " * 50, title="long").id
    plans = {
        "relations": "SELECT count(*) FROM annotations WHERE document_id = ?",
        "mentions": "SELECT id, entity_id FROM annotations WHERE document_id = ? AND entity_id IS NOT NULL",
        "ids": "SELECT id FROM annotations WHERE document_id = ?",
    }
    details = {name: " ".join(r[3] for r in fresh.db.execute("EXPLAIN QUERY PLAN " + sql, [document]).fetchall())
               for name, sql in plans.items()}
    assert "annotations_linked_by_document" in details["mentions"]
    assert "COVERING INDEX" in details["ids"] and "COVERING INDEX" in details["relations"]
