"""Attribute values proposed when an annotation is made, for the reviewer to confirm or edit.

A label whose schema has ``value`` and ``qualifier`` attributes (Figure, by default) gets its
quote parsed by ``annotator.figures``: "over 1,200 civilians" -> value 1200, qualifier
"more than", unit "civilians".
"""

from __future__ import annotations

from typing import Any

from annotator.models import Label


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def is_figure_label(label: Label) -> bool:
    """A label is for figures when its role says so, whatever it is called."""
    return label.role == "figure"


def propose_attributes(label: Label, quote: str) -> dict[str, Any]:
    if not is_figure_label(label):
        return {}
    names = {definition["name"] for definition in label.attributes}
    from annotator.figures import parse_figure  # its patterns compile on import: not before the first frame

    figure = parse_figure(quote)
    if figure is None:
        return {}
    proposal = {
        "value": _number(figure.value),
        "lower": _number(figure.lower),
        "upper": _number(figure.upper),
        "qualifier": figure.qualifier,
        "unit": figure.unit,
    }
    return {k: v for k, v in proposal.items() if k in names and v not in (None, "")}
