"""A figure quote's numbers as the Figures table shows them, parsed once and kept in ``figure_parses``.

The Figures table, the figures dock and the casualty export fall back to ``parse_figure(quote)`` for
every number a reviewer has not confirmed; on a large project that parse was most of their time.
A parse is a pure function of the quote and the parser's version, so it is stored keyed by the
quote text (``store/figure_parses.py``): the writes that create or change a figure annotation
store the parse of its quote in the same transaction (``fill``), and readers look it up and parse
only on a miss. A row from an older parser, or one that does not decode to what a parse gives
(someone edited the table), is a miss too: the cache can make a read faster, never different.
Readers never write; ``annotator figures --reindex`` fills the cache of an existing project.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from functools import lru_cache
from typing import Any

import orjson

from annotator.figure_prefilter import may_hold_figure
from annotator.figures import PARSER_VERSION, parse_figure
from annotator.store import figure_parses
from annotator.store.database import Database

__all__ = ["NUMBER_FIELDS", "PARSED_FIELDS", "PARSER_VERSION", "as_number", "as_text", "decode", "encode", "fill",
           "parse_ahead", "parsed_values", "reindex"]

NUMBER_FIELDS = ("value", "lower", "upper")
PARSED_FIELDS = ("value", "lower", "upper", "qualifier", "unit")
Values = tuple[Any, ...]


def as_number(value: Any) -> int | float | None:
    """A number from an attribute value: 1200, 1200.0, "1200", "1,200" -> 1200; anything else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            parsed = parse_figure(value)
            value = parsed.value if parsed is not None else None
            if value is None:
                return None
    if not isinstance(value, int | float) or value != value:  # NaN
        return None
    return int(value) if float(value).is_integer() else float(value)


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


_NONE: Values = (None,) * len(PARSED_FIELDS)


def parsed_values(quote: str) -> Values:
    """value, lower, upper, qualifier and unit parsed from the quote, converted as attributes are (Nones if no figure)."""
    parsed = parse_figure(quote) if may_hold_figure(quote) else None  # half the quotes hold no number word at all
    if parsed is None:
        return _NONE
    return tuple(as_number(getattr(parsed, name)) if name in NUMBER_FIELDS else as_text(getattr(parsed, name))
                 for name in PARSED_FIELDS)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""What ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` builds on every call, built once."""


def encode(values: Values) -> str:
    """The five values as compact JSON: ``[1200,1200,null,"at least","civilians"]``."""
    return _ENCODER.encode(list(values))


def parse_ahead(quotes: Iterable[str]) -> Future[dict[str, str]]:
    """Each quote's ``encode(parsed_values(quote))``, computed in a thread: the caller starts it before a large
    write (a merge's 10,000 inserts run in SQLite, without the GIL) and hands ``fill`` the result."""
    from annotator.background import started

    wanted = sorted(set(quotes))
    return started(lambda: {quote: encode(parsed_values(quote)) for quote in wanted}, "figure-parses")


@lru_cache(maxsize=4096)  # a few hundred distinct parses cover tens of thousands of quotes
def decode(text: str | None) -> Values | None:
    """What ``encode`` wrote, or None (a miss) for anything a parse could not have given."""
    if text is None:
        return None
    try:
        values = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if type(values) is not list or len(values) != len(PARSED_FIELDS):
        return None
    for index, value in enumerate(values):
        if value is None:
            continue
        if index < len(NUMBER_FIELDS):
            kind = type(value)
            if not (kind is int or (kind is float and not value.is_integer())):
                return None
        elif type(value) is not str or not value or value != " ".join(value.split()):
            return None
    return tuple(values)


def fill(db: Database, quotes: Iterable[str], ahead: Mapping[str, str] | None = None) -> int:
    """Store the parse of each quote that has no current one (inside the caller's write transaction); how many.

    ``ahead``: encoded parses already made (``parse_ahead``); a quote it lacks is parsed here."""
    wanted = set(quotes)
    if not wanted:
        return 0
    missing = wanted - figure_parses.current(db, wanted, PARSER_VERSION)
    ahead = ahead or {}
    figure_parses.store(db, [(quote, PARSER_VERSION, ahead.get(quote) or encode(parsed_values(quote)))
                             for quote in sorted(missing)])
    return len(missing)


def reindex(db: Database) -> tuple[int, int]:
    """Store the parse of every figure quote that lacks a current one and drop the rows of quotes no figure has
    (inside the caller's write transaction); (parsed, dropped)."""
    return fill(db, figure_parses.figure_quotes(db)), figure_parses.prune(db)
