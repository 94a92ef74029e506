"""Comparing sources: figures side by side, actors resolved to entities, claims clustered across documents.

Read-only views over a project (``figure_rows``, ``claim_clusters``, ``entity_table``,
``entity_candidates``) plus one write (``link_actor``, a single undo step). Qt-free; the GUI's
cross-source views and the ``figures`` / ``entities`` commands are built on these.

Figures
    One ``FigureRow`` per Figure annotation. Numbers come from the annotation's attributes (what
    the reviewer confirmed); an attribute that is absent falls back to ``parse_figure(quote)``.
    An attribute that is present wins even when empty (the reviewer cleared it on purpose).
    The parse is read from ``figure_parses`` when the writes stored it (``annotator/figure_values.py``).
    ``attributed_to`` names the annotations linked by an ``attributed-to`` relation from the
    figure (or to it from an Actor annotation): the entity's name when the actor is linked to
    one, else the actor's quote; several are joined with ``"; "`` in text order.

Claim clusters and stance
    Claims (annotations labelled Claim) joined by ``same-claim``, ``supports`` or ``contradicts``
    relations form connected components, across documents; relations are taken as undirected.
    The anchor of a cluster is its earliest claim: earliest published date (documents without a
    date come after dated ones), then document list order, then position in the text.
    Each claim's stance is read off the shortest relation path from the anchor (ties: the path
    through earlier claims, in the anchor order above):

    ``asserts``      the anchor itself, or a path of ``same-claim`` relations only;
    ``contradicts``  the path holds an odd number of ``contradicts`` relations;
    ``supports``     otherwise: an even number (possibly zero) of ``contradicts`` and at least
                     one ``supports`` — or two contradictions, which cancel out ("A contradicts
                     B, B contradicts C": C agrees with A, but is not the same claim).

    A document's stance is that of its claims in the cluster: ``asserts`` if any claim asserts,
    else ``supports``; ``contradicts`` if all its claims contradict; and ``mixed`` when it holds
    both agreeing (asserts/supports) and contradicting claims.

Entity candidates
    Selected text is matched against every entity's name and aliases with rapidfuzz's
    ``WRatio`` (robust to word order and to a name inside a longer phrase) after normalising
    both sides: case folded, diacritics and apostrophes dropped, other punctuation (hyphens)
    turned into spaces, and the particles "al", "el", "the", "of", "for", "and" left out, so
    "Ahmad al-Sharaa" is close to "Ahmed al-Sharaa" and "al-Julani" to "Abu Mohammad al-Julani".
    Short names (acronyms of four characters or fewer, "SOHR") match only a whole word of the
    text or a near-identical text, never a fragment of a longer word. A word of four or more
    letters that (almost) equals a word of the name counts for 85 ("President Sharaa" ->
    "Ahmed al-Sharaa") when no other entity's names use that word. Scores are 0–100; below
    ``score_cutoff`` (75) nothing is offered.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import partial
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from annotator.defaults import ENTITY_TYPES
from annotator.errors import AnnotatorError
from annotator.exporters import csvio
from annotator.figure_values import NUMBER_FIELDS, PARSED_FIELDS, PARSER_VERSION, as_number, as_text, decode, parsed_values
from annotator.history import Change
from annotator.layers import GOLD
from annotator.layers import owner as layer_owner
from annotator.models import Document, Entity
from annotator.project import Project
from annotator.store import figure_parses, figure_reads
from annotator.store.file import json_column
from annotator.validation import LAYERS

__all__ = [
    "CLAIM_RELATIONS",
    "STANCES",
    "ClaimCluster",
    "ClusterClaim",
    "DocumentStance",
    "FigureRow",
    "SourceFigure",
    "SourceGroup",
    "claim_clusters",
    "entity_candidates",
    "entity_table",
    "figure_rows",
    "figures_csv",
    "link_actor",
    "normalise_name",
    "source_groups",
    "write_figures_csv",
]

ATTRIBUTED_TO = "attributed-to"
FEW_FIGURES = 500
"""Up to this many figure rows, their stored parses are looked up by quote; more read the whole table once."""
CLAIM_RELATIONS = ("same-claim", "supports", "contradicts")
STANCES = ("asserts", "supports", "contradicts", "mixed")


# -- figures -------------------------------------------------------------------------------------


class FigureRow(NamedTuple):
    """One Figure annotation with its document's metadata and its (confirmed or parsed) numbers.

    A named tuple rather than a frozen dataclass: a frozen dataclass sets each of its 22 fields through
    ``object.__setattr__``, and building the rows of a large project that way cost more than reading them."""

    annotation_id: str
    document_id: str
    document_title: str
    outlet: str | None
    published: str | None
    quote: str
    value: int | float | None
    lower: int | float | None
    upper: int | float | None
    qualifier: str | None
    unit: str | None
    counted: str | None
    date: str | None
    attributed_to: str | None
    annotator: str
    start: int
    end: int
    victims: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    layer: str = "reviewer"
    reviewer: str | None = None
    """The reviewer whose own annotation this is; empty for gold (``annotator`` is then the adjudicator)."""

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()

    @property
    def owner(self) -> str:
        """The layer as one key: the reviewer's name, or "gold"."""
        return layer_owner(self.layer, self.annotator)

    @property
    def source(self) -> str | None:
        """The first name it is attributed to (the source it is grouped under)."""
        return self.attributed_to.split("; ")[0] if self.attributed_to else None


