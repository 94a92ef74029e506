"""Word tokenization and token labelling for token-level agreement measures.

Offsets are Python string indices (code points), start inclusive, end exclusive,
exactly like annotation spans.

A token is either

* a *word*: a run of word characters (``\\w`` plus every combining mark, Unicode
  categories Mn/Mc/Me, so ``"e\\u0301"``, Arabic harakat and Devanagari vowel
  signs stay inside their word), where runs may be joined by one apostrophe
  (``'`` or ``’``), hyphen or zero-width (non-)joiner: ``don't``, ``state-of-the-art``,
  Persian ``می‌خواهم``; digits joined by one ``.`` or ``,`` stay one word, as spaCy
  tokenises numbers (``1,200``, ``1.5``, ``3.000.000``), so exported tokens match spaCy's;
* or a *symbol*: one character that is neither a word character nor whitespace,
  together with the combining marks, variation selectors, emoji skin-tone modifiers
  and tag characters that follow it, and with further symbols glued on by a zero-width
  joiner. A pair of regional indicators (a flag) is one symbol. So ``👍🏽``, ``❤️``,
  ``👨‍👩‍👧`` and ``🇫🇷`` are one token each.

Whitespace is never part of a token.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import cache

from annotator import unicode_marks

PATTERN_VERSION = 1
"""The token rules' version: bump it whenever ``tokenize`` could give other tokens for some text (the pattern, the
mark table), so tokens stored by an older one (``document_tokens``, ``annotator/stored_tokens.py``) are misses; and
append a migration calling ``stored_tokens.fill_all`` (it replaces them), or exports tokenize until texts are written."""

TOKENIZER = f"{PATTERN_VERSION}/unicode-{unicodedata.unidata_version}"
"""What a stored row's tokens were made by: this version and Python's Unicode data (``\\w`` and the marks follow it)."""

UNANNOTATED = "O"
"""The label of a token that no span covers."""

Span = tuple[int, int, str]
Token = tuple[int, int]

# Combining marks only exist in planes 0, 1 and 14 (variation selectors supplement).
_MARK_PLANES = (range(0x20000), range(0xE0000, 0xE1000))


def _char_class(code_points: Iterable[int]) -> str:
    """Compress sorted code points into the body of a regex character class."""
    parts: list[str] = []
    run_start = run_end = -2
    for cp in code_points:
        if cp == run_end + 1:
            run_end = cp
            continue
        if run_start >= 0:
            parts.append(_class_range(run_start, run_end))
        run_start = run_end = cp
    if run_start >= 0:
        parts.append(_class_range(run_start, run_end))
    return "".join(parts)


def _class_range(first: int, last: int) -> str:
    if first == last:
        return re.escape(chr(first))
    return f"{re.escape(chr(first))}-{re.escape(chr(last))}"


def _mark_code_points() -> Iterable[int]:
    """Every combining mark, from the precomputed table when it matches Python's Unicode version."""
    if unicodedata.unidata_version == unicode_marks.UNICODE_VERSION:
        return (cp for first, last in unicode_marks.MARK_RANGES for cp in range(first, last + 1))
    return (cp for plane in _MARK_PLANES for cp in plane if unicodedata.category(chr(cp)).startswith("M"))


_ASTRAL = r"[\U00010000-\U0010FFFF]"


def _one_of(bmp: str, astral: str) -> tuple[str, str]:
    """The character class ``[bmp astral]`` as one character and as a run of them (``*``), with the astral
    part tested only on an astral character.

    sre tests the astral ranges of a class one by one (a BMP class is one table lookup), and every token ends
    on a character that fails the word or extender class: the 110 astral ranges of the combining marks cost
    a third of tokenizing. Here a character outside the BMP class is first checked against the one astral
    range, and only an astral one against the astral class (a one-character lookbehind on it)."""
    other = f"{_ASTRAL}(?<=[{astral}])"
    return f"(?:[{bmp}]|{other})", f"[{bmp}]*(?:{other}[{bmp}]*)*"


