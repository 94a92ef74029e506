"""The WAL checkpoint left to idle time: commits do not copy the log into the file until asked, and
asking copies everything, with every row still there for another connection."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from annotator import Project


def _add_many(project: Project, document_id: str, count: int) -> list[str]:
    return [project.add_annotation(document_id, i % 500, i % 500 + 3, "Claim", annotator="ana").id for i in range(count)]


def test_commits_leave_the_checkpoint_to_the_caller(project_path: Path) -> None:
    with Project.create(project_path) as project:
        doc = project.add_document("word " * 200, title="t").id
        project.checkpoint()
        project.checkpoint_when_asked()
        size = os.stat(project_path).st_size
        ids = _add_many(project, doc, 300)  # well past SQLite's default 1000-page auto-checkpoint
        assert os.stat(project_path).st_size == size  # nothing copied into the file inside a commit
        assert project.checkpoint() is True
        assert os.stat(project_path).st_size > size
        other = sqlite3.connect(project_path)
        try:
            stored = {row[0] for row in other.execute("SELECT id FROM annotations")}
        finally:
            other.close()
        assert set(ids) <= stored


def test_by_default_a_commit_checkpoints(project_path: Path) -> None:
    """The contrast that makes the test above mean something: without asking, SQLite copies the log
    into the file inside some commit of the same run."""
    with Project.create(project_path) as project:
        doc = project.add_document("word " * 200, title="t").id
        project.checkpoint()
        size = os.stat(project_path).st_size
        _add_many(project, doc, 300)
        assert os.stat(project_path).st_size > size


def test_checkpoint_inside_a_write_does_nothing(project_path: Path) -> None:
    with Project.create(project_path) as project:
        doc = project.add_document("word " * 200, title="t").id
        with project.group("several"):
            project.add_annotation(doc, 0, 4, "Claim", annotator="ana")
            assert project.checkpoint() is False
        assert project.checkpoint() is True

