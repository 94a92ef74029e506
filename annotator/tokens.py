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
from itertools import accumulate, chain, compress, count, filterfalse, islice, repeat
from operator import add, mul, ne, not_, or_, sub

from annotator import unicode_marks

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


# Tokenizing by pieces.
#
# No token holds whitespace, every non-space character starts one, and the pattern only ever looks at the
# characters it consumes (its lookbehinds test the one it has just read), so the tokens of a text are those
# of its space-separated pieces, each tokenized alone and shifted to where it stands. News text repeats its
# pieces ("the", "said.", "1,200"): each distinct piece goes through the pattern once and is remembered as
# three values per token, (advance, length, text), where the advance runs from the end of the token before
# (for the first, from the space before the piece) to the token's end. A text is then ``str.split(" ")``,
# one dict lookup per piece, and a running sum of the advances (the ends) less the lengths (the starts),
# all in C: no regex search and no match object per token.
#
# A piece whose end is not the end of a token (empty, or ending in other whitespace: "", "said.\n")
# ends with a *filler*, an empty token (advance, 0, "") up to its end, dropped from the result.

_MEMO_PIECES = 1 << 16
_MEMO_CHARS = 1 << 21
"""Distinct pieces and their characters remembered before starting afresh (a few MB; news vocabularies fit)."""

_MEAN_PIECE = 24
"""A text whose pieces are longer than this on average (Chinese, Japanese, Thai) goes through the pattern whole."""

_ONE_BY_ONE = 16
"""New pieces of a text learnt one by one (``_learn_one``), each when first looked up; past that many the
text's new pieces are learnt together (``_learn``), which costs more to start and less per piece."""


class _ManyNew(Exception):
    """A text brings more than ``_ONE_BY_ONE`` new pieces."""


class _Memo(dict[str, tuple]):
    """Piece -> its tokens' (advance, length, text) triples, flat; ``fillers``: the pieces ending with a
    filler. Entries are only ever added (a full memo is replaced, not emptied), a piece's filler before the
    piece, so a call that finds a piece finds its filler. ``new`` counts the pieces learnt one by one since a
    call began (shared by threads, it only decides how pieces are learnt, never what they hold)."""

    __slots__ = ("chars", "fillers", "new")

    def __init__(self) -> None:
        super().__init__()
        self.fillers: set[str] = set()
        self.chars = 0
        self.new = 0

    def __missing__(self, piece: str) -> tuple:
        self.new += 1
        if self.new > _ONE_BY_ONE:
            raise _ManyNew
        return _learn_one(self, piece)


_memo = _Memo()


def _learn_one(memo: _Memo, piece: str) -> tuple:
    """Remember one piece. A word piece (``isalnum``: the pattern's word runs are ``\\w`` and marks, and
    ``isalnum`` is ``\\w`` less "_") is one token."""
    if piece.isalnum():
        triples: tuple = (len(piece) + 1, len(piece), piece)
    else:
        found: list = []
        last = -1
        for match in _token_pattern().finditer(piece):
            start, end = match.span()
            found += (end - last, end - start, match.group())
            last = end
        if last != len(piece):
            found += (len(piece) - last, 0, "")
            memo.fillers.add(piece)
        triples = tuple(found)
    memo.chars += len(piece)
    memo[piece] = triples
    return triples


def _learn(memo: _Memo, pieces: list[str]) -> None:
    """Remember the pieces of a text that ``memo`` lacks, all at once: word pieces as in ``_learn_one``, the
    others through the pattern together, joined by spaces (one search, its tokens those of each piece), and
    cut back into pieces by offset and count."""
    new = list(set(filterfalse(memo.__contains__, pieces)))
    memo.chars += sum(map(len, new))
    is_word = list(map(str.isalnum, new))
    others = list(compress(new, map(not_, is_word)))
    if others:
        matches = list(_token_pattern().finditer(" ".join(others)))
        starts = list(map(re.Match.start, matches))
        ends = list(map(re.Match.end, matches))
        offsets = list(accumulate(map(add, map(len, others), repeat(1)), initial=0))  # where each piece starts
        firsts = list(map(bisect_left, repeat(starts), offsets))  # its first match (and one past the last)
        counts = list(map(sub, firsts[1:], firsts))
        tail = [-1, *ends]  # tail[i]: the end of match i - 1
        lasts = tail[:]  # the end of the token before each one: the space before its piece for the first
        for first, offset in zip(firsts, offsets):
            lasts[first] = offset - 1
        triples = chain.from_iterable(zip(map(sub, ends, lasts), map(sub, ends, starts), map(re.Match.group, matches)))
        learnt = list(map(tuple, map(islice, repeat(triples), map(mul, counts, repeat(3)))))
        # A piece with no token, or whose last token does not end it, ends with a filler.
        piece_ends = map(sub, offsets[1:], repeat(1))
        last_ends = map(tail.__getitem__, firsts[1:])
        for index in compress(count(), map(or_, map(not_, counts), map(ne, piece_ends, last_ends))):
            last = ends[firsts[index + 1] - 1] if counts[index] else offsets[index] - 1
            learnt[index] += (offsets[index + 1] - 1 - last, 0, "")
            memo.fillers.add(others[index])
        memo.update(zip(others, learnt))
    words = list(compress(new, is_word))
    lengths = list(map(len, words))
    memo.update(zip(words, zip(map(add, lengths, repeat(1)), lengths, words)))


def _triples(text: str) -> tuple[list, bool] | None:
    """The (advance, length, text) of every token and filler of ``text``, flat, and whether there are fillers;
    None if the text is better tokenized whole."""
    global _memo
    pieces = text.split(" ")
    if len(text) > _MEAN_PIECE * len(pieces):
        return None
    memo = _memo
    if len(memo) > _MEMO_PIECES or memo.chars > _MEMO_CHARS:
        memo = _memo = _Memo()
    memo.new = 0
    try:
        flat = list(chain.from_iterable(map(memo.__getitem__, pieces)))
    except _ManyNew:
        _learn(memo, pieces)
        flat = list(chain.from_iterable(map(memo.__getitem__, pieces)))
    return flat, bool(memo.fillers) and not memo.fillers.isdisjoint(pieces)


def token_columns(text: str) -> tuple[list[int], list[int], list[str]]:
    """The tokens' starts, ends and text as three parallel lists (CoNLL aligns on the first two, writes the third)."""
    found = _triples(text)
    if found is None:
        matches = list(_token_pattern().finditer(text))
        return list(map(re.Match.start, matches)), list(map(re.Match.end, matches)), list(map(re.Match.group, matches))
    flat, fillers = found
    ends = list(accumulate(flat[0::3], initial=-1))
    del ends[0]
    starts = list(map(sub, ends, flat[1::3]))
    words = flat[2::3]
    if fillers:  # their text is "", false
        return list(compress(starts, words)), list(compress(ends, words)), list(filter(None, words))
    return starts, ends, words


def token_bounds(text: str) -> tuple[list[int], list[int]]:
    """The starts and the ends of ``tokenize(text)``, for counting (agreement)."""
    starts, ends, _ = token_columns(text)
    return starts, ends


def tokenize(text: str) -> list[Token]:
    """The ``(start, end)`` offsets of the word and symbol tokens of ``text``."""
    starts, ends, _ = token_columns(text)
    return list(zip(starts, ends))


def tokenize_words(text: str) -> tuple[list[Token], list[str]]:
    """``tokenize(text)`` and the tokens' text."""
    starts, ends, words = token_columns(text)
    return list(zip(starts, ends)), words


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
