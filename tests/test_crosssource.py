"""annotator.crosssource: figures across sources, entity candidates and linking, claim clusters, entity table."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fixtures_seed_figures import SOHR, TOLLS, annotate_seed_tolls

from annotator import AnnotatorError, Project
from annotator.crosssource import (
    FIGURE_COLUMNS,
    claim_clusters,
    entity_candidates,
    entity_table,
    figure_rows,
    figures_csv,
    link_actor,
    normalise_name,
)
from annotator.errors import NotFoundError, UnknownLabelError
from annotator.history import RowChange


@pytest.fixture
def fresh(project: Project) -> Project:
    """conftest's empty project, under the name these tests read best with."""
    return project


@pytest.fixture
def seeds(seeded: Project) -> Project:
    return seeded


@pytest.fixture
def tolls(seeds: Project) -> tuple[Project, dict[str, str]]:
    return seeds, annotate_seed_tolls(seeds)


def span(project: Project, document_id: str, quote: str, label: str, **options) -> str:
    start = project.document_text(document_id).index(quote)
    return project.add_annotation(document_id, start, start + len(quote), label, annotator="maya", **options).id


# -- the seed fixture ----------------------------------------------------------------------------


def test_annotate_seed_tolls_is_one_undo_step(seeds: Project) -> None:
    ids = annotate_seed_tolls(seeds)
    assert set(TOLLS) <= set(ids)
    assert len(seeds.annotations(label="Figure")) == 4
    assert len(seeds.annotations(label="Actor")) == 4
    assert {r.label for r in seeds.relations()} == {"attributed-to"}
    for quote in TOLLS:
        relation, = seeds.relations(annotation_id=ids[quote])
        assert (relation.source_id, relation.target_id) == (ids[quote], ids["actor:" + quote])
        assert seeds.annotation(ids["actor:" + quote]).quote == SOHR
        assert seeds.annotation(ids[quote]).attributes["counted"] == "civilians killed"
    assert {a.id for a in seeds.entity_mentions(ids["entity"])} == {ids["actor:" + q] for q in TOLLS}
    assert seeds.entity(ids["entity"]).aliases == ["SOHR"]
    seeds.undo()
    assert seeds.annotations() == [] and seeds.relations() == [] and seeds.entities() == []


# -- figures -------------------------------------------------------------------------------------


def test_figure_rows_on_the_seed_tolls(tolls: tuple[Project, dict[str, str]]) -> None:
    project, ids = tolls
    rows = figure_rows(project)
    assert [r.value for r in rows] == [740, 973, 1200, 1700]  # one `counted` group, by value
    for row in rows:
        expected = TOLLS[row.quote]
        assert row.annotation_id == ids[row.quote]
        assert (row.value, row.qualifier, row.outlet) == (expected["value"], expected["qualifier"], expected["outlet"])
        assert row.counted == "civilians killed"
        assert row.attributed_to == SOHR
        assert row.annotator == "maya"
        assert project.document_text(row.document_id)[row.start:row.end] == row.quote
        assert row.document_title == project.document(row.document_id).title
    by_value = {r.value: r for r in rows}
    assert by_value[973].published == "2025-03-11"
    assert (by_value[973].lower, by_value[973].upper, by_value[973].unit) == (973, None, "Alawite civilians")
    assert (by_value[1700].lower, by_value[1700].upper) == (None, None)


def test_figure_values_prefer_attributes_and_fall_back_to_the_quote(fresh: Project) -> None:
    doc = fresh.add_document("Officials said nearly 2,000 people fled. Monitors counted 35 dead. Medics saw dozens of wounded.",
                             title="Report", outlet="Wire")
    unparsed = span(fresh, doc.id, "nearly 2,000 people", "Figure", propose=False)  # no attributes at all
    corrected = span(fresh, doc.id, "35 dead", "Figure")
    # a number stored as text (a file from before attribute values were checked): written past the validator
    before = fresh.fetch_row("annotations", corrected, "annotation")
    legacy = {"value": "1,350", "qualifier": "at least", "counted": "people killed", "date": "2025-03-10"}
    fresh._commit("legacy row", [RowChange("annotations", before, {**before, "attributes": json.dumps(legacy)})])
    cleared = span(fresh, doc.id, "dozens of wounded", "Figure")
    fresh.update_annotation(cleared, attributes={"value": None, "qualifier": "vague", "counted": "injured"})
    rows = {r.annotation_id: r for r in figure_rows(fresh)}

    assert (rows[unparsed].value, rows[unparsed].upper, rows[unparsed].qualifier, rows[unparsed].unit) == (
        2000, 2000, "nearly", "people")
    assert rows[unparsed].counted is None
    # reviewer's value wins over the quote's 35, and a number typed as text is read as a number
    assert (rows[corrected].value, rows[corrected].qualifier, rows[corrected].date) == (1350, "at least", "2025-03-10")
    assert rows[corrected].lower == 35 and rows[corrected].unit == "dead"  # absent attributes: parsed
    # an attribute the reviewer cleared stays empty instead of being re-parsed
    assert rows[cleared].value is None and rows[cleared].lower == 24


