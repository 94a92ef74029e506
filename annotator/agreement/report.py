"""An inter-annotator agreement report over a corpus, as a JSON-serialisable dict.

See docs/agreement.md for the measures and conventions. In short:

* An annotator *took part* in a document when the document's span mapping has a
  key for them; an empty list means "annotated, found nothing". Pairwise measures
  use the documents both annotators took part in; Fleiss' kappa and alpha-u use
  the documents all selected annotators took part in; alpha nominal uses every
  document (absent annotators are missing values).
* Token measures run over ``annotator.tokens.tokenize`` tokens, each labelled by
  ``token_labels`` ("O" when unannotated), concatenated across documents.
* Span P/R/F1 are micro-averaged: true/false positive and false negative counts
  are summed over documents.
* alpha-u runs over the concatenated character continua of the documents.
* Undefined values are ``None`` (NaN in the API functions).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from annotator.agreement.spans import PRF, greedy_overlap_matches
from annotator.agreement.unitizing import _distinct, _expected, _observed, disagreements
from annotator.tokens import UNANNOTATED, token_bounds

Span = tuple[int, int, str]
Doc = tuple[Hashable, str, Mapping[str, Sequence[Span]]]


@dataclass(frozen=True)
class _Doc:
    doc_id: Any
    length: int
    starts: list[int]  # token starts, as ``tokenize`` returns them
    ends: list[int]
    spans: dict[str, list[Span]]  # only annotators who took part

    @property
    def n_tokens(self) -> int:
        return len(self.starts)


def agreement_report(
    docs: Iterable[Doc],
    annotators: Sequence[str],
    labels: Sequence[str] | None = None,
    *,
    per_document: bool = True,
) -> dict[str, Any]:
    """Agreement between ``annotators`` over ``docs``: corpus, per label, per document.

    ``docs`` yields ``(doc_id, text, {annotator: [(start, end, label), ...]})``.
    ``labels`` restricts the report to these labels (spans with other labels are
    ignored); by default every label the selected annotators used. ``per_document=False``
    leaves ``documents`` empty: the per-document blocks cost as much as the corpus one.
    """
    annotators = list(dict.fromkeys(annotators))
    wanted = None if labels is None else set(labels)
    prepared = [_prepare(doc_id, text, _selected_spans(spans, annotators, wanted)) for doc_id, text, spans in docs]
    if labels is None:
        names = sorted({lab for doc in prepared for ss in doc.spans.values() for *_, lab in ss})
    else:
        names = list(dict.fromkeys(labels))
    by_document: list[dict[str | None, _TokenCounts]] = [{} for _ in prepared] if per_document else []
    if per_document:
        for view in (None, *names):
            for made, counted in zip(by_document, _counts_by_document(prepared, annotators, view, names), strict=True):
                made[view] = counted
    return _json_safe(
        {
            "annotators": annotators,
            "labels": names,
            "unannotated_label": UNANNOTATED,
            "n_documents": len(prepared),
            "corpus": _block(prepared, annotators, names),
            "documents": [
                {
                    "doc_id": _json_id(doc.doc_id),
                    "length": doc.length,
                    "n_tokens": doc.n_tokens,
                    "annotators": [a for a in annotators if a in doc.spans],
                    **_block([doc], annotators, names, made),
                }
                for doc, made in zip(prepared if per_document else [], by_document, strict=True)
            ],
        }
    )


def _selected_spans(
    spans: Mapping[str, Sequence[Span]], annotators: list[str], wanted: set[str] | None
) -> dict[str, list[Span]]:
    """The spans of the selected annotators who took part, restricted to ``wanted``."""
    return {
        name: [(int(s), int(e), str(lab)) for s, e, lab in spans[name] if wanted is None or lab in wanted]
        for name in annotators
        if name in spans
    }


def _prepare(doc_id: Any, text: str, spans: dict[str, list[Span]]) -> _Doc:
    starts, ends = token_bounds(text)
    return _Doc(doc_id=doc_id, length=len(text), starts=starts, ends=ends, spans=spans)


def _token_codes(doc: _Doc, spans: Sequence[Span], codes: Mapping[str, int], unannotated: int) -> np.ndarray:
    """``token_labels`` as codes: the highest-priority span is written last, so it wins."""
    out = np.full(doc.n_tokens, unannotated, dtype=np.int16)
    for start, end, label in sorted(spans, key=_priority, reverse=True):
        if start >= end:
            continue
        first = bisect_left(doc.ends, start + 1)
        last = bisect_left(doc.starts, end)
        if first < last:
            out[first:last] = codes[label]
    return out


def _priority(span: Span) -> tuple[int, int, str]:
    start, end, label = span
    return (-(end - start), start, label)


@dataclass(frozen=True)
class _TokenCounts:
    """One token view (all labels, or one label against "O") counted for every pair and item."""

    names: list[str]  # code -> label name
    joint: np.ndarray  # [a, b] -> K x K counts over the tokens both took part in
    items: np.ndarray  # token -> count of annotators per code (the value counts)
    complete: np.ndarray  # token -> every annotator took part
    weights: np.ndarray | None = None  # tokens per row of ``items`` (None: one each)



def _token_matrix(docs: list[_Doc], annotators: list[str], label: str | None,
                  names: list[str]) -> tuple[list[str], np.ndarray]:
    """The view's label names and its token x annotator code matrix (-1: did not take part)."""
    view = [*names, UNANNOTATED] if label is None else [label, UNANNOTATED]
    codes = {name: i for i, name in enumerate(view)}
    k, n_a = len(view), len(annotators)
    total = sum(d.n_tokens for d in docs)
    matrix = np.full((total, n_a), -1, dtype=np.int16)
    offset = 0
    for d in docs:
        for i, a in enumerate(annotators):
            if a in d.spans:
                spans = d.spans[a] if label is None else [s for s in d.spans[a] if s[2] == label]
                matrix[offset : offset + d.n_tokens, i] = _token_codes(d, spans, codes, k - 1)
        offset += d.n_tokens
    return view, matrix


