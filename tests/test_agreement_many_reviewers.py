"""The corpus report's counted measures equal the reference functions with many reviewers.

The report counts span matches by groups of reviewers (one indicator row per group of mutually
matching spans) and token codes by runs between span boundaries (one weighted row per run); here
random corpora with up to eight reviewers, clustered spans (so groups form, and conflicts fall back
to pairwise greedy matching) are scored both ways, pair by pair.
"""

from __future__ import annotations

import math
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import agreement_report, alpha_nominal, alpha_unitizing, cohen_kappa, fleiss_kappa, span_prf
from annotator.tokens import token_labels, tokenize

WORDS = ["Le", "ministre", "a", "dit", "1,200", "morts", "été", "à", "Gaza", ".", "«", "non", "»", "👍🏽"]
LABELS = ["Claim", "Actor", "Figure"]
Docs = list[tuple[str, str, dict[str, list[tuple[int, int, str]]]]]


@st.composite
def corpora(draw: st.DrawFn) -> tuple[list[str], Docs]:
    reviewers = [f"r{n}" for n in range(draw(st.integers(2, 8)))]
    docs = []
    for number in range(draw(st.integers(1, 4))):
        text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25)))
        anchors = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 8)), min_size=1, max_size=4))
        spans = {}
        for reviewer in reviewers:
            if reviewer == reviewers[0] or draw(st.integers(0, 4)):
                mine = []
                for _ in range(draw(st.integers(0, 4))):
                    start, width = draw(st.sampled_from(anchors))
                    start = min(len(text), max(0, start + draw(st.sampled_from([0, 0, 0, 1, -1]))))
                    end = min(len(text), start + width + draw(st.integers(0, 2)))
                    mine.append((start, end, draw(st.sampled_from(LABELS))))
                spans[reviewer] = mine
        docs.append((f"d{number}", text, spans))
    return reviewers, docs


def _close(fast: float | None, reference: float) -> bool:
    if fast is None:
        return math.isnan(reference)
    return not math.isnan(reference) and abs(fast - reference) <= 1e-9


@settings(max_examples=120, deadline=None)
@given(corpora())
def test_many_reviewers_equal_the_reference_functions(corpus: tuple[list[str], Docs]) -> None:
    reviewers, docs = corpus
    report = agreement_report(docs, reviewers, per_document=False)
    names = report["labels"]
    for view in (None, *names):
        block = report["corpus"]["overall"] if view is None else report["corpus"]["per_label"][view]
        labels: dict[str, list[str | None]] = {r: [] for r in reviewers}
        for _, text, spans in docs:
            tokens = tokenize(text)
            for r in reviewers:
                mine = [s for s in spans.get(r, []) if view is None or s[2] == view]
                labels[r] += token_labels(tokens, mine) if r in spans else [None] * len(tokens)
        pairs = {(p["a"], p["b"]): p for p in block["pairwise"]}
        assert list(pairs) == list(combinations(reviewers, 2))
        for (a, b), pair in pairs.items():
            shared = [spans for _, _, spans in docs if a in spans and b in spans]
            assert pair["n_documents"] == len(shared)
            for mode in ("exact", "overlap"):
                tp = fp = fn = 0
                for spans in shared:
                    prf = span_prf(spans[a], spans[b], mode, view)
                    tp, fp, fn = tp + prf.tp, fp + prf.fp, fn + prf.fn
                assert (pair[mode]["tp"], pair[mode]["fp"], pair[mode]["fn"]) == (tp, fp, fn)
            both = [(x, y) for x, y in zip(labels[a], labels[b], strict=True) if x is not None and y is not None]
            assert pair["n_tokens"] == len(both)
            assert _close(pair["cohen_kappa"], cohen_kappa([x for x, _ in both], [y for _, y in both]))
        ratings = [list(item) for item in zip(*(labels[r] for r in reviewers), strict=True)]
        assert _close(block["alpha_nominal"], alpha_nominal([labels[r] for r in reviewers]) if ratings else math.nan)
        if len(reviewers) >= 3:
            complete = [i for i in ratings if None not in i]
            assert _close(block["fleiss_kappa"], fleiss_kappa(complete) if complete else math.nan)
    # alpha-u over the documents every reviewer took part in, as one continuum
    units: dict[str, list[tuple[int, int, str]]] = {r: [] for r in reviewers}
    offset = 0
    for _, text, spans in docs:
        if all(r in spans for r in reviewers):
            for r in reviewers:
                units[r] += [(s + offset, e + offset, lab) for s, e, lab in spans[r]]
            offset += len(text)
    assert _close(report["corpus"]["overall"]["alpha_unitizing"], alpha_unitizing(offset, units))


@settings(max_examples=40, deadline=None)
@given(corpora())
def test_the_corpus_block_does_not_depend_on_per_document(corpus: tuple[list[str], Docs]) -> None:
    reviewers, docs = corpus
    assert agreement_report(docs, reviewers, per_document=False)["corpus"] == agreement_report(docs, reviewers)["corpus"]
