"""Setting up a team server: ``init_server`` (the schema, in an empty database) and ``add_reviewer``
(a PostgreSQL login in the reviewer or lead group)."""

from __future__ import annotations

import re

from annotator.errors import TeamServerError
from annotator.store import server
from annotator.store.server import schema

ROLES = ("reviewer", "lead")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,62}$")


def init_server(url: str) -> None:
    """Create the tables, triggers, policies and group roles; refuse a database that holds other tables."""
    conn = server.connect(url)
    try:
        with server.translating(url):
            if schema.is_initialised(conn):
                raise TeamServerError(f"team server {server.public_url(url)}: already initialised")
            if schema.has_user_tables(conn):
                raise TeamServerError(f"team server {server.public_url(url)}: the database is not empty; "
                                      "give an empty database")
            schema.create(conn)
    finally:
        conn.close()


def add_reviewer(url: str, name: str, password: str, role: str = "reviewer") -> bool:
    """Create the login ``name`` (or set a new password); True if it is new."""
    if role not in ROLES:
        raise TeamServerError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if not _NAME.match(name):
        raise TeamServerError(f"{name!r} cannot be a reviewer's login: letters, digits, _ . - (at most 63)")
    if not password:
        raise TeamServerError("an empty password: give one")
    conn = server.connect(url)
    try:
        with server.translating(url):
            if not schema.is_initialised(conn):
                raise TeamServerError(f"team server {server.public_url(url)}: not initialised (run annotator team init)")
            return schema.add_login(conn, name, password, role == "lead")
    finally:
        conn.close()
