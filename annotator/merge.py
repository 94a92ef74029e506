"""Merging another project file into this one: documents, labels, entities, annotations, relations.

    report = merge_project(project, "ben.db")          # one transaction, one undo step
    report = merge_project(project, "ben.db", dry_run=True)   # what would happen; writes nothing

Matching rules:

* **Documents** are matched by the sha256 of their text. A document the other file has and this
  one lacks is added with its id and metadata. When the same text has another id here, the other
  file's annotations are re-pointed at this project's document.
* **Labels** are matched by name: annotations then point at this project's label id. Labels the
  other file's annotations (or relations) use and this project lacks are added (keeping their id;
  a hotkey already taken here is dropped). A label with the same id but another name here (renamed
  in one of the files) is the same label: it is used, and the rename is reported as a conflict.
* **Entities, annotations and relations** keep their ids (UUIDs). A row whose id is not here is
  added; a row with the same id and the same content is skipped; a row with the same id and
  different content is a **conflict**: it is reported (table, id, the fields that differ, both
  values) and this project's version is kept. Never overwritten.

* **Rejected suggestions** (``suggestion_rejections``) come along, re-pointed at this project's
  document and label ids, once per reviewer and span: the lead is not offered what a reviewer
  already rejected. They are part of the merge's one undo step.

Content is compared on every column except bookkeeping: ``position``, ``created_at``,
``updated_at`` and ``imported_at``. Annotations are compared after their document and label ids
are translated to this project's ids. Merging the same file twice changes nothing the second time.

The other file is opened read-only with plain ``sqlite3``; it is never migrated or written, and
nothing is created beside it (no ``-wal``/``-shm``, so a file on a read-only folder or share merges).
A file of an older schema (a reviewer who has not upgraded) is copied (SQLite's backup API) to a
temporary folder, the copy migrated and read, then deleted; a newer one is refused, naming both
versions:

* no ``-wal`` beside it (or an empty one): ``mode=ro&immutable=1``, which reads the file alone;
* a ``-wal`` with changes and its ``-shm`` (the file is open in Annotator, or was not closed):
  ``mode=ro``, which reads those changes through the existing ``-shm`` and creates nothing;
* a ``-wal`` without ``-shm`` (copied without it), or a ``mode=ro`` open that fails: the file and
  its ``-wal`` are copied to a temporary folder and read there, so committed changes are never lost.

Every row is validated first (``annotator.validation``): one bad row refuses the whole merge with
a one-line error listing the first problems; ``skip_bad=True`` leaves out the bad rows and those
that depend on them (annotations of a bad document or label, relations of a left-out annotation)
and lists them in ``MergeReport.invalid``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.backups import before_merge, before_merge_started
from annotator.defaults import RELATION_TYPES
from annotator.errors import AnnotatorError
from annotator.history import Change, Row, RowChange
from annotator.store import reads, schema
from annotator.store import suggestions as rejection_rows
from annotator.store.foreign import read_other as _read_other
from annotator.validation import Problem, check_rows, color_problem

if TYPE_CHECKING:
    from annotator.project import Project

TABLES = ("documents", "labels", "entities", "annotations", "relations")
BOOKKEEPING = frozenset({"position", "created_at", "updated_at", "imported_at"})
"""Columns that never make two rows differ: list order and timestamps."""


@dataclass(frozen=True)
class Conflict:
    """A row with the same id in both files and different content; this project's version was kept."""

    table: str
    id: str
    fields: tuple[str, ...]
    ours: dict[str, Any]
    theirs: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "id": self.id, "fields": list(self.fields), "ours": self.ours, "theirs": self.theirs}

    def __str__(self) -> str:
        return f"{self.table} {self.id}: {', '.join(self.fields)} differ{'s' if len(self.fields) == 1 else ''}"


