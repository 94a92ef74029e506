"""Team work on a PostgreSQL server: reviewers sync their local project files with it (offline
first), leads adjudicate, row-level security keeps each reviewer's layer theirs. See docs/team.md."""

from annotator.team.server import add_reviewer, init_server
from annotator.team.sync import SyncReport, sync

__all__ = ["SyncReport", "add_reviewer", "init_server", "sync"]