@dataclass(frozen=True)
class _Layout:
    """The corpus laid out once for every token view: global token offsets and every non-empty span."""

    token_offsets: np.ndarray  # document -> its first token (and the total at the end)
    took: np.ndarray  # [document, annotator] took part
    first: np.ndarray  # span -> first token it covers
    last: np.ndarray  # span -> one past the last token it covers
    annotator: np.ndarray  # span -> annotator index
    label: np.ndarray  # span -> label index in ``names``
    order: np.ndarray  # spans in painting order (as _token_codes: the highest priority last)


def _layout(docs: list[_Doc], annotators: list[str], names: list[str]) -> _Layout:
    index = {a: i for i, a in enumerate(annotators)}
    label_index = {name: i for i, name in enumerate(names)}
    sizes = np.array([d.n_tokens for d in docs], dtype=np.int64)
    token_offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    char_offsets = np.concatenate(([0], np.cumsum([d.length for d in docs], dtype=np.int64))).astype(np.int64)
    empty = np.zeros(0, dtype=np.int64)
    starts = np.concatenate([np.asarray(d.starts, dtype=np.int64) for d in docs] or [empty])
    ends = np.concatenate([np.asarray(d.ends, dtype=np.int64) for d in docs] or [empty])
    shift = np.repeat(char_offsets[:-1], sizes)
    starts, ends = starts + shift, ends + shift
    took = np.zeros((len(docs), len(annotators)), dtype=bool)
    rows: list[tuple[int, int, int, int]] = []  # start, end, annotator, label (global chars)
    for n, d in enumerate(docs):
        offset = int(char_offsets[n])
        for a, ss in d.spans.items():
            i = index[a]
            took[n, i] = True
            rows.extend((start + offset, end + offset, i, label_index[lab]) for start, end, lab in ss if start < end)
    table = np.array(rows, dtype=np.int64).reshape(len(rows), 4)
    span_start, span_end = table[:, 0], table[:, 1]
    rank = np.argsort(np.argsort(np.array(names, dtype=object), kind="stable"), kind="stable") if names else empty
    # _priority = (-(end - start), start, label), sorted in reverse: the winner is painted last.
    order = np.lexsort((rank[table[:, 3]], span_start, span_start - span_end))[::-1]
    return _Layout(token_offsets, took, np.searchsorted(ends, span_start + 1, side="left"),
                   np.searchsorted(starts, span_end, side="left"), table[:, 2], table[:, 3], order)