def test_figure_rows_group_by_counted_then_value_unset_last(fresh: Project) -> None:
    doc = fresh.add_document("Tallies: 50 killed; 7 injured; 400 displaced; 3 missing; 20 arrested.", title="T")
    for quote, counted in [("50 killed", "people killed"), ("7 injured", None), ("400 displaced", "people displaced"),
                           ("3 missing", None), ("20 arrested", "people killed")]:
        figure = fresh.annotation(span(fresh, doc.id, quote, "Figure"))
        if counted:
            fresh.update_annotation(figure.id, attributes={**figure.attributes, "counted": counted})
    assert [(r.counted, r.value) for r in figure_rows(fresh)] == [
        ("people displaced", 400), ("people killed", 20), ("people killed", 50), (None, 3), (None, 7)]


def test_attribution_uses_entity_name_else_quote_and_accepts_actor_to_figure(fresh: Project) -> None:
    doc = fresh.add_document("The monitor said 42 died. Activists said 50 died. The ministry said 12 died.", title="D")
    first, second, third = (span(fresh, doc.id, q, "Figure") for q in ("42 died", "50 died", "12 died"))
    monitor, activists, ministry = (span(fresh, doc.id, q, "Actor") for q in ("The monitor", "Activists", "The ministry"))
    entity = fresh.add_entity("Syrian Observatory for Human Rights", type="organisation")
    fresh.link_entity(monitor, entity.id)
    fresh.add_relation(first, monitor, "attributed-to", annotator="maya")
    fresh.add_relation(activists, second, "attributed-to", annotator="maya")  # drawn from the actor to the figure
    fresh.add_relation(second, ministry, "attributed-to", annotator="maya")
    fresh.add_relation(third, first, "same-claim", annotator="maya")  # not an attribution
    rows = {r.annotation_id: r for r in figure_rows(fresh)}
    assert rows[first].attributed_to == "Syrian Observatory for Human Rights"
    assert rows[second].attributed_to == "Activists; The ministry"
    assert rows[third].attributed_to is None


def test_figure_rows_with_another_label_or_an_unknown_one(fresh: Project) -> None:
    fresh.add_label("Toll", attributes=[{"name": "value", "type": "number"}, {"name": "qualifier", "type": "text"}])
    doc = fresh.add_document("Some 300 people were killed.", title="D")
    toll = span(fresh, doc.id, "Some 300 people", "Toll")
    assert [r.annotation_id for r in figure_rows(fresh)] == [toll]  # a value + qualifier schema makes it a figure
    fresh.update_label("Figure", name="Death toll")  # renaming the default label changes nothing
    assert [r.annotation_id for r in figure_rows(fresh)] == [toll]
    assert figure_rows(fresh, label="Death toll") == []
    row, = figure_rows(fresh, label="Toll")
    assert (row.value, row.qualifier, row.unit) == (300, "approximately", "people")
    with pytest.raises(UnknownLabelError):
        figure_rows(fresh, label="Nope")


def test_figures_csv_round_trips_and_neutralises_formulas(fresh: Project) -> None:
    doc = fresh.add_document("=HYPERLINK(evil) 12 dead\n@user: 5 dead, \"quoted\", and more", title="-Title, with comma",
                             outlet="+Outlet")
    formula = span(fresh, doc.id, "=HYPERLINK(evil) 12 dead", "Figure")
    mention = span(fresh, doc.id, "@user: 5 dead, \"quoted\"", "Figure")
    rows = figure_rows(fresh)
    parsed = list(csv.DictReader(io.StringIO(figures_csv(rows))))
    assert list(parsed[0]) == list(FIGURE_COLUMNS)
    by_id = {p["annotation_id"]: p for p in parsed}
    assert by_id[formula]["quote"] == "'=HYPERLINK(evil) 12 dead"
    assert by_id[mention]["quote"] == "'@user: 5 dead, \"quoted\""
    assert by_id[formula]["document_title"] == "'-Title, with comma"
    assert by_id[formula]["outlet"] == "'+Outlet"
    assert by_id[formula]["value"] == "12" and by_id[mention]["value"] == "5"
    assert by_id[formula]["upper"] == "12" and by_id[formula]["counted"] == ""
    assert figures_csv([]) == ",".join(FIGURE_COLUMNS) + "\r\n"


