"""The team server's tables, row-level security and login roles.

Every synced table has the same shape: a key (``id``; a document's is its text hash, a label's
its name, so copies imported separately on several machines meet), the row itself as JSON
(``data``: whatever columns the local table has, so a column added in a later migration syncs
without code here), its ``owner`` (the PostgreSQL login that wrote it) and ``layer``,
``edited_at`` (when the owner made the edit on their machine: the later edit wins), ``deleted``
(a tombstone: deletes must reach the other machines) and ``xid`` (the writing transaction: the
pull cursor). Older versions of a row go to ``audit`` by trigger; ``applied_ops`` makes pushes
idempotent.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

SYNCED_TABLES = ("documents", "labels", "entities", "annotations", "relations")
REVIEWER_GROUP = "annotator_reviewer"
LEAD_GROUP = "lead"

_ROLES = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{REVIEWER_GROUP}') THEN CREATE ROLE {REVIEWER_GROUP} NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{LEAD_GROUP}') THEN CREATE ROLE {LEAD_GROUP} NOLOGIN; END IF;
END $$;
GRANT {REVIEWER_GROUP} TO {LEAD_GROUP};
"""

_COMMON = """
CREATE TABLE annotator_server (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE applied_ops (
  op_id text PRIMARY KEY,
  applied_by text NOT NULL DEFAULT current_user,
  applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE audit (
  seq bigserial PRIMARY KEY,
  table_name text NOT NULL,
  row_id text NOT NULL,
  owner text,
  data jsonb,
  edited_at text,
  deleted boolean,
  reason text NOT NULL,
  changed_by text NOT NULL DEFAULT current_user,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_by_row ON audit (table_name, row_id);
CREATE FUNCTION annotator_is_lead() RETURNS boolean LANGUAGE sql STABLE AS
  $f$ SELECT pg_has_role(current_user, 'lead', 'MEMBER') $f$;
CREATE FUNCTION annotator_stamp() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  NEW.xid := pg_current_xact_id();
  IF TG_OP = 'INSERT' AND NEW.owner IS NULL THEN NEW.owner := current_user; END IF;
  RETURN NEW;
END $f$;
CREATE FUNCTION annotator_audit() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO audit (table_name, row_id, owner, data, edited_at, deleted, reason)
  VALUES (TG_TABLE_NAME, OLD.id, OLD.owner, OLD.data, OLD.edited_at, OLD.deleted, lower(TG_OP) || ' replaced this version');
  RETURN NULL;
END $f$;
"""

_TABLE = """
CREATE TABLE {t} (
  id text PRIMARY KEY,
  owner text,
  layer text NOT NULL DEFAULT 'reviewer',
  data jsonb NOT NULL,
  edited_at text NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX {t}_by_xid ON {t} (xid);
CREATE TRIGGER {t}_stamp BEFORE INSERT OR UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION annotator_stamp();
CREATE TRIGGER {t}_audit AFTER UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION annotator_audit();
ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {t} FORCE ROW LEVEL SECURITY;
CREATE POLICY {t}_read ON {t} FOR SELECT USING (true);
CREATE POLICY {t}_lead ON {t} FOR ALL TO lead USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON {t} TO annotator_reviewer;
"""

_OWN_LAYER = """
CREATE POLICY {t}_own_insert ON {t} FOR INSERT TO annotator_reviewer
  WITH CHECK (owner = current_user AND layer = 'reviewer');
CREATE POLICY {t}_own_update ON {t} FOR UPDATE TO annotator_reviewer
  USING (owner = current_user AND layer = 'reviewer') WITH CHECK (owner = current_user AND layer = 'reviewer');
CREATE POLICY {t}_own_delete ON {t} FOR DELETE TO annotator_reviewer
  USING (owner = current_user AND layer = 'reviewer');
"""

_INSERT_ONLY = """
CREATE POLICY {t}_any_insert ON {t} FOR INSERT TO annotator_reviewer WITH CHECK (owner = current_user);
"""

POLICIES = {
    "documents": _INSERT_ONLY,   # anyone brings a text; changing or removing one is the lead's
    "labels": "",                # the label schema: the lead's only
    "entities": _INSERT_ONLY,    # anyone names an actor; edits and merges are the lead's
    "annotations": _OWN_LAYER,   # a reviewer writes their own reviewer layer; gold is the lead's
    "relations": _OWN_LAYER,
}

_GRANTS = """
GRANT SELECT, INSERT ON applied_ops TO annotator_reviewer;
GRANT INSERT ON audit TO annotator_reviewer;
GRANT USAGE ON SEQUENCE audit_seq_seq TO annotator_reviewer;
GRANT SELECT ON audit TO lead;
GRANT SELECT ON annotator_server TO annotator_reviewer;
"""

SERVER_SCHEMA_VERSION = 1


def is_initialised(conn: Any) -> bool:
    return conn.execute("SELECT to_regclass('annotator_server') IS NOT NULL").fetchone()[0]


def has_user_tables(conn: Any) -> bool:
    return conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").fetchone()[0] > 0


def create(conn: Any) -> None:
    """Create the group roles, tables, triggers and policies in one transaction."""
    with conn.transaction():
        conn.execute(_ROLES)
        conn.execute(_COMMON)
        for table in SYNCED_TABLES:
            conn.execute(_TABLE.format(t=table))
            if POLICIES[table]:
                conn.execute(POLICIES[table].format(t=table))
        conn.execute(_GRANTS)
        conn.execute("INSERT INTO annotator_server (key, value) VALUES ('schema_version', %s)", [str(SERVER_SCHEMA_VERSION)])


def add_login(conn: Any, name: str, password: str, lead: bool) -> bool:
    """Create (or, when it exists, re-password) a login role in the reviewer or lead group; True if new."""
    with conn.transaction():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone() is not None
        verb = "ALTER" if exists else "CREATE"
        conn.execute(sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
            sql.SQL(verb), sql.Identifier(name), sql.Literal(password)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(REVIEWER_GROUP), sql.Identifier(name)))
        if lead:
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(LEAD_GROUP), sql.Identifier(name)))
    return not exists


def whoami(conn: Any) -> tuple[str, bool]:
    return conn.execute("SELECT current_user, annotator_is_lead()").fetchone()