def _token_counts(docs: list[_Doc], annotators: list[str], label: str | None, names: list[str],
                  layout: _Layout | None = None) -> _TokenCounts:
    """The view's counts over ``docs`` from runs of tokens: between two span boundaries every token has
    the same codes, so each run is counted once with its length as weight (``_token_matrix`` row by row
    gives the same counts)."""
    lay = layout or _layout(docs, annotators, names)
    view = [*names, UNANNOTATED] if label is None else [label, UNANNOTATED]
    k = len(view)
    order = lay.order
    if label is not None:
        order = order[lay.label[order] == names.index(label)]
    code = lay.label[order] if label is None else np.zeros(len(order), dtype=np.int64)
    first, last = lay.first[order], lay.last[order]
    total = int(lay.token_offsets[-1])
    bounds = _distinct(np.concatenate((lay.token_offsets[:-1], first, last)))
    bounds = bounds[bounds < total]
    weights = np.diff(np.append(bounds, total))
    doc_of_run = np.searchsorted(lay.token_offsets, bounds, side="right") - 1
    matrix = np.where(lay.took[doc_of_run], k - 1, -1).astype(np.int16)
    run_first = np.searchsorted(bounds, first).tolist()
    run_last = np.searchsorted(bounds, last).tolist()
    for f, t, i, c in zip(run_first, run_last, lay.annotator[order].tolist(), code.tolist(), strict=True):
        if f < t:
            matrix[f:t, i] = c
    return _weighted_counts(view, matrix, weights)


