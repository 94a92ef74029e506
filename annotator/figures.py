"""Parse the text of a Figure annotation ("over 1,200 civilians") into a structured value.

Reviewers highlight figures in news prose; the parse is only a proposal the reviewer confirms, so
the rules favour being predictable over being clever. The first figure phrase in the text wins;
leading and trailing prose is ignored.

Numbers
    Digits with thousands separators and decimals ("1,200", "1.5"), scale words and suffixes
    ("1.5 million", "30 thousand", "12k", "2bn"), number words ("three", "twenty-five",
    "two hundred and fifty", "a dozen", "two dozen"), fractions of a scale word ("half a million"
    500,000, "a quarter of a million", "two thirds of a million", "half a dozen").
Qualifiers and bounds (bounds are inclusive and always the number as written)
    exact          "42"                                  lower = upper = value
    at least       "at least", "no fewer than", "a minimum of", "1,000 or more"
                                                         lower = value, upper None
    more than      "over", "more than", "upwards of", "in excess of", "1,200+", "1,200-plus"
                                                         lower = value, upper None; strictness
                                                         lives in the qualifier only
    nearly         "nearly", "almost", "close to", "just under"       upper = value
    approximately  "about", "around", "roughly", "some", "an estimated", "~", "200-odd",
                   "1,000 or so"                         no bounds
    up to          "up to", "as many as", "no more than", "at most"; also "fewer than",
                   "less than", "under" (strictness not kept, as for "more than")
                                                         upper = value
    range          "between 1,000 and 1,500", "1,000-1,500", "1,000 to 1,500", "from 10 to 20"
                                                         value None, is_range; a scale on the
                                                         second number also applies to a smaller
                                                         first one ("5 to 6 million")
Vague quantities (qualifier "vague", value = lower: the only claim the writer firmly makes)
    plural of a unit means at least two of it, open-ended: "dozens" 24, "scores" 40,
    "hundreds" 200, "thousands" 2,000, "tens of thousands" 20,000, "millions" 2,000,000 ...
    "several", "a few", "a handful" mean 3..9, times a following unit ("several hundred").
Unit
    The counted noun right after the number (after "of" for vague quantities): words up to the
    first plural-looking one ("security personnel", "Alawites"), else the first word. "10%" and
    "10 percent" are figures with unit "%".
Not figures (None)
    Dates ("March 10", "10 March 2025", "10/03/2025"), times ("10:30", "9 a.m."), ordinals
    ("14th"), earthquake magnitudes ("magnitude 7.8", "a 6.3-magnitude quake"), text without
    numbers, and years: a bare 1900-2100 integer without separator,
    qualifier, "%" or a plural count noun after it ("in 2011" is a year, "1999 people" is not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

QUALIFIERS = ("exact", "at least", "more than", "nearly", "approximately", "up to", "range", "vague")


@dataclass(frozen=True)
class ParsedFigure:
    """A figure phrase as parsed; see the module docstring for how each field is filled."""

    value: float | None
    lower: float | None
    upper: float | None
    qualifier: str
    is_range: bool
    unit: str
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


_SMALL = {
    w: n
    for n, w in enumerate([
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen",
    ])
}  # fmt: skip
_TENS = {
    w: 10 * n for n, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2)
}
_BIG = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
_MULT = {"hundred": 100, "dozen": 12}
_FRACTIONS = {"half": 1 / 2, "quarter": 1 / 4, "quarters": 1 / 4, "third": 1 / 3, "thirds": 1 / 3}
_SCALE = {**_BIG, "hundred": 100, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_VAGUE_PLURALS = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000,
    "billions": 2_000_000_000,
}  # fmt: skip

_START = "|".join(sorted([*_SMALL, *_TENS], key=len, reverse=True))
_WORD = "|".join(sorted([*_SMALL, *_TENS, *_BIG, *_MULT], key=len, reverse=True))
# A new branch that matches without a digit must add its words to figure_prefilter.NUMBER_WORDS (or to the tables it reads).
_ATOM = re.compile(
    rf"""
    (?P<vague>\b(?:tens|hundreds)\s+of\s+(?:thousands|millions)\b
      | \b(?:dozens|scores|hundreds|thousands|millions|billions)\b
      | \b(?:several|a\s+few|a\s+handful)(?:\s+(?P<vscale>dozen|hundred|thousand|million)\b)?\b)
    | (?<![\w.,])(?<![A-Za-z]-)
      (?P<int>\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?!\d))(?:\.(?P<frac>\d+(?!\d)))?
      (?:\s*(?P<scaleword>hundred|thousand|million|billion|trillion)\b|(?P<abbr>k|m|mn|bn)\b)?
      (?![A-Za-z])
    | (?P<fraction>(?<![\w-])
      (?:(?:a|one)\s+half\s+(?:of\s+)?|half\s+|(?:a|one)\s+quarter\s+(?:of\s+)?|(?:two|three)\s+quarters\s+(?:of\s+)?
        |(?:a|one)\s+third\s+(?:of\s+)?|two\s+thirds\s+(?:of\s+)?)
      (?:a\s+)?(?P<fscale>dozen|hundred|thousand|million|billion)\b)
    | (?P<words>(?<![\w-])(?<!\bno\s)
      (?:a(?=\s+(?:dozen|hundred|thousand|million|billion)\b)|(?:{_START})\b)
      (?:(?:\s+and\s+|\s+|-)(?:{_WORD})\b)*(?![\w-]))
    """,
    re.IGNORECASE | re.VERBOSE,
)

_MONTH = (
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
)
_NOT_FIGURES = re.compile(
    rf"""\b(\d{{1,4}})([/.-])\d{{1,2}}\2\d{{1,4}}\b
    | \b\d{{1,2}}:\d{{2}}\b(?::\d{{2}})?
    | \b\d{{1,2}}(?::\d{{2}})?\s?(?i:[ap]\.?m\b\.?)
    | \b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}
    | {_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,\d{{3}})
    | \b[Mm]agnitude[\s-]+\d+(?:\.\d+)?
    | \b\d+(?:\.\d+)?[\s-]*(?:magnitude\b|on\s+the\s+Richter\s+scale)
    """,
    re.VERBOSE,
)

_QUALIFIER_PHRASES = {
    "at least": "at least", "no fewer than": "at least", "no less than": "at least",
    "not less than": "at least", "a minimum of": "at least",
    "over": "more than", "more than": "more than", "upwards of": "more than",
    "in excess of": "more than", "well over": "more than", "just over": "more than",
    "slightly more than": "more than", "well more than": "more than",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
    "just below": "nearly", "just short of": "nearly",
    "about": "approximately", "around": "approximately", "approximately": "approximately",
    "roughly": "approximately", "some": "approximately", "an estimated": "approximately",
    "estimated": "approximately", "approx.": "approximately", "~": "approximately",
    "up to": "up to", "as many as": "up to", "no more than": "up to", "at most": "up to",
    "not more than": "up to", "fewer than": "up to", "less than": "up to", "under": "up to",
    "between": "range", "from": "range",
}  # fmt: skip


def trie(words: Iterable[str]) -> str:
    """An alternation factored by common prefixes ("t(?:en|hree|...)"), a space standing for any
    whitespace: Python's re tries a flat alternation's every branch at every position, which made
    scanning a long document for figures slow."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


