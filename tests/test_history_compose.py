"""``history.compose``: several changes as one, with their net effect (what a dock that fell behind
applies, ui/dock_updates.py). Checked against the file itself before and after random edits."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from annotator import Project
from annotator.history import Change, Origin, RowChange, compose

TEXT = "Over 1,200 Alawites were killed in Latakia and Tartus, the Syrian Observatory for Human Rights said."


def rows(path: Path, table: str) -> dict[str, dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return {row["id"]: dict(row) for row in conn.execute(f"SELECT * FROM {table}")}
    finally:
        conn.close()


@pytest.mark.parametrize("seed", range(12))
def test_composed_change_is_the_net_difference_of_the_file(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        doc = project.add_document(TEXT, title="t").id
        for _ in range(3):
            start = rng.randrange(0, len(TEXT) - 10)
            project.add_annotation(doc, start, start + 6, "Claim", annotator="ana")
        before = rows(path, "annotations")
        changes: list[Change] = []
        for _ in range(rng.randint(1, 8)):
            ids = [a.id for a in project.annotations(doc)]
            what = rng.random()
            if what < 0.35 or not ids:
                start = rng.randrange(0, len(TEXT) - 10)
                project.add_annotation(doc, start, start + rng.randint(1, 9), rng.choice(("Claim", "Actor")), annotator="ana")
            elif what < 0.55:
                project.delete_annotation(rng.choice(ids))
            elif what < 0.7:
                project.update_annotation(rng.choice(ids), note=rng.choice(("a", "b")))
            elif project.history.undo_text is not None and what < 0.9:
                project.undo()
            elif project.history.redo_text is not None:
                project.redo()
            else:
                continue
            assert project.last_change is not None
            changes.append(project.last_change)
        after = rows(path, "annotations")
    net = compose(changes).of("annotations")
    assert {r["id"] for r in net.added} == after.keys() - before.keys()
    assert {r["id"] for r in net.removed} == before.keys() - after.keys()
    changed = {id for id in before.keys() & after.keys() if before[id] != after[id]}
    assert {b["id"] for b, _ in net.updated} == changed
    for row in (*net.added, *(a for _, a in net.updated)):
        assert {k: after[row["id"]][k] for k in row} == row  # the last state, as the file holds it
    for row in (*net.removed, *(b for b, _ in net.updated)):
        assert {k: before[row["id"]][k] for k in row} == row  # the first state


def test_one_change_is_itself_and_origins_are_kept_when_shared() -> None:
    a = {"id": "x", "v": 1}
    b = {"id": "x", "v": 2}
    one = Change("add", (RowChange("annotations", None, a),))
    assert compose([one]) is one
    undo = one.inverted()
    assert not compose([one, undo])  # added and taken back: nothing
    assert compose([one, undo]).origin is Origin.DO
    both = compose([Change("u", (RowChange("annotations", a, b),), Origin.UNDO),
                    Change("u", (RowChange("annotations", b, a),), Origin.UNDO),
                    Change("u", (RowChange("annotations", a, b),), Origin.UNDO)])
    assert both.origin is Origin.UNDO and both.rows == (RowChange("annotations", a, b),)
    assert not compose([])
