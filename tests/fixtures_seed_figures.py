"""Annotate the seed corpus's death tolls through the public API, as a reviewer would.

Reusable by any test that needs figures, actors, relations and an entity on the real seeds
(pytest puts ``tests/`` on ``sys.path``, so import it by its bare name)::

    from fixtures_seed_figures import SEEDS, SOHR, TOLLS, annotate_seed_tolls

    documents, _ = read_paths([SEEDS])
    project.import_documents(documents)
    ids = annotate_seed_tolls(project)

The project must hold the five documents of ``seeds/`` (import the folder). Everything is added
as one undo step.
"""

from __future__ import annotations

from pathlib import Path

from annotator import Project

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SOHR = "Syrian Observatory for Human Rights"
COUNTED = "civilians killed"
TOLLS: dict[str, dict[str, object]] = {
    # quote -> what the figure is expected to parse to, and the seed file it is in
    "at least 973 Alawite civilians": {"value": 973, "qualifier": "at least", "seed": "001", "outlet": "The Cradle"},
    "over 1,200 Alawites": {"value": 1200, "qualifier": "more than", "seed": "002", "outlet": "The Independent (summary)"},
    "approximately 1,700 members of the religious minority": {"value": 1700, "qualifier": "approximately", "seed": "003",
                                                               "outlet": None},
    "over 740 civilian deaths": {"value": 740, "qualifier": "more than", "seed": "004", "outlet": None},
}


def _find(project: Project, quote: str) -> tuple[str, int]:
    """(document id, offset) of the first occurrence of ``quote`` in the project's documents, in list order."""
    for document in project.documents():
        offset = document.text.find(quote)
        if offset >= 0:
            return document.id, offset
    raise LookupError(f"{quote!r} is in no document: import seeds/ first")


def _nearest(text: str, needle: str, offset: int) -> int:
    """The occurrence of ``needle`` in ``text`` closest to ``offset``."""
    found, position = [], text.find(needle)
    while position >= 0:
        found.append(position)
        position = text.find(needle, position + 1)
    if not found:
        raise LookupError(f"{needle!r} is not in the document")
    return min(found, key=lambda p: (abs(p - offset), p))


def annotate_seed_tolls(project: Project, annotator: str = "maya") -> dict[str, str]:
    """Add the four death tolls as Figures (counted "civilians killed"), each attributed-to an Actor
    on "Syrian Observatory for Human Rights" in its document; all actors linked to one entity of
    that name (organisation, alias "SOHR").

    Returns ids by key: each toll's quote -> its Figure; ``"actor:" + quote`` -> the Actor it is
    attributed to; ``"entity"`` -> the entity."""
    ids: dict[str, str] = {}
    with project.group("Annotate seed death tolls"):
        entity = project.add_entity(SOHR, type="organisation", aliases=["SOHR"])
        ids["entity"] = entity.id
        for quote in TOLLS:
            document_id, start = _find(project, quote)
            figure = project.add_annotation(document_id, start, start + len(quote), "Figure", annotator=annotator)
            figure = project.update_annotation(figure.id, attributes={**figure.attributes, "counted": COUNTED})
            actor_start = _nearest(project.document_text(document_id), SOHR, start)
            actor = project.add_annotation(document_id, actor_start, actor_start + len(SOHR), "Actor",
                                           annotator=annotator, entity_id=entity.id)
            project.add_relation(figure.id, actor.id, "attributed-to", annotator=annotator)
            ids[quote] = figure.id
            ids["actor:" + quote] = actor.id
    return ids