FIGURE_COLUMNS = FigureRow._fields
_new_row = tuple.__new__
"""Builds a ``FigureRow`` from a tuple of all its fields: a named tuple's own ``__new__`` is a Python function, and
calling it was a third of building the rows of a large project."""


def _known_parse(quote: str, stored: str | None, parses: dict[str, tuple[Any, ...]]) -> tuple[Any, ...]:
    """The quote's five parsed values: from this call's earlier rows, else its stored parse, else the parser."""
    found = parses.get(quote)
    if found is None:
        found = decode(stored)
        if found is None:  # a miss: not stored (another program wrote it), an older parser, or a damaged row
            found = parsed_values(quote)
        parses[quote] = found
    return found


def _figure_values(quote: str, stored: str | None, attributes: dict[str, Any],
                   parses: dict[str, tuple[Any, ...]]) -> tuple[Any, ...]:
    """value, lower, upper, qualifier and unit: the attribute when present (even empty), else parsed from the quote.

    ``stored`` is the quote's parse as ``figure_parses`` keeps it (None: not stored); ``parses`` (quote ->
    ``parsed_values(quote)``) is shared by one call's figures: reviewers' copies of one span and its gold copy
    quote the same words, and parsing was most of the Figures table's time."""
    if not attributes:  # nothing confirmed: all five from the quote
        return _known_parse(quote, stored, parses)
    parsed: tuple[Any, ...] | None = None
    values = []
    for index, name in enumerate(PARSED_FIELDS):
        if name in attributes:
            raw = attributes[name]
            values.append(as_number(raw) if name in NUMBER_FIELDS else as_text(raw))
        else:
            if parsed is None:
                parsed = _known_parse(quote, stored, parses)
            values.append(parsed[index])
    return tuple(values)


def _attributions(project: Project, figure_ids: set[str], position: dict[str, int]) -> dict[str, list[str]]:
    """Figure id -> names it is attributed to, in text order (``position``: document id -> list position).

    A relation from a figure names whatever it points to; one to a figure names its source when that is an Actor."""
    entity_names = {e.id: e.name for e in project.entities()}
    found: dict[str, list[tuple]] = defaultdict(list)
    for (source_id, target_id, source_role, *target, t_entity, s_document, s_start, s_end, s_quote,
         s_entity) in figure_reads.attributions(project.db, ATTRIBUTED_TO):
        if source_id in figure_ids:
            found[source_id].append((*target, target_id, t_entity))
        elif target_id in figure_ids and source_role == "actor":
            found[target_id].append((s_document, s_start, s_end, s_quote, source_id, s_entity))
    names: dict[str, list[str]] = {}
    for figure_id, actors in found.items():
        actors.sort(key=lambda a: (position.get(a[0], 0), a[0], a[1], a[2], a[4]))
        names[figure_id] = list(dict.fromkeys(
            entity_names[entity_id] if entity_id and entity_id in entity_names else " ".join(quote.split())
            for _, _, _, quote, _, entity_id in actors))
    return names