# -- entity candidates ---------------------------------------------------------------------------


@pytest.fixture
def people(fresh: Project) -> Project:
    fresh.add_entity("Ahmed al-Sharaa", type="person", aliases=["Abu Mohammad al-Julani"])
    fresh.add_entity("Ahmad Shalaby", type="person")
    fresh.add_entity("Mohammad al-Ahmad", type="person")
    fresh.add_entity("Bashar al-Assad", type="person")
    fresh.add_entity("Syrian Observatory for Human Rights", type="organisation", aliases=["SOHR"])
    fresh.add_entity("Syrian Democratic Forces", type="armed group", aliases=["SDF"])
    fresh.add_entity("Hay’at Tahrir al-Sham", type="armed group", aliases=["HTS"])
    return fresh


def names(found) -> list[str]:
    return [entity.name for entity, _ in found]


def test_spelling_variants_rank_the_right_entity_first(people: Project) -> None:
    found = entity_candidates(people, "Ahmad al-Sharaa")
    assert names(found)[0] == "Ahmed al-Sharaa"
    assert found[0][1] > found[1][1]  # clearly ahead of "Ahmad Shalaby"
    assert names(entity_candidates(people, "Aḥmad al-Sharaʿ"))[0] == "Ahmed al-Sharaa"  # diacritics, ayn
    assert names(entity_candidates(people, "Bashar Al Asad"))[0] == "Bashar al-Assad"
    assert names(entity_candidates(people, "Hayat Tahrir al Sham"))[0] == "Hay’at Tahrir al-Sham"  # apostrophe
    assert names(entity_candidates(people, "President al-Sharaa"))[0] == "Ahmed al-Sharaa"  # title + surname


def test_aliases_are_matched(people: Project) -> None:
    for text in ("Abu Mohammad al-Julani", "al-Julani", "Abu Mohammed al-Jolani"):
        found = entity_candidates(people, text)
        assert names(found)[0] == "Ahmed al-Sharaa", text
    best, score = entity_candidates(people, "SOHR")[0]
    assert best.name == "Syrian Observatory for Human Rights" and score == 100
    assert names(entity_candidates(people, "the Syrian Observatory for Human Rights"))[0] == best.name
    assert names(entity_candidates(people, "Hay’at Tahrir al-Sham (HTS)"))[0] == "Hay’at Tahrir al-Sham"


def test_each_entity_once_and_limit(people: Project) -> None:
    found = entity_candidates(people, "Syrian", limit=10)
    assert len(names(found)) == len(set(names(found)))
    assert set(names(found)) == {"Syrian Observatory for Human Rights", "Syrian Democratic Forces"}
    assert len(entity_candidates(people, "Syrian", limit=1)) == 1
    assert entity_candidates(people, "Syrian", limit=0) == []
    scores = [score for _, score in entity_candidates(people, "Ahmad al-Sharaa")]
    assert scores == sorted(scores, reverse=True) and all(75 <= s <= 100 for s in scores)


def test_unrelated_text_has_no_candidates(people: Project) -> None:
    for text in ("Latakia", "coastal cities", "violence", "Tartous", "", "  ", "al-", "the", "—"):
        assert entity_candidates(people, text) == [], text
    # a short alias is not found inside an unrelated word, nor does a short word find long names
    assert entity_candidates(people, "sdfghj") == []
    assert "Syrian Democratic Forces" not in names(entity_candidates(people, "SDFX rebels"))
    assert entity_candidates(people, "Ahmad al-Sharaa", score_cutoff=99) == []
    with Project.create(people.path.with_name("empty.db")) as empty:
        assert entity_candidates(empty, "Ahmed al-Sharaa") == []


def test_normalise_name() -> None:
    assert normalise_name("Hay’at Tahrir al-Sham") == "hayat tahrir sham"
    assert normalise_name("  Aḥmad   AL-Sharaʿ ") == "ahmad shara"  # ayn dropped like an apostrophe
    assert normalise_name("The") == "the"  # nothing but particles: kept


