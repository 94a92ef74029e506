"""What an export reads: the selected documents, annotations and relations, filtered in SQL."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any, TypeVar

from annotator.background import started
from annotator.history import Row
from annotator.store import export_part
from annotator.store.annotations import annotator_names
from annotator.store.database import Database
from annotator.store.export_part import within as within  # an export's filter narrowed to some documents

DOCUMENT_LIST_COLUMNS = ("id, '' AS text, sha256, title, outlet, author, url, published, language, status, metadata, "
                         "source_path, source_format, position, imported_at")


@dataclass
class Selected:
    """The rows an export filter picks; ``where``/``params`` select the annotations again per document."""

    documents: list[Row]  # without text
    where: str
    params: list[Any]
    annotations: list[tuple[str, str, str, str, str, str | None]]  # id, document_id, label_id, annotator, layer, entity_id
    relations: list[Row]


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def relation_annotators(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT DISTINCT annotator FROM relations")}


def select(db: Database, statuses: Sequence[str], document_ids: Sequence[str], annotators: Sequence[str],
           layer: str | None, label_ids: Sequence[str], *, with_annotations: bool = True) -> Selected:
    """Documents by status and id; annotations of those by reviewer, layer and label; relations by reviewer and layer."""
    where: list[str] = []
    params: list[Any] = []
    doc_where, doc_params = [], []
    if statuses:
        clause, values = _in("status", statuses)
        doc_where.append(clause)
        doc_params += values
    if document_ids:
        clause, values = _in("id", document_ids)
        doc_where.append(clause)
        doc_params += values
    sql = f"SELECT {DOCUMENT_LIST_COLUMNS} FROM documents"
    if doc_where:
        sql += " WHERE " + " AND ".join(doc_where)
    documents = list(db.query(sql + " ORDER BY position, imported_at, id", doc_params))
    if doc_where:
        where.append(f"document_id IN (SELECT id FROM documents WHERE {' AND '.join(doc_where)})")
        params += doc_params
    relation_where, relation_params = [], []
    if annotators:
        clause, values = _in("annotator", annotators)
        where.append(clause)
        params += values
        relation_where.append(clause)
        relation_params += values
    if layer:
        where.append("layer = ?")
        params.append(layer)
        relation_where.append("layer = ?")
        relation_params.append(layer)
    if label_ids:
        clause, values = _in("label_id", label_ids)
        where.append(clause)
        params += values
    condition = " AND ".join(where) or "1"
    annotations = db.execute(
        f"SELECT id, document_id, label_id, annotator, layer, entity_id FROM annotations WHERE {condition}",
        params).fetchall() if with_annotations else []
    sql = "SELECT * FROM relations"
    if relation_where:
        sql += " WHERE " + " AND ".join(relation_where)
    relations = list(db.query(sql + " ORDER BY created_at, id", relation_params))
    return Selected(documents, condition, params, annotations, relations)


ANNOTATION_COLUMNS = ("id, document_id, start, end, label_id, quote, prefix, suffix, annotator, layer, entity_id, "
                      "attributes, note, created_at, updated_at")
"""The order ``annotations_by_document`` returns columns in (``Annotation``'s fields, less the label name).
Tuples, not dicts: an export reads every annotation of a project, and a dict per row cost more than the writing."""


def annotations_by_document(db: Database, where: str, params: Sequence[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every selected annotation, grouped by document, each group in text order (start, end, id).

    One query for the whole export rather than one per document: the per-document queries (each a
    sort) cost more than writing most formats.
    """
    return _in_text_order(db, ANNOTATION_COLUMNS, 1, (2, 3, 0), where, params)


_FIRST = itemgetter(0)
_COLUMN_NAMES = frozenset(name.strip() for name in ANNOTATION_COLUMNS.split(","))


def annotation_columns_by_document(db: Database, columns: Sequence[str], where: str, params: Sequence[Any],
                                   ) -> dict[str, list[tuple[Any, ...]]]:
    """``annotations_by_document`` reading only ``columns`` (after a leading ``document_id``), in the same order.
    (CoNLL, whose output does not depend on the rows' order, reads them unsorted and without the document id:
    ``export_part.counted_rows``.)"""
    unknown = set(columns) - _COLUMN_NAMES
    if unknown:
        raise ValueError(f"not annotation columns: {', '.join(sorted(unknown))}")
    selected = f"document_id, {', '.join(columns)}"
    if not {"start", "end", "id"} <= set(columns):
        sql = f"SELECT {selected} FROM annotations WHERE {where} ORDER BY document_id, start, end, id"
        return {document_id: list(rows) for document_id, rows in groupby(db.execute(sql, list(params)), _FIRST)}
    key = tuple(1 + list(columns).index(name) for name in ("start", "end", "id"))
    return _in_text_order(db, selected, 0, key, where, params)


def _in_text_order(db: Database, selected: str, document: int, key: tuple[int, ...], where: str,
                   params: Sequence[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows grouped by document (column ``document``), each group sorted by the columns ``key`` (start, end, id).

    SQLite orders by ``document_id, start`` along its index; a full ``ORDER BY document_id, start,
    end, id`` copied every row through a temporary sort first, which cost more than sorting each
    document's rows in Python (nearly sorted already). Python orders ints and strings as SQLite
    does; a damaged row whose values Python cannot compare (text where a number belongs) makes the
    whole read go through SQLite's ORDER BY instead.
    """
    grouped = {document_id: list(rows) for document_id, rows in groupby(
        db.execute(f"SELECT {selected} FROM annotations WHERE {where} ORDER BY document_id, start", list(params)),
        itemgetter(document))}
    order = itemgetter(*key)
    try:
        for rows in grouped.values():
            rows.sort(key=order)
    except TypeError:
        sql = (f"SELECT {selected} FROM annotations WHERE {where} "
               "ORDER BY document_id, start, end, id")
        return {document_id: list(rows) for document_id, rows in groupby(db.execute(sql, list(params)),
                                                                          itemgetter(document))}
    return grouped


def spans_by_document(db: Database, columns: Sequence[str], where: str,
                      params: Sequence[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows ``(start, end, id, *columns, document_id)`` of the selected annotations by document, each group in
    text order (``annotation_columns_by_document``'s order): ``export_part.spans``, which the csv export's second
    process runs alone on its documents."""
    return export_part.spans(db.conn, columns, where, params)


def distinct_attributes_beside(path: str | os.PathLike[str], where: str, params: Sequence[Any],
                               document_ids: Sequence[str]) -> list[Any]:
    """``export_part.distinct_attributes`` of the selected annotations of ``document_ids``, on a read-only connection
    of its own (for a thread that works beside the writer: the csv export's feeder of its second process)."""
    conn = export_part.connect(os.fspath(path))
    try:
        return export_part.distinct_attributes(conn, *export_part.within(where, params, document_ids))
    finally:
        conn.close()


_TRUTHY_NOTE = ("CASE typeof(note) WHEN 'null' THEN 0 WHEN 'text' THEN note <> '' WHEN 'blob' THEN length(note) > 0 "
                "ELSE note <> 0 END")
"""A ``note`` Python counts as set (``if note``): a non-empty text (a NUL character too), a non-zero number, a
non-empty blob."""


def attribute_and_note_counts(db: Database, where: str, params: Sequence[Any]) -> tuple[list[tuple[Any, int]], int]:
    """For a format that leaves attributes and notes out and says how many it left: each distinct ``attributes``
    value of the selected annotations other than ``'{}'`` with how many hold it, and how many have a note
    (what ``bool(note)`` counts, ``_TRUTHY_NOTE``). One scan; the values are grouped only when some exist."""
    with_attributes, notes = db.execute(
        f"SELECT count(*) FILTER (WHERE attributes <> '{{}}'), count(*) FILTER (WHERE {_TRUTHY_NOTE}) "
        f"FROM annotations WHERE {where}", list(params)).fetchone()
    values = [tuple(row) for row in db.execute(
        f"SELECT attributes, count(*) FROM annotations WHERE ({where}) AND attributes <> '{{}}' GROUP BY attributes",
        list(params))] if with_attributes else []
    return values, notes


@dataclass
class Summary:
    """What an export's dataset card and result need to know of the selected annotations, counted in SQL.

    Reading every selected annotation's id into Python just to count them cost as much as a format's writing.
    """

    total: int
    counts: list[tuple[str, str, str, int]]  # label_id, annotator, layer, annotations
    per_document: list[tuple[str, int]]  # document_id, annotations
    entity_ids: set[str]


_LAYERS = ("gold", "reviewer")
"""What the schema's CHECK allows in ``annotations.layer`` (a damaged row with another one: the counts fall back)."""
FEW_COUNTS = 16
"""Up to this many (label, reviewer, layer) combinations, ``summary`` counts them in one pass with a filter each."""


def summary(db: Database, where: str, params: Sequence[Any], *, counts: bool = True) -> Summary:
    """Counts of the annotations ``where`` selects (``select``'s ``where``/``params``); ``counts`` false: only the
    total and the entities (``counts`` and ``per_document`` empty: ``card_counts``, read beside, has them)."""
    if not counts:
        total = db.execute(f"SELECT count(*) FROM annotations WHERE {where}", list(params)).fetchone()[0]
        return Summary(total, [], [], _entity_ids(db, where, params))
    label_counts, per_document, _ = card_counts(db, where, params)
    return Summary(sum(n for _, n in per_document), label_counts, per_document, _entity_ids(db, where, params))


FILL_REVIEWERS = "UPDATE annotations SET annotator = 'NAME' WHERE annotator IS NULL"
"""What a user runs in sqlite3 to give ``without_reviewer``'s annotations a reviewer (the export's error says it)."""


def without_reviewer(db: Database, where: str, params: Sequence[Any]) -> tuple[int, str | None]:
    """How many selected annotations have no reviewer (``annotator`` NULL: a file whose schema another program
    changed; ours never writes one) and the first one's id. Along the ``annotator`` index: nothing to read when none."""
    count, first = db.execute(
        f"SELECT count(*), min(id) FROM annotations WHERE annotator IS NULL AND ({where})", list(params)).fetchone()
    return count, first


BadOffsets = tuple[int, tuple[Any, Any, Any] | None]
"""How many annotations have a start or an end that is not a whole number, and the first's (id, start, end)."""


_NOT_WHOLE = f"NOT ({export_part.WHOLE_OFFSETS})"
"""An annotation whose start or end is not a whole number (``bad_offsets``)."""


def bad_offsets(db: Database, where: str, params: Sequence[Any]) -> BadOffsets:
    """How many selected annotations have a start or an end that is not a whole number, and the first one's id, start
    and end. Another program's write: the schema's CHECK (``start >= 0 AND end > start``) lets a text or a fraction
    through, and every format counts in whole characters (CoNLL and spaCy stopped with a Python error, the others
    wrote the value as it was). No index holds the end: a scan of the table, which ``card_counts`` makes anyway
    (this runs when it found some) and CoNLL's read replaces (``conll_text.coded_rows``)."""
    count, first = db.execute(f"SELECT count(*), min(id) FROM annotations WHERE ({where}) AND {_NOT_WHOLE}",
                              list(params)).fetchone()
    if not count:
        return 0, None
    row = db.execute('SELECT id, start, "end" FROM annotations WHERE id IS ?', [first]).fetchone()
    return count, (row[0], row[1], row[2]) if row else (first, None, None)


def _entity_ids(db: Database, where: str, params: Sequence[Any]) -> set[str]:
    return {row[0] for row in db.execute(
        f"SELECT DISTINCT entity_id FROM annotations WHERE ({where}) AND entity_id IS NOT NULL AND entity_id <> ''",
        list(params))}


def card_counts(db: Database, where: str, params: Sequence[Any]
                ) -> tuple[list[tuple[str, str, str, int]], list[tuple[str, int]], BadOffsets]:
    """What the dataset card counts: (label_id, annotator, layer, count) and (document_id, count) of the selection;
    and, counted in the same scan, its annotations whose start or end is not a whole number (``bad_offsets``)."""
    per_document = [tuple(row) for row in db.execute(
        f"SELECT document_id, count(*) FROM annotations WHERE {where} GROUP BY document_id", list(params))]
    label_counts, bad = _label_counts(db, where, params)
    return label_counts, per_document, (bad_offsets(db, where, params) if bad else (0, None))


T = TypeVar("T")


BESIDE_ABOVE = 5000
"""``read_beside`` starts a thread only for a read of more rows than this: a smaller one costs less than the thread."""


def read_beside(db: Database, path: str | os.PathLike[str], read: Callable[[Database], T], name: str,
                rows: int) -> Callable[[], T]:
    """``read(db)`` run on a second, read-only connection to ``path`` in a thread while the caller goes on; returns
    the function that waits for its result.

    For counts that scan every selected annotation (no index holds what they count) and that a writer needs only
    at the end: the (label, reviewer, layer) counts with a filter per combination cost ~60-70 ms of 100k rows, a
    sixth of doccano's floor and a third of the casualty table's, before any writing began. SQLite runs them
    without the GIL, beside the writer's own reads. Where another connection may not see what this one sees (a
    transaction open here), or it fails (a file it cannot open read-only), ``read(db)`` runs here when asked; so
    does a read of at most ``BESIDE_ABOVE`` ``rows``."""
    if db.conn.in_transaction or rows <= BESIDE_ABOVE:
        return lambda: read(db)

    def beside() -> T:
        conn = export_part.connect(os.fspath(path))  # the second processes' read-only open
        try:
            return read(Database(conn))
        finally:
            conn.close()

    future = started(beside, name)

    def result() -> T:
        try:
            return future.result()
        except Exception:  # any failure of the second connection: read here instead
            return read(db)

    return result


def _label_counts(db: Database, where: str, params: Sequence[Any]) -> tuple[list[tuple[str, str, str, int]], int]:
    """(label_id, annotator, layer, count) of every combination the selected annotations have, in that order, and
    how many of them have a start or end that is not a whole number (``bad_offsets``, counted in the same scan: a
    scan of its own cost CoNLL 23 ms and the casualty table 15).

    ``GROUP BY label_id, annotator, layer`` sorts every annotation (no index holds the label) and cost
    several times scanning the table; a project has a few labels and reviewers, so the combinations
    that can occur (every label by every reviewer/layer pair, found by seeks in their index) are counted in
    one scan with a ``FILTER`` each. An annotation none of them counts (its label is not in the
    schema) or too many combinations: the ``GROUP BY``."""
    labels = [row[0] for row in db.execute("SELECT id FROM labels ORDER BY id")]
    pairs = sorted((name, layer) for layer in _LAYERS for name in annotator_names(db, layer))  # index seeks
    combinations = [(label_id, annotator, layer) for label_id in labels for annotator, layer in pairs]
    if 0 < len(combinations) <= FEW_COUNTS:
        filters = ", ".join("count(*) FILTER (WHERE label_id = ? AND annotator = ? AND layer = ?)" for _ in combinations)
        total, bad, *found = db.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {_NOT_WHOLE}), {filters} FROM annotations WHERE {where}",
            [*(value for combination in combinations for value in combination), *params]).fetchone()
        if total == sum(found):
            return [(*combination, count) for combination, count in zip(combinations, found) if count], bad
    rows = db.execute(f"SELECT label_id, annotator, layer, count(*), count(*) FILTER (WHERE {_NOT_WHOLE}) "
                      f"FROM annotations WHERE {where} GROUP BY label_id, annotator, layer", list(params)).fetchall()
    return [tuple(row[:4]) for row in rows], sum(row[4] for row in rows)


def annotation_documents(db: Database, where: str, params: Sequence[Any]) -> dict[str, str]:
    """Annotation id -> document id of every selected annotation."""
    return dict(db.execute(f"SELECT id, document_id FROM annotations WHERE {where}", list(params)).fetchall())


def select_documents(db: Database, statuses: Sequence[str], document_ids: Sequence[str], annotators: Sequence[str],
                     layer: str | None, label_ids: Sequence[str]) -> Selected:
    """``select`` without reading the annotations (``Selected.annotations`` is empty): use ``summary`` for counts."""
    return select(db, statuses, document_ids, annotators, layer, label_ids, with_annotations=False)


TEXT_BATCH = 200
"""Texts read per query: few queries, and never every text of a large project in memory at once."""


def document_texts(db: Database, document_ids: Sequence[str]) -> Iterator[str]:
    """The texts of ``document_ids``, in that order, read ``TEXT_BATCH`` documents per query."""
    for first in range(0, len(document_ids), TEXT_BATCH):
        batch = list(document_ids[first:first + TEXT_BATCH])
        clause, values = _in("id", batch)
        texts = dict(db.execute(f"SELECT id, text FROM documents WHERE {clause}", values).fetchall())
        for document_id in batch:
            yield texts[document_id]


def document_text(db: Database, document_id: str) -> str:
    return db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[0]
