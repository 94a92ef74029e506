"""brat, CoNLL and Label Studio fast paths write exactly what the plain code they replace wrote."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.exporters import json_array, labelstudio
from annotator.exporters.common import ExportAnnotation

TEXT = st.text(alphabet=st.sampled_from("aé\"\\\n\t\u2028\x85 👨‍👩‍👧قال\x00\x1f\x7f<&/"), max_size=8)
SCALARS = st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | TEXT  # no floats: orjson spells some otherwise


def annotation(text: str = "q", note: str | None = None, label: str = "Claim", start: int = 3) -> ExportAnnotation:
    return ExportAnnotation("a1", "d1", start, start + 4, label, "l1", text, "", "", "alice", "gold", None, {}, note,
                            "c", "u")


ANNOTATIONS = st.builds(annotation, TEXT, st.none() | TEXT, TEXT, st.integers(0, 10**9)).map(labelstudio.region)
JSON = st.recursive(SCALARS | ANNOTATIONS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(JSON, max_size=7), st.integers(1, 3))
def test_json_arrays_are_json_dump_with_indent_2(value: Any, chunk: int) -> None:
    """Label Studio's tasks (one at a time) and ClaimReview's reviews (500 at a time) are written by ``json_array``."""
    assert json_array.dumps(value, chunk).decode("utf-8") == json.dumps(value, ensure_ascii=False, indent=2)


def test_labelstudio_region_with_a_note_at_depth() -> None:
    tasks = [{"annotations": [{"result": [labelstudio.region(annotation("x\ny", note="n\u2028")),
                                          labelstudio.region(annotation())]}], "predictions": [], "meta": {}}]
    written = json_array.dumps(tasks).decode("utf-8")
    assert written == json.dumps(tasks, ensure_ascii=False, indent=2)
    assert '"meta": {\n              "text": [\n                "n\u2028"' in written and '"meta": {}' in written


def test_brat_metadata_fields_are_in_document_field_order() -> None:
    """brat's metadata.json is built by getattr in METADATA_FIELDS order, as Document.to_dict ordered it."""
    from dataclasses import fields

    from annotator.exporters.brat import METADATA_FIELDS
    from annotator.models import Document

    order = [f.name for f in fields(Document)]
    assert [order.index(k) for k in METADATA_FIELDS] == sorted(order.index(k) for k in METADATA_FIELDS)


def old_conll_body(text: str, tags: list[str]) -> tuple[str, int]:
    """The per-token loop conll.write had before: a blank line where a line break lies between two tokens."""
    from annotator.tokens import tokenize

    lines, previous_end, split = [], None, 0
    for (start, end), tag in zip(tokenize(text), tags):
        if previous_end is not None and start != previous_end and "\n" in text[previous_end:start]:
            lines.append("\n")
            if tag.startswith("I-"):
                tag, split = "B-" + tag[2:], split + 1
        lines.append(f"{text[start:end]} {tag}\n")
        previous_end = end
    return "".join(lines), split


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "1,200", "1.5", " ", "\n", "\r\n", "\u2028", "don't", "👨‍👩‍👧", "é", ","]),
                max_size=30).map("".join), st.data())
def test_conll_blocks_are_the_old_per_token_loop(text: str, data: st.DataObject) -> None:
    """One span over random tokens: its blocks (and the B- after a line break) as the per-token loop wrote them."""
    from annotator.tokens import tokenize
    from tests.test_conll_fast import coded_body

    tokens = tokenize(text)
    first = data.draw(st.integers(0, len(tokens)))
    last = data.draw(st.integers(first, len(tokens)))
    rows = [("a1", tokens[first][0], tokens[last - 1][1], "x", "bob", "gold")] if first < last else []
    tags = ["O"] * len(tokens)
    tags[first:last] = ["B-X", *["I-X"] * (last - first - 1)] if first < last else []
    body, _, _, split = coded_body(text, rows, document_id="d", labels={"x": "X"})
    assert (body, split) == old_conll_body(text, tags)


def test_numbers_stay_one_conll_token() -> None:
    from annotator.tokens import tokenize_words

    assert tokenize_words("at least 1,200 or 1.5\nx")[1] == ["at", "least", "1,200", "or", "1.5", "x"]