# -- linking actors ------------------------------------------------------------------------------


def test_link_actor_creates_and_links_in_one_undo_step(seeds: Project) -> None:
    doc = seeds.documents()[2]
    actor = span(seeds, doc.id, "Ahmed al-Sharaa", "Actor")
    seeds.history.clear()
    entity = link_actor(seeds, actor)
    assert (entity.name, entity.type, entity.aliases) == ("Ahmed al-Sharaa", "other", [])  # never a guessed "person"
    assert seeds.annotation(actor).entity_id == entity.id
    assert [a.id for a in seeds.entity_mentions(entity.id)] == [actor]
    assert seeds.history.undo_text is not None

    seeds.undo()
    assert seeds.entities() == []
    assert seeds.annotation(actor).entity_id is None
    assert seeds.undo() is None  # it was one step
    seeds.redo()
    assert seeds.annotation(actor).entity_id == entity.id and seeds.entity(entity.id).name == "Ahmed al-Sharaa"


def test_link_actor_with_a_name_adds_the_quote_as_alias(seeds: Project) -> None:
    doc = next(d for d in seeds.documents() if "(SOHR)" in d.text)
    actor = span(seeds, doc.id, "SOHR", "Actor")
    entity = link_actor(seeds, actor, name="Syrian Observatory for Human Rights", type="organisation")
    assert (entity.name, entity.type, entity.aliases) == ("Syrian Observatory for Human Rights", "organisation", ["SOHR"])
    # the same name again reuses the entity instead of making a duplicate
    other = span(seeds, doc.id, "Syrian Observatory for Human Rights", "Actor")
    again = link_actor(seeds, other, name="syrian observatory for human  rights")
    assert again.id == entity.id and len(seeds.entities()) == 1
    assert {a.id for a in seeds.entity_mentions(entity.id)} == {actor, other}


def test_link_actor_to_an_existing_entity(seeds: Project) -> None:
    doc = seeds.documents()[2]
    existing = seeds.add_entity("Ahmed al-Sharaa", type="person", aliases=["al-Julani"])
    start = seeds.document_text(doc.id).index("new leader Ahmed al-Sharaa")
    actor = seeds.add_annotation(doc.id, start, start + len("new leader Ahmed al-Sharaa"), "Actor", annotator="maya").id
    seeds.history.clear()
    entity = link_actor(seeds, actor, entity_id=existing.id)
    assert entity.aliases == ["al-Julani", "new leader Ahmed al-Sharaa"]
    assert seeds.entity(existing.id).aliases == entity.aliases
    assert seeds.annotation(actor).entity_id == existing.id
    seeds.undo()  # link and alias go together
    assert seeds.entity(existing.id).aliases == ["al-Julani"] and seeds.annotation(actor).entity_id is None
    assert seeds.undo() is None


def test_link_actor_errors_change_nothing(seeds: Project) -> None:
    doc = seeds.documents()[2]
    actor = span(seeds, doc.id, "Ahmed al-Sharaa", "Actor")
    entity = seeds.add_entity("Ahmed al-Sharaa")
    seeds.history.clear()
    with pytest.raises(AnnotatorError, match="not both"):
        link_actor(seeds, actor, name="X", entity_id=entity.id)
    with pytest.raises(AnnotatorError, match="entity type"):
        link_actor(seeds, actor, type="alien")
    with pytest.raises(NotFoundError):
        link_actor(seeds, actor, entity_id="no-such-entity")
    with pytest.raises(NotFoundError):
        link_actor(seeds, "no-such-annotation")
    with pytest.raises(AnnotatorError, match="needs a name"):
        link_actor(seeds, actor, name="   ")
    assert seeds.annotation(actor).entity_id is None
    assert len(seeds.entities()) == 1 and seeds.history.undo_text is None


def test_merge_entities_keeps_mentions(tolls: tuple[Project, dict[str, str]]) -> None:
    project, ids = tolls
    doc = next(d for d in project.documents() if "(SOHR)" in d.text)
    acronym = span(project, doc.id, "SOHR", "Actor")
    duplicate = link_actor(project, acronym, name="The Observatory", type="organisation")
    assert duplicate.id != ids["entity"]
    merged = project.merge_entities(ids["entity"], [duplicate.id])
    assert merged.aliases == ["SOHR", "The Observatory"]
    mentions = {a.id for a in project.entity_mentions(ids["entity"])}
    assert mentions == {ids["actor:" + q] for q in TOLLS} | {acronym}
    assert [e.name for e in project.entities()] == [SOHR]
    table, = entity_table(project)
    assert table["mentions"] == 5
    assert names(entity_candidates(project, "the Observatory")) == [SOHR]
    project.undo()
    assert {e.id for e in project.entities()} == {ids["entity"], duplicate.id}
    assert [a.id for a in project.entity_mentions(duplicate.id)] == [acronym]


