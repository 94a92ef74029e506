"""The figures reported for one counted thing over time: each as a low–best–high bar by publication
date and outlet, coloured by its source (the GUI's timeline window and ``annotator timeline``).

Built on ``crosssource.figure_rows``, so the numbers are the reviewer's attributes (parsed from the
quote where one is missing) and the source is the entity the figure is attributed to.

Low, best and high are the figure's ``lower``, ``value`` and ``upper`` as written: "at least 973"
has low = best = 973 and no high (the bar is open upwards), "approximately 1,700" only a best,
"between 1,000 and 1,500" a low and a high and no best. Nothing is invented to close a bar.
Documents without a publication date cannot be placed in time: they are listed as ``undated``
(the chart draws them in a band of their own after the dated ones).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from annotator.crosssource import FigureRow, figure_rows
from annotator.defaults import PALETTE
from annotator.errors import AnnotatorError
from annotator.project import Project

__all__ = ["UNATTRIBUTED", "UNATTRIBUTED_COLOR", "Timeline", "TimelinePoint", "counted_things", "publication_date",
           "timeline"]

UNATTRIBUTED = "(not attributed)"
UNATTRIBUTED_COLOR = "#6B7280"


def publication_date(published: str | None) -> date | None:
    """The day a document was published, from its ``published`` text (an ISO date or date-time), or None."""
    text = (published or "").strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """One reported figure: its bar (low, best, high; any may be missing), when and where it appeared, its source."""

    annotation_id: str
    document_id: str
    document_title: str
    outlet: str
    published: date | None
    source: str
    quote: str
    qualifier: str | None
    low: int | float | None
    best: int | float | None
    high: int | float | None

    @property
    def bottom(self) -> int | float:
        """Where the bar starts: the low bound, else the best value, else the high bound."""
        return next(v for v in (self.low, self.best, self.high) if v is not None)

    @property
    def top(self) -> int | float:
        """Where the bar ends: the high bound, else the best value, else the low bound."""
        return next(v for v in (self.high, self.best, self.low) if v is not None)

    @property
    def open_high(self) -> bool:
        """No upper bound: "at least", "more than", vague words; the chart draws an arrow upwards."""
        return self.high is None and self.qualifier in ("at least", "more than", "vague")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


@dataclass(frozen=True, slots=True)
class Timeline:
    """The points for ``counted``, dated ones by date (then outlet), undated ones after; ``sources`` in colour order."""

    counted: str
    points: tuple[TimelinePoint, ...]
    sources: tuple[str, ...]

    @property
    def dated(self) -> tuple[TimelinePoint, ...]:
        return tuple(p for p in self.points if p.published is not None)

    @property
    def undated(self) -> tuple[TimelinePoint, ...]:
        return tuple(p for p in self.points if p.published is None)

    def color(self, source: str) -> str:
        """The source's colour: the label palette in ``sources`` order; grey for figures not attributed."""
        if source == UNATTRIBUTED:
            return UNATTRIBUTED_COLOR
        named = [s for s in self.sources if s != UNATTRIBUTED]
        return PALETTE[named.index(source) % len(PALETTE)] if source in named else UNATTRIBUTED_COLOR

    def to_dict(self) -> dict[str, Any]:
        return {"counted": self.counted, "sources": [{"name": s, "color": self.color(s)} for s in self.sources],
                "points": [p.to_dict() for p in self.points]}


def counted_things(project: Project, rows: list[FigureRow] | None = None) -> list[str]:
    """What the project's figures count ("civilians killed", ...), most figures first, then by name."""
    rows = figure_rows(project) if rows is None else rows
    counts = Counter(row.counted for row in rows if row.counted and _plottable(row))
    return sorted(counts, key=lambda c: (-counts[c], c.casefold()))


def _plottable(row: FigureRow) -> bool:
    return any(v is not None for v in (row.lower, row.value, row.upper))


def timeline(project: Project, counted: str | None = None, rows: list[FigureRow] | None = None) -> Timeline:
    """The timeline of ``counted`` (ignoring case; default: the thing most figures count).

    Figures with no number at all (a quote the parser could not read and no attributes) are left
    out. Raises ``AnnotatorError`` when the project has no counted figures or ``counted`` is none of them."""
    rows = figure_rows(project) if rows is None else rows
    known = counted_things(project, rows)
    if not known:
        raise AnnotatorError("no figure has a 'counted' attribute yet: set what each figure counts "
                             "(e.g. civilians killed) to draw its timeline")
    if counted is None:
        wanted = known[0]
    else:
        wanted = next((c for c in known if c.casefold() == " ".join(counted.split()).casefold()), "")
        if not wanted:
            raise AnnotatorError(f"no figure counts {counted!r} (counted in this project: {', '.join(known)})")
    points = [
        TimelinePoint(row.annotation_id, row.document_id, row.document_title, row.outlet or row.document_title,
                      publication_date(row.published), row.source or UNATTRIBUTED, " ".join(row.quote.split()),
                      row.qualifier, row.lower, row.value, row.upper)
        for row in rows if row.counted == wanted and _plottable(row)
    ]
    points.sort(key=lambda p: (p.published is None, p.published or date.min, p.outlet.casefold(), p.bottom,
                               p.annotation_id))
    per_source = Counter(p.source for p in points)
    sources = sorted(per_source, key=lambda s: (s == UNATTRIBUTED, -per_source[s], s.casefold()))
    return Timeline(wanted, tuple(points), tuple(sources))