def figure_rows(project: Project, label: str | None = None, annotation_ids: Iterable[str] | None = None,
                layer: str | None = None) -> list[FigureRow]:
    """Every figure across all documents, grouped by what is counted (empty last), then by value.

    Figures are the annotations of every label whose schema has ``value`` and ``qualifier``
    (Figure by default, under whatever name it has been given), or of ``label`` when one is
    named; an unknown ``label`` raises ``UnknownLabelError``. ``annotation_ids`` limits the rows
    to those annotations (ids that no longer exist or are not figures give no row): a view
    recomputes only the rows a change touched. ``layer`` ("gold" or "reviewer") keeps that layer
    only. Each row names its ``layer`` and ``reviewer``, so a gold copy of a reviewer's figure is
    never taken for a second report of it."""
    if layer is not None and layer not in LAYERS:
        raise AnnotatorError(f"layer must be one of {', '.join(LAYERS)}, not {layer!r}")
    label_ids = [project.label(label).id] if label is not None else None
    ids = sorted(set(annotation_ids)) if annotation_ids is not None else None
    return _figure_rows(project, figure_reads.figures(project.db, label_ids=label_ids, ids=ids, layer=layer))[0]


def selected_figure_rows(project: Project, where: str, params: list[Any]) -> tuple[list[FigureRow], dict[str, dict[str, Any]]]:
    """``figure_rows`` of the figures an export selects (``where``/``params``: its annotation filter), with each
    figure's attributes by annotation id, from one read of the figure annotations."""
    return _figure_rows(project, figure_reads.figures(project.db, where=where, params=params))


def _figure_rows(project: Project, records: list[figure_reads.FigureRecord]) -> tuple[list[FigureRow], dict[str, dict[str, Any]]]:
    if not records:  # a change that touched no figure: nothing more to read
        return [], {}
    documents = {d.id: d for d in project.documents(with_text=False)}
    positions = {d.id: d.position for d in documents.values()}
    attributed = _attributions(project, {r[0] for r in records}, positions)
    keyed = []
    attributes_of: dict[str, dict[str, Any]] = {}
    parses: dict[str, tuple[Any, ...]] = {}
    decoded: dict[str, tuple[Any, ...]] = {}  # stored parse text -> its values: a few hundred texts cover every quote
    # A few rows (a view updating what a change touched): look their quotes up; else one scan of the stored parses.
    stored_parses = figure_parses.stored(project.db, PARSER_VERSION,
                                         {r[4] for r in records} if len(records) <= FEW_FIGURES else None)
    stored_parse = stored_parses.get
    for id, document_id, start, end, quote, annotator, layer, raw in records:
        document = documents[document_id]
        names = attributed.get(id) if attributed else None
        if raw == "{}":  # nothing confirmed (most figures): all five numbers from the quote's parse, nothing counted
            attributes_of[id] = {}
            stored = stored_parse(quote)
            parsed = decoded.get(stored) if stored is not None else None
            if parsed is None:
                parsed = _known_parse(quote, stored, parses)
                if stored is not None and decode(stored) is not None:
                    decoded[stored] = parsed
            value, lower, upper, qualifier, unit = parsed
            counted = dated = victims = period_start = period_end = None
        else:
            attributes = json_column({"id": id, "attributes": raw}, "annotations", "attributes", "{}")
            attributes_of[id] = attributes
            value, lower, upper, qualifier, unit = _figure_values(quote, stored_parse(quote), attributes, parses)
            if attributes:
                get = attributes.get
                counted, dated, victims = as_text(get("counted")), as_text(get("date")), as_text(get("victims"))
                period_start, period_end = as_text(get("period-start")), as_text(get("period-end"))
            else:
                counted = dated = victims = period_start = period_end = None
        row = _new_row(FigureRow, (  # FigureRow(...) without its Python-level __new__: in field order, all 22
            id, document_id, document.title, document.outlet, document.published, quote,
            value, lower, upper, qualifier, unit, counted, dated, "; ".join(names) if names else None,
            annotator, start, end, victims, period_start, period_end, layer, annotator if layer != GOLD else None,
        ))
        # order_figure_rows' key, built here: a key function called per row cost as much as the sort
        keyed.append(((counted is None, counted.casefold() if counted else "", value is None, value or 0,
                       document.position, start, id), row))
    keyed.sort(key=itemgetter(0))
    return [row for _, row in keyed], attributes_of


