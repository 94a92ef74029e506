"""Where things live: the bundled sample corpus and the default project a first start opens."""

from __future__ import annotations

import os
from pathlib import Path

from annotator.project import Project

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def data_dir() -> Path:
    """The user's data folder (``ANNOTATOR_DATA_DIR`` overrides it, for tests and portable installs)."""
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    import platformdirs  # ~20 ms to import: not before the window's first frame, which does not need it

    return Path(override) if override else platformdirs.user_data_path("Annotator", appauthor=False)


def default_project() -> Path:
    """The sample project: created on first use and loaded with the articles in ``seeds/``."""
    path = data_dir() / "sample-project.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".creating")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        with Project.create(partial) as project:
            if SEEDS.is_dir():
                from annotator.importers import read_paths  # only on the very first start: not worth its import time

                documents, _ = read_paths([SEEDS])
                project.import_documents(documents)
        partial.rename(path)  # a half-made project never shows up as the default one
    return path
