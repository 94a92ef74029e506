"""Corpus search: FTS5 queries (words, "phrases", OR, NOT, prefix*), exact strings and regular
expressions over every document, as keyword-in-context hits with code point offsets into the text."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from annotator.find import FindOptions, PatternError, compile_pattern, context
from annotator.store import search as search_rows
from annotator.store.search import DocumentFilter

if TYPE_CHECKING:
    from annotator.project import Project

Mode = Literal["fts", "exact", "regex"]
MODES: tuple[Mode, ...] = ("fts", "exact", "regex")

_TOKEN = re.compile(r'"((?:[^"]|"")*)"|(\S+)')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_BAREWORD = re.compile(r"[\w\u0080-\U0010ffff]+\*?")


@dataclass(frozen=True)
class Hit:
    document_id: str
    start: int
    end: int
    text: str
    left: str
    right: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def fts_query(query: str) -> tuple[str, list[tuple[str, bool]]]:
    """The query as FTS5 reads it, and the terms to find in the text: (phrase, prefix?).

    A bare token with punctuation ("1,200", "al-Sharaa") becomes a phrase, as a user means it,
    rather than an FTS5 syntax error. Terms after NOT are not looked for in the text."""
    parts: list[str] = []
    terms: list[tuple[str, bool]] = []
    negated = False
    for match in _TOKEN.finditer(query):
        phrase, bare = match.group(1), match.group(2)
        if phrase is not None:
            parts.append(match.group(0))
            if not negated and phrase.strip():
                terms.append((phrase.replace('""', '"'), False))
            negated = False
            continue
        opens = len(bare) - len(bare.lstrip("("))
        core = bare.strip("()")
        closes = len(bare) - opens - len(core)
        if core in _OPERATORS:
            parts.append(bare)
            negated = core == "NOT"
            continue
        column, _, word = core.rpartition(":") if re.match(r"^(title|text):", core) else ("", "", core)
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if not word:
            parts.append(bare)
            continue
        quoted = word if _BAREWORD.fullmatch(word) else '"' + word.replace('"', '""') + '"'
        parts.append("(" * opens + (f"{column}:" if column else "") + quoted + ("*" if prefix else "") + ")" * closes)
        if not negated and column != "title":
            terms.append((word, prefix))
        negated = False
    return " ".join(parts), terms


_DIACRITICS = range(0x300, 0x370)  # what FTS5's unicode61 drops with remove_diacritics 2
_MARKS = re.compile("[\u0300-\u036f]")
# Latin letters that can carry those diacritics (Latin-1, Extended-A and -B, Extended Additional),
# and the marks themselves: only these characters change when folded, so only these are looked at.
_FOLDABLE = re.compile("[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f\u212b]")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character as FTS5's ``remove_diacritics 2`` indexes it: a letter with Latin diacritics as
    its base letter ("ú" -> "u"), a combining diacritic as nothing, anything else as itself."""
    if ord(ch) in _DIACRITICS:
        return ""
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    if len(decomposed) > 1 and all(ord(m) in _DIACRITICS for m in decomposed[1:]) and base.isascii():
        return base
    return ch


class Folded:
    """A text with its accents folded, and the way back: ``original(i)`` is the code point offset in
    the text of the folded text's offset ``i``. Each character folds to itself, another single one,
    or nothing (a combining mark), so without dropped marks the offsets are the same; with them a
    bisect over the dropped positions maps back. ASCII text is its own folding (no work)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._kept_before: list[int] = []  # for each dropped mark, how many characters were kept before it
        if text.isascii():
            return
        self.text = _FOLDABLE.sub(lambda m: _fold_char(m.group()), text)
        if len(self.text) != len(text):
            self._kept_before = [m.start() - i for i, m in enumerate(_MARKS.finditer(text))]

    def original(self, i: int) -> int:
        return i + bisect_right(self._kept_before, i) if self._kept_before else i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of a non-empty folded span (end exclusive)."""
        return self.original(start), self.original(end - 1) + 1


def fold(text: str) -> str:
    return Folded(text).text


def _term_pattern(terms: list[tuple[str, bool]]) -> re.Pattern[str] | None:
    """Where FTS5's tokens are in the (folded) text: each word of a phrase, separated by anything but a word."""
    alternatives = []
    for phrase, prefix in terms:
        words = re.findall(r"\w+", fold(phrase))
        if words:
            alternatives.append(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + (r"\w*" if prefix else "") + r"(?!\w)")
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def _hits(document_id: str, text: str, pattern: re.Pattern[str], limit: int, marks: bool) -> Iterator[Hit]:
    """Hits of ``pattern``; with ``marks`` (FTS5) it runs over the folded text and maps back."""
    folded = Folded(text) if marks else None
    for match in pattern.finditer(folded.text if folded else text):
        start, end = match.span()
        if end == start:
            continue
        if folded is not None:
            start, end = folded.span(start, end)
        if marks:  # a word's trailing combining marks belong to it (FTS5 keeps them in the token)
            while end < len(text) and unicodedata.category(text[end]).startswith("M"):
                end += 1
        left, right = context(text, start, end)
        yield Hit(document_id, start, end, text[start:end], left, right)
        limit -= 1
        if limit <= 0:
            return


def search(project: Project, query: str, mode: Mode = "fts", *, ignore_case: bool = False, whole_word: bool = False,
           filters: DocumentFilter | None = None,
           limit: int = 1000) -> list[Hit]:
    """Hits in document order (FTS5: best documents first), at most ``limit``. A bad query is a ``PatternError``.

    FTS5 queries ignore case always and match whole words; exact strings and regular expressions
    only with ``ignore_case`` and ``whole_word``."""
    if mode not in MODES:
        raise PatternError(f"search mode must be one of {', '.join(MODES)}, not {mode!r}")
    if not query.strip():
        raise PatternError("give something to search for")
    db = project.db
    filters = filters or DocumentFilter()
    documents: Iterable[tuple[str, str]]
    if mode == "fts":
        sent, terms = fts_query(query)
        pattern = _term_pattern(terms)
        try:
            documents = list(search_rows.fts_matches(db, sent, filters))
        except search_rows.QueryError as error:
            raise PatternError(f"cannot read the search {query!r} ({error}); put a phrase in double quotes, "
                               "or use --exact / --regex") from None
        if pattern is None:
            return []
    else:
        pattern = compile_pattern(query, FindOptions(case=not ignore_case, whole_word=whole_word, regex=mode == "regex"))
        assert pattern is not None
        documents = search_rows.containing(db, query if mode == "exact" and not ignore_case else None, filters)
    found: list[Hit] = []
    for document_id, text in documents:
        found.extend(_hits(document_id, text, pattern, limit - len(found), marks=mode == "fts"))
        if len(found) >= limit:
            break
    return found


def outlets(project: Project) -> list[str]:
    """Every outlet named by a document, for the search's filter."""
    return search_rows.outlets(project.db)


__all__ = ["MODES", "DocumentFilter", "Hit", "Mode", "fts_query", "outlets", "search"]
