"""What the Figures table and the casualty export read: figure annotations and their attributions, in two queries.

Building ``Annotation`` records for every annotation of a project (to keep the figures), then
fetching each attributed actor one query at a time, cost several times what writing the casualty
table does; these read only the columns a figure row shows, of the figure annotations only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from annotator.store.database import Database

FigureRecord = tuple[str, str, int, int, str, str, str, str | None]
"""id, document_id, start, end, quote, annotator, layer, attributes (JSON text, unparsed)."""

_FIGURE_LABELS = "label_id IN (SELECT id FROM labels WHERE role = 'figure')"
_FIGURE_COLUMNS = "id, document_id, start, end, quote, annotator, layer, attributes"


def figures(db: Database, *, label_ids: Sequence[str] | None = None, ids: Sequence[str] | None = None,
            layer: str | None = None, where: str = "1", params: Sequence[Any] = ()) -> list[FigureRecord]:
    """Annotations of ``label_ids`` (default: every label whose role is ``figure``), limited to ``ids`` and
    ``layer`` when given and to ``where`` (an export selection's annotation filter), in no particular order:
    the rows are sorted into report order anyway, and sorting them here too cost a quarter of the read."""
    clauses = [f"({where})"]
    values: list[Any] = list(params)
    if label_ids is None:
        clauses.append(_FIGURE_LABELS)
    else:
        clauses.append("label_id IN (SELECT value FROM json_each(?))")
        values.append(json.dumps(list(label_ids)))
    if ids is not None:
        clauses.append("id IN (SELECT value FROM json_each(?))")
        values.append(json.dumps(list(ids)))
    if layer is not None:
        clauses.append("layer = ?")
        values.append(layer)
    sql = f"SELECT {_FIGURE_COLUMNS} FROM annotations WHERE {' AND '.join(clauses)}"
    return db.execute(sql, values).fetchall()


def attributions(db: Database, relation_label: str) -> list[tuple[Any, ...]]:
    """Every ``relation_label`` relation with what attribution needs of both ends:
    (source_id, target_id, the source's label role,
    target's document_id, start, end, quote, entity_id, source's document_id, start, end, quote, entity_id)."""
    sql = """
        SELECT r.source_id, r.target_id, coalesce(l.role, 'plain'),
               t.document_id, t.start, t.end, t.quote, t.entity_id,
               s.document_id, s.start, s.end, s.quote, s.entity_id
        FROM relations r
        JOIN annotations s ON s.id = r.source_id
        JOIN annotations t ON t.id = r.target_id
        LEFT JOIN labels l ON l.id = s.label_id
        WHERE r.label = ?"""
    return db.execute(sql, [relation_label]).fetchall()


def casualty_figures(db: Database, gold: str, where: str = "1", params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The figure annotations ``where`` selects with what the casualty table groups them by: id, document_id, start,
    quote, owner (``gold`` for the gold layer, else the reviewer), attributes (JSON text; None for ``{}``).

    Two columns fewer than ``figures``: making a Python object of every cell of every figure was most of the read,
    and the table needs the layer only to tell gold from a reviewer, and most figures' attributes are empty."""
    sql = (f"SELECT id, document_id, start, quote, CASE WHEN layer = ? THEN layer ELSE annotator END, "
           f"nullif(attributes, '{{}}') FROM annotations WHERE ({where}) AND {_FIGURE_LABELS}")
    return db.execute(sql, [gold, *params]).fetchall()


def any_relation(db: Database, relation_label: str) -> bool:
    """Whether any ``relation_label`` relation exists (a project with no attributions skips reading them)."""
    return bool(db.execute("SELECT EXISTS (SELECT 1 FROM relations WHERE label = ?)", [relation_label]).fetchone()[0])
