"""The cascade's foreign keys are read once per schema version (annotator/store/cascade.py): a table
added while the file is open (a migration, another program) is still followed on the next delete."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator import Project
from annotator.store import cascade


def test_a_cascading_table_added_while_open_is_taken_and_given_back(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "p.db"
    reads = []
    monkeypatch.setattr(cascade, "_read_referrers", lambda db, read=cascade._read_referrers: reads.append(1) or read(db))
    with Project.create(path) as project:
        doc = project.add_document("Over 1,200 Alawites were killed.", title="t").id
        a, b, c = (project.add_annotation(doc, s, s + 4, "Claim", annotator="ana").id for s in (0, 5, 11))
        project.delete_annotation(a)
        project.delete_annotation(b)
        assert len(reads) == 1  # the second delete used what the first read
        other = sqlite3.connect(path)  # another program adds a table hanging on annotations
        other.execute("CREATE TABLE notes_extra (id TEXT PRIMARY KEY, annotation_id TEXT "
                      "REFERENCES annotations(id) ON DELETE CASCADE, body TEXT)")
        other.execute("INSERT INTO notes_extra VALUES ('n1', ?, 'kept')", [c])
        other.commit()
        other.close()
        project.delete_annotation(c)
        assert len(reads) == 2
        assert [(r.table, r.before["id"]) for r in project.last_change.rows if r.before] == [("notes_extra", "n1"), ("annotations", c)]
        project.undo()
    check = sqlite3.connect(path)
    assert check.execute("SELECT id, annotation_id FROM notes_extra").fetchall() == [("n1", c)]
    check.close()