_QUALIFIER_BEFORE = re.compile(r"(?<!\w)(?P<q>" + trie(_QUALIFIER_PHRASES) + r")\s*$", re.IGNORECASE)
_RANGE_SEP = re.compile(r"\s*[-–—]\s*|\s+(?P<word>to|and)\s+", re.IGNORECASE)
_SUFFIX = re.compile(
    r"(?P<plus>\+|-?\s?plus\b)?(?P<odd>-?\s?odd\b)?(?P<pct>\s?(?:%|per\s?cent\b|percent\b))?"
    r"(?:\s+or\s+(?P<or>more|so)\b)?",
    re.IGNORECASE,
)
_UNIT_WORDS = re.compile(r"(?:\s+[A-Za-z][\w'’-]*){1,3}")
_STOP = {
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with",
    "as", "than", "per", "into", "over", "under", "since", "after", "before", "during", "across",
    "each", "more", "less", "were", "was", "are", "is", "be", "been", "have", "has", "had",
    "will", "would", "who", "that", "which", "this", "these", "those", "it", "its", "may",
    "might", "can", "could", "should", "must", "did", "do", "does",
}  # fmt: skip
_IRREGULAR_PLURALS = {"people", "personnel", "children", "men", "women", "staff"}
_YEAR_CONTEXT = {"in", "since", "by", "until", "till", "during", "the", "early", "late", "mid",
                 "before", "after"}  # fmt: skip


_LETTERS = re.compile(r"[a-z]+")

CASE_FOLDS = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
"""Characters other than ASCII capitals that ``re.IGNORECASE`` matches to an ASCII letter ("İ", dotless "ı",
long "ſ", the Kelvin sign): the patterns match "sıx" or "mıllion", so the words are looked up folded."""