@dataclass
class MergeReport:
    """What a merge did (or, with ``dry_run``, would do)."""

    other: str
    dry_run: bool = False
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    """Rows already here with the same content (documents: the same text; labels: the same name)."""
    documents_remapped: int = 0
    """Documents whose text is here under another id (their annotations were re-pointed)."""
    annotators_added: list[str] = field(default_factory=list)
    rejections_added: int = 0
    """Suggestions a reviewer of the other file rejected, now rejected here too (once per reviewer and span)."""
    rejections_skipped: int = 0
    """Their rejections already here."""
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Rows that could not be merged for another reason (e.g. their document conflicts)."""
    invalid: list[Problem] = field(default_factory=list)
    """Bad rows of the other file (and rows depending on them) left out by ``skip_bad``."""
    change: Change | None = None

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "other": self.other,
            "dry_run": self.dry_run,
            "added": dict(self.added),
            "skipped": dict(self.skipped),
            "documents_remapped": self.documents_remapped,
            "annotators_added": list(self.annotators_added),
            "rejections_added": self.rejections_added,
            "rejections_skipped": self.rejections_skipped,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "problems": list(self.problems),
            "invalid": [p.to_dict() for p in self.invalid],
        }


class BadRowsError(AnnotatorError):
    """The other file has rows that would break this project; nothing was merged."""

    def __init__(self, path: Path, problems: list[Problem], shown: int = 5) -> None:
        own = [p for p in problems if p.because is None]
        listed = "; ".join(str(p) for p in own[:shown]) + ("; …" if len(own) > shown else "")
        depending = len(problems) - len(own)
        also = f" ({depending} more row{'s depend' if depending != 1 else ' depends'} on them)" if depending else ""
        super().__init__(f"{path}: {len(own)} problem{'s' if len(own) != 1 else ''}{also}, nothing merged: {listed}; "
                         "use --skip-bad to merge the rest")
        self.problems = problems


def _without(other: dict[str, list[Row]], problems: list[Problem]) -> dict[str, list[Row]]:
    """The other file's rows less the bad ones."""
    bad: dict[str, set[str]] = {}
    for problem in problems:
        bad.setdefault(problem.table, set()).add(problem.id)
    return {table: [r for r in rows if str(r.get("id")) not in bad.get(table, ())] for table, rows in other.items()}


def _columns(project: Project, table: str) -> list[str]:
    return project.columns(table)


def _rows_by_id(project: Project, table: str, ids: Iterable[str], without: tuple[str, ...] = ()) -> dict[str, Row]:
    return reads.rows_by_id(project.db, table, ids, without=without)


def _differences(ours: Row, theirs: Row) -> tuple[str, ...]:
    return tuple(c for c in ours if c not in BOOKKEEPING and c in theirs and ours[c] != theirs[c])


