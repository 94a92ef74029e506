"""Same claim elsewhere: for a claim not yet joined by ``same-claim``, the sentences of other
documents that may state it, ranked by what they share with the claim's sentence.

score = 0.4 lexical similarity (rapidfuzz ``token_set_ratio``) + 0.3 shared entities (linked
annotations and registered names/aliases, as a share of the claim's) + 0.3 figures (a figure of
the sentence and one of the claim count the same thing; 2/3 of it when only the units' last noun
matches, "civilians" for "Alawite civilians"). They agree when their values
are within 10% of each other (ranges: when they overlap). The qualifier is not compared: "at least
973" and "1,700" are different tolls. A sentence whose figure counts the same thing but disagrees
is a ``contradicts`` candidate; otherwise ``same-claim``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from annotator.figure_spans import find_figures
from annotator.figures import ParsedFigure, parse_figure
from annotator.text import sentences

if TYPE_CHECKING:
    from annotator.models import Relation
    from annotator.project import Project

MIN_SCORE = 0.45  # below this a candidate is noise on the seeds corpus (shared boilerplate words only)
PER_CLAIM = 5  # the best few per claim: a reviewer reads them, not a ranking of the whole corpus


@dataclass(frozen=True)
class Candidate:
    claim_id: str
    document_id: str
    start: int
    end: int
    text: str
    score: float
    relation: str  # "same-claim" or "contradicts"


def _bounds(fig: ParsedFigure) -> tuple[float, float]:
    if fig.is_range:
        return float(fig.lower or 0), float(fig.upper if fig.upper is not None else fig.lower or 0)
    value = float(fig.value if fig.value is not None else fig.lower or 0)
    return value, value


def agree(a: ParsedFigure, b: ParsedFigure) -> bool:
    """Values (or ranges) meet once each is widened by 10% upwards."""
    (alo, ahi), (blo, bhi) = _bounds(a), _bounds(b)
    return alo <= bhi * 1.1 and blo <= ahi * 1.1


def _thing(unit: str) -> tuple[str, str]:
    """(head noun, whole unit), both singular-ish and lower case, for comparing counted things."""
    words = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in re.findall(r"[^\W\d_]+", unit.lower())]
    return (words[-1], " ".join(words)) if words else ("", "")


def figure_match(mine: list[ParsedFigure], theirs: list[ParsedFigure]) -> tuple[str | None, float]:
    """("agree" | "disagree" | None, weight): the best pair counting the same thing, agreeing first.
    Weight 1 when the whole units match ("Alawite civilians"), 2/3 when only the head noun does.
    Vague quantities ("dozens") are no toll and neither agree nor disagree."""
    best: tuple[str | None, float] = (None, 0.0)
    for a in mine:
        if a.qualifier == "vague" or not _thing(a.unit)[0]:
            continue
        for b in theirs:
            if b.qualifier == "vague" or _thing(a.unit)[0] != _thing(b.unit)[0]:
                continue
            found = ("agree" if agree(a, b) else "disagree", 1.0 if _thing(a.unit)[1] == _thing(b.unit)[1] else 2 / 3)
            if (found[0] == "agree", found[1]) > (best[0] == "agree", best[1]):
                best = found
    return best


class _Corpus:
    """Per document, what the ranking needs, computed once: text, sentences, figures and entity mentions."""

    def __init__(self, project: Project, names: tuple[re.Pattern[str] | None, dict[str, tuple[str, bool]]]) -> None:
        self.project = project
        self.pattern, table = names
        self.table = {n.casefold(): v[0] for n, v in table.items()}
        figure_label_ids = {lab.id for lab in project.labels_with_role("figure")}
        self.texts: dict[str, str] = {}
        self.entities: dict[str, list[tuple[int, int, str]]] = {}
        self.figures: dict[str, list[tuple[int, int, ParsedFigure]]] = {}
        for doc in project.documents(with_text=False):
            text = project.document_text(doc.id)
            self.texts[doc.id] = text
            annotations = project.annotations(doc.id)
            ents = [(a.start, a.end, a.entity_id) for a in annotations if a.entity_id]
            if self.pattern is not None:
                ents += [(m.start(), m.end(), self.table[m.group().casefold()]) for m in self.pattern.finditer(text)]
            self.entities[doc.id] = ents
            figs = [(f.start, f.end, f.figure) for f in find_figures(text)]
            for a in annotations:
                parsed = parse_figure(a.quote) if a.label_id in figure_label_ids else None
                if parsed is not None:
                    figs.append((a.start, a.end, parsed))
            self.figures[doc.id] = figs

    def entities_in(self, doc_id: str, start: int, end: int) -> set[str]:
        return {e for s, t, e in self.entities[doc_id] if start <= s and t <= end}

    def figures_in(self, doc_id: str, start: int, end: int) -> list[ParsedFigure]:
        return [f for s, t, f in self.figures[doc_id] if start <= s and t <= end]

    def around(self, doc_id: str, start: int, end: int) -> tuple[int, int]:
        """The claim widened to the sentences it touches."""
        spans = [(s, t) for s, t in sentences(self.texts[doc_id]) if s < end and start < t] or [(start, end)]
        return min(start, spans[0][0]), max(end, spans[-1][1])


def candidates(project: Project, claim_ids: list[str], names: tuple[re.Pattern[str] | None, dict[str, tuple[str, bool]]],
               linked: dict[str, set[tuple[str, int, int]]], per_claim: int = PER_CLAIM) -> list[Candidate]:
    """The best candidates per claim, best first; ``linked`` holds, per claim, the spans it already relates to."""
    corpus = _Corpus(project, names)
    out: list[Candidate] = []
    for claim_id in claim_ids:
        claim = project.annotation(claim_id)
        start, end = corpus.around(claim.document_id, claim.start, claim.end)
        context = corpus.texts[claim.document_id][start:end]
        processed = default_process(context)
        my_entities = corpus.entities_in(claim.document_id, start, end)
        my_figures = corpus.figures_in(claim.document_id, claim.start, claim.end) or corpus.figures_in(claim.document_id, start, end)
        found: list[Candidate] = []
        for doc_id, text in corpus.texts.items():
            if doc_id == claim.document_id:
                continue
            for s, t in sentences(text):
                if (doc_id, s, t) in linked.get(claim_id, set()):
                    continue
                lexical = fuzz.token_set_ratio(processed, text[s:t], processor=default_process) / 100
                shared = len(my_entities & corpus.entities_in(doc_id, s, t)) / len(my_entities) if my_entities else 0.0
                match, weight = figure_match(my_figures, corpus.figures_in(doc_id, s, t))
                score = 0.4 * lexical + 0.3 * shared + 0.3 * weight
                if score >= MIN_SCORE:
                    found.append(Candidate(claim_id, doc_id, s, t, text[s:t], round(score, 3),
                                           "contradicts" if match == "disagree" else "same-claim"))
        found.sort(key=lambda c: (-c.score, c.document_id, c.start))
        out.extend(found[:per_claim])
    return out


def same_claim_elsewhere(project: Project, claim_id: str, limit: int = 20) -> list[Candidate]:
    """For one claim (joined or not), the sentences of other documents that may restate or
    contradict it, best first; sentences it is already related to are left out."""
    from annotator.suggest import _names_pattern

    claim = project.annotation(claim_id)
    spans = {a.id: (a.document_id, a.start, a.end) for a in project.annotations(label=claim.label_id)}
    linked = {spans[other] for r in project.relations() for mine, other in ((r.source_id, r.target_id), (r.target_id, r.source_id))
              if mine == claim_id and other in spans}
    return candidates(project, [claim_id], _names_pattern(project), {claim_id: linked}, per_claim=limit)


def link(project: Project, candidate: Candidate, annotator: str, relation: str | None = None) -> Relation:
    """Relate the claim to the candidate's sentence as ``relation`` (default: the candidate's own),
    tagging the sentence as a claim unless one covers exactly it already: one undo step."""
    from annotator.suggest import Suggestion, accept

    claim = project.annotation(candidate.claim_id)
    label = project.label(claim.label_id)
    chosen = Suggestion(candidate.document_id, candidate.start, candidate.end, label.name, label.id, candidate.text,
                        candidate.score, claim_id=candidate.claim_id, relation=relation or candidate.relation)
    accept(project, [chosen], annotator)  # one group: the claim annotation (if new) and the relation
    ends = {a.id for a in project.annotations(candidate.document_id, label=label.id, starting_from=candidate.start,
                                              starting_before=candidate.start + 1) if a.end == candidate.end}
    return next(r for r in project.relations(annotation_id=candidate.claim_id)
                if r.source_id == candidate.claim_id and r.target_id in ends and r.label == chosen.relation)
