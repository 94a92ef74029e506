"""Where a project syncs: the team server's URL and login, and how often the GUI syncs on its own,
kept in the project's ``sync_state`` (one project file belongs to one reviewer). Never a password:
libpq reads it from ``PGPASSWORD`` or ``~/.pgpass``, or the GUI asks once per session and keeps
it in memory. Also what the status bar shows: how many local changes wait for the next sync."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from annotator.errors import AnnotatorError
from annotator.store import server, sync_state

if TYPE_CHECKING:
    from annotator.project import Project

MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class ServerSettings:
    url: str = ""            # without a password
    login: str = ""          # the PostgreSQL login (empty: the URL's user)
    every_minutes: int = 0   # 0: sync only when asked

    @property
    def configured(self) -> bool:
        return bool(self.url)


def server_settings(project: Project) -> ServerSettings:
    db = project.db
    minutes = sync_state.get(db, "every_minutes", "0") or "0"
    return ServerSettings(url=sync_state.get(db, "server", "") or "",
                          login=sync_state.get(db, "login") or sync_state.get(db, "me") or "",
                          every_minutes=int(minutes) if minutes.isdigit() else 0)


def _has_password(url: str) -> bool:
    from psycopg.conninfo import conninfo_to_dict

    try:
        return "password" in conninfo_to_dict(url)
    except Exception:  # psycopg.ProgrammingError: public_url below says what is wrong
        return False


def save_server_settings(project: Project, url: str, login: str = "", every_minutes: int = 0) -> ServerSettings:
    """Check and store the settings; refuse a URL with a password in it, or another login than the one
    this file already synced as."""
    url, login = url.strip(), login.strip()
    if not url:
        raise AnnotatorError("give the team server's URL, e.g. postgresql://db.example.org/coverage")
    public = server.public_url(url)  # raises TeamServerError (one line) for what is not a libpq URL
    if _has_password(url):
        raise AnnotatorError("the URL holds a password: leave it out (it would be stored in the project file); "
                             "Annotator asks for it, or libpq reads PGPASSWORD or ~/.pgpass")
    if not 0 <= every_minutes <= MAX_MINUTES:
        raise AnnotatorError(f"sync every {every_minutes} minutes: give 0 (only when asked) to {MAX_MINUTES}")
    me = sync_state.get(project.db, "me")
    if me is not None and login and login != me:
        raise AnnotatorError(f"{project.path} syncs as {me!r}, not {login!r}: one project file belongs to one reviewer")
    db = project.db
    sync_state.put(db, "server", public)
    sync_state.put(db, "login", login)
    sync_state.put(db, "every_minutes", str(every_minutes))
    return server_settings(project)


def waiting(project: Project) -> int:
    """Local changes not on the server yet (rows, not edits)."""
    return sync_state.waiting(project.db)


def last_synced(project: Project) -> str | None:
    """When the last sync finished (UTC, ISO 8601), or None if this file never synced."""
    return sync_state.get(project.db, "synced_at")


def mark_synced(project: Project) -> None:
    sync_state.put(project.db, "synced_at", datetime.now(UTC).isoformat(timespec="seconds"))
