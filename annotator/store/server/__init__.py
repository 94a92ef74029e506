"""The team server's SQL (PostgreSQL through psycopg 3): its schema and roles (``schema``) and the
reads and writes a sync makes (``rows``). Like every statement of the project, it lives in the store.

Passwords are never stored by Annotator: libpq finds them in the URL, ``PGPASSWORD`` or the
password file (``~/.pgpass``); TLS options (``sslmode``, ``sslrootcert``...) pass through the URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from annotator.errors import TeamServerError, TeamServerUnreachable


def public_url(url: str) -> str:
    """The URL without its password: what messages and the project file may show."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(url)
    except Exception as error:  # psycopg.ProgrammingError: not a libpq URL
        raise TeamServerError(f"not a PostgreSQL URL ({str(error).splitlines()[0]}): {url.split('@')[-1]}") from None
    params.pop("password", None)
    if url.startswith(("postgres://", "postgresql://")):
        host = params.get("host", "")
        user = f"{params['user']}@" if "user" in params else ""
        port = f":{params['port']}" if "port" in params else ""
        rest = {k: v for k, v in params.items() if k not in ("host", "port", "user", "dbname")}
        query = ("?" + "&".join(f"{k}={v}" for k, v in rest.items())) if rest else ""
        return f"postgresql://{user}{host}{port}/{params.get('dbname', '')}{query}"
    return make_conninfo("", **params)


@contextmanager
def translating(url: str) -> Iterator[None]:
    """psycopg's errors as one line naming the server (never its password)."""
    import psycopg

    try:
        yield
    except psycopg.Error as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise TeamServerError(f"team server {public_url(url)}: {first}") from None


_REFUSED = ("password", "authentication", "does not exist", "permission denied", "no pg_hba.conf entry")


def connect(url: str, user: str | None = None, password: str | None = None) -> Any:
    """An autocommit connection (each ``conn.transaction()`` is one server transaction).

    ``password`` is one kept in memory for a GUI session; otherwise libpq's own sources serve.
    A server that cannot be reached (no route, refused, timed out) raises ``TeamServerUnreachable``:
    the GUI says "offline" rather than "error"; a refused login stays a ``TeamServerError``."""
    import psycopg

    extra: dict[str, Any] = {"user": user} if user else {}
    if password:
        extra["password"] = password
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="annotator", **extra)
    except psycopg.OperationalError as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        kind = TeamServerError if any(word in str(error) for word in _REFUSED) else TeamServerUnreachable
        raise kind(f"team server {public_url(url)}: {first}") from None
    except psycopg.Error as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise TeamServerError(f"team server {public_url(url)}: {first}") from None
