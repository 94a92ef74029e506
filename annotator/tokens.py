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


def _pattern_columns(text: str) -> tuple[list[int], list[int], list[str]]:
    """``token_columns`` straight from the pattern (texts whose pieces are too long to remember)."""
    matches = list(_token_pattern().finditer(text))
    return list(map(re.Match.start, matches)), list(map(re.Match.end, matches)), list(map(re.Match.group, matches))


# Tokenizing by pieces.
#
# No token holds whitespace, every non-space character starts one, and the pattern only ever looks at the
# characters it consumes (its lookbehinds test the one it has just read), so the tokens of a text are those
# of its space-separated pieces, each tokenized alone and shifted to where it stands. News text repeats its
# pieces ("the", "said.", "1,200"): each distinct piece goes through the pattern once, and is remembered as
# its words and its *steps*, (gap, length) per token with the gap counted from the end of the token before
# (the first from the space before the piece). Then a text is ``str.split(" ")``, a dict lookup per piece
# and one running sum over the steps, all in C: no regex search and no match object per token. The pieces
# a text brings that are not remembered yet are tokenized together (``_learn``), also without Python code
# per token.
#
# A piece whose end is not the end of a token (empty, or ending in other whitespace: "", "said.\n")
# adds a step of its own, an empty *filler* token up to the piece's end; fillers are dropped afterwards.

_MEMO_PIECES = 1 << 16
_MEMO_CHARS = 1 << 21
"""Distinct pieces and their characters remembered before starting afresh (a few MB; news vocabularies fit)."""

_MEAN_PIECE = 24
"""A text whose pieces are longer than this on average (Chinese, Japanese, Thai) goes through the pattern whole."""


class _ManyNew(Exception):
    """A text brings more new pieces than are worth learning one by one (``_learn`` takes them together)."""


_ONE_BY_ONE = 16
"""New pieces of a text learnt one by one (``_Column.__missing__``) before the rest are learnt together."""


class _Words(dict[str, tuple[str, ...]]):
    """``_Memo.words``: a piece it lacks is learnt on the spot (``_learn_one``), the first ``_ONE_BY_ONE`` of
    a call; then ``_ManyNew`` sends the caller to ``_learn``."""

    __slots__ = ("memo",)

    def __init__(self, memo: _Memo) -> None:
        super().__init__()
        self.memo = memo

    def __missing__(self, piece: str) -> tuple[str, ...]:
        return _learn_new(self.memo, piece)[0]


class _Steps(dict[str, tuple[int, ...]]):
    """``_Memo.steps``, learning as ``_Words`` does."""

    __slots__ = ("memo",)

    def __init__(self, memo: _Memo) -> None:
        super().__init__()
        self.memo = memo

    def __missing__(self, piece: str) -> tuple[int, ...]:
        return _learn_new(self.memo, piece)[1]


class _Memo:
    """The words and steps of the pieces met so far, and which pieces end with a filler. Entries are only ever
    added (a full memo is replaced, not emptied), fillers first and words last, so a piece found in ``words``
    is found in the other two. ``new`` counts the pieces a call has learnt one by one (shared by threads, it
    only decides how pieces are learnt, never what)."""

    __slots__ = ("chars", "fillers", "new", "steps", "words")

    def __init__(self) -> None:
        self.words = _Words(self)
        self.steps = _Steps(self)
        self.fillers: set[str] = set()
        self.chars = 0
        self.new = 0


_memo = _Memo()


def _learn(memo: _Memo, pieces: list[str]) -> None:
    """Remember the pieces that ``memo`` lacks. A word piece (``isalnum``: the pattern's word runs are
    ``\\w`` and marks, and ``isalnum`` is ``\\w`` less "_") is one token; the others go through the pattern
    together, joined by spaces (one search, its tokens those of each piece), and are cut back by offset."""
    new = list(set(filterfalse(memo.words.__contains__, pieces)))
    memo.chars += sum(map(len, new))
    is_word = list(map(str.isalnum, new))
    words = list(compress(new, is_word))
    memo.steps.update(zip(words, zip(repeat(1), map(len, words))))
    memo.words.update(zip(words, zip(words)))
    others = list(compress(new, map(not_, is_word)))
    if not others:
        return
    matches = list(_token_pattern().finditer(" ".join(others)))
    starts = list(map(re.Match.start, matches))
    ends = list(map(re.Match.end, matches))
    # Where each piece starts in the joined text (and one past its end), and its first match.
    offsets = list(accumulate(map(add, map(len, others), repeat(1)), initial=0))
    firsts = list(map(bisect_left, repeat(starts), offsets))
    counts = list(map(sub, firsts[1:], firsts))
    tail = [-1, *ends]
    lasts = list(map(tail.__getitem__, firsts[1:]))  # the end of each piece's last token (if it has one)
    before = tail[:-1]  # the end of the token before each one, the space before its piece for the first
    for first, offset in zip(firsts, offsets):
        if first < len(before):
            before[first] = offset - 1
    steps_iter = chain.from_iterable(zip(map(sub, starts, before), map(sub, ends, starts)))
    steps = list(map(tuple, map(islice, repeat(steps_iter), map(mul, counts, repeat(2)))))
    # A piece with no token, or whose last token does not end it, gets a filler step up to its end.
    for index in compress(count(), map(or_, map(not_, counts), map(ne, offsets[1:], map(add, lasts, repeat(1))))):
        last = lasts[index] if counts[index] else offsets[index] - 1
        steps[index] += (offsets[index + 1] - 1 - last, 0)
        memo.fillers.add(others[index])
    memo.steps.update(zip(others, steps))
    memo.words.update(zip(others, map(tuple, map(islice, repeat(map(re.Match.group, matches)), counts))))


