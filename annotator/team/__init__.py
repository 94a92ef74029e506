"""Team work on a PostgreSQL server: reviewers sync their local project files with it (offline
first), leads adjudicate, row-level security keeps each reviewer's layer theirs. See docs/team.md."""

from annotator.team.server import add_reviewer, init_server
from annotator.team.settings import ServerSettings, save_server_settings, server_settings, waiting
from annotator.team.sync import SyncReport, sync

__all__ = ["ServerSettings", "SyncReport", "add_reviewer", "init_server", "save_server_settings", "server_settings",
           "sync", "waiting"]
