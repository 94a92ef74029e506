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
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Indel

from annotator.errors import AnnotatorError, Cancelled
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


def _units(documents: list[tuple[str, str]], report: Callable[[int], None]) -> list[_Sentence]:
    units = []
    for n, (document_id, text) in enumerate(documents):
        if n % 20 == 0:
            report(n)
        index = 0
        for start, end in sentences(text):
            words = _WORD.findall(text[start:end].casefold())
            if len(words) >= MIN_WORDS:
                units.append(_Sentence(document_id, index, start, end, " ".join(words)))
                index += 1
    return units


def _matches(units: list[_Sentence], min_similarity: float,
             report: Callable[[float], None] = lambda part: None) -> list[tuple[int, int, float]]:
    """Pairs of unit indexes (i < j) whose similarity reaches ``min_similarity``.

    Each sentence is compared with the earlier ones sharing a shingle (an index built as it goes);
    shared-shingle counts and the two cheap filters run in numpy over all candidates of a sentence
    at once, so only the few candidates that pass reach rapidfuzz (at 1,000 generated documents,
    17M candidate pairs, a Python loop over them took most of the time)."""
    import numpy as np  # not at start-up: only when copies are looked for
    shingles = []
    for unit in units:
        words = unit.words.split(" ")
        shingles.append({hash(tuple(words[k:k + SHINGLE])) for k in range(max(1, len(words) - SHINGLE + 1))})
    occurrences: Counter[int] = Counter()
    for found in shingles:
        occurrences.update(found)
    common = {s for s, n in occurrences.items() if n > COMMON}
    sizes = np.array([len(found) for found in shingles], dtype=np.int64)
    lengths = np.array([len(unit.words) for unit in units], dtype=np.int64)
    index: dict[int, list[int]] = defaultdict(list)
    pairs = []
    for i, found in enumerate(shingles):
        if i % 500 == 0:
            report(i / len(units))
        kept = [s for s in found if s not in common]
        earlier = list(chain.from_iterable(index[s] for s in kept))
        for s in kept:
            index[s].append(i)
        if not earlier:
            continue
        candidates, counts = np.unique(np.array(earlier, dtype=np.int64), return_counts=True)
        keep = counts >= MIN_SHARED * np.minimum(sizes[i], sizes[candidates])  # not chance overlaps of a phrase
        near = lengths[candidates]
        # Indel similarity cannot reach min_similarity when the lengths differ too much
        keep &= 2 * np.minimum(lengths[i], near) / (lengths[i] + near) >= min_similarity
        b = units[i].words
        for j in candidates[keep].tolist():
            score = Indel.normalized_similarity(units[j].words, b, score_cutoff=min_similarity)
            if score >= min_similarity:
                pairs.append((j, i, score))
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


Progress = Callable[[int, int], bool]
"""``progress(done, total)``: how far a long computation got; returning False stops it (``Cancelled``)."""


def _reporter(progress: Progress | None, total: int) -> Callable[[float], None]:
    def report(done: float) -> None:
        if progress is not None and progress(min(total, int(done)), total) is False:
            raise Cancelled("looking for copies was cancelled")
    return report


def find_copies(documents: Iterable[tuple[str, str]], min_similarity: float = MIN_SIMILARITY,
                progress: Progress | None = None) -> list[Passage]:
    """Shared passages among ``(document_id, text)`` pairs, in input order; each pair of passages once.

    Within one document, the earlier passage is ``document_id[start:end]``; across documents the
    document given first is. ``progress(done, total)`` is called as it goes (total: twice the
    documents, one pass to split them into sentences and one to compare); returning False raises
    ``Cancelled``, so a window's Cancel stops the loop itself."""
    if not 0 < min_similarity <= 1:
        raise AnnotatorError(f"--min-similarity must be above 0 and at most 1, not {min_similarity}")
    documents = list(documents)
    count = len(documents)
    report = _reporter(progress, 2 * count)
    order = {document_id: n for n, (document_id, _) in enumerate(documents)}
    units = _units(documents, report)
    units.sort(key=lambda u: (order[u.document_id], u.index))
    pairs = _matches(units, min_similarity, lambda part: report(count + part * count))
    report(2 * count)
    passages = _merge(units, pairs)
    return sorted(passages, key=lambda p: (order[p.document_id], p.start, order[p.other_document_id], p.other_start))


def texts(project: Project) -> list[tuple[str, str]]:
    """``(document id, text)`` in list order: what ``find_copies`` reads, read here so that a worker
    thread can compute without the project's connection (it belongs to the thread that opened it)."""
    return [(d.id, d.text) for d in project.documents(with_text=True)]


def copies(project: Project, min_similarity: float = MIN_SIMILARITY, progress: Progress | None = None) -> list[Passage]:
    """Shared passages across the project's documents (list order) and within each."""
    return find_copies(texts(project), min_similarity, progress)


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


def copies_of(project: Project, min_share: float = 0.5, min_similarity: float = MIN_SIMILARITY,
              progress: Progress | None = None) -> dict[str, str]:
    """Document id -> the document it copies: at least ``min_share`` of its text is shared with that one.

    For the cross-source tables: a copy and its original count as one appearance. Of two documents
    copying each other, the one sharing the larger part of itself (the shorter: a summary, a
    trimmed wire story) is the copy; on a tie, the later in the list."""
    return copied(texts(project), min_share, min_similarity, progress)


def copied(documents: Iterable[tuple[str, str]], min_share: float = 0.5, min_similarity: float = MIN_SIMILARITY,
           progress: Progress | None = None) -> dict[str, str]:
    """``copies_of`` over ``(document id, text)`` pairs in list order, without a project (for a worker thread)."""
    documents = list(documents)
    order = {document_id: n for n, (document_id, _) in enumerate(documents)}
    found = shares(find_copies(documents, min_similarity, progress), {i: len(text) for i, text in documents})
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
    return notes(copies(project, min_similarity), titles, project.document_lengths())


def notes(passages: Iterable[Passage], titles: dict[str, str], lengths: dict[str, int]) -> dict[str, str]:
    """``share_notes`` from passages already found (a worker's)."""
    found = shares(passages, lengths)
    result = {}
    for document_id, listed in found.items():
        parts = [f"repeats {s.fraction:.0%} of itself" if s.other_id == document_id
                 else f"shares {s.fraction:.0%} with “{titles.get(s.other_id, s.other_id)}”" for s in listed[:3]]
        result[document_id] = "; ".join(parts)
    return result
