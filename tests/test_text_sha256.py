"""``text.sha256`` keeps the last digest: it must equal hashlib's for every text, in any order of calls."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from annotator.text import sha256


def plain(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"])), max_size=8), st.randoms())
def test_same_digest_as_hashlib_in_any_order(texts: list[str], rng) -> None:
    calls = texts + [t for t in texts if rng.random() < 0.5] + [""]
    rng.shuffle(calls)
    for text in calls:
        assert sha256(text) == plain(text)
        copy = "".join(list(text))  # equal, maybe another object
        assert sha256(copy) == plain(text)


def test_a_different_text_after_one_of_the_same_length() -> None:
    assert sha256("e\u0301te\u0301") == plain("e\u0301te\u0301")
    assert sha256("\u00e9t\u00e9 a") != sha256("e\u0301te\u0301")
    assert sha256("") == plain("")