def _weighted_counts(view: list[str], matrix: np.ndarray, weights: np.ndarray) -> _TokenCounts:
    """``_counts`` of a matrix whose row r stands for ``weights[r]`` identical tokens. Joint counts of
    every pair at once: one-hot codes (annotator, code) as columns, ``O.T @ diag(w) @ O``, in chunks."""
    k, n_a = len(view), matrix.shape[1]
    rows = len(matrix)
    exact = np.float32 if int(weights.sum()) < 2**24 else np.float64  # integer sums stay exact
    gram = np.zeros((n_a * k, n_a * k), dtype=np.float64)
    columns = np.arange(n_a, dtype=np.int64) * k
    step = max(1, 2**23 // max(1, n_a * k))
    for begin in range(0, rows, step):
        block = matrix[begin : begin + step].astype(np.int64)
        onehot = np.zeros((len(block), n_a * k), dtype=exact)
        r, c = np.nonzero(block >= 0)
        onehot[r, columns[c] + block[r, c]] = 1
        gram += (onehot.T @ (onehot * weights[begin : begin + step, None].astype(exact))).astype(np.float64)
    joint = np.rint(gram).astype(np.int64).reshape(n_a, k, n_a, k).transpose(0, 2, 1, 3).copy()
    rated = matrix >= 0
    run = np.broadcast_to(np.arange(rows, dtype=np.int64)[:, None], matrix.shape)
    items = np.bincount(run[rated] * k + matrix[rated].astype(np.int64), minlength=rows * k).reshape(rows, k)
    complete: np.ndarray = np.asarray(rated.all(axis=1))
    return _TokenCounts(view, joint, items, complete, weights.astype(np.int64))


def _joint(matrix: np.ndarray, k: int, group: np.ndarray, n_groups: int) -> np.ndarray:
    """[group, a, b] -> K x K counts over the tokens both took part in, from one bincount per pair:
    (group, code a, code b) combined into one index, so every group is counted in the same call."""
    n_a = matrix.shape[1]
    joint = np.zeros((n_groups, n_a, n_a, k, k), dtype=np.int64)
    columns = [matrix[:, i].astype(np.int64) for i in range(n_a)]
    for i, j in combinations(range(n_a), 2):
        left, right = columns[i], columns[j]
        both = (left >= 0) & (right >= 0)
        table = np.bincount((group[both] * k + left[both]) * k + right[both],
                            minlength=n_groups * k * k).reshape(n_groups, k, k)
        joint[:, i, j] = table
        joint[:, j, i] = table.transpose(0, 2, 1)
    for i in range(n_a):
        left = columns[i]
        rated = left >= 0
        diagonal = np.bincount(group[rated] * k + left[rated], minlength=n_groups * k).reshape(n_groups, k)
        joint[:, i, i, np.arange(k), np.arange(k)] = diagonal
    return joint


def _counts(view: list[str], matrix: np.ndarray) -> _TokenCounts:
    # Joint counts by pair from one bincount of the code pairs; value counts per item from one
    # bincount of (item, code): no one-hot tensor, no matrix product per chunk.
    k, total = len(view), len(matrix)
    joint = _joint(matrix, k, np.zeros(total, dtype=np.int64), 1)[0]
    rated = matrix >= 0
    rows = np.broadcast_to(np.arange(total, dtype=np.int64)[:, None], matrix.shape)
    items = np.bincount(rows[rated] * k + matrix[rated].astype(np.int64), minlength=total * k).reshape(total, k)
    complete: np.ndarray = np.asarray((matrix >= 0).all(axis=1))
    return _TokenCounts(view, joint, items, complete)


_BATCH_BYTES = 256 * 2**20
"""Above this, per-document joint counts are built one document at a time (50 reviewers: 2,500 pairs)."""


def _counts_by_document(docs: list[_Doc], annotators: list[str], label: str | None,
                        names: list[str]) -> list[_TokenCounts]:
    """Each document's token counts, as ``_token_counts([doc], ...)`` gives them, from the corpus
    matrix at once: joint counts by (document, codes) in one bincount per pair, value counts sliced."""
    view, matrix = _token_matrix(docs, annotators, label, names)
    k, n_a = len(view), len(annotators)
    if len(docs) * n_a * n_a * k * k * 8 > _BATCH_BYTES:
        found, offset = [], 0
        for d in docs:
            found.append(_counts(view, matrix[offset : offset + d.n_tokens]))
            offset += d.n_tokens
        return found
    corpus = _counts(view, matrix)
    sizes = np.array([d.n_tokens for d in docs], dtype=np.int64)
    joint = _joint(matrix, k, np.repeat(np.arange(len(docs), dtype=np.int64), sizes), len(docs))
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    return [_TokenCounts(view, joint[n], corpus.items[bounds[n] : bounds[n + 1]], corpus.complete[bounds[n] : bounds[n + 1]])
            for n in range(len(docs))]


def _block(docs: list[_Doc], annotators: list[str], names: list[str],
           counts: dict[str | None, _TokenCounts] | None = None) -> dict[str, Any]:
    """The measures over ``docs``; ``counts``: their token counts by view (None: all labels), if already made."""
    spans = _span_counts(docs, annotators, names)
    units = _unitizing(docs, annotators, names)
    made = counts or {}
    layout = None if len(made) == len(names) + 1 else _layout(docs, annotators, names)
    overall_counts = made.get(None) or _token_counts(docs, annotators, None, names, layout)
    overall = _measures(docs, annotators, overall_counts, spans, None, units)
    index = {a: i for i, a in enumerate(annotators)}
    overall["confusion_matrices"] = [
        {"a": a, "b": b, "labels": list(overall_counts.names), "matrix": overall_counts.joint[index[a], index[b]].tolist()}
        for a, b in combinations(annotators, 2)
    ]
    del overall_counts
    per_label = {
        lab: _measures(docs, annotators, made.get(lab) or _token_counts(docs, annotators, lab, names, layout), spans, lab,
                      units)
        for lab in names
    }
    return {"overall": overall, "per_label": per_label}


def _measures(
    docs: list[_Doc],
    annotators: list[str],
    counts: _TokenCounts,
    spans: dict[tuple[str, str], dict[str | None, tuple[list[int], list[int]]]],
    label: str | None,
    units: dict[str, tuple[Fraction, Fraction]],
) -> dict[str, Any]:
    """Pairwise and multi-rater measures, for all labels (``None``) or one."""
    took = np.array([[a in d.spans for a in annotators] for d in docs], dtype=np.int64).reshape(len(docs), len(annotators))
    n_complete = int(took.all(axis=1).sum())
    both = took.T @ took  # [i, j]: documents both took part in
    unannotated = len(counts.names) - 1
    pairwise = []
    for (i, a), (j, b) in combinations(enumerate(annotators), 2):
        joint = counts.joint[i, j]
        exact, overlap = spans[(a, b)][label]
        pairwise.append(
            {
                "a": a,
                "b": b,
                "n_documents": int(both[i, j]),
                "n_tokens": int(joint.sum()),
                "exact": PRF.from_counts(*exact).as_dict(),
                "overlap": PRF.from_counts(*overlap).as_dict(),
                "cohen_kappa": _cohen(joint),
                "cohen_kappa_annotated_only": _cohen(joint, drop=unannotated),
            }
        )
    fleiss = None
    if len(annotators) >= 3:
        weights = None if counts.weights is None else counts.weights[counts.complete]
        fleiss = _fleiss(counts.items[counts.complete], len(annotators), weights)
    observed, expected = units[label] if label is not None else _sum_units(units)
    return {
        "pairwise": pairwise,
        "n_documents_all_annotators": n_complete,
        "fleiss_kappa": fleiss,
        "alpha_nominal": _alpha_nominal(counts),
        "alpha_unitizing": math.nan if expected == 0 else float(1 - observed / expected),
    }


def _cohen(joint: np.ndarray, drop: int | None = None) -> float:
    """``cohen_kappa`` from the pair's joint counts (same integers, same fraction)."""
    if drop is not None:
        joint = joint.copy()
        joint[drop, drop] = 0
    n = int(joint.sum())
    if n == 0:
        return math.nan
    agree = int(np.trace(joint))
    chance = int(joint.sum(axis=1) @ joint.sum(axis=0))
    if chance == n * n:
        return math.nan
    return float(Fraction(agree * n - chance, n * n - chance))


def _fleiss(items: np.ndarray, n: int, weights: np.ndarray | None = None) -> float:
    """``fleiss_kappa`` from per-token counts of each code (every token rated by all ``n``);
    ``weights``: tokens per row."""
    w = np.ones(len(items), dtype=np.int64) if weights is None else weights
    n_items = int(w.sum())
    if n_items == 0:
        return math.nan
    squares = int(((items * items).sum(axis=1) * w).sum())
    totals = [int(t) for t in (items * w[:, None]).sum(axis=0)]
    observed = Fraction(squares - n_items * n, n_items * n * (n - 1))
    chance = Fraction(sum(t * t for t in totals), (n_items * n) ** 2)
    if chance == 1:
        return math.nan
    return float((observed - chance) / (1 - chance))


def _alpha_nominal(counts: _TokenCounts) -> float:
    """``alpha_nominal`` from the coincidence matrix of the value counts, exactly (no call per block).

    For nominal data Krippendorff's ``1 - D_o / D_e`` reduces to
    ``1 - (n - 1) * sum_u (m_u**2 - sum_c n_uc**2) / (m_u - 1) / (n**2 - sum_c n_c**2)`` over the
    pairable items ``u`` (``m_u >= 2`` values), ``n_c`` the values ``c`` in them and ``n`` their sum:
    the off-diagonal mass of the coincidence matrix against that expected by chance. Items are
    grouped by ``m_u`` so the sum stays in integers; the result is the exact rational, rounded
    once (the ``krippendorff`` package, which the tests compare with, agrees to ~1e-15).
    """
    return _alpha_from_items(counts.items, counts.weights)


def _alpha_from_items(items: np.ndarray, weights: np.ndarray | None = None) -> float:
    if len(items) == 0:
        return math.nan
    w = np.ones(len(items), dtype=np.int64) if weights is None else weights
    per_item = items.sum(axis=1)
    pairable = (per_item >= 2) & (w > 0)
    if not pairable.any():
        return math.nan
    items = items[pairable]
    per_item = per_item[pairable]
    w = w[pairable]
    totals = [int(t) for t in (items * w[:, None]).sum(axis=0)]
    if sum(1 for t in totals if t) < 2:
        return math.nan
    off_diagonal = (per_item * per_item - (items * items).sum(axis=1)) * w  # m_u**2 - sum_c n_uc**2
    by_m = np.bincount(per_item, weights=off_diagonal.astype(np.float64))  # integers < 2**53: exact
    observed = sum((Fraction(int(v), m - 1) for m, v in enumerate(by_m) if m >= 2 and v), Fraction(0))
    n = sum(totals)
    expected = n * n - sum(t * t for t in totals)
    return float(1 - (n - 1) * observed / expected)


def _span_counts(
    docs: list[_Doc], annotators: list[str], names: list[str]
) -> dict[tuple[str, str], dict[str | None, tuple[list[int], list[int]]]]:
    """(a, b) -> label (None: all) -> exact and overlap ``[tp, fp, fn]`` summed over the documents both took part in.

    ``span_prf(a's spans, b's spans)`` per document, counted without visiting every pair of annotators:
    matching never pairs spans of different labels (so all labels are the sum per label), a pair
    matches only where its spans coincide (exact) or overlap (found by one sweep per document and
    label), and false positives and negatives are span counts less true positives."""
    index = {a: i for i, a in enumerate(annotators)}
    n = len(annotators)
    took_part = np.zeros((len(docs), n), dtype=np.int64)
    counts = {lab: np.zeros((len(docs), n), dtype=np.int64) for lab in names}
    # Groups of annotators who each have exactly one span in a group and all match each other (same
    # boundaries; or all overlapping one another) add one true positive to every pair of them: rows of
    # an indicator matrix V, so the pairs' counts are V.T @ V. Anything else is counted pair by pair.
    exact_groups: dict[str, list[list[int]]] = {lab: [] for lab in names}
    overlap_groups: dict[str, list[list[int]]] = {lab: [] for lab in names}
    exact_extra: Counter[tuple[int, int, str]] = Counter()
    overlap_extra: Counter[tuple[int, int, str]] = Counter()
    for k, d in enumerate(docs):
        by: dict[str, dict[int, list[Span]]] = {}
        for a, ss in d.spans.items():
            took_part[k, index[a]] = 1
            for span in ss:
                by.setdefault(span[2], {}).setdefault(index[a], []).append(span)
        for lab, coders in by.items():
            same: dict[tuple[int, int], Counter[int]] = {}
            for i, ss in coders.items():
                counts[lab][k, i] = len(ss)
                for start, end, _ in ss:
                    same.setdefault((start, end), Counter())[i] += 1
            for coincide in same.values():
                if len(coincide) > 1:
                    if all(c == 1 for c in coincide.values()):
                        exact_groups[lab].append(list(coincide))
                    else:
                        for i, j in combinations(sorted(coincide), 2):
                            exact_extra[(i, j, lab)] += min(coincide[i], coincide[j])
            spans = sorted((start, end, i) for i, ss in coders.items() for start, end, _ in ss if start < end)
            _overlap_components(spans, lab, overlap_groups[lab], overlap_extra)
    exact_tp = _pair_matrices(exact_groups, exact_extra, n)
    overlap_tp = _pair_matrices(overlap_groups, overlap_extra, n)
    sums = {lab: took_part.T @ c for lab, c in counts.items()}  # [a, b]: b's spans where a took part
    found: dict[tuple[str, str], dict[str | None, tuple[list[int], list[int]]]] = {}
    for (i, a), (j, b) in combinations(enumerate(annotators), 2):
        pair: dict[str | None, tuple[list[int], list[int]]] = {None: ([0, 0, 0], [0, 0, 0])}
        for lab in names:
            cand, ref = int(sums[lab][i, j]), int(sums[lab][j, i])
            pair[lab] = tuple(  # type: ignore[assignment]
                [int(tp[lab][i, j]), cand - int(tp[lab][i, j]), ref - int(tp[lab][i, j])] for tp in (exact_tp, overlap_tp))
            for total, mine in zip(pair[None], pair[lab], strict=True):
                for x in range(3):
                    total[x] += mine[x]
        found[(a, b)] = pair
    return found


def _overlap_components(spans: list[tuple[int, int, int]], label: str, groups: list[list[int]],
                        extra: Counter[tuple[int, int, str]]) -> None:
    """Overlap true positives of one document and label, by connected group of overlapping spans.

    ``spans``: ``(start, end, annotator)``, non-empty, sorted. Greedy matching never crosses groups
    (no span of one overlaps a span of another), so each group is matched on its own; a group in
    which every annotator has one span and all spans share a character matches every pair once."""
    n_spans, first = len(spans), 0
    while first < n_spans:
        last, reach = first + 1, spans[first][1]
        while last < n_spans and spans[last][0] < reach:
            reach = max(reach, spans[last][1])
            last += 1
        group = spans[first:last]
        first = last
        if len(group) < 2:
            continue
        coders = [i for *_, i in group]
        if len(set(coders)) == len(coders) and max(s for s, _, _ in group) < min(e for _, e, _ in group):
            groups.append(coders)
            continue
        mine: dict[int, list[Span]] = {}
        for start, end, i in group:
            mine.setdefault(i, []).append((start, end, label))
        for i, j in combinations(sorted(mine), 2):
            extra[(i, j, label)] += greedy_overlap_matches(mine[i], mine[j])


def _pair_matrices(groups: dict[str, list[list[int]]], extra: Counter[tuple[int, int, str]],
                   n: int) -> dict[str, np.ndarray]:
    """label -> [i, j] true positives (i < j used) from the indicator groups plus the pairwise extras."""
    found = {}
    for lab, rows in groups.items():
        indicator = np.zeros((len(rows), n), dtype=np.int64)
        if rows:
            indicator[np.repeat(np.arange(len(rows)), [len(r) for r in rows]), np.concatenate(rows)] = 1
        found[lab] = indicator.T @ indicator
    for (i, j, lab), tp in extra.items():
        found[lab][i, j] += tp
        found[lab][j, i] += tp
    return found


def _by_label(spans: list[Span]) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    for span in spans:
        found.setdefault(span[2], []).append(span)
    return found


def _unitizing(docs: list[_Doc], annotators: list[str], names: list[str]) -> dict[str, tuple[Fraction, Fraction]]:
    """label -> alpha-u's D_o and D_e over the concatenated documents all annotators took part in."""
    label_index = {name: n for n, name in enumerate(names)}
    rows: list[tuple[int, int, int, int]] = []  # start, end, coder, label (continuum offsets)
    offset = 0
    for d in docs:
        if all(a in d.spans for a in annotators):
            for i, a in enumerate(annotators):
                rows.extend((s + offset, e + offset, i, label_index[lab]) for s, e, lab in d.spans[a])
            offset += d.length
    table = np.array(rows, dtype=np.int64).reshape(len(rows), 4)
    if len(rows) and not ((table[:, 0] >= 0) & (table[:, 0] <= table[:, 1]) & (table[:, 1] <= offset)).all():
        return _unitizing_from_spans(docs, annotators, names)  # raises disagreements' error
    if len(annotators) < 2 or offset == 0:
        return {lab: (Fraction(0), Fraction(0)) for lab in names}
    return {lab: (_observed(offset, coders), _expected(offset, coders))
            for n, lab in enumerate(names)
            for coders in [_segments_by_coder(table[table[:, 3] == n], len(annotators), offset)]}


def _segments_by_coder(table: np.ndarray, m: int, length: int) -> list[list[tuple[int, int, bool]]]:
    """``unitizing._segments`` of every coder (rows: start, end, coder) at once: each coder's
    non-empty units merged where they overlap (touching ones stay apart), and the gaps between."""
    table = table[table[:, 0] < table[:, 1]]
    shift = table[:, 2] * (length + 1)  # coders apart on one line: one running maximum for all
    start, end = table[:, 0] + shift, table[:, 1] + shift
    order = np.lexsort((end, start))
    start, end = start[order], end[order]
    reach = np.maximum.accumulate(end) if len(end) else end
    new = np.ones(len(start), dtype=bool)
    new[1:] = start[1:] >= reach[:-1]
    first = np.flatnonzero(new)
    unit_start = start[first]
    unit_end = np.maximum.reduceat(end, first) if len(first) else end[:0]
    coder = unit_start // (length + 1)
    unit_start, unit_end = unit_start - coder * (length + 1), unit_end - coder * (length + 1)
    coders: list[list[tuple[int, int, bool]]] = [[] for _ in range(m)]
    previous = np.full(m, 0, dtype=np.int64)
    gap_start = np.empty(len(first), dtype=np.int64)
    for n, c in enumerate(coder.tolist()):  # the gap before each unit starts at the coder's last end
        gap_start[n] = previous[c]
        previous[c] = unit_end[n]
    for b, e, c in zip(unit_start.tolist(), unit_end.tolist(), coder.tolist(), strict=True):
        coders[c].append((b, e, True))
    for b, e, c in zip(gap_start.tolist(), unit_start.tolist(), coder.tolist(), strict=True):
        if b < e:
            coders[c].append((b, e, False))
    for c, last in enumerate(previous.tolist()):
        if last < length:
            coders[c].append((last, length, False))
    return coders


def _unitizing_from_spans(docs: list[_Doc], annotators: list[str],
                          names: list[str]) -> dict[str, tuple[Fraction, Fraction]]:
    """``_unitizing`` through ``unitizing.disagreements`` (its checks and errors)."""
    units: dict[str, list[Span]] = {a: [] for a in annotators}
    offset = 0
    for d in docs:
        if all(a in d.spans for a in annotators):
            for a in annotators:
                units[a].extend((s + offset, e + offset, lab) for s, e, lab in d.spans[a])
            offset += d.length
    return {lab: disagreements(offset, units, lab) for lab in names}


def _sum_units(units: dict[str, tuple[Fraction, Fraction]]) -> tuple[Fraction, Fraction]:
    """Across labels: alpha-u sums D_o and D_e over the categories (labels without units add 0)."""
    return sum((o for o, _ in units.values()), Fraction(0)), sum((e for _, e in units.values()), Fraction(0))


def _json_id(doc_id: Any) -> Any:
    return doc_id if isinstance(doc_id, (str, int, float, bool)) or doc_id is None else str(doc_id)


def _json_safe(value: Any) -> Any:
    """NaN and infinities become None; tuples become lists; PRF becomes a dict."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, PRF):
        return _json_safe(value.as_dict())
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value