# -- entity table --------------------------------------------------------------------------------


def test_entity_table(tolls: tuple[Project, dict[str, str]]) -> None:
    project, ids = tolls
    doc = next(d for d in project.documents() if "Rami Abdurrahman" in d.text)
    unused = project.add_entity("Bashar al-Assad", type="person")
    link_actor(project, span(project, doc.id, "Rami Abdurrahman", "Actor"), name="Rami Abdulrahman")
    extra = span(project, doc.id, "SOHR", "Actor")
    project.link_entity(extra, ids["entity"])
    table = {row["name"]: row for row in entity_table(project)}
    assert list(table) == ["Bashar al-Assad", "Rami Abdulrahman", SOHR]  # by name
    sohr = table[SOHR]
    assert (sohr["id"], sohr["type"], sohr["aliases"], sohr["mentions"]) == (ids["entity"], "organisation", ["SOHR"], 5)
    order = [d.id for d in project.documents()]
    assert [d["id"] for d in sohr["documents"]] == sorted({d["id"] for d in sohr["documents"]}, key=order.index)
    assert {d["id"]: d["mentions"] for d in sohr["documents"]}[doc.id] == 2
    assert [d["outlet"] for d in sohr["documents"]][:2] == ["The Cradle", "The Independent (summary)"]
    assert table["Rami Abdulrahman"]["aliases"] == ["Rami Abdurrahman"]
    assert table["Rami Abdulrahman"]["documents"] == [{"id": doc.id, "title": doc.title, "outlet": doc.outlet, "mentions": 1}]
    assert (table["Bashar al-Assad"]["mentions"], table["Bashar al-Assad"]["documents"]) == (0, [])
    assert table["Bashar al-Assad"]["id"] == unused.id


# -- claim clusters ------------------------------------------------------------------------------


@pytest.fixture
def three_sources(fresh: Project) -> dict[str, str]:
    """Three outlets reporting on one massacre; ids of the claims by short name."""
    late = fresh.add_document("Officials denied that any massacre took place in Baniyas. The toll was 40.",
                              title="Denial", outlet="State TV", published="2025-03-12")
    first = fresh.add_document("A massacre took place in Baniyas, witnesses said. The army withdrew.",
                               title="Report", outlet="Wire", published="2025-03-08")
    undated = fresh.add_document("Killings in Baniyas amounted to a massacre. Video evidence shows mass graves. "
                                 "Some say it was not a massacre.", title="Blog", outlet=None)
    c = {
        "denied": span(fresh, late.id, "Officials denied that any massacre took place in Baniyas", "Claim"),
        "toll": span(fresh, late.id, "The toll was 40", "Claim"),
        "massacre": span(fresh, first.id, "A massacre took place in Baniyas", "Claim"),
        "withdrew": span(fresh, first.id, "The army withdrew", "Claim"),
        "amounted": span(fresh, undated.id, "Killings in Baniyas amounted to a massacre", "Claim"),
        "video": span(fresh, undated.id, "Video evidence shows mass graves", "Claim"),
        "not": span(fresh, undated.id, "Some say it was not a massacre", "Claim"),
        "actor": span(fresh, first.id, "witnesses", "Actor"),
        "late": late.id, "first": first.id, "undated": undated.id,
    }
    link = lambda a, b, label: fresh.add_relation(c[a], c[b], label, annotator="maya")  # noqa: E731
    # made in an order unlike the dates, so the anchor must come from the dates
    link("denied", "massacre", "contradicts")
    link("amounted", "massacre", "same-claim")
    link("video", "amounted", "supports")
    link("not", "denied", "same-claim")
    link("massacre", "actor", "same-claim")  # a claim linked to a non-claim: ignored
    link("massacre", "actor", "attributed-to")
    link("withdrew", "toll", "attributed-to")  # not a claim relation
    return c


