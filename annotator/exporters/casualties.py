"""``casualties``: one row per source claim (a figure as one source gave it), for casualty recording.

Grouped as ``crosssource.source_groups`` groups ``crosssource.figure_rows``: the figures of the
selected annotations by the source they are attributed to, then by figure (same thing counted, same
numbers, same hedge), so a toll that SOHR gave once and five outlets repeated is one row with five
appearances. Built here in one pass over the figures rather than through those (see ``_rows``;
``tests/test_casualty_rows_reference.py`` keeps them equal). Written by ``csvio`` like every CSV the
project makes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from annotator.exporters import csvio
from annotator.exporters.common import ExportFormat, ExportJob, without_collector

__all__ = ["COLUMNS", "FORMAT", "LOCATION_ATTRIBUTES", "write"]

COLUMNS = ("source", "counted", "category", "low", "best", "high", "qualifier", "period_start", "period_end",
           "location", "appearances", "independent_sources", "outlets", "urls", "first_published", "quote",
           "annotation_ids")
LOCATION_ATTRIBUTES = ("location", "place")
"""Figure attributes read as the location, first found wins (no default label has one yet)."""


def _joined(values: Any) -> str | None:
    found = dict.fromkeys(filter(None, values))
    return "; ".join(found) if found else None


def _rows(job: ExportJob) -> Iterator[list[Any]]:
    """One row per source claim, grouped as ``crosssource.source_groups`` groups ``selected_figure_rows``.

    Read once (each figure with its stored parse) and grouped in the same loop, without building a
    22-field ``FigureRow`` per figure: building and sorting those rows, then grouping them, cost three
    times the table's floor. ``tests/test_casualty_rows_reference.py`` holds the plain path and checks
    the bytes against it.
    """
    from annotator.crosssource import ATTRIBUTED_TO, FEW_FIGURES, _attributions, _figure_values  # crosssource imports us
    from annotator.figure_values import PARSER_VERSION, as_text, decode, parsed_values  # the parser: import on use
    from annotator.layers import GOLD
    from annotator.store import exports as export_rows
    from annotator.store import figure_parses, figure_reads
    from annotator.store.file import json_column

    project = job.project
    # many figures: every stored parse, read on a second connection while the figures are read here
    every_parse = export_rows.read_beside(project.db, project.path, lambda other: figure_parses.stored(other, PARSER_VERSION),
                                          "casualty-parses", job.selection.total) if job.selection.total > FEW_FIGURES else None
    records = figure_reads.casualty_figures(project.db, GOLD, job.selection.where, job.selection.params)
    if not records:
        return
    documents = {d.id: d for d in job.selection.documents}
    positions = {id: d.position for id, d in documents.items()}
    attributed: dict[str, list[str]] = {}
    if figure_reads.any_relation(project.db, ATTRIBUTED_TO):  # else no figure has a source: skip reading them
        # an actor may lie in a document the filters leave out: attributions are ordered by every document's position
        every = positions if not (job.filters.statuses or job.filters.documents) else {
            d.id: d.position for d in project.documents(with_text=False)}
        attributed = _attributions(project, set(map(_FIRST, records)), every)
    # a few figures: look their quotes' parses up; else one scan of the stored parses (cheaper than joining them)
    stored_parse = (every_parse() if every_parse is not None else figure_parses.stored(
        project.db, PARSER_VERSION, {r[3] for r in records} if len(records) <= FEW_FIGURES else None)).get
    position = positions.__getitem__
    parses: dict[str, tuple[Any, ...]] = {}  # quote -> its five values, for the misses and confirmed figures
    sources_of: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    grouped: dict[str | None, dict[tuple[Any, ...], list[tuple[Any, ...]]]] = {}
    # stored parse text -> owner -> (order prefix, head, its appearances' append) of a figure nobody confirmed or
    # attributed (most of them): such a figure's group, order and cells follow from its owner and its quote's parse
    plain: dict[str | None, dict[str, tuple[tuple[Any, ...], tuple[Any, ...], Callable[[tuple[Any, ...]], None]]]] = {}
    prefixes: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # one prefix object per value: compared by identity first
    confirmed = False  # any figure with attributes (else no period or location to look for)
    for id, document_id, start, quote, owner, raw in records:
        stored = stored_parse(quote)
        if raw is None:
            by_owner = plain.get(stored)  # never a key: None
            if by_owner is not None:
                known = by_owner.get(owner)
                if known is not None and (not attributed or id not in attributed):
                    known[2]((known[0], position(document_id), start, id, document_id, quote, known[1], ()))
                    continue
        counted = victims = None
        extra: tuple[Any, ...] = ()
        if raw is None:  # nothing confirmed: the numbers from the quote's parse
            values = decode(stored)
            if values is None:  # a miss: not stored, an older parser, or a damaged row
                values = parses.get(quote)
                if values is None:
                    values = parses[quote] = parsed_values(quote)
                stored = None  # not a key of ``plain``
            value, lower, upper, qualifier, _ = values
        else:
            attributes = json_column({"id": id, "attributes": raw}, "annotations", "attributes", "{}")
            value, lower, upper, qualifier, _ = _figure_values(quote, stored, attributes, parses)
            if attributes:
                confirmed = True
                get = attributes.get
                counted, victims = as_text(get("counted")), as_text(get("victims"))
                location = next((str(attributes[n]) for n in LOCATION_ATTRIBUTES if get(n)), None)
                extra = (as_text(get("period-start")), as_text(get("period-end")), location)
        head = (counted, victims, lower, value, upper, qualifier)
        names = attributed.get(id) if attributed else None
        attributed_to = "; ".join(names) if names else None
        source = attributed_to.split("; ", 1)[0] if attributed_to else None
        key = (owner, (counted or victims or "").casefold(), value, lower, upper, qualifier)
        if source is not None:
            sources_of[key].add(source.casefold())
        figures = grouped.get(source)
        if figures is None:
            figures = grouped[source] = {}
        # report order (what is counted, value; then document, offset, id), as figure rows are sorted
        order = (counted is None, counted.casefold() if counted else "", value is None, value or 0)
        prefix = prefixes.setdefault(order, order)
        found = figures.get(key)
        if found is None:
            found = figures[key] = []
        found.append((prefix, position(document_id), start, id, document_id, quote, head, extra))
        if raw is None and source is None and stored is not None:
            plain.setdefault(stored, {})[owner] = (prefix, head, found.append)
    groups = []
    for source, figures in grouped.items():
        ordered = []
        count = 0
        for key, appearances in figures.items():
            appearances.sort()  # report order: the id (unique) ends every comparison before the cells
            ordered.append((appearances[0], key, appearances))
            count += len(appearances)
        ordered.sort(key=_FIRST)  # figures in the order of their first appearance
        groups.append((ordered[0][0], source, count, ordered))
    groups.sort(key=_FIRST)  # sources in the order of their first appearance, for the ties below
    groups.sort(key=lambda g: (g[1] is None, -g[2], (g[1] or "").casefold()))
    shown = _Shown({id: d.outlet or d.title for id, d in documents.items()}, {id: d.url for id, d in documents.items()},
                   {id: d.published for id, d in documents.items()})
    for _, source, _, ordered in groups:
        for _, key, appearances in ordered:
            yield _row(source, appearances, len(sources_of.get(key, ())), shown, confirmed)


_FIRST = itemgetter(0)
_ID, _DOCUMENT, _EXTRA = itemgetter(3), itemgetter(4), itemgetter(7)


class _Shown(NamedTuple):
    """Document id -> what the table shows of the document: its outlet (else title), url, publication date."""

    outlet: dict[str, Any]
    url: dict[str, str | None]
    published: dict[str, str | None]


def _row(source: str | None, appearances: list[tuple[Any, ...]], independent: int, shown: _Shown,
         confirmed: bool) -> list[Any]:
    """One source claim: ``appearances`` are (order prefix, position, start, id, document id, quote, head,
    (period start, period end, location) or ()) in report order: the prefix (counted is None, counted casefolded,
    value is None, value or 0), document position, offset and id are the figure rows' sort key. ``head`` is the
    counted, victims, low, best, high and qualifier cells (the first appearance's give the claim's). Outlets, urls
    and dates are read per document, first seen first (the same values, in the same order, as per appearance)."""
    documents = dict.fromkeys(map(_DOCUMENT, appearances))
    period_start = period_end = location = None
    if confirmed:
        extras = list(filter(None, map(_EXTRA, appearances)))
        period_start = _joined(e[0] for e in extras)
        period_end = _joined(e[1] for e in extras)
        location = next(filter(None, (e[2] for e in extras)), None)
    published = min(filter(None, map(shown.published.__getitem__, documents)), default=None)  # min, then cut
    first = appearances[0]
    return [
        source, *first[6], period_start, period_end, location, len(appearances), independent,
        "; ".join(dict.fromkeys(map(shown.outlet.__getitem__, documents))),
        _joined(map(shown.url.__getitem__, documents)), published[:10] if published else None,
        " ".join(first[5].split()), "; ".join(map(_ID, appearances)),
    ]


def write(job: ExportJob, target: Path) -> None:
    if job.progress:
        job.progress(0, 1)
    with target.open("w", encoding=csvio.ENCODING, newline="") as stream:
        csvio.write_rows(stream, COLUMNS, _rows(job))
    if job.progress:
        job.progress(1, 1)


FORMAT = ExportFormat(
    name="casualties",
    title="Casualty table, one row per source claim",
    filename="casualties.csv",
    suffixes=(".csv",),
    importable=False,
    write=without_collector(write),
    relations=False,
    notes="""
