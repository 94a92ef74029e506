"""The default label schema every new project starts with: Claim (1), Actor (2), Figure (3)."""

from __future__ import annotations

ENTITY_TYPES = ("person", "organisation", "armed group", "state", "community", "other")
FIGURE_QUALIFIERS = ("exact", "at least", "more than", "nearly", "approximately", "up to", "range", "vague")
DOCUMENT_STATUSES = ("not started", "in progress", "done")
LABEL_ROLES = ("claim", "actor", "figure", "plain")
"""What a label is for, whatever it is called: attribution, entity linking and the figures table
find their labels by role, never by name."""
CLAIM_RATINGS = ("true", "mostly true", "mixed", "mostly false", "false", "unproven")
"""A reviewer's verdict on a claim (the Claim label's ``rating``), best first; exported as ClaimReview
(``annotator.exporters.claimreview`` maps them to ratingValue 5..1, "unproven" has no number)."""
RATING_ATTRIBUTE = {"name": "rating", "type": "choice", "choices": list(CLAIM_RATINGS),
                    "description": "A fact-checker's verdict on the claim (exported as ClaimReview)."}
RELATION_TYPES = ("attributed-to", "same-claim", "supports", "contradicts")

PALETTE = ("#E8A317", "#3B82F6", "#E0457B", "#10B981", "#8B5CF6", "#F97316", "#06B6D4", "#84CC16", "#A16207")
"""Colours offered to new labels, in order; chosen to stay distinct when blended at low alpha."""

DEFAULT_LABELS: list[dict] = [
    {
        "name": "Claim",
        "role": "claim",
        "color": PALETTE[0],
        "hotkey": "1",
        "description": "A statement of fact or opinion the article makes or reports.",
        "attributes": [
            {
                "name": "certainty",
                "type": "choice",
                "choices": ["asserted", "reported", "alleged", "disputed", "denied"],
                "description": "How the article presents the claim.",
            },
            RATING_ATTRIBUTE,
        ],
    },
    {
        "name": "Actor",
        "role": "actor",
        "color": PALETTE[1],
        "hotkey": "2",
        "description": "A person, organisation, armed group, state or community the article names.",
        "attributes": [
            {"name": "type", "type": "choice", "choices": list(ENTITY_TYPES), "description": "Kind of actor."},
        ],
    },
    {
        "name": "Figure",
        "role": "figure",
        "color": PALETTE[2],
        "hotkey": "3",
        "description": "A number the article reports: a death toll, a count of displaced, a date.",
        "attributes": [
            {"name": "value", "type": "number", "description": "The number as a value (1,200 -> 1200)."},
            {"name": "lower", "type": "number", "description": "Lower bound the phrase implies."},
            {"name": "upper", "type": "number", "description": "Upper bound the phrase implies."},
            {
                "name": "qualifier",
                "type": "choice",
                "choices": list(FIGURE_QUALIFIERS),
                "description": "How the number is hedged: 'at least 973', 'over 1,200'.",
            },
            {"name": "unit", "type": "text", "description": "What the number counts as written (civilians, people)."},
            {
                "name": "counted",
                "type": "choice",
                "choices": ["civilians killed", "people killed", "security forces killed", "fighters killed",
                            "people displaced", "missing", "detained", "injured", "other"],
                "description": "What is counted, normalised across outlets.",
            },
            {"name": "date", "type": "date", "description": "The date or period the figure refers to."},
            {"name": "victims", "type": "choice", "choices": ["civilians", "security forces", "fighters", "unknown"],
             "description": "Who the figure counts (extend with `annotator victims --add`)."},
            {"name": "period", "type": "text", "description": "The period the figure covers, as written."},
            {"name": "period-start", "type": "date", "description": "First day of the period (ISO date)."},
            {"name": "period-end", "type": "date", "description": "Last day of the period (ISO date)."},
        ],
    },
]
