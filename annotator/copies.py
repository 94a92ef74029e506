"""Copies: near-duplicate passages across documents and within one (wire copy, a summary, a page that repeats itself).

Passages are sentences (a line break also ends one). Candidates come from word 3-gram shingles
through an inverted index (only sentences that share a shingle are ever compared: linear in the
corpus for news, where most shingles occur once), and each candidate pair is scored with
rapidfuzz's normalised Indel ``ratio`` (0–1) on case-folded words. rapidfuzz is already a
dependency and exact shingle sets are small here, so MinHash (datasketch) would add a dependency
and an approximation for no gain at this scale (1,000 articles: see docs/performance.md).
Matches of consecutive sentences in both documents are merged into one passage.

Computed on demand, never stored: texts never change, but every new document can change every
document's share, so a stored table would need rebuilding on each import anyway.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Indel

from annotator.text import sentences

if TYPE_CHECKING:
    from annotator.project import Project

MIN_SIMILARITY = 0.8
MIN_WORDS = 4  # shorter sentences ("Ana", a dateline) are not passages
SHINGLE = 3
MIN_SHARED = 0.25  # a candidate pair shares at least this part of the shorter sentence's shingles
COMMON = 500  # a shingle in more sentences than this is boilerplate: it proposes no candidates

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Passage:
    """``document_id[start:end]`` nearly equals ``other_document_id[other_start:other_end]`` (code points)."""

    document_id: str
    start: int
    end: int
    other_document_id: str
    other_start: int
    other_end: int
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Share:
    """How much of a document (0–1 of its characters) is a passage shared with ``other_id``."""

    other_id: str
    fraction: float


@dataclass(slots=True)
class _Sentence:
    document_id: str
    index: int  # among the document's kept sentences
    start: int
    end: int
    words: str


def _units(documents: Iterable[tuple[str, str]]) -> list[_Sentence]:
    units = []
    for document_id, text in documents:
        index = 0
        for start, end in sentences(text):
            words = _WORD.findall(text[start:end].casefold())
            if len(words) >= MIN_WORDS:
                units.append(_Sentence(document_id, index, start, end, " ".join(words)))
                index += 1
    return units


def _matches(units: list[_Sentence], min_similarity: float) -> list[tuple[int, int, float]]:
    """Pairs of unit indexes (i < j) whose similarity reaches ``min_similarity``."""
    index: dict[int, list[int]] = defaultdict(list)
    shingles = []
    for i, unit in enumerate(units):
        words = unit.words.split(" ")
        found = {hash(tuple(words[k:k + SHINGLE])) for k in range(max(1, len(words) - SHINGLE + 1))}
        shingles.append(found)
        for s in found:
            index[s].append(i)
    pairs = []
    for i, found in enumerate(shingles):
        shared: Counter[int] = Counter()
        for s in found:
            posting = index[s]
            if len(posting) <= COMMON:
                shared.update(j for j in posting if j > i)
        a = units[i].words
        for j, count in sorted(shared.items()):
            if count < MIN_SHARED * min(len(found), len(shingles[j])):  # chance overlaps of a common phrase
                continue
            b = units[j].words
            # Indel similarity cannot reach min_similarity when the lengths differ too much
            if 2 * min(len(a), len(b)) / (len(a) + len(b)) < min_similarity:
                continue
            score = Indel.normalized_similarity(a, b, score_cutoff=min_similarity)
            if score >= min_similarity:
                pairs.append((i, j, score))
    return pairs


def _merge(units: list[_Sentence], pairs: list[tuple[int, int, float]]) -> list[Passage]:
    """Runs of consecutive sentence matches (next sentence on both sides) become one passage."""
    by_start = {(units[i].document_id, units[i].index, units[j].document_id, units[j].index): (i, j, s)
                for i, j, s in pairs}
    passages = []
    done: set[tuple[str, int, str, int]] = set()
    for key in sorted(by_start, key=lambda k: (k[0], k[1], k[2], k[3])):
        if key in done:
            continue
        a_doc, a_index, b_doc, b_index = key
        run, first_b = [], b_index
        while key in by_start and key not in done:
            done.add(key)
            run.append(by_start[key])
            a_index, b_index = a_index + 1, b_index + 1
            key = (a_doc, a_index, b_doc, b_index)
            if a_doc == b_doc and a_index >= first_b:  # a passage never runs into its own copy
                break
        first, last = run[0], run[-1]
        length = sum(units[i].end - units[i].start for i, _, _ in run)
        similarity = sum(s * (units[i].end - units[i].start) for i, _, s in run) / length
        a, b = (units[first[0]], units[last[0]]), (units[first[1]], units[last[1]])
        if a[0].document_id == b[0].document_id and a[1].end > b[0].start:  # a copy that overlaps itself
            continue
        passages.append(Passage(a[0].document_id, a[0].start, a[1].end, b[0].document_id, b[0].start, b[1].end,
                                round(similarity, 4)))
    return passages


def find_copies(documents: Iterable[tuple[str, str]], min_similarity: float = MIN_SIMILARITY) -> list[Passage]:
    """Shared passages among ``(document_id, text)`` pairs, in input order; each pair of passages once.

    Within one document, the earlier passage is ``document_id[start:end]``; across documents the
    document given first is."""
    if not 0 < min_similarity <= 1:
        from annotator.errors import AnnotatorError

        raise AnnotatorError(f"--min-similarity must be above 0 and at most 1, not {min_similarity}")
    documents = list(documents)
    order = {document_id: n for n, (document_id, _) in enumerate(documents)}
    units = _units(documents)
    units.sort(key=lambda u: (order[u.document_id], u.index))
    passages = _merge(units, _matches(units, min_similarity))
    return sorted(passages, key=lambda p: (order[p.document_id], p.start, order[p.other_document_id], p.other_start))


def copies(project: Project, min_similarity: float = MIN_SIMILARITY) -> list[Passage]:
    """Shared passages across the project's documents (list order) and within each."""
    return find_copies(((d.id, project.document_text(d.id)) for d in project.documents(with_text=False)),
                       min_similarity)


