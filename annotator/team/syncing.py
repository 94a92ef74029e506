"""One sync of a local project with the team server: push this reviewer's changes, then pull
everyone's.

Push: the ``change_log`` entries since the last push (leaving out what pulls wrote), one
operation per row as it is now (or its last state, deleted), stamped with the time of its last
local change and an operation id (client, table, row, seq). Only what this login may write goes:
its own reviewer layer; when leading, every layer (a reviewer's row the lead corrects stays that
reviewer's on the server), gold, labels and every row's edits; new documents and entities from
anyone. The server applies them in one transaction and ignores operation ids it has seen, so a
sync killed anywhere is completed by the next and never duplicates. Where a pushed edit lost to
a later one (the later ``sync_times`` stamp wins), the pull brings the server's version here.

Pull: every server row written since the cursor, translated to local ids (documents by text
hash, labels by name the first time), applied in one local transaction as an ``EXTERNAL``
change (open windows follow). The pulled ``change_log`` range and the new cursor are stored in
the same transaction. A row changed locally after the push is left for the next sync.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.errors import TeamServerError
from annotator.history import Row, RowChange
from annotator.store import labels as label_rows
from annotator.store import new_id, server, sync_state
from annotator.store.server import rows as server_rows
from annotator.store.server import schema as server_schema
from annotator.store.server.rows import Op, ServerRow
from annotator.team.settings import mark_synced

if TYPE_CHECKING:
    from annotator.project import Project

Progress = Callable[[str], None]
APPLY_ORDER = ("documents", "labels", "entities", "annotations", "relations")
DOCUMENT_LEAD_COLUMNS = ("assigned_to",)
"""A document's columns that follow the server once the text is here: the lead's assignment. Its
text never changes (a revision is a new document) and its status is each reviewer's own."""


@dataclass
class SyncReport:
    me: str = ""
    lead: bool = False
    pushed: int = 0            # operations the server had not seen
    not_yours: int = 0         # local changes this login may not write (kept local)
    pulled: int = 0            # local rows the pull changed
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"Synced as {self.me}{' (lead)' if self.lead else ''}: pushed {self.pushed}, pulled {self.pulled}"
                + (f", {self.not_yours} local change(s) not yours to push" if self.not_yours else ""))


def sync(project: Project, url: str, as_name: str | None = None, progress: Progress | None = None,
         password: str | None = None) -> SyncReport:
    """Push, then pull. Raises ``TeamServerError`` (one line) when the server refuses, and its
    subclass ``TeamServerUnreachable`` when it cannot be reached. ``password`` is one held in
    memory (the GUI's prompt); otherwise libpq finds it (URL, PGPASSWORD, ~/.pgpass)."""
    say = progress or (lambda _msg: None)
    say("Connecting")
    conn = server.connect(url, as_name, password)
    try:
        with server.translating(url):
            if not server_schema.is_initialised(conn):
                raise TeamServerError(f"team server {server.public_url(url)}: not initialised (run annotator team init)")
            me, lead = server_schema.whoami(conn)
            report = SyncReport(me=me, lead=bool(lead))
            _remember(project, url, me, bool(lead))
            say("Pushing")
            overruled = _push(project, conn, report)
            say("Pulling")
            _pull(project, conn, report, overruled)
    finally:
        conn.close()
    mark_synced(project)
    say("Synced")
    return report


def _remember(project: Project, url: str, me: str, lead: bool) -> None:
    db = project.db
    before = sync_state.get(db, "me")
    if before is not None and before != me:
        raise TeamServerError(f"{project.path} syncs as {before!r}, not {me!r}: one project file belongs to one reviewer")
    if sync_state.get(db, "client") is None:
        sync_state.put(db, "client", str(uuid.uuid4()))
    sync_state.put(db, "me", me)
    sync_state.put(db, "lead", "1" if lead else "0")
    sync_state.put(db, "server", server.public_url(url))


# -- push --------------------------------------------------------------------------------------


