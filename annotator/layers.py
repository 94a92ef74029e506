"""Telling layers apart: whose an annotation is (a reviewer's own, or the gold standard), in words.

After a merge one span can exist several times: each reviewer's copy and the gold copy accepted
from one of them. Every view that lists or paints annotations names them with these helpers, so
"ana", "ben" and "gold" read the same everywhere, and no raw id (a gold copy's
``source_annotation``) ever reaches a reader: it is resolved to "gold copy of ana's Actor “SOHR”".
Qt-free: the GUI, the CLI and the exporters share it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from annotator.errors import NotFoundError

if TYPE_CHECKING:
    from annotator.models import Annotation
    from annotator.project import Project

GOLD = "gold"
SOURCE_ATTRIBUTE = "source_annotation"  # annotator.comparison.SOURCE_ATTRIBUTE (not imported: it pulls in agreement)
UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")

OWNER_COLORS = ("#1F77B4", "#D62728", "#2CA02C", "#9467BD", "#FF7F0E", "#17BECF", "#8C564B", "#E377C2")
"""Reviewer marks, in order of the reviewers' names (colour-blind-safe Tableau hues, dark enough to underline)."""
GOLD_COLOR = "#B8860B"
"""Gold's mark: dark goldenrod, never one of the reviewers'."""


def owner(layer: str, annotator: str) -> str:
    """The layer an annotation belongs to, as one key: the reviewer's name, or ``"gold"``.

    A gold annotation's ``annotator`` is whoever adjudicated it, so it is *not* that reviewer's."""
    return GOLD if layer == GOLD else annotator


def owner_of(annotation: Annotation) -> str:
    return owner(annotation.layer, annotation.annotator)


def owner_colors(owners: list[str] | set[str]) -> dict[str, str]:
    """A distinct, stable colour per owner: reviewers by name order, gold always gold."""
    reviewers = sorted((o for o in owners if o != GOLD), key=str.casefold)
    colors = {name: OWNER_COLORS[i % len(OWNER_COLORS)] for i, name in enumerate(reviewers)}
    if GOLD in owners:
        colors[GOLD] = GOLD_COLOR
    return colors


def layer_text(annotation: Annotation) -> str:
    """Who an annotation is from, for a list or tooltip: "ana", or "gold (adjudicated by lead)"."""
    if annotation.layer == GOLD:
        return f"gold (adjudicated by {annotation.annotator})" if annotation.annotator else "gold"
    return annotation.annotator


def short_quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(annotation: Annotation) -> str:
    """"ana's Actor “SOHR”", or "gold Actor “SOHR”"."""
    who = "gold" if annotation.layer == GOLD else f"{annotation.annotator}'s"
    return f"{who} {annotation.label} “{short_quote(annotation.quote)}”"


def source_text(project: Project, annotation: Annotation) -> str | None:
    """What a gold copy was accepted from, in words ("gold copy of ana's Actor “SOHR”"); ``None``
    when it names no source. A source deleted since reads "gold copy of a deleted annotation"."""
    source_id = annotation.attributes.get(SOURCE_ATTRIBUTE)
    if not source_id:
        return None
    try:
        source = project.annotation(str(source_id))
    except NotFoundError:
        return "gold copy of a deleted annotation"
    return f"gold copy of {describe(source)}"


def readable_attributes(project: Project, annotation: Annotation) -> list[tuple[str, str]]:
    """The attributes to show a reader: empty ones left out, ``source_annotation`` resolved to words
    (under "copied from"), and any other value that is a bare id hidden."""
    shown: list[tuple[str, str]] = []
    for name, value in annotation.attributes.items():
        if value in ("", None):
            continue
        if name == SOURCE_ATTRIBUTE:
            text = source_text(project, annotation)
            if text:
                shown.append(("copied from", text.removeprefix("gold copy of ")))
            continue
        text = _plain(value)
        if UUID.fullmatch(text.strip()):
            continue
        shown.append((name, UUID.sub("…", text)))
    return shown


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