@cache
def _token_pattern() -> re.Pattern[str]:
    """The tokens of the module docstring, in the order number | word | flag | other symbol. Every branch
    starts with one non-space character, consumed by ``\\S`` and then checked by a one-character lookbehind,
    so the regex engine skips whitespace in C instead of trying every branch there (10-30% faster than the
    plain alternation, which tests/test_token_bounds.py keeps as the reference); the classes holding combining
    marks test their astral part only on astral characters (``_one_of``)."""
    code_points = list(_mark_code_points())
    bmp_marks = _char_class(cp for cp in code_points if cp <= 0xFFFF)
    astral_marks = _char_class(cp for cp in code_points if cp > 0xFFFF)
    word_char, word_run = _one_of(rf"\w{bmp_marks}", astral_marks)
    is_word = rf"(?:(?<=[\w{bmp_marks}])|(?<={_ASTRAL})(?<=[{astral_marks}]))"
    joined = rf"(?:[’'\-\u200c\u200d]{word_char}{word_run})*"
    _, extend_run = _one_of(bmp_marks, rf"{astral_marks}\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F")
    symbol_head = r"(?:[\U0001F1E6-\U0001F1FF]{2}|[^\w\s])"
    symbol_rest = rf"{extend_run}(?:\u200d{symbol_head}{extend_run})*"
    return re.compile(
        rf"\S(?:(?<=\d)\d*(?:[.,]\d+)+{joined}"  # number
        rf"|{is_word}{word_run}{joined}"  # word
        rf"|(?<=[\U0001F1E6-\U0001F1FF])[\U0001F1E6-\U0001F1FF]{symbol_rest}"  # flag
        rf"|(?<=[^\w\s]){symbol_rest})"  # other symbol
    )


def tokenize(text: str) -> list[Token]:
    """The ``(start, end)`` offsets of the word and symbol tokens of ``text``."""
    return list(map(re.Match.span, _token_pattern().finditer(text)))


def token_bounds(text: str) -> tuple[list[int], list[int]]:
    """The starts and the ends of ``tokenize(text)``, for counting (agreement)."""
    spans = tokenize(text)
    return [s for s, _ in spans], [e for _, e in spans]


def tokenize_words(text: str) -> tuple[list[Token], list[str]]:
    """``tokenize(text)`` and the tokens' text, from one regex pass with no Python code per token."""
    matches = list(_token_pattern().finditer(text))
    return list(map(re.Match.span, matches)), list(map(re.Match.group, matches))


def token_columns(text: str) -> tuple[list[int], list[int], list[str]]:
    """The tokens' starts, ends and text as three parallel lists (CoNLL aligns on the first two, writes the third)."""
    matches = list(_token_pattern().finditer(text))
    return list(map(re.Match.start, matches)), list(map(re.Match.end, matches)), list(map(re.Match.group, matches))


def _priority(span: Span) -> tuple[int, int, str]:
    start, end, label = span
    return (-(end - start), start, label)


def token_labels(tokens: Sequence[Token], spans: Iterable[Span], unannotated: str = UNANNOTATED) -> list[str]:
    """One label per token: that of a span overlapping it, else ``unannotated``.

    A token is covered by a span when they share at least one character
    (``span.start < token.end and token.start < span.end``), so a span that cuts a
    word in half still labels the whole word. When several spans cover a token
    the winner is, deterministically:

    1. the longest span (``end - start``),
    2. then the one that starts first,
    3. then the one whose label sorts first.

    ``tokens`` must be sorted and non-overlapping, as ``tokenize`` returns them.
    Empty spans (``start == end``) cover nothing.
    """
    labels: list[str | None] = [None] * len(tokens)
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    for start, end, label in sorted(spans, key=_priority):
        if start >= end:
            continue
        # From the first token ending after the span starts to the last one
        # starting before it ends.
        i = bisect_left(ends, start + 1)
        while i < len(tokens) and starts[i] < end:
            if labels[i] is None:
                labels[i] = label
            i += 1
    return [unannotated if lab is None else lab for lab in labels]