def _fold(s: str) -> str:
    """Lower case with CASE_FOLDS applied first: the key a matched number word is looked up by."""
    return (s if s.isascii() else s.translate(CASE_FOLDS)).lower()



def _is_plural(word: str) -> bool:
    w = word.lower()
    return w in _IRREGULAR_PLURALS or (len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is")))


def _words_value(s: str) -> tuple[float, float, int]:
    """Value, trailing scale and consumed length of a run of number words; stops where grammar does."""
    total = current = 0
    tail, prev, end = 1, "", 0
    for tok in _LETTERS.finditer(_fold(s)):
        w = tok.group()
        if w == "and":
            if prev not in ("hundred", *_BIG):
                break
        elif w == "a":
            current = 1
        elif w in _SMALL or w in _TENS:
            n = _SMALL.get(w, _TENS.get(w, 0))
            if prev and prev not in ("and", "hundred", *_BIG) and not (prev in _TENS and 0 < n < 10):
                break
            current += n
        elif w in _MULT:
            if prev in ("and", *_MULT):
                break
            current = (current or 1) * _MULT[w]
        else:
            total += (current or 1) * _BIG[w]
            current = 0
        prev = w
        if w != "and":
            tail, end = _MULT.get(w, _BIG.get(w, 1)), tok.end()
    return float(total + current), float(tail), end


def _number(m: re.Match[str]) -> tuple[float, float, int, bool]:
    """Value, trailing scale, end offset and year-likeness of a digits or words atom."""
    if m["words"] is not None:
        value, tail, length = _words_value(m["words"])
        return value, tail, m.start() + length, False
    if m["fraction"] is not None:  # "half a million", "a quarter of a million", "two thirds of a million"
        words = _fold(m["fraction"]).split()
        share = _FRACTIONS[next(w for w in words if w in _FRACTIONS)]
        if words[0] in ("two", "three"):
            share *= 2 if words[0] == "two" else 3
        scale = {**_MULT, **_BIG}[_fold(m["fscale"])]
        return float(round(share * scale)), float(scale), m.end(), False
    whole, frac = m["int"], m["frac"]
    scale = _SCALE.get(_fold(m["scaleword"] or m["abbr"] or ""), 1)
    # Decimal arithmetic for decimals (1.1 million is 1,100,000, not 1,100,000.0000000002); an int is exact
    # and converts to the same float as the Decimal did, at a fraction of the cost.
    digits = whole.replace(",", "")
    value = float(Decimal(digits + "." + frac) * scale) if frac else float(int(digits) * scale)
    year_like = len(whole) == 4 and not frac and scale == 1 and 1900 <= value <= 2100
    return value, float(scale), m.end(), year_like


_OF = re.compile(r"\s+of\b", re.IGNORECASE)


_NOT_UNIT = _STOP | set(_SMALL) | set(_TENS)


def _unit(text: str, pos: int, vague: bool) -> str:
    if vague and (m := _OF.match(text, pos)):  # match at pos: slicing a long text here made a document quadratic
        pos = m.end()
    m = _UNIT_WORDS.match(text, pos)
    if m is None:
        return ""
    words: list[str] = []
    for w in m.group().split():
        low = w.lower()
        if low in _NOT_UNIT:
            break
        words.append(w)
        if low in _IRREGULAR_PLURALS or (len(low) > 2 and low.endswith("s") and not low.endswith(("ss", "us", "is"))):
            return " ".join(words)  # words up to the first plural-looking one (as _is_plural)
    return words[0] if words else ""


PARSER_VERSION = 1
"""The figure parser's version, stored with each cached parse (``figure_parses``; ``annotator/figure_values.py``).
Bump it whenever ``parse_figure``'s output (or ``figure_values``' conversion of it) changes for any text: every
cached parse of an older version is then a miss, parsed again."""


def parse_figure(text: str) -> ParsedFigure | None:  # output changed? bump PARSER_VERSION above
    """The first figure phrase in ``text`` as a ParsedFigure, or None if there is none."""
    masked = _NOT_FIGURES.sub(lambda m: "\0" * len(m.group()), text)
    for m in _ATOM.finditer(masked):
        figure = _figure_at(masked, m, text)
        if figure is not None:
            return figure
    return None


def _suffix_at(masked: str, pos: int) -> re.Match[str]:
    """The suffix after a number; every part of _SUFFIX is optional, so it always matches (maybe empty)."""
    match = _SUFFIX.match(masked, pos)
    assert match is not None
    return match


def _prev_word(masked: str, pos: int) -> str:
    """The word before ``pos`` (lower case), which tells a year ("in 2011") from a count; only read for year-like numbers."""
    return (_LETTERS.findall(masked[max(0, pos - 20) : pos].lower()) or [""])[-1]


def _is_year(year_like: bool, unit: str, masked: str, pos: int) -> bool:
    """A bare 1900-2100 integer is a year unless a plural count noun follows it ("1999 people")."""
    return year_like and not (_is_plural(unit) and _prev_word(masked, pos) not in _YEAR_CONTEXT)


def _figure_at(masked: str, m: re.Match[str], text: str) -> ParsedFigure | None:
    found = _figure_span_at(masked, m)
    return None if found is None else ParsedFigure(*found[0], text)


def _with_unit(masked: str, end: int, unit: str) -> int:
    """A figure's span runs on to its counted noun ("1,200 Alawites"), when the noun follows closely."""
    if unit and unit != "%":
        at = masked.find(unit, end, end + 60)
        if at >= 0:
            return at + len(unit)
    return end


_Fields = tuple[float | None, float | None, float | None, str, bool, str]  # a ParsedFigure's fields but its text


def _figure_span_at(masked: str, m: re.Match[str]) -> tuple[_Fields, int, int] | None:
    """The figure at atom ``m`` (its fields but the text) and the span a reviewer would highlight for
    it: from its qualifier ("over", "between") through the number or range and its suffix to the
    counted noun. Computed together because the span's ends are what parsing the figure found."""
    if m["vague"] is not None:
        phrase = " ".join(_fold(m["vague"]).split())
        if " of " in phrase:  # "tens of thousands", "hundreds of millions"
            lower, upper = (20 if phrase.startswith("tens") else 200) * _BIG[phrase.split()[-1][:-1]], None
        elif phrase in _VAGUE_PLURALS:
            lower, upper = _VAGUE_PLURALS[phrase], None
        else:  # several / a few / a handful [dozen|hundred|...]
            mult = {**_MULT, **_BIG}.get(_fold(m["vscale"] or ""), 1)
            lower, upper = 3 * mult, 9 * mult
        unit = _unit(masked, m.end(), vague=True)
        fields = (float(lower), float(lower), None if upper is None else float(upper), "vague", False, unit)
        return fields, m.start(), _with_unit(masked, m.end(), unit)

    value, tail, end, year_like = _number(m)
    q = _QUALIFIER_BEFORE.search(masked, max(0, m.start() - 40), m.start())
    phrase = " ".join(_fold(q["q"]).split()) if q else ""
    qualifier = _QUALIFIER_PHRASES.get(phrase, "exact")

    sep = _RANGE_SEP.match(masked, end)
    second = _ATOM.match(masked, sep.end()) if sep else None
    and_ok = sep is not None and (_fold(sep["word"] or "") != "and" or phrase == "between")
    if and_ok and second is not None and second["vague"] is None:
        value2, tail2, end2, year_like2 = _number(second)
        if tail == 1 and tail2 > 1 and value < value2 / tail2:  # "5 to 6 million"
            value *= tail2
        if value <= value2:
            suffix = _suffix_at(masked, end2)
            unit = "%" if suffix["pct"] else _unit(masked, suffix.end(), vague=False)
            if _is_year(year_like and year_like2, unit, masked, m.start()):
                return None
            return (None, value, value2, "range", True, unit), q.start("q") if q else m.start(), _with_unit(masked, suffix.end(), unit)
    if qualifier == "range":  # "between"/"from" without a second number
        qualifier = "exact"

    suffix = _suffix_at(masked, end)
    if qualifier == "exact":
        if suffix["plus"]:
            qualifier = "more than"
        elif suffix["odd"] or _fold(suffix["or"] or "") == "so":
            qualifier = "approximately"
        elif suffix["or"]:
            qualifier = "at least"
    unit = "%" if suffix["pct"] else _unit(masked, suffix.end(), vague=False)
    if qualifier == "exact" and unit != "%" and _is_year(year_like, unit, masked, m.start()):
        return None
    low = None if qualifier in ("nearly", "approximately", "up to") else value
    high = value if qualifier in ("exact", "nearly", "up to") else None
    start = q.start("q") if q is not None and qualifier != "exact" else m.start()
    return (value, low, high, qualifier, False, unit), start, _with_unit(masked, suffix.end(), unit)