def _learn_new(memo: _Memo, piece: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A piece missing from the memo: learnt now, unless the call has met too many (``_ManyNew``)."""
    memo.new += 1
    if memo.new > _ONE_BY_ONE:
        raise _ManyNew
    return _learn_one(memo, piece)


def _learn_one(memo: _Memo, piece: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Remember one piece (``_learn`` for one, without its fixed cost)."""
    words: tuple[str, ...]
    steps: tuple[int, ...]
    if piece.isalnum():
        words, steps = (piece,), (1, len(piece))
    else:
        found: list[str] = []
        gaps: list[int] = []
        last = -1
        for match in _token_pattern().finditer(piece):
            start, last_end = match.span()
            gaps += (start - last, last_end - start)
            found.append(match.group())
            last = last_end
        if last != len(piece):  # no token, or the last one does not end the piece: a filler
            gaps += (len(piece) - last, 0)
            memo.fillers.add(piece)
        words, steps = tuple(found), tuple(gaps)
    memo.chars += len(piece)
    memo.steps[piece] = steps
    memo.words[piece] = words
    return words, steps


def _pieces(text: str) -> tuple[_Memo, list[str]] | None:
    """The memo and the space-separated pieces of ``text``, or None if it is better tokenized whole."""
    global _memo
    pieces = text.split(" ")
    if len(text) > _MEAN_PIECE * len(pieces):
        return None
    memo = _memo
    if len(memo.words) > _MEMO_PIECES or memo.chars > _MEMO_CHARS:
        memo = _memo = _Memo()
    memo.new = 0
    return memo, pieces


def _sums(memo: _Memo, pieces: list[str]) -> list[int]:
    """-1, then the start and the end of each token and filler of ``" ".join(pieces)``: the steps' running sum."""
    try:
        steps = list(chain.from_iterable(map(memo.steps.__getitem__, pieces)))
    except _ManyNew:
        _learn(memo, pieces)
        steps = list(chain.from_iterable(map(memo.steps.__getitem__, pieces)))
    return list(accumulate(steps, initial=-1))


def _bounds(sums: list[int], fillers: bool) -> tuple[list[int], list[int]]:
    """The starts and the ends in ``sums``, the (empty) fillers dropped if there are any."""
    starts = sums[1::2]
    ends = sums[2::2]
    if fillers:
        real = list(map(ne, starts, ends))
        return list(compress(starts, real)), list(compress(ends, real))
    return starts, ends


def token_columns(text: str) -> tuple[list[int], list[int], list[str]]:
    """The tokens' starts, ends and text as three parallel lists (CoNLL aligns on the first two, writes the third)."""
    found = _pieces(text)
    if found is None:
        return _pattern_columns(text)
    memo, pieces = found
    try:
        words = list(chain.from_iterable(map(memo.words.__getitem__, pieces)))
    except _ManyNew:
        _learn(memo, pieces)
        words = list(chain.from_iterable(map(memo.words.__getitem__, pieces)))
    sums = _sums(memo, pieces)
    starts, ends = _bounds(sums, fillers=len(sums) != 2 * len(words) + 1)
    return starts, ends, words


def token_bounds(text: str) -> tuple[list[int], list[int]]:
    """The starts and the ends of ``tokenize(text)``, for counting (agreement)."""
    found = _pieces(text)
    if found is None:
        starts, ends, _ = _pattern_columns(text)
        return starts, ends
    memo, pieces = found
    sums = _sums(memo, pieces)
    return _bounds(sums, fillers=not memo.fillers.isdisjoint(pieces))


def tokenize(text: str) -> list[Token]:
    """The ``(start, end)`` offsets of the word and symbol tokens of ``text``."""
    return list(zip(*token_bounds(text)))


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