def _mine(table: str, row: Row, me: str, lead: bool) -> bool:
    """What this login may push: a lead writes every layer (their corrections of a reviewer's rows
    must reach that reviewer, or the next pull would silently bring the old row back)."""
    if table in ("annotations", "relations"):
        return lead or (row.get("layer") != "gold" and row.get("annotator") == me)
    if table == "labels":
        return lead
    return True  # documents and entities: anyone adds them (the server keeps edits to the lead)


def _owner(table: str, row: Row, layer: str) -> str | None:
    """The server row's owner: a reviewer-layer row stays its annotator's even when a lead writes it
    (so they may go on editing it); None lets the server stamp the login that pushes."""
    if table in ("annotations", "relations") and layer == "reviewer" and row.get("annotator"):
        return str(row["annotator"])
    return None


def _push(project: Project, conn: Any, report: SyncReport) -> list[ServerRow]:
    """Push; return the server's rows where a pushed edit lost to a later one (the pull takes them)."""
    db = project.db
    client = sync_state.get(db, "client")
    after = int(sync_state.get(db, "pushed_seq", "0") or 0)
    upto = sync_state.last_seq(db)
    groups: dict[tuple[str, str], list[tuple[int, str, str | None, str]]] = {}
    for seq, table, row_id, op, old, at in sync_state.pending_entries(db, after, upto):
        groups.setdefault((table, row_id), []).append((seq, op, old, at))
    labels_on_server: dict[str, str] | None = None
    ops: list[Op] = []
    for (table, row_id), entries in groups.items():
        if table not in APPLY_ORDER:
            continue
        seq, op, old, at = entries[-1]
        current = project.fetch_row_or_none(table, row_id)
        row = current if current is not None else sync_state.decode_old(old)
        if row is None:
            continue
        if not _mine(table, row, report.me, report.lead):
            report.not_yours += 1
            continue
        if table in ("labels", "annotations") and labels_on_server is None:
            labels_on_server = server_rows.label_keys(conn)
        translated = _to_server(project, table, row, labels_on_server or {}, report)
        if translated is None:
            continue
        key, data = translated
        layer = str(row.get("layer") or "reviewer")
        ops.append(Op(f"{client}:{table}:{row_id}:{seq}", table, key, layer, data, at, current is None,
                      _owner(table, row, layer)))
    report.pushed = server_rows.push(conn, ops, report.lead)
    sync_state.put(db, "pushed_seq", str(upto))
    return server_rows.overruled(conn, ops) if ops else []


def _label_key(project: Project, local_id: str, on_server: dict[str, str], lead: bool) -> str | None:
    db = project.db
    key = sync_state.server_key(db, "labels", local_id)
    if key is not None:
        return key
    row = project.fetch_row_or_none("labels", local_id)
    if row is None:
        return None
    key = on_server.get(row["name"])
    if key is None:
        if not lead:
            raise TeamServerError(f"label {row['name']!r} is not on the team server: ask a lead to add it "
                                  "(and sync) before pushing annotations with it")
        key = local_id
    sync_state.map_key(db, "labels", local_id, key)
    on_server[row["name"]] = key
    return key


def _to_server(project: Project, table: str, row: Row, labels: dict[str, str], report: SyncReport
               ) -> tuple[str, dict[str, Any]] | None:
    data = dict(row)
    if table == "documents":
        return str(row["sha256"]), data
    if table == "labels":
        key = _label_key(project, row["id"], labels, report.lead)
        return (key, data) if key is not None else None
    if table == "annotations":
        sha = sync_state.document_hash(project.db, row["document_id"])
        label = _label_key(project, row["label_id"], labels, report.lead)
        if sha is None or label is None:
            report.skipped.append(f"annotation {row['id'][:8]}: its document or label is gone")
            return None
        data["document_id"], data["label_id"] = sha, label
    return str(row["id"]), data


# -- pull --------------------------------------------------------------------------------------


