"""read_other's identical rows: found in SQL, exactly the rows the column-by-column rule calls identical."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from db_helpers import query, seeded_project

from annotator.merge import BOOKKEEPING, TABLES, merge_project
from annotator.store.foreign import read_other


def _copies(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """Ours with five annotations; theirs a copy with one edited (a conflict) and one added."""
    ours = tmp_path / "ours.db"
    with seeded_project(ours) as project:
        docs = project.documents()
        made = [project.add_annotation(docs[i % 3].id, 2 * i, 2 * i + 5, "Claim", annotator="ana", propose=False)
                for i in range(5)]
    theirs = tmp_path / "theirs.db"
    shutil.copy(ours, theirs)
    from annotator import Project

    with Project.open(theirs) as project:
        project.update_annotation(made[1].id, note="ben's note")
        added = project.add_annotation(docs[3].id, 0, 4, "Actor", annotator="ben", propose=False)
    return ours, theirs, {"edited": made[1].id, "added": added.id}


def _read(ours: Path, theirs: Path) -> tuple[dict, dict]:
    from annotator import Project

    with Project.open(ours) as project:
        columns = {t: project.columns(t) for t in (*TABLES, "annotators")}
    compared = {t: [c for c in columns[t] if c != "id" and c not in BOOKKEEPING] for t in ("entities", "annotations")}
    return read_other(theirs, columns, ours=ours, compared=compared)


def test_identical_rows_are_set_apart_and_the_others_read(tmp_path: Path) -> None:
    ours, theirs, ids = _copies(tmp_path)
    other, same = _read(ours, theirs)
    everything = {(i, lab) for i, lab in query(theirs, "SELECT id, label_id FROM annotations")}
    kept = {a["id"] for a in other["annotations"]}
    assert kept == {ids["edited"], ids["added"]}
    assert sorted(same["annotations"]) == sorted(p for p in everything if p[0] not in kept)
    assert len(same["annotations"]) == 4


def test_a_repeated_id_in_a_damaged_file_counts_each_row_once(tmp_path: Path) -> None:
    """A file whose annotations table lost its primary key holds the same id twice: the identical row is
    set apart, the other one is read (and validated), neither is lost nor counted twice."""
    ours, theirs, ids = _copies(tmp_path)
    twin = query(theirs, "SELECT id FROM annotations WHERE id NOT IN (?, ?) LIMIT 1", (ids["edited"], ids["added"]))[0][0]
    conn = sqlite3.connect(theirs)
    conn.execute("PRAGMA legacy_alter_table = ON")  # views name annotations: keep them as they are
    with conn:
        conn.execute("CREATE TABLE copy AS SELECT * FROM annotations")
        conn.execute("DROP TABLE annotations")
        conn.execute("ALTER TABLE copy RENAME TO annotations")
        conn.execute("INSERT INTO annotations SELECT id, document_id, start, end, label_id, quote || 'x', prefix, suffix,"
                     " annotator, layer, entity_id, attributes, note, created_at, updated_at FROM annotations WHERE id = ?",
                     (twin,))
    conn.close()
    other, same = _read(ours, theirs)
    assert [a["id"] for a in other["annotations"]].count(twin) == 1
    assert [p[0] for p in same["annotations"]].count(twin) == 1
    assert len(same["annotations"]) + len(other["annotations"]) == 7


def test_a_merge_of_a_copy_adds_the_new_row_and_reports_the_edit(tmp_path: Path) -> None:
    ours, theirs, ids = _copies(tmp_path)
    from annotator import Project

    with Project.open(ours) as project:
        report = merge_project(project, theirs)
    assert report.added["annotations"] == 1 and report.skipped["annotations"] == 4
    assert [c.id for c in report.conflicts] == [ids["edited"]]
