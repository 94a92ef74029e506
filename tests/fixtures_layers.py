"""A merged, adjudicated project in miniature: two reviewers and the gold layer on the same spans.

Built through the public API (``accept_into_gold`` makes the gold copies, with their
``source_annotation``), so it is what a merge of ana's and ben's files and an adjudication leave::

    from fixtures_layers import TEXT, build_layers
    ids = build_layers(project)   # "ana:actor", "ana:figure", "ben:actor", "ben:figure", "gold:actor", "gold:figure"
"""

from __future__ import annotations

from annotator import Project
from annotator.comparison import accept_into_gold

TEXT = "The SOHR said at least 973 Alawite civilians were killed in the coastal massacres.\n"
ACTOR = "SOHR"
FIGURE = "at least 973 Alawite civilians"


def build_layers(project: Project, adjudicator: str = "lead") -> dict[str, str]:
    """One document; ana and ben each mark the Actor "SOHR" and the Figure "at least 973 …",
    attributed to it; ana's pair is accepted into gold by ``adjudicator``. Returns ids by "who:what"."""
    document = project.add_document(TEXT, title="Coast", outlet="The Cradle")
    ids: dict[str, str] = {}
    for reviewer in ("ana", "ben"):
        for what, quote, label in (("actor", ACTOR, "Actor"), ("figure", FIGURE, "Figure")):
            start = TEXT.index(quote)
            ids[f"{reviewer}:{what}"] = project.add_annotation(
                document.id, start, start + len(quote), label, annotator=reviewer).id
        project.add_relation(ids[f"{reviewer}:figure"], ids[f"{reviewer}:actor"], "attributed-to", annotator=reviewer)
    for what in ("actor", "figure"):
        gold = accept_into_gold(project, ids[f"ana:{what}"], adjudicator)
        assert gold is not None
        ids[f"gold:{what}"] = gold.id
    project.add_relation(ids["gold:figure"], ids["gold:actor"], "attributed-to", annotator=adjudicator, layer="gold")
    ids["document"] = document.id
    return ids
