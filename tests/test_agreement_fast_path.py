"""The report's vectorised measures (joint tables by bincount, alpha from coincidences) equal the reference functions.

``agreement_report`` never calls ``cohen_kappa``, ``fleiss_kappa`` or ``alpha_nominal``: it counts
once with numpy and derives every measure from the counts. Here random projects (reviewers who
skip documents, overlapping spans, one label dominating) are scored both ways.
"""

from __future__ import annotations

import math

import krippendorff
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import agreement_report, alpha_nominal, cohen_kappa, fleiss_kappa
from annotator.tokens import token_labels, tokenize

WORDS = ["Le", "ministre", "a", "dit", "1,200", "morts", "été", "à", "Gaza", ".", "«", "non", "»", "👍🏽"]
REVIEWERS = ["ana", "ben", "cy"]
LABELS = ["Claim", "Actor", "Figure"]


@st.composite
def projects(draw: st.DrawFn) -> list[tuple[str, str, dict[str, list[tuple[int, int, str]]]]]:
    docs = []
    for number in range(draw(st.integers(1, 4))):
        text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25)))
        spans = {}
        for reviewer in REVIEWERS:
            if draw(st.booleans()) or reviewer == "ana":
                spans[reviewer] = [
                    (min(a, b), max(a, b), draw(st.sampled_from(LABELS)))
                    for a, b in draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=5))]
        docs.append((f"d{number}", text, spans))
    return docs


def _close(fast: float | None, reference: float) -> bool:
    if fast is None:
        return math.isnan(reference)
    return not math.isnan(reference) and abs(fast - reference) <= 1e-12


@settings(max_examples=150, deadline=None)
@given(projects())
def test_report_measures_equal_the_reference_functions(docs: list) -> None:
    report = agreement_report(docs, REVIEWERS)
    labels = {r: [] for r in REVIEWERS}  # concatenated token labels, None where the reviewer did not take part
    for _, text, spans in docs:
        tokens = tokenize(text)
        for r in REVIEWERS:
            labels[r] += token_labels(tokens, spans[r]) if r in spans else [None] * len(tokens)
    overall = report["corpus"]["overall"]
    for pair in overall["pairwise"]:
        both = [(x, y) for x, y in zip(labels[pair["a"]], labels[pair["b"]], strict=True) if x is not None and y is not None]
        a, b = [x for x, _ in both], [y for _, y in both]
        assert _close(pair["cohen_kappa"], cohen_kappa(a, b))
        assert _close(pair["cohen_kappa_annotated_only"], cohen_kappa(a, b, include_unannotated=False))
    ratings = [list(item) for item in zip(*(labels[r] for r in REVIEWERS), strict=True)]
    assert _close(overall["fleiss_kappa"], fleiss_kappa([i for i in ratings if None not in i]) if ratings else math.nan)
    by_rater = [labels[r] for r in REVIEWERS]
    reference = alpha_nominal(by_rater) if ratings else math.nan
    assert _close(overall["alpha_nominal"], reference)
    if not math.isnan(reference):  # and the package itself, on the same data
        codes = {v: i for i, v in enumerate(sorted({v for row in by_rater for v in row if v is not None}))}
        data = np.array([[codes[v] if v is not None else np.nan for v in row] for row in by_rater], dtype=float)
        assert abs(overall["alpha_nominal"] - krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")) < 1e-9
    for label, block in report["corpus"]["per_label"].items():  # a label's view: its spans against "O"
        binary: dict[str, list[str | None]] = {r: [] for r in REVIEWERS}
        for _, text, spans in docs:
            tokens = tokenize(text)
            for r in REVIEWERS:
                binary[r] += (token_labels(tokens, [s for s in spans[r] if s[2] == label]) if r in spans
                              else [None] * len(tokens))
        assert _close(block["alpha_nominal"], alpha_nominal([binary[r] for r in REVIEWERS]) if ratings else math.nan)