class _Merger:
    def __init__(self, project: Project, other: dict[str, list[Row]], report: MergeReport,
                 same: dict[str, list[tuple]] | None = None) -> None:
        self.project = project
        self.other = other
        self.same = same or {}
        """Rows (ids) of entities and annotations found identical to ours in SQL: counted as skipped."""
        self.report = report
        self.rows: list[RowChange] = []
        self.label_map: dict[str, str] = {}
        self.label_here: dict[str, tuple[str, str]] = {}
        """Their label id -> (name, kind) of the label it becomes here."""
        self.document_map: dict[str, str] = {}
        self.columns: dict[str, list[str]] = {}

    def _row(self, table: str, source: Row) -> Row:
        """``source`` restricted to (and ordered by) this project's columns."""
        columns = self.columns.get(table)
        if columns is None:
            columns = self.columns[table] = _columns(self.project, table)
        if len(source) == len(columns) and list(source) == columns:  # the same schema: most rows
            return dict(source)
        return {c: source[c] for c in columns if c in source}

    def _add(self, table: str, row: Row) -> None:
        self.rows.append(RowChange(table, None, row))
        self.report.added[table] += 1

    def _compare(self, table: str, ours: Row, theirs: Row) -> bool:
        """Count a same-id row as skipped (True) or report it as a conflict (False)."""
        fields = _differences(ours, theirs)
        if not fields:
            self.report.skipped[table] += 1
            return True
        self.report.conflicts.append(Conflict(table, ours["id"], fields, {f: ours[f] for f in fields},
                                              {f: theirs[f] for f in fields}))
        return False

    # -- labels ----------------------------------------------------------------------------------

    def labels(self) -> None:
        theirs = self.other["labels"]
        used = {a["label_id"] for a in self.other["annotations"]} | {r[1] for r in self.same.get("annotations", ())}
        relation_names = {r["label"] for r in self.other["relations"]}
        used |= {lab["id"] for lab in theirs if lab["kind"] == "relation" and lab["name"] in relation_names
                 and lab["name"] not in RELATION_TYPES}
        ours = self.project.labels(kind=None)
        by_name = {lab.name: lab for lab in ours}
        by_id = {lab.id: lab for lab in ours}
        hotkeys = {lab.hotkey for lab in ours if lab.hotkey}
        position = max((lab.position for lab in ours), default=0)
        for label in theirs:
            here = by_name.get(label["name"]) or by_id.get(label["id"])
            if here is not None:
                self.label_map[label["id"]] = here.id
                self.label_here[label["id"]] = (here.name, here.kind)
                if here.name != label["name"] or here.kind != label["kind"]:
                    fields = tuple(f for f in ("name", "kind") if getattr(here, f) != label[f])
                    self.report.conflicts.append(Conflict("labels", here.id, fields,
                                                          {f: getattr(here, f) for f in fields},
                                                          {f: label[f] for f in fields}))
                elif label["id"] in used:
                    self.report.skipped["labels"] += 1
                continue
            if label["id"] not in used:
                continue
            position += 1
            row = self._row("labels", label)
            row["position"] = position
            if row.get("hotkey") in hotkeys:
                row["hotkey"] = None
            if row.get("hotkey"):
                hotkeys.add(row["hotkey"])
            self._add("labels", row)
            self.label_map[label["id"]] = label["id"]
            self.label_here[label["id"]] = (label["name"], label["kind"])

    # -- documents -------------------------------------------------------------------------------

    def documents(self) -> None:
        by_hash = self.project.document_ids_by_hash()
        by_id = {v: k for k, v in by_hash.items()}
        position = self.project.next_position()
        # Ours, for the documents with the same id and text: one read, not one query per document, and without
        # their texts (20 MB for the benchmark's 1,000): the same sha256 is the same text (theirs was checked
        # against it). A document with the same id and another text is read whole, its text compared.
        same_text = (d["id"] for d in self.other["documents"] if by_hash.get(d["sha256"]) == d["id"])
        ours = _rows_by_id(self.project, "documents", same_text, without=("text",))
        for doc in self.other["documents"]:
            here = by_hash.get(doc["sha256"])
            if here is not None:
                self.document_map[doc["id"]] = here
                if here == doc["id"]:
                    self._compare("documents", ours.get(here) or self.project.fetch_row("documents", here, "document"), doc)
                else:
                    self.report.documents_remapped += 1
                    self.report.skipped["documents"] += 1
                continue
            if doc["id"] in by_id:
                self._compare("documents", self.project.fetch_row("documents", doc["id"], "document"), doc)
                self.report.problems.append(
                    f"document {doc['id']} ({doc['title']!r}) has another text here: its annotations were not merged")
                continue
            row = self._row("documents", doc)
            row["position"] = position
            position += 1
            self._add("documents", row)
            self.document_map[doc["id"]] = doc["id"]
            by_hash[doc["sha256"]] = doc["id"]

    # -- entities, annotations, relations --------------------------------------------------------

    def entities(self) -> None:
        theirs = self.other["entities"]
        self.report.skipped["entities"] += len(self.same.get("entities", ()))
        ours = _rows_by_id(self.project, "entities", (e["id"] for e in theirs))
        for entity in theirs:
            if entity["id"] in ours:
                self._compare("entities", ours[entity["id"]], entity)
            else:
                self._add("entities", self._row("entities", entity))

    def annotations(self) -> set[str]:
        """Merge annotations; return the ids of those that could not be (their document is missing)."""
        theirs = self.other["annotations"]
        self.report.skipped["annotations"] += len(self.same.get("annotations", ()))
        ours = _rows_by_id(self.project, "annotations", (a["id"] for a in theirs))
        unmerged: set[str] = set()
        no_document = 0
        for annotation in theirs:
            document_id = self.document_map.get(annotation["document_id"])
            if document_id is None:
                unmerged.add(annotation["id"])
                no_document += 1
                continue
            label_id = self.label_map[annotation["label_id"]]
            name, kind = self.label_here[annotation["label_id"]]
            if kind != "span":
                unmerged.add(annotation["id"])
                self.report.problems.append(f"annotation {annotation['id']} left out: its label {name!r} is of kind "
                                            f"{kind!r} here, not 'span'")
                continue
            row = self._row("annotations", annotation)  # a copy: re-pointed in place
            row["document_id"], row["label_id"] = document_id, label_id
            if annotation["id"] in ours:
                self._compare("annotations", ours[annotation["id"]], row)
            else:
                self._add("annotations", row)
        if no_document:
            self.report.problems.append(f"{no_document} annotation(s) left out: their document was not merged")
        return unmerged

    def relations(self, unmerged: set[str]) -> None:
        theirs = self.other["relations"]
        ours = _rows_by_id(self.project, "relations", (r["id"] for r in theirs))
        left_out = 0
        for relation in theirs:
            if relation["id"] in ours:
                self._compare("relations", ours[relation["id"]], relation)
            elif relation["source_id"] in unmerged or relation["target_id"] in unmerged:
                left_out += 1
            else:
                self._add("relations", self._row("relations", relation))
        if left_out:
            self.report.problems.append(f"{left_out} relation(s) left out: an annotation they link was not merged")

    def rejections(self) -> None:
        """The other file's rejected suggestions, re-pointed at this project's document and label ids,
        less those already here (or repeated): so the lead is not offered what a reviewer rejected."""
        theirs = self.other.get("suggestion_rejections", ())
        if not theirs:
            return
        have = rejection_rows.all_keys(self.project.db)
        ids = self.project.ids("suggestion_rejections")
        # A span must fit its text here: ours, or (a document this merge adds) theirs, the same by its sha256.
        lengths = self.project.document_lengths()
        lengths.update((self.document_map[d["id"]], len(d["text"])) for d in self.other["documents"]
                       if d["id"] in self.document_map and isinstance(d.get("text"), str))
        left_out = 0
        for rejection in theirs:
            # labels(): every label of theirs that is here (by name, or by id) is in label_map, used or not
            document_id = self.document_map.get(str(rejection.get("document_id")))
            label_id = self.label_map.get(str(rejection.get("label_id")))
            start, end, name = rejection.get("start"), rejection.get("end"), rejection.get("annotator")
            if (document_id is None or label_id is None or type(start) is not int or type(end) is not int
                    or not 0 <= start < end <= lengths.get(document_id, 0) or not isinstance(name, str)
                    or not name.strip()):
                left_out += 1
                continue
            key = (document_id, start, end, label_id, name.strip())
            if key in have:
                self.report.rejections_skipped += 1
                continue
            have.add(key)
            row_id = rejection.get("id")
            if not isinstance(row_id, str) or row_id in ids:
                row_id = str(uuid.uuid4())
            ids.add(row_id)
            rejected_at = rejection.get("rejected_at")
            self.rows.append(RowChange("suggestion_rejections", None, {
                "id": row_id, "document_id": document_id, "start": start, "end": end, "label_id": label_id,
                "annotator": name.strip(), "rejected_at": rejected_at if isinstance(rejected_at, str) else schema.now()}))
            self.report.rejections_added += 1
        if left_out:
            self.report.problems.append(f"{left_out} suggestion rejection(s) left out: their document or label is not "
                                        "here, or their span or reviewer is not valid")

    def annotators(self) -> list[Row]:
        """Rows for the ``annotators`` registry: reviewers of added annotations not listed here yet."""
        known = self.project.registered_annotators()
        needed = {rc.after["annotator"] for rc in self.rows if rc.table == "annotations" and rc.after}
        listed = {a["name"]: a for a in self.other["annotators"]}
        rows = []
        for name in sorted(needed - known):
            source = listed.get(name, {})
            color = source.get("color") if color_problem(source.get("color")) is None else None
            created = source.get("created_at") if isinstance(source.get("created_at"), str) else None
            rows.append({"name": name, "color": color, "created_at": created or schema.now()})
        self.report.annotators_added = [r["name"] for r in rows]
        return rows


