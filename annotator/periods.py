"""The period a figure covers, read off its sentence and normalised to ISO dates (start, end).

News tolls are counted over a period the sentence states relative to the day the article was
published ("on 10 March alone", "since March 30", "during the past two weeks"). The rules, in the
order they are tried (the first that matches wins; see docs/figures.md for examples):

``from A to B`` / ``between A and B`` / ``A-B``   start A, end B ("from 7 to 9 March": B's month and year)
``since A``                                         start A, end the publication date
``the past/last N hours|days|weeks|months|years``  start N units before publication, end publication
                                                    (N may be a word or absent: "the past week")
``yesterday`` / ``today``                           that one day
``last week|month|year``                            that calendar week (Mon-Sun), month or year
``in|during|throughout MONTH [YEAR]``               the whole month
``on A`` / a bare date / a weekday                  that one day

Dates are parsed with dateparser relative to the publication date, preferring the past: "10 March"
in an article of 11 March 2025 is 2025-03-10; "30 December" in one of 5 January 2025 is
2024-12-30. Without a publication date only dates that state their year are resolved.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from annotator.figures import parse_figure

__all__ = ["Period", "parse_period", "publication_date"]


@dataclass(frozen=True)
class Period:
    """A period as written (``text``) and as ISO dates, both inclusive."""

    start: str
    end: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
           "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec")
_ORD = r"(?:st|nd|rd|th)?"
_DATE = (rf"(?:\d{{1,2}}{_ORD}\s+(?:of\s+)?(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?"
         rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}{_ORD}(?:,?\s+\d{{4}})?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_UNIT = r"(?P<unit>hour|day|week|month|year)s?"
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(
        rf"\b(?:from|between)\s+(?P<a>{_DATE}|\d{{1,2}}{_ORD})\s+(?:to|and|until|till|through)\s+(?P<b>{_DATE})", re.I)),
    ("range", re.compile(rf"(?P<a>\b\d{{1,2}}){_ORD}\s*[-–]\s*(?P<b>\d{{1,2}}{_ORD}\s+(?:{_MONTHS})\b(?:,?\s+\d{{4}})?)", re.I)),
    ("range", re.compile(rf"(?P<a>\b(?:{_MONTHS})\s+\d{{1,2}}){_ORD}\s*[-–]\s*(?P<b>\d{{1,2}})\b(?!\s*(?:{_MONTHS}))", re.I)),
    ("since", re.compile(rf"\bsince\s+(?:[^,.;:]{{0,40}}?\bon\s+)?(?P<a>{_DATE}|{_WEEKDAY}|(?:{_MONTHS})\b(?:\s+\d{{4}})?)", re.I)),
    ("past", re.compile(rf"\b(?:the\s+(?:past|last|previous|preceding)\s+(?P<n>[\w-]+\s+)?"
                        rf"|(?:past|last|previous)\s+(?P<m>[\w-]+)\s+){_UNIT}\b", re.I)),
    ("day", re.compile(r"\b(?P<a>yesterday|today)\b", re.I)),
    ("calendar", re.compile(r"\b(?:last|this)\s+(?P<unit>week|month|year)\b", re.I)),
    ("month", re.compile(rf"\b(?:in|during|throughout)\s+(?:early\s+|late\s+)?(?P<a>(?:{_MONTHS})\b(?:\s+\d{{4}})?)(?!\s+\d)", re.I)),
    ("day", re.compile(rf"\b(?P<a>{_DATE})", re.I)),
    ("day", re.compile(rf"\bon\s+(?P<a>{_WEEKDAY})\b", re.I)),
]


def publication_date(published: str | None) -> date | None:
    """The date part of a document's ``published`` ("2025-03-11", "2025-03-11T08:00"), or None."""
    try:
        return date.fromisoformat((published or "").strip()[:10])
    except ValueError:
        return None


def _parse_date(text: str, base: date | None, *, month_only: bool = False) -> date | None:
    import dateparser  # type: ignore[import-untyped]  # slow to import (~1 s): only when a period is wanted

    has_year = re.search(r"\d{4}", text) is not None
    if base is None and not has_year:
        return None
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False,
                                "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day, 12)
    if not month_only:
        settings["REQUIRE_PARTS"] = ["day", "month"] if not re.fullmatch(_WEEKDAY, text.strip(), re.I) else []
    found = dateparser.parse(re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text), languages=["en"], settings=settings)
    if found is None:
        return None
    result = found.date()
    if base is not None and not has_year and result > base:  # "30 December" read in January: last year's
        result = result.replace(year=result.year - 1)
    return result


