"""Shared fixtures: fresh and seeded project files in a temporary folder.

Keep fixtures here small and general; a fixture used by one test module belongs in that module.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator import Project
from annotator.importers import read_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True, scope="session")
def committed_data_stays_unchanged() -> Iterator[None]:
    """No test writes a committed project file (opening one migrates it: tests open copies)."""
    import hashlib

    files = sorted((Path(__file__).parent / "data").rglob("*.db"))
    before = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    yield
    changed = [f.name for f in files if hashlib.sha256(f.read_bytes()).hexdigest() != before[f]]
    assert not changed, f"tests changed committed files: {changed}"


@pytest.fixture(autouse=True)
def backups_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Snapshots (before merges, large imports, daily in the app) go to a temporary folder, never the user's."""
    folder = tmp_path_factory.mktemp("backups")
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(folder))
    return folder


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """Where a test's project file lives (not created)."""
    return tmp_path / "project.db"


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    """A fresh project with the default labels and no documents."""
    proj = Project.create(project_path)
    try:
        yield proj
    finally:
        proj.close()


@pytest.fixture
def seeded(project: Project) -> Project:
    """The fresh project with the five sample documents from ``seeds/`` imported."""
    documents, problems = read_paths([SEEDS])
    assert not problems
    report = project.import_documents(documents)
    assert len(report.added) == 5
    project.history.clear()
    return project


@pytest.fixture
def raw_db(project: Project) -> Iterator[sqlite3.Connection]:
    """A second, plain ``sqlite3`` connection to the project's file: sees only what was committed."""
    conn = sqlite3.connect(project.path)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[Project]:
    """The export sample (emoji, Arabic, overlaps, attributes, notes, relations); modules needing one per
    module define their own ``sample``."""
    from test_export_sample import build_sample

    project = build_sample(tmp_path / "sample.db")
    yield project
    project.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Project]:
    """An empty project to import into."""
    project = Project.create(tmp_path / "fresh.db")
    yield project
    project.close()


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """Make a file unwritable even for root (``chattr +i``); skipped where that is not possible."""
    made: list[Path] = []

    def make(path: Path) -> None:
        try:
            subprocess.run(["chattr", "+i", str(path)], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError):
            pytest.skip("chattr +i is not available here (needs root and ext2/3/4)")
        made.append(path)

    yield make
    for path in reversed(made):
        subprocess.run(["chattr", "-i", str(path)], check=True, capture_output=True)


@pytest.fixture
def core_free(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second core counted free whatever the load on the machine running the tests (busy, an export or a large
    write would not start its second process): for the tests of that process (``usefixtures("core_free")``)."""
    from annotator import second_core

    monkeypatch.setattr(second_core, "free", second_core.startable)