def _pull(project: Project, conn: Any, report: SyncReport, overruled: list[ServerRow]) -> None:
    db = project.db
    cursor = sync_state.get(db, "cursor", "0") or "0"
    rows, horizon = server_rows.pull(conn, cursor)
    seen = {(r.table, r.id) for r in rows}
    rows += [r for r in overruled if (r.table, r.id) not in seen]  # older than the cursor, still to apply here
    by_table: dict[str, list[ServerRow]] = {t: [] for t in APPLY_ORDER}
    for r in rows:
        by_table[r.table].append(r)
    columns = {t: set(project.columns(t)) for t in APPLY_ORDER}
    with project.external("Synced from the team server") as write:
        first = sync_state.last_seq(db) + 1
        pushed = int(sync_state.get(db, "pushed_seq", "0") or 0)
        busy = {(t, r) for _s, t, r, *_ in sync_state.pending_entries(db, pushed, first - 1)}
        deletes: list[RowChange] = []
        for table in APPLY_ORDER:
            for r in by_table[table]:
                rc = _local_change(project, r, columns[table], busy)
                if rc is None:
                    continue
                if rc.after is None:
                    deletes.append(rc)
                else:
                    write(rc)
                    report.pulled += 1
        for rc in sorted(deletes, key=lambda rc: -APPLY_ORDER.index(rc.table)):
            if not project.has_row(rc.table, rc.key):
                continue  # already gone with its document or annotation
            if rc.table == "labels" and (used := label_rows.use_count(db, rc.key)):
                name = rc.before["name"] if rc.before else rc.key
                report.skipped.append(f"label {name!r}: the lead deleted it, but {used} annotation(s) here use it; "
                                      "kept until they are relabelled or deleted")
                continue
            write(RowChange(rc.table, project.fetch_row_or_none(rc.table, rc.key), None))
            report.pulled += 1
        sync_state.mark_pulled(db, first, sync_state.last_seq(db))
        sync_state.put(db, "cursor", horizon)


def _local_change(project: Project, r: ServerRow, columns: set[str], busy: set[tuple[str, str]]) -> RowChange | None:
    """The local write that brings a server row here (None: nothing to do, or not applicable yet)."""
    db = project.db
    data = {k: v for k, v in r.data.items() if k in columns}
    if r.table == "documents":
        local_id = sync_state.document_by_hash(db, r.id)
        if local_id is None and not r.deleted:
            if project.has_row("documents", data.get("id", "")):
                data["id"] = new_id()
            return RowChange("documents", None, data)
        if local_id is None:
            return None
        if r.deleted:
            return RowChange("documents", project.fetch_row_or_none("documents", local_id), None)
        data = {"id": local_id, **{c: data[c] for c in DOCUMENT_LEAD_COLUMNS if c in data}}
    elif r.table == "labels":
        local_id = sync_state.local_key(db, "labels", r.id) or sync_state.label_by_name(db, str(data.get("name")))
        if r.deleted:  # the lead deleted it: it goes here too unless annotations here still use it (see _pull)
            before = None if local_id is None else project.fetch_row_or_none("labels", local_id)
            return None if before is None else RowChange("labels", before, None)
        if local_id is None:
            local_id = r.id if not project.has_row("labels", r.id) else new_id()
        sync_state.map_key(db, "labels", local_id, r.id)
        data["id"] = local_id
    elif r.table == "annotations":
        doc = sync_state.document_by_hash(db, str(data.get("document_id")))
        label = sync_state.local_key(db, "labels", str(data.get("label_id")))
        if doc is None or label is None:
            return None
        data["document_id"], data["label_id"] = doc, label
    elif r.table == "relations" and not (project.has_row("annotations", str(data.get("source_id")))
            and project.has_row("annotations", str(data.get("target_id")))):
        return None
    if (r.table, data["id"]) in busy:
        return None  # changed here after the push: the next sync sends it
    before = project.fetch_row_or_none(r.table, data["id"])
    if r.deleted:
        return None if before is None else RowChange(r.table, before, None)
    after = {**before, **data} if before is not None else data
    return None if after == before else RowChange(r.table, before, after)