def merge_project(project: Project, other_path: str | Path, *, dry_run: bool = False, skip_bad: bool = False) -> MergeReport:
    """Bring another project file's documents, labels, entities, annotations and relations into ``project``.

    One transaction and one undo step. Conflicts (same id, different content) are reported in the
    returned ``MergeReport`` and never overwrite this project's rows. ``dry_run`` computes the
    same report and writes nothing. A path that is not a project raises ``NotAProjectError``; a
    file with bad rows raises ``BadRowsError`` unless ``skip_bad``, which leaves them out.
    """
    other_path = Path(other_path)
    columns = {t: _columns(project, t) for t in (*TABLES, "annotators", "suggestion_rejections")}
    # Entities and annotations this project already has, identical, are found in SQL and never read
    # nor validated (nothing of them is written); the rest goes through the rules below.
    compared = {t: [c for c in columns[t] if c != "id" and c not in BOOKKEEPING] for t in ("entities", "annotations")}
    other, same = _read_other(other_path, columns, ours=project.path, compared=compared)
    known_annotations = {r[0] for r in same.get("annotations", ())}
    invalid = check_rows(other, known_entity_ids=project.ids("entities"), known_annotation_ids=known_annotations)
    if known_annotations and any(p.table in ("documents", "labels", "entities") for p in invalid):
        # A bad document, label or entity makes its annotations bad too, identical or not: check them all.
        other, same = _read_other(other_path, columns)
        invalid = check_rows(other, known_entity_ids=project.ids("entities"))
    if invalid and not skip_bad:
        raise BadRowsError(other_path, invalid)
    other = _without(other, invalid)
    report = MergeReport(other=str(other_path), dry_run=dry_run, invalid=invalid)
    merger = _Merger(project, other, report, same)
    merger.labels()
    merger.documents()
    merger.entities()
    merger.relations(merger.annotations())
    merger.rejections()
    annotators = merger.annotators()
    if dry_run or not merger.rows:
        return report
    # The snapshot is copied beside the inserts when the file keeps a WAL (what an Annotator project does):
    # started inside the write transaction and awaited before its commit, it holds the state the merge
    # starts from, and a failed snapshot rolls the merge back. A rollback journal: first, as it was.
    behind = project.in_wal_mode()
    if not behind:
        before_merge(project)
    singular = {"documents": "document", "labels": "label", "entities": "entity", "annotations": "annotation",
                "relations": "relation"}
    parts = [f"{n} {table if n != 1 else singular[table]}" for table, n in report.added.items() if n]
    if report.rejections_added:
        parts.append(f"{report.rejections_added} rejected suggestion{'s' if report.rejections_added != 1 else ''}")
    description = f"Merge {other_path.name}: {', '.join(parts)}"
    with project.group(description):
        backup = before_merge_started(project) if behind else None
        try:
            for row in annotators:
                project.register_annotator(row["name"], row["color"], row["created_at"])
            # Labels and documents first, relations last: the order foreign keys need (undo reverses it).
            order = {"labels": 0, "documents": 1, "entities": 2, "annotations": 3, "relations": 4,
                     "suggestion_rejections": 5}
            rows = sorted(merger.rows, key=lambda rc: order[rc.table])
            project._commit(description, rows)
        except BaseException:
            if backup is not None:
                backup.exception()  # waited for (no thread left copying); the merge's own error is the one raised
            raise
        if backup is not None:
            backup.result()  # before the commit: a BackupError rolls the merge back
    report.change = Change(description, tuple(rows))
    return report


def conflict_summary(conflict: Conflict, limit: int = 40) -> str:
    """``field: ours → theirs`` for each differing field, values shortened, for printing."""

    def short(value: Any) -> str:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 1] + "…"

    return "; ".join(f"{f}: {short(conflict.ours[f])} → {short(conflict.theirs[f])}" for f in conflict.fields)
