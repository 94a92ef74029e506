"""``annotator.tokens`` tokenizes a text by its space-separated pieces, each remembered once (``_Memo``); the
tokens must be exactly the pattern's (``_token_pattern``, itself checked against the plain alternation in
tests/test_token_bounds.py) on any text, with the memo empty, warm, or replaced between calls."""

from __future__ import annotations

import re
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import tokens

WHITESPACE = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85",
              "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
PIECES = ["a", "word", "The", "x", "_", "a_b", "9", "12", "1,200", "1.5", "3.000.000", ".", ",", "1,", ",5",
          "'", "’", "-", "don't", "state-of-the-art", "\u200d", "\u200c", "می\u200cخواهم", "(", ")", "«", "»", "“",
          "—", "!", "?", ":", "e\u0301", "\u0301", "ق\u064e", "قتل", "ठी", "नमस्ते", "\u093f", "\U0001D167",
          "\U000E0100", "\U00011001", "𝐀", "\U0001D7CE", "\U00020000", "👍", "🏽", "👍🏽", "❤", "\ufe0f", "❤️",
          "👨\u200d👩\u200d👧", "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
          "\U000E0020", "🇫", "🇷", "🇫🇷", "🇫🇷🇩🇪", "\ud800", "\udfff", "\x00", "\u00ad", "²", "½", "Ⅷ"]


def reference(text: str) -> tuple[list[int], list[int], list[str]]:
    matches = list(tokens._token_pattern().finditer(text))
    return [m.start() for m in matches], [m.end() for m in matches], [m.group() for m in matches]


def same(text: str) -> None:
    starts, ends, words = reference(text)
    spans = list(zip(starts, ends))
    assert tokens.token_columns(text) == (starts, ends, words)
    assert tokens.token_bounds(text) == (starts, ends)
    assert tokens.tokenize(text) == spans
    assert tokens.tokenize_words(text) == (spans, words)


def check(text: str) -> None:
    """With the memo as it is, then with a fresh one learning new pieces together and one by one."""
    same(text)
    kept, one_by_one = tokens._memo, tokens._ONE_BY_ONE
    try:
        for tokens._ONE_BY_ONE in (0, 1, 1000):
            tokens._memo = tokens._Memo()
            same(text)
            assert tokens.token_bounds(text) == reference(text)[:2]  # learnt by token_bounds alone
    finally:
        tokens._memo, tokens._ONE_BY_ONE = kept, one_by_one


texts = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(WHITESPACE)), max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_warm_memo(text: str) -> None:
    """The memo kept from example to example (and from the other tests): pieces met before and new ones."""
    check(text)
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_empty_memo(batch: list[str]) -> None:
    """A fresh memo per batch: the first text learns every piece, the next ones some."""
    tokens._memo = tokens._Memo()
    for text in batch:
        check(text)
    for text in reversed(batch):  # token_bounds learning first, token_columns after
        tokens._memo = tokens._Memo()
        assert tokens.token_bounds(text) == reference(text)[:2]
        check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(alphabet=" \n\u00a0", max_size=3))
def test_any_text(text: str, gap: str) -> None:
    check(text)
    check(gap.join([text, text[::-1], text]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_long_pieces(text: str) -> None:
    """Few spaces: the text goes through the pattern whole, or its long pieces are learnt as they come."""
    check(text)
    check(f"{text} {text}")


def test_full_memo_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "_MEMO_PIECES", 3)
    first = tokens._memo
    text = "one two three four. five, 1,200 été"
    check(text)
    check(text + " six")
    assert tokens._memo is not first
    assert len(tokens._memo) <= 12


def test_examples() -> None:
    text = "Don't 1,200 state-of-the-art 👨‍👩‍👧 🇫🇷 e\u0301te — «ok»\n\n said.\n  "
    check(text)
    assert tokens.token_columns(text)[2] == ["Don't", "1,200", "state-of-the-art", "👨‍👩‍👧", "🇫🇷", "e\u0301te",
                                             "—", "«", "ok", "»", "said", "."]
    for text in ["", " ", "  ", "\n", " \n ", "a", " a", "a ", "a\n", "a.\n", ".\n\n.", "\u3000x\u3000"]:
        check(text)


def test_threads_share_the_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads learning and replacing the memo at once still get the pattern's tokens."""
    monkeypatch.setattr(tokens, "_MEMO_PIECES", 40)
    words = re.findall(r"\S+", " ".join(PIECES))
    texts = [" ".join(words[i:] + words[:i]) + f" w{i}, n{i}.\n" for i in range(len(words))]
    expected = [reference(text) for text in texts]
    wrong: list[str] = []

    def run(offset: int) -> None:
        for _ in range(5):
            for i in range(len(texts)):
                j = (i + offset) % len(texts)
                if tokens.token_columns(texts[j]) != expected[j] or tokens.token_bounds(texts[j]) != expected[j][:2]:
                    wrong.append(texts[j])

    threads = [threading.Thread(target=run, args=(k * 7,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