def order_figure_rows(rows: Iterable[FigureRow], positions: dict[str, int]) -> list[FigureRow]:
    """Figure rows in report order: by what is counted (empty last), value, document position, offset."""

    def key(row: FigureRow) -> tuple:
        return (row.counted is None, (row.counted or "").casefold(), row.value is None, row.value or 0,
                positions.get(row.document_id, 0), row.start, row.annotation_id)

    return sorted(rows, key=key)


def figures_touched(project: Project, change: Change) -> set[str] | None:
    """Annotation ids whose figure row a change may have altered (added, removed or changed), or
    ``None`` when any row may have (the labels changed: which labels are figures, their names).

    A figure's row shows its own attributes, its document's title, outlet and date, and the
    names of the actors it is attributed to (their quotes or their entities' names)."""
    if change.of("labels"):
        return None
    found = change.touched_annotations()
    actors = set(found)
    for entity_id in change.of("entities").ids:
        actors.update(a.id for a in project.entity_mentions(entity_id))
    for id in actors:  # figures linked to a touched actor (or to a touched figure: harmless)
        for relation in project.relations(annotation_id=id):
            found.update((relation.source_id, relation.target_id))
    for document_id in change.of("documents").ids:
        found.update(a.id for a in project.annotations(document_id))
    return found


@dataclass(frozen=True, slots=True)
class SourceFigure:
    """One figure as a source gave it (same thing counted, same numbers), with every appearance of it.

    ``independent_sources``: how many different sources report this same figure across the project;
    ``appearance_count``: in how many documents it appears, a copy of another document counting
    with its original when ``source_groups`` was given the copies (``copies.copies_of``)."""

    counted: str | None
    victims: str | None
    value: int | float | None
    lower: int | float | None
    upper: int | float | None
    qualifier: str | None
    appearances: tuple[FigureRow, ...]
    independent_sources: int
    appearance_count: int = 0
    layer: str = "reviewer"
    """Whose figure: "gold", or "reviewer" (then ``reviewer`` names them); each layer's report counts on its own."""
    reviewer: str | None = None

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.outlet or r.document_title for r in self.appearances))

    def to_dict(self) -> dict[str, Any]:
        return {"counted": self.counted, "victims": self.victims, "value": self.value, "lower": self.lower,
                "upper": self.upper, "qualifier": self.qualifier, "outlets": list(self.outlets),
                "independent_sources": self.independent_sources, "appearance_count": self.appearance_count,
                "layer": self.layer, "reviewer": self.reviewer,
                "appearances": [row.annotation_id for row in self.appearances]}


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """The figures attributed to one source (``None``: not attributed yet)."""

    source: str | None
    figures: tuple[SourceFigure, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "figures": [f.to_dict() for f in self.figures]}


def _same_figure(row: FigureRow) -> tuple:
    """Rows report the same figure when they count the same thing with the same numbers and hedge, in
    the same layer: ana's 973 and its gold copy are two layers' readings, not two reports."""
    return (row.owner, (row.counted or row.victims or "").casefold(), row.value, row.lower, row.upper, row.qualifier)


def source_groups(rows: Iterable[FigureRow], copied: dict[str, str] | None = None) -> list[SourceGroup]:
    """Figure rows grouped by source, then by figure: one source claim and its appearances in several outlets.

    Sources with more figures come first, by name on ties; unattributed figures last. Within a
    source, figures keep the rows' order (report order: what is counted, value). ``copied``
    (document id -> the document it copies) makes an outlet that copies another one appearance."""
    from annotator.copies import one_appearance_per_copy

    sources_of: dict[tuple, set[str]] = defaultdict(set)
    grouped: dict[str | None, dict[tuple, list[FigureRow]]] = {}
    for row in rows:  # row.source and _same_figure inlined: one pass, no call per row
        attributed_to = row.attributed_to
        source = attributed_to.split("; ", 1)[0] if attributed_to else None
        key = (GOLD if row.layer == GOLD else row.annotator, (row.counted or row.victims or "").casefold(),
               row.value, row.lower, row.upper, row.qualifier)
        if source is not None:
            sources_of[key].add(source.casefold())
        figures = grouped.get(source)
        if figures is None:
            figures = grouped[source] = {}
        appearances = figures.get(key)
        if appearances is None:
            figures[key] = [row]
        else:
            appearances.append(row)
    document_id = attrgetter("document_id")
    groups = []
    for source, figures in grouped.items():
        items = tuple(
            SourceFigure(first.counted, first.victims, first.value, first.lower, first.upper, first.qualifier,
                         tuple(appearances), len(sources_of.get(key, ())),
                         one_appearance_per_copy(set(map(document_id, appearances)), copied) if copied
                         else len(set(map(document_id, appearances))), first.layer, first.reviewer)
            for key, appearances in figures.items() for first in [appearances[0]])
        groups.append(SourceGroup(source, items))
    return sorted(groups, key=lambda g: (g.source is None, -sum(len(f.appearances) for f in g.figures),
                                         (g.source or "").casefold()))