def _count(text: str | None) -> int | None:
    if not text or not text.strip():
        return 1
    figure = parse_figure(text.strip())
    return int(figure.value) if figure is not None and figure.value is not None and figure.value >= 1 else None


def _minus(base: date, n: int, unit: str) -> date:
    if unit == "day":
        return base - timedelta(days=n)
    if unit == "week":
        return base - timedelta(weeks=n)
    months = n * (12 if unit == "year" else 1)
    year, month = divmod(base.month - 1 - months, 12)
    year += base.year
    return date(year, month + 1, min(base.day, monthrange(year, month + 1)[1]))


def _month(first: date) -> tuple[date, date]:
    return first.replace(day=1), first.replace(day=monthrange(first.year, first.month)[1])


def _resolve(kind: str, m: re.Match[str], base: date | None) -> tuple[date, date] | None:
    groups = m.groupdict()
    if kind == "range":
        a = groups["a"]
        if groups["b"].strip().isdigit():  # "March 7-9"
            start = _parse_date(a, base)
            if start is None or not start.day <= int(groups["b"]) <= monthrange(start.year, start.month)[1]:
                return None
            return start, start.replace(day=int(groups["b"]))
        end = _parse_date(groups["b"], base)
        if end is None:
            return None
        if re.fullmatch(rf"\d{{1,2}}{_ORD}", a.strip()):  # "from 7 to 9 March": the day of B's month
            first_day = int(re.sub(r"\D", "", a))
            if not 1 <= first_day <= end.day:
                return None
            start = end.replace(day=first_day)
        else:
            start = _parse_date(a, base if re.search(r"\d{4}", a) else end)
        return (start, end) if start is not None and start <= end else None
    if kind == "since":
        if base is None:
            return None
        a = groups["a"]
        month_only = re.fullmatch(rf"(?:{_MONTHS})(?:\s+\d{{4}})?", a.strip(), re.I) is not None
        start = _parse_date(a, base, month_only=month_only)
        if start is not None and month_only:
            start = start.replace(day=1)
        return (start, base) if start is not None and start <= base else None
    if kind == "past":
        n = _count(groups["n"] or groups["m"])
        if base is None or n is None:
            return None
        unit = groups["unit"].lower()
        if unit == "hour":
            return base - timedelta(days=max(1, n // 24)), base
        return _minus(base, n, unit), base
    if kind == "calendar":
        if base is None:
            return None
        unit, this = groups["unit"].lower(), m.group().lower().startswith("this")
        if unit == "week":
            monday = base - timedelta(days=base.weekday()) - timedelta(weeks=0 if this else 1)
            return monday, (base if this else monday + timedelta(days=6))
        if unit == "month":
            first = base.replace(day=1) if this else (base.replace(day=1) - timedelta(days=1)).replace(day=1)
            start, end = _month(first)
            return start, min(end, base)
        year = base.year if this else base.year - 1
        return date(year, 1, 1), min(date(year, 12, 31), base)
    if kind == "month":
        in_month = _parse_date(groups["a"], base, month_only=True)
        return _month(in_month) if in_month is not None else None
    day: date | None = _parse_date(groups["a"], base) if groups["a"].lower() not in ("yesterday", "today") else (
        None if base is None else base - timedelta(days=1 if groups["a"].lower() == "yesterday" else 0))
    return (day, day) if day is not None else None


def parse_period(sentence: str, published: str | None, near: int | None = None) -> Period | None:
    """The period ``sentence`` gives, normalised against the publication date, or None.

    When a rule matches several times, the match closest to ``near`` (the figure's offset in the
    sentence) is taken; ``near=None`` takes the first."""
    base = publication_date(published)
    for kind, pattern in _RULES:
        matches = list(pattern.finditer(sentence))
        if near is not None:
            matches.sort(key=lambda m: min(abs(m.start() - near), abs(m.end() - near)))
        for m in matches:
            resolved = _resolve(kind, m, base)
            if resolved is not None:
                return Period(resolved[0].isoformat(), resolved[1].isoformat(), " ".join(m.group().split()))
    return None