def _covered(spans: Iterable[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def shares(passages: Iterable[Passage], lengths: dict[str, int]) -> dict[str, list[Share]]:
    """Per document, what fraction of its characters it shares with each other document (itself: its repeats),
    largest first. Within one document only the later copy counts as repeated."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for p in passages:
        if p.document_id == p.other_document_id:
            spans[p.document_id, p.document_id].append((p.other_start, p.other_end))
        else:
            spans[p.document_id, p.other_document_id].append((p.start, p.end))
            spans[p.other_document_id, p.document_id].append((p.other_start, p.other_end))
    result: dict[str, list[Share]] = defaultdict(list)
    for (document_id, other_id), found in spans.items():
        result[document_id].append(Share(other_id, _covered(found) / max(1, lengths.get(document_id, 1))))
    for listed in result.values():
        listed.sort(key=lambda s: -s.fraction)
    return dict(result)


def copies_of(project: Project, min_share: float = 0.5, min_similarity: float = MIN_SIMILARITY) -> dict[str, str]:
    """Document id -> the document it copies: at least ``min_share`` of its text is shared with that one.

    For the cross-source tables: a copy and its original count as one appearance. Of two documents
    copying each other, the one sharing the larger part of itself (the shorter: a summary, a
    trimmed wire story) is the copy; on a tie, the later in the list."""
    documents = project.documents(with_text=False)
    order = {d.id: n for n, d in enumerate(documents)}
    found = shares(copies(project, min_similarity), project.document_lengths())
    result: dict[str, str] = {}
    for document_id, listed in found.items():
        for share in listed:
            if share.other_id == document_id or share.fraction < min_share:
                continue
            back = next((s.fraction for s in found.get(share.other_id, []) if s.other_id == document_id), 0.0)
            if (share.fraction, order[document_id]) > (back, order[share.other_id]):
                result[document_id] = share.other_id
                break
    return result


def one_appearance_per_copy(document_ids: Iterable[str], copied: dict[str, str]) -> int:
    """How many appearances ``document_ids`` make when a copy counts with its original (followed to the first)."""
    roots = set()
    for document_id in document_ids:
        seen = {document_id}
        while document_id in copied and copied[document_id] not in seen:
            document_id = copied[document_id]
            seen.add(document_id)
        roots.add(document_id)
    return len(roots)


def share_notes(project: Project, min_similarity: float = MIN_SIMILARITY) -> dict[str, str]:
    """Per document, what the document list says: "shares 62% with “Title”" (the largest share first;
    its own repeats as "repeats 39% of itself")."""
    titles = {d.id: d.title for d in project.documents(with_text=False)}
    found = shares(copies(project, min_similarity), project.document_lengths())
    notes = {}
    for document_id, listed in found.items():
        parts = [f"repeats {s.fraction:.0%} of itself" if s.other_id == document_id
                 else f"shares {s.fraction:.0%} with “{titles.get(s.other_id, s.other_id)}”" for s in listed[:3]]
        notes[document_id] = "; ".join(parts)
    return notes