def _figure_cells(rows: Iterable[FigureRow]) -> Iterable[list[Any]]:
    return ([getattr(row, c) for c in FIGURE_COLUMNS] for row in rows)


def figures_csv(rows: Iterable[FigureRow]) -> str:
    """The rows as CSV text, header first, in ``csvio``'s dialect (CRLF line ends, formula cells
    neutralised, numbers as numbers); empty values are empty cells. No byte-order mark: this is for pipes."""
    return csvio.csv_text(FIGURE_COLUMNS, _figure_cells(rows))


def write_figures_csv(path: str | os.PathLike[str], rows: Iterable[FigureRow]) -> None:
    """The rows as a CSV file (UTF-8 with a byte-order mark, for Excel), replacing ``path`` atomically."""
    csvio.write_csv(path, FIGURE_COLUMNS, _figure_cells(rows))


# -- entities ------------------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"[’'‘`´ʼʻʿʾ]")
_NON_WORD = re.compile(r"[\W_]+")
_PARTICLES = frozenset({"al", "el", "the", "of", "for", "and"})
SCORE_CUTOFF = 75.0
TOKEN_MATCH_SCORE = 85.0


def normalise_name(text: str) -> str:
    """Name as compared: case folded, no diacritics or apostrophes, punctuation as spaces, particles dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text)).split()
    kept = [w for w in words if w not in _PARTICLES]
    return " ".join(kept or words)


def _score(query: str, choice: str, *, distinctive: frozenset[str] = frozenset(), **_: Any) -> float:
    """Similarity of two normalised names, 0–100 (see the module docstring).

    ``distinctive``: words that occur in the names of one entity only; only those earn the
    whole-word score, so "Ahmad" alone does not pull every Ahmad up to it."""
    if not query or not choice:
        return 0.0
    if len(choice) <= 4 or len(query) <= 4:
        short, long_ = (choice, query) if len(choice) <= len(query) else (query, choice)
        if short == long_:
            return 100.0
        return 90.0 if short in long_.split() else fuzz.ratio(query, choice)
    score = fuzz.WRatio(query, choice)
    if score < TOKEN_MATCH_SCORE:
        query_words = [w for w in query.split() if len(w) >= 4]
        for word in choice.split():
            if word in distinctive and len(word) >= 4 and any(fuzz.ratio(q, word) >= 90 for q in query_words):
                return TOKEN_MATCH_SCORE
    return score


def entity_candidates(
    project: Project, text: str, limit: int = 5, score_cutoff: float = SCORE_CUTOFF
) -> list[tuple[Entity, float]]:
    """Entities whose name or an alias resembles ``text``, best first, as (entity, score 0–100).

    Each entity appears once, with the score of its best-matching name; ties go to the closer
    literal match, then to the name in alphabetical order. Nothing scores below ``score_cutoff``."""
    query = normalise_name(text or "")
    if not query or limit <= 0:
        return []
    entities = project.entities()
    choices: list[str] = []
    owners: list[int] = []
    for index, entity in enumerate(entities):
        for name in (entity.name, *entity.aliases):
            normalised = normalise_name(name)
            if normalised:
                choices.append(normalised)
                owners.append(index)
    owners_of_word: dict[str, set[int]] = defaultdict(set)
    for choice, owner in zip(choices, owners):
        for word in choice.split():
            owners_of_word[word].add(owner)
    scorer = partial(_score, distinctive=frozenset(w for w, o in owners_of_word.items() if len(o) == 1))
    best: dict[int, tuple[float, float]] = {}
    for choice, score, position in process.extract(query, choices, scorer=scorer, limit=None, score_cutoff=score_cutoff):
        owner = owners[position]
        ranked = (float(score), fuzz.ratio(query, choice))
        if owner not in best or ranked > best[owner]:
            best[owner] = ranked
    order = sorted(best, key=lambda i: (-best[i][0], -best[i][1], entities[i].name.casefold()))
    return [(entities[i], round(best[i][0], 1)) for i in order[:limit]]


def link_actor(
    project: Project, annotation_id: str, name: str | None = None, entity_id: str | None = None, type: str | None = None
) -> Entity:
    """Point an Actor annotation at an entity, as one undo step; return the entity as it now is.

    With ``entity_id``: that entity. Otherwise the entity called ``name`` (default: the
    annotation's quote): an existing one of that exact name (ignoring case and spacing) is
    reused, else one is created with type ``type`` (default: the actor's "type" attribute, else
    "other"). When the quote differs from the entity's name and from its aliases, it is added as
    an alias."""
    if entity_id is not None and name is not None:
        raise AnnotatorError("link an actor to an existing entity (entity_id) or to a name, not both")
    annotation = project.annotation(annotation_id)
    if type is None:  # a new entity takes the actor's own "type" attribute, else "other": never a guessed "person"
        given = annotation.attributes.get("type")
        type = given if given in ENTITY_TYPES else "other"
    if type not in ENTITY_TYPES:
        raise AnnotatorError(f"entity type must be one of {', '.join(ENTITY_TYPES)}, not {type!r}")
    quote = " ".join(annotation.quote.split())
    with project.group(f"Link “{quote[:40]}” to an entity"):
        if entity_id is not None:
            entity = project.entity(entity_id)
        else:
            wanted = " ".join((name if name is not None else quote).split())
            if not wanted:
                raise AnnotatorError("an entity needs a name")
            same_name = next((e for e in project.entities() if e.name.casefold() == wanted.casefold()), None)
            entity = same_name if same_name is not None else project.add_entity(wanted, type=type, aliases=[quote])
        known = {entity.name.casefold(), *(alias.casefold() for alias in entity.aliases)}
        if quote and quote.casefold() not in known:
            entity = project.update_entity(entity.id, aliases=[*entity.aliases, quote])
        project.link_entity(annotation_id, entity.id)
    return entity


def entity_table(project: Project) -> list[dict[str, Any]]:
    """Each entity (by name) with type, aliases, note, its number of mentions and the documents they are in.

    ``documents`` lists ``{"id", "title", "outlet", "mentions"}`` in document list order."""
    documents = {d.id: d for d in project.documents(with_text=False)}
    per_document = project.entity_mention_counts()
    table = []
    for entity in project.entities():
        counts = per_document.get(entity.id, {})
        in_documents = sorted(counts, key=lambda d: (documents[d].position, documents[d].imported_at, d))
        table.append({
            "id": entity.id, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "note": entity.note, "external_id": entity.external_id, "mentions": sum(counts.values()),
            "documents": [{"id": d, "title": documents[d].title, "outlet": documents[d].outlet, "mentions": counts[d]}
                          for d in in_documents],
        })
    return table


# -- claim clusters ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusterClaim:
    annotation_id: str
    document_id: str
    document_title: str
    outlet: str | None
    published: str | None
    quote: str
    start: int
    end: int
    annotator: str
    stance: str
    layer: str = "reviewer"

    @property
    def owner(self) -> str:
        """The claim's layer as one key: the reviewer's name, or "gold"."""
        return layer_owner(self.layer, self.annotator)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DocumentStance:
    document_id: str
    document_title: str
    outlet: str | None
    published: str | None
    stance: str
    claim_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["claim_ids"] = list(self.claim_ids)
        return data


@dataclass(frozen=True, slots=True)
class ClaimCluster:
    """Claims connected by same-claim / supports / contradicts; ``claims[0]`` is the anchor."""

    claims: tuple[ClusterClaim, ...]
    documents: tuple[DocumentStance, ...]
    relation_ids: tuple[str, ...] = field(default=())

    @property
    def anchor(self) -> ClusterClaim:
        return self.claims[0]

    @property
    def id(self) -> str:
        """The anchor's annotation id: stable while the anchor stays the earliest claim."""
        return self.claims[0].annotation_id

    def stance_of(self, document_id: str) -> str | None:
        return next((d.stance for d in self.documents if d.document_id == document_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "claims": [c.to_dict() for c in self.claims],
                "documents": [d.to_dict() for d in self.documents], "relation_ids": list(self.relation_ids)}


def _published_key(document: Document) -> tuple[int, str]:
    text = (document.published or "").strip()
    try:
        return 0, date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return 1, ""


def _path_stance(labels: list[str]) -> str:
    if all(label == "same-claim" for label in labels):
        return "asserts"
    return "contradicts" if labels.count("contradicts") % 2 else "supports"


def _document_stance(stances: set[str]) -> str:
    agrees = stances & {"asserts", "supports"}
    if agrees and "contradicts" in stances:
        return "mixed"
    if "asserts" in stances:
        return "asserts"
    return "supports" if "supports" in stances else "contradicts"


def claim_clusters(project: Project, label: str | None = None, include_single: bool = False) -> list[ClaimCluster]:
    """Clusters of claims across documents, largest first (then by their anchor's date and place).

    Claims are the annotations of ``label`` or, when none is named, of every label that a
    same-claim / supports / contradicts relation joins to itself (so renaming Claim changes
    nothing, and a claim linked to an actor by mistake does not make actors claims).
    A claim with no claim relation is a cluster of its own only with ``include_single``.
    See the module docstring for the anchor and stance rules."""
    all_relations = project.relations()
    if label is not None:
        claims = {a.id: a for a in project.annotations(label=label)}
    else:
        everything = project.annotations()
        label_of = {a.id: a.label_id for a in everything}
        claim_labels = {label_of[r.source_id] for r in all_relations
                        if r.label in CLAIM_RELATIONS and label_of.get(r.source_id) == label_of.get(r.target_id)}
        claim_labels |= {lab.id for lab in project.labels_with_role("claim")}
        claims = {a.id: a for a in everything if a.label_id in claim_labels}
    documents = {d.id: d for d in project.documents(with_text=False)}

    def order(id: str) -> tuple:
        a = claims[id]
        d = documents[a.document_id]
        return (*_published_key(d), d.position, d.imported_at, a.start, a.end, a.id)

    neighbours: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # id -> (other, label, relation id)
    for relation in all_relations:
        if relation.label in CLAIM_RELATIONS and relation.source_id in claims and relation.target_id in claims:
            neighbours[relation.source_id].append((relation.target_id, relation.label, relation.id))
            neighbours[relation.target_id].append((relation.source_id, relation.label, relation.id))
    for edges in neighbours.values():  # relations made in the same second have no reliable order: use the claims'
        edges.sort(key=lambda edge: (order(edge[0]), CLAIM_RELATIONS.index(edge[1]), edge[2]))

    clusters: list[ClaimCluster] = []
    seen: set[str] = set()
    for start in sorted(claims, key=order):
        if start in seen or (not neighbours[start] and not include_single):
            continue
        # Starting from the earliest unseen claim makes it the anchor of its component.
        paths: dict[str, list[str]] = {start: []}
        relation_ids: dict[str, None] = {}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for other, relation_label, relation_id in neighbours[current]:
                relation_ids[relation_id] = None
                if other not in paths:
                    paths[other] = [*paths[current], relation_label]
                    queue.append(other)
        seen.update(paths)
        members = sorted(paths, key=order)
        cluster_claims = []
        by_document: dict[str, list[ClusterClaim]] = defaultdict(list)
        for id in members:
            a, d = claims[id], documents[claims[id].document_id]
            claim = ClusterClaim(a.id, d.id, d.title, d.outlet, d.published, a.quote, a.start, a.end, a.annotator,
                                 _path_stance(paths[id]), a.layer)
            cluster_claims.append(claim)
            by_document[d.id].append(claim)
        stances = tuple(
            DocumentStance(document_id, documents[document_id].title, documents[document_id].outlet,
                           documents[document_id].published, _document_stance({c.stance for c in items}),
                           tuple(c.annotation_id for c in items))
            for document_id, items in by_document.items()
        )
        clusters.append(ClaimCluster(tuple(cluster_claims), stances, tuple(relation_ids)))
    anchors = {c.id: i for i, c in enumerate(clusters)}
    return sorted(clusters, key=lambda c: (-len(c.claims), anchors[c.id]))
