"""``casualties``: one row per source claim (a figure as one source gave it), for casualty recording.

Built on ``crosssource.source_groups``: the figures of the selected annotations are grouped by the
source they are attributed to, then by figure (same thing counted, same numbers, same hedge), so a
toll that SOHR gave once and five outlets repeated is one row with five appearances. Written by
``csvio`` like every CSV the project makes.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.exporters import csvio
from annotator.exporters.common import ExportFormat, ExportJob, without_collector

if TYPE_CHECKING:
    from annotator.crosssource import SourceFigure

__all__ = ["COLUMNS", "FORMAT", "LOCATION_ATTRIBUTES", "write"]

COLUMNS = ("source", "counted", "category", "low", "best", "high", "qualifier", "period_start", "period_end",
           "location", "appearances", "independent_sources", "outlets", "urls", "first_published", "quote",
           "annotation_ids")
LOCATION_ATTRIBUTES = ("location", "place")
"""Figure attributes read as the location, first found wins (no default label has one yet)."""


def _joined(values: Any) -> str | None:
    found = dict.fromkeys(filter(None, values))
    return "; ".join(found) if found else None


_PERIOD_START, _PERIOD_END = attrgetter("period_start"), attrgetter("period_end")
_DOCUMENT_ID, _ANNOTATION_ID, _PUBLISHED = attrgetter("document_id"), attrgetter("annotation_id"), attrgetter("published")


def _rows(job: ExportJob) -> Iterator[list[Any]]:
    """One row per source claim, from one read of the selected figures (their attributes give the location).

    Building every figure row of the project and then reading every selected annotation again (for
    the location attribute) cost ten times writing the table; the selection's filter goes into the
    figures' own query instead.
    """
    from annotator.crosssource import selected_figure_rows, source_groups  # crosssource imports this package

    rows, attributes = selected_figure_rows(job.project, job.selection.where, job.selection.params)
    if not rows:
        return
    urls = {d.id: d.url for d in job.selection.documents}
    located = {}  # annotation id -> its location, for the few figures that have one
    for id, values in attributes.items():
        if values:
            location = next((str(values[n]) for n in LOCATION_ATTRIBUTES if values.get(n)), None)
            if location:
                located[id] = location
    for group in source_groups(rows):
        for figure in group.figures:
            yield _row(group.source, figure, urls, located)


def _row(source: str | None, figure: SourceFigure, urls: dict[str, str | None], located: dict[str, str]) -> list[Any]:
    """``urls``: document id -> url of the selected documents (an appearance elsewhere gives none); ``located``:
    annotation id -> location (the first appearance that has one gives the figure's)."""
    appearances = figure.appearances
    ids = list(map(_ANNOTATION_ID, appearances))
    location = next(filter(None, map(located.get, ids)), None) if located else None
    published = min(filter(None, map(_PUBLISHED, appearances)), default=None)  # a prefix keeps the order: min, cut
    return [
        source, figure.counted, figure.victims, figure.lower, figure.value, figure.upper, figure.qualifier,
        _joined(map(_PERIOD_START, appearances)), _joined(map(_PERIOD_END, appearances)), location,
        len(appearances), figure.independent_sources, "; ".join(figure.outlets),
        _joined(map(urls.get, map(_DOCUMENT_ID, appearances))),
        published[:10] if published else None, " ".join(appearances[0].quote.split()), "; ".join(ids),
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