One row per **source claim**: the figures of the exported annotations grouped by the source they
are attributed to (an `attributed-to` relation to an actor, named by its entity), then by figure
(same thing counted, same numbers and hedge), so a toll one source gave and several outlets
repeated is one row. Sources with more appearances first; figures not attributed last (empty
`source`). Columns:

| column | holds |
|---|---|
| `source` | the entity (or actor quote) the figure is attributed to |
| `counted`, `category` | what is counted ("civilians killed") and who (`victims`: civilians, ...) |
| `low`, `best`, `high` | the figure's `lower`, `value`, `upper` as written (empty when the phrase gives none) |
| `qualifier` | at least, more than, approximately, range, ... |
| `period_start`, `period_end` | the period the figure covers (ISO dates; several joined with `; ` if appearances differ) |
| `location` | the figure's `location` (or `place`) attribute when the schema has one, else empty |
| `appearances` | how many annotations report this figure from this source |
| `independent_sources` | how many different sources report the same figure |
| `outlets`, `urls` | where it appeared (`; ` between several) |
| `first_published` | the earliest publication date among its appearances |
| `quote` | the first appearance's words |
| `annotation_ids` | every appearance (`; ` between) |

CSV dialect as `csv` (RFC 4180, UTF-8 with a byte-order mark, formula cells neutralised).
""",
)
