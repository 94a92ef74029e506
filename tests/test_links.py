"""annotator.links: an annotation's partners (relations and one entity's mentions), kept current from change sets."""

from __future__ import annotations

from pathlib import Path

from annotator import Project
from annotator.links import ENTITY, Links


def test_partners_follow_relations_and_entity_links_through_change_sets(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db") as project:
        one = project.add_document("SOHR said 973 died.", title="one")
        two = project.add_document("The SOHR said over 1,200 died.", title="two")
        claim_one = project.add_annotation(one.id, 0, 19, "Claim", annotator="ana")
        claim_two = project.add_annotation(two.id, 0, 30, "Claim", annotator="ana")
        actor_one = project.add_annotation(one.id, 0, 4, "Actor", annotator="ana")
        actor_two = project.add_annotation(two.id, 4, 8, "Actor", annotator="ana")
        links = Links(project)
        assert links.load(one.id) and links.load(two.id) and not links.load(one.id)
        assert links.ends() == set()

        relation = project.add_relation(claim_one.id, claim_two.id, "contradicts", annotator="ana")
        assert links.apply(project.last_change)
        assert links.partners(claim_one.id) == {claim_two.id: "contradicts"}

        entity = project.add_entity("Syrian Observatory for Human Rights", type="organisation", aliases=["SOHR"])
        for actor in (actor_one, actor_two):
            project.update_annotation(actor.id, entity_id=entity.id)
            links.apply(project.last_change)
        assert links.partners(actor_one.id) == {actor_two.id: ENTITY}

        project.delete_relation(relation.id)
        links.apply(project.last_change)
        assert links.partners(claim_one.id) == {}
        assert links.ends() == {actor_one.id, actor_two.id}
