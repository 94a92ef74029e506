"""The numpy alpha-u path of the report gives exactly ``unitizing.disagreements``' fractions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.report import _prepare, _unitizing, _unitizing_from_spans

LABELS = ["A", "B", "C"]


@st.composite
def corpora(draw: st.DrawFn) -> tuple[list, list[str]]:
    coders = [f"r{n}" for n in range(draw(st.integers(2, 5)))]
    docs = []
    for number in range(draw(st.integers(1, 4))):
        length = draw(st.integers(0, 40))
        spans = {}
        for coder in coders:
            if draw(st.booleans()) or number == 0:
                bounds = st.tuples(st.integers(0, length), st.integers(0, length), st.sampled_from(LABELS))
                spans[coder] = [(min(a, b), max(a, b), lab) for a, b, lab in draw(st.lists(bounds, max_size=8))]
        docs.append(_prepare(number, "x" * length, spans))
    return docs, coders


@settings(max_examples=300, deadline=None)
@given(corpora())
def test_fast_alpha_u_equals_disagreements(corpus: tuple[list, list[str]]) -> None:
    docs, coders = corpus
    assert _unitizing(docs, coders, LABELS) == _unitizing_from_spans(docs, coders, LABELS)


def test_overlapping_and_touching_units_of_one_coder() -> None:
    docs = [_prepare("d", "x" * 30, {"a": [(0, 5, "A"), (3, 9, "A"), (9, 12, "A"), (20, 20, "A")],
                                     "b": [(2, 10, "A"), (25, 30, "A")]})]
    fast = _unitizing(docs, ["a", "b"], ["A"])
    assert fast == _unitizing_from_spans(docs, ["a", "b"], ["A"])
    assert fast["A"][0] > 0
