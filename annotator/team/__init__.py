"""Team work on a PostgreSQL server: reviewers sync their local project files with it (offline
first), leads adjudicate, row-level security keeps each reviewer's layer theirs. See docs/team.md.

The names below load on first use (PEP 562): the sync and server modules import psycopg, which the
window's status-bar indicator (``annotator.team.settings``) does not need at start-up."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.team.server import add_reviewer, init_server
    from annotator.team.settings import ServerSettings, save_server_settings, server_settings, waiting
    from annotator.team.syncing import SyncReport, sync

_HOMES = {"add_reviewer": "server", "init_server": "server", "ServerSettings": "settings",
          "save_server_settings": "settings", "server_settings": "settings", "waiting": "settings",
          "SyncReport": "syncing", "sync": "syncing"}

__all__ = ["ServerSettings", "SyncReport", "add_reviewer", "init_server", "save_server_settings", "server_settings",
           "sync", "waiting"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(importlib.import_module(f"annotator.team.{_HOMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'annotator.team' has no attribute {name!r}")
