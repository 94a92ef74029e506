"""Who a figure counts (civilians, security forces, fighters, unknown, ...): a vocabulary kept in the
project and the category proposed for a figure phrase.

The vocabulary is the ``choices`` of the figure label's ``victims`` attribute, so it lives in the
project file, travels with exports of the schema and is extended like any label (one undo step).
A project whose figure label has no ``victims`` attribute uses ``DEFAULT_VICTIMS`` until a category
is added, which adds the attribute.

Proposal: the figure's quote is read first, then the words after it up to the next number or
the end of the sentence ("42 Syrian Alawites lost their lives"). A category the user added wins
when its own words appear (singular or plural); then the built-in words below; a phrase that
counts people without saying who ("people", "deaths", "Alawites") is ``unknown``.
"""

from __future__ import annotations

import re
from typing import Any

from annotator.errors import AnnotatorError
from annotator.models import Label
from annotator.project import Project
from annotator.proposals import is_figure_label

__all__ = ["DEFAULT_VICTIMS", "VICTIMS_ATTRIBUTE", "add_victim_category", "propose_victims", "victim_categories"]

VICTIMS_ATTRIBUTE = "victims"
DEFAULT_VICTIMS = ("civilians", "security forces", "fighters", "unknown")
_BUILT_IN: dict[str, re.Pattern[str]] = {
    "civilians": re.compile(
        r"\b(?:civilians?|non-?combatants?|residents?|villagers?|children|child|women|minors?|families|"
        r"unarmed|worshippers|passers-?by|bystanders?)\b", re.I),
    "security forces": re.compile(
        r"\b(?:security\s+(?:forces?|personnel|members|officers|men)|soldiers?|troops?|police(?:men|\s+officers)?|"
        r"army|servicemen|government\s+forces|officers?|guards?)\b", re.I),
    "fighters": re.compile(
        r"\b(?:fighters?|militants?|gunmen|insurgents?|rebels?|combatants?|loyalists?|militiamen|militias?|"
        r"jihadists?|armed\s+men|remnants)\b", re.I),
}
_NEXT_NUMBER = re.compile(r"\d|\b(?:and|while|but|whereas)\s+(?:some|about|around|over|at\s+least|nearly)\b", re.I)


def victim_categories(project: Project) -> list[str]:
    """The project's categories: the ``victims`` choices of its figure labels, in order, without repeats."""
    found: list[str] = []
    for label in project.labels():
        definition = _definition(label) if is_figure_label(label) else None
        if definition is not None:
            found.extend(definition.get("choices", []))
    return list(dict.fromkeys(found)) or list(DEFAULT_VICTIMS)


def _definition(label: Label) -> dict[str, Any] | None:
    return next((d for d in label.attributes if d["name"] == VICTIMS_ATTRIBUTE), None)


def add_victim_category(project: Project, name: str) -> list[str]:
    """Add ``name`` to the vocabulary of every figure label (adding the attribute where missing); one undo step.

    Returns the vocabulary as it now is. A name already there (ignoring case) changes nothing."""
    name = " ".join((name or "").split()).lower()
    if not name:
        raise AnnotatorError("a victim category needs a name")
    labels = [label for label in project.labels() if is_figure_label(label)]
    if not labels:
        raise AnnotatorError("the project has no figure label to hold victim categories")
    if name in (c.lower() for c in victim_categories(project)) and all(_definition(lab) for lab in labels):
        return victim_categories(project)
    with project.group(f"Add victim category “{name}”"):
        for label in labels:
            attributes = [dict(d) for d in label.attributes]
            definition = next((d for d in attributes if d["name"] == VICTIMS_ATTRIBUTE), None)
            if definition is None:
                definition = {"name": VICTIMS_ATTRIBUTE, "type": "choice", "choices": list(DEFAULT_VICTIMS),
                              "description": "Who the figure counts."}
                attributes.append(definition)
            choices = list(definition.get("choices", []))
            if name not in (c.lower() for c in choices):
                choices.append(name)
            definition["choices"] = choices
            project.update_label(label.id, attributes=attributes)
    return victim_categories(project)


def _words_pattern(category: str) -> re.Pattern[str]:
    words = [re.escape(w.rstrip("s")) + r"s?" for w in category.split()]
    return re.compile(r"\b" + r"\s+".join(words) + r"\b", re.I)


def _match(phrase: str, categories: list[str]) -> str | None:
    custom = [c for c in categories if c not in _BUILT_IN and c != "unknown"]
    for category in custom:
        if _words_pattern(category).search(phrase):
            return category
    hits = [(m.start(), category) for category, pattern in _BUILT_IN.items() if category in categories
            for m in [pattern.search(phrase)] if m]
    return min(hits)[1] if hits else None


def propose_victims(quote: str, after: str, categories: list[str] | tuple[str, ...] = DEFAULT_VICTIMS,
                    counts_people: bool = True) -> str | None:
    """The category for a figure ``quote`` followed in its sentence by ``after``, or None.

    ``counts_people``: the figure has a unit that could be people (not "%"); only then does
    ``unknown`` (when it is in ``categories``) stand in for no match."""
    cut = _NEXT_NUMBER.search(after)
    tail = after[: cut.start()] if cut else after
    for phrase in (quote, tail):
        found = _match(phrase, list(categories))
        if found is not None:
            return found
    return "unknown" if counts_people and "unknown" in categories else None
