"""``token_bounds`` (the prefixed pattern) gives exactly ``tokenize``'s tokens."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.tokens import token_bounds, tokenize

TRICKY = ["don't", "state-of-the-art", "می‌خواهم", "1,200", "1.5", "3.000.000", "12.5abc", "a1.5", "e\u0301",
          "👍🏽", "❤️", "👨‍👩‍👧", "🇫🇷🇩🇪", "🇫", "\u0301x", "x\u200d", "’", "-", ".", ",", "9", "_", "\U000E0067",
          "\u200d👍", "‍", " ", "\n", "\t", "\x1c", "ق\u064e", "ठी", "🏽", "1,", ",5"]


def _same(text: str) -> None:
    tokens = tokenize(text)
    assert token_bounds(text) == ([s for s, _ in tokens], [e for _, e in tokens])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TRICKY), max_size=12).map("".join))
def test_tricky_pieces(text: str) -> None:
    _same(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text(text: str) -> None:
    _same(text)


def test_examples() -> None:
    text = "Don't 1,200 state-of-the-art 👨‍👩‍👧 🇫🇷 e\u0301te — «ok»"
    _same(text)
    assert len(token_bounds(text)[0]) == len(tokenize(text)) == 10
