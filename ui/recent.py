"""File ▸ Open Recent: the projects opened last, newest first, kept in the user's config folder
(platformdirs; ``ANNOTATOR_CONFIG_DIR`` overrides it, for tests and portable installs)."""

from __future__ import annotations

import json
import os
from pathlib import Path

LIMIT = 10


def recent_file() -> Path:
    override = os.environ.get("ANNOTATOR_CONFIG_DIR")
    import platformdirs  # ~20 ms to import: the app's start remembers its project after the first frame

    folder = Path(override) if override else platformdirs.user_config_path("Annotator", appauthor=False)
    return folder / "recent-projects.json"


def recent_projects(file: Path | None = None) -> list[Path]:
    """The list as saved; a damaged or missing file is an empty list (it is only a convenience)."""
    try:
        names = json.loads((file or recent_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Path(n) for n in names if isinstance(n, str)] if isinstance(names, list) else []


def _save(paths: list[Path], file: Path | None) -> None:
    file = file or recent_file()
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_suffix(".tmp")
        partial.write_text(json.dumps([str(p) for p in paths[:LIMIT]], indent=1), encoding="utf-8")
        partial.replace(file)
    except OSError:
        pass  # a read-only config folder costs the list, never the work


def remember(path: Path | str, file: Path | None = None) -> None:
    path = Path(path).resolve()
    _save([path, *(p for p in recent_projects(file) if p != path)], file)


def forget_missing(file: Path | None = None) -> None:
    _save([p for p in recent_projects(file) if p.exists()], file)
