"""The tokenizer's pattern (every branch prefixed by one ``\\S``, for speed) gives exactly the tokens of the
plain alternation the module docstring describes, kept here as the reference; ``token_bounds`` and
``tokenize_words`` give the same tokens as ``tokenize``."""

from __future__ import annotations

import re
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.tokens import _char_class, _mark_code_points, token_bounds, tokenize, tokenize_words


@cache
def reference() -> re.Pattern[str]:
    """number | word (runs joined by one apostrophe, hyphen or zero-width (non-)joiner) | symbol with its
    extenders and zero-width-joined symbols (a flag: two regional indicators)."""
    marks = _char_class(_mark_code_points())
    word_char = rf"[\w{marks}]"
    number = r"\d+(?:[.,]\d+)+"
    word = rf"(?:{number}|{word_char}+)(?:[’'\-\u200c\u200d]{word_char}+)*"
    extend = rf"[{marks}\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F]"
    symbol_head = r"(?:[\U0001F1E6-\U0001F1FF]{2}|[^\w\s])"
    symbol = rf"{symbol_head}{extend}*(?:\u200d{symbol_head}{extend}*)*"
    return re.compile(f"{word}|{symbol}")

TRICKY = ["don't", "state-of-the-art", "می‌خواهم", "1,200", "1.5", "3.000.000", "12.5abc", "a1.5", "e\u0301",
          "👍🏽", "❤️", "👨‍👩‍👧", "🇫🇷🇩🇪", "🇫", "\u0301x", "x\u200d", "’", "-", ".", ",", "9", "_", "\U000E0067",
          "\u200d👍", "‍", " ", "\n", "\t", "\x1c", "ق\u064e", "ठी", "🏽", "1,", ",5",
          # astral marks (tested apart from the BMP ones), astral letters and digits
          "\U0001D167", "\U000E0100", "\U00011001", "\U0001E944", "𝐀", "\U00020000", "\U0001D7CE", "\U000E0020"]


def _same(text: str) -> None:
    tokens = tokenize(text)
    assert tokens == [m.span() for m in reference().finditer(text)]
    assert token_bounds(text) == ([s for s, _ in tokens], [e for _, e in tokens])
    assert tokenize_words(text) == (tokens, [text[s:e] for s, e in tokens])


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


# Whitespace of every kind (str.split and \s agree on it) and the pieces a faster tokenizer would have to
# get right: joiners, marks (BMP and astral), emoji with modifiers, tag sequences, flags, scripts, surrogates.
WHITESPACE = [" ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u00a0",
              "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
PIECES = ["a", "word", "The", "_", "a_b", "12", "1,200", "1.5", "3.000.000", "1,", ",5", ".", ",", "'", "’", "-",
          "don't", "state-of-the-art", "\u200d", "\u200c", "می\u200cخواهم", "(", "«", "“", "—", "e\u0301",
          "\u0301", "ق\u064e", "قتل", "नमस्ते", "\u093f", "\U0001D167", "\U000E0100", "𝐀", "\U0001D7CE", "👍🏽",
          "🏽", "❤\ufe0f", "\ufe0f", "👨\u200d👩\u200d👧", "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",
          "\U000E0020", "🇫", "🇫🇷🇩🇪", "\ud800", "\udfff", "\x00", "\u00ad", "²", "½", "Ⅷ"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(WHITESPACE)), max_size=30).map("".join))
def test_every_whitespace_and_piece(text: str) -> None:
    _same(text)
    # whitespace never inside a token, and every other character in one
    covered = {i for start, end in tokenize(text) for i in range(start, end)}
    assert covered == {i for i, char in enumerate(text) if not char.isspace()}