def test_claim_clusters_across_three_documents(fresh: Project, three_sources: dict[str, str]) -> None:
    c = three_sources
    cluster, = claim_clusters(fresh)
    assert cluster.id == cluster.anchor.annotation_id == c["massacre"]  # earliest published
    stance = {claim.annotation_id: claim.stance for claim in cluster.claims}
    assert stance == {c["massacre"]: "asserts", c["amounted"]: "asserts", c["video"]: "supports",
                      c["denied"]: "contradicts", c["not"]: "contradicts"}
    # dated documents by date first, then the undated one; claims in the same order
    assert [d.document_id for d in cluster.documents] == [c["first"], c["late"], c["undated"]]
    assert [d.stance for d in cluster.documents] == ["asserts", "contradicts", "mixed"]
    assert cluster.stance_of(c["undated"]) == "mixed" and cluster.stance_of("elsewhere") is None
    assert cluster.documents[0].outlet == "Wire" and cluster.documents[1].published == "2025-03-12"
    assert set(cluster.documents[2].claim_ids) == {c["amounted"], c["video"], c["not"]}
    assert [cl.annotation_id for cl in cluster.claims][:3] == [c["massacre"], c["denied"], c["amounted"]]
    assert len(cluster.relation_ids) == 4
    data = cluster.to_dict()
    assert data["id"] == c["massacre"] and len(data["claims"]) == 5 and data["documents"][2]["stance"] == "mixed"


def test_claim_clusters_singletons_and_undo(fresh: Project, three_sources: dict[str, str]) -> None:
    c = three_sources
    everything = claim_clusters(fresh, include_single=True)
    assert [len(cluster.claims) for cluster in everything] == [5, 1, 1]
    assert {cluster.id for cluster in everything[1:]} == {c["withdrew"], c["toll"]}
    assert everything[1].anchor.stance == "asserts"
    assert everything[1].documents[0].stance == "asserts"
    # breaking the contradiction splits off the denial and the claim that repeats it
    relation = next(r for r in fresh.relations(annotation_id=c["denied"]) if r.label == "contradicts")
    fresh.delete_relation(relation.id)
    big, small = claim_clusters(fresh)
    assert {cl.annotation_id for cl in small.claims} == {c["denied"], c["not"]}
    assert small.anchor.annotation_id == c["denied"]  # dated before the undated blog
    assert [cl.stance for cl in small.claims] == ["asserts", "asserts"]
    assert [d.stance for d in big.documents] == ["asserts", "asserts"]


def test_stance_rule_for_chains(fresh: Project) -> None:
    doc_a = fresh.add_document("A. B. C. D.", title="a", published="2025-01-01")
    doc_b = fresh.add_document("E. F. G. H.", title="b", published="2025-01-02")
    a, b, c, d = (fresh.add_annotation(doc_a.id, i, i + 1, "Claim", annotator="x").id for i in (0, 3, 6, 9))
    e, f, g, h = (fresh.add_annotation(doc_b.id, i, i + 1, "Claim", annotator="x").id for i in (0, 3, 6, 9))
    for source, target, label in [(a, e, "contradicts"), (e, f, "contradicts"),  # two contradictions cancel out
                                  (a, g, "supports"), (g, h, "contradicts"),  # agrees then disagrees
                                  (b, a, "same-claim"), (c, b, "same-claim"),  # same claim, transitively
                                  (d, e, "same-claim")]:  # the same claim as a contradiction
        fresh.add_relation(source, target, label, annotator="x")
    cluster, = claim_clusters(fresh)
    assert cluster.anchor.annotation_id == a
    assert {cl.annotation_id: cl.stance for cl in cluster.claims} == {
        a: "asserts", b: "asserts", c: "asserts", d: "contradicts", e: "contradicts", f: "supports", g: "supports",
        h: "contradicts"}
    assert [s.stance for s in cluster.documents] == ["mixed", "mixed"]


def test_claim_clusters_of_an_empty_project(fresh: Project) -> None:
    assert claim_clusters(fresh) == [] and claim_clusters(fresh, include_single=True) == []
    assert entity_table(fresh) == [] and figure_rows(fresh) == []


def test_claim_clusters_survive_renaming_the_claim_label(fresh: Project, three_sources: dict[str, str]) -> None:
    before = [[c.annotation_id for c in cluster.claims] for cluster in claim_clusters(fresh, include_single=True)]
    fresh.update_label("Claim", name="Assertion")
    after = [[c.annotation_id for c in cluster.claims] for cluster in claim_clusters(fresh, include_single=True)]
    assert after == before and len(before[0]) == 5
