"""CoNLL token lines built from annotation rows: the standard library only.

``conll`` writes every document in the exporting process; above a size it hands the last documents
to a second process (``exporters/second_process.py``, which has ``store/export_part.py`` serve this file), which loads nothing of
``annotator`` but this module, ``annotator/stored_tokens.py`` (with ``tokens`` and ``unicode_marks``, the package
itself left unrun: importing it costs 0.14 s) and ``annotator/store/export_part.py``, by path: the same functions write the same
lines and leave out the same spans in both, and the exporting process appends them after its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import partial
from itertools import accumulate, pairwise, repeat
from operator import itemgetter

TYPE_CHECKING = False  # not typing's: importing typing costs the second process 10 ms
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

DOCSTART = "-DOCSTART- -X- O O"
"""CoNLL-2003's document line, exactly: ``spacy convert --converter ner`` splits documents only on this string."""

READ = ("id", "start", "end", "label_id", "annotator", "layer")
"""The annotation columns CoNLL uses (alignment, the overlap rule, the "Left out" list), with no document id in the
rows (``export_part.counted_rows``): reading and building all 15 of every annotation (``ExportJob.documents``) cost
about a tenth of this export. Not the quote: a left-out span's is cut from the text (``text[start:end]``, what
import checks a quote against, ``validation``), where reading it cost a sixth of the export (three quarters of the
benchmark's are not ASCII, which SQLite's rows decode slowly). The last three are read as one code
(``Codes``, ``coded_rows``): a row is (id, start, end, code)."""

CODED = READ[:3]
"""The columns read as they are; the code follows them."""
_CODE = itemgetter(3)


_LINE_BREAK = re.compile("\n")
_NO_TOKEN, _DUPLICATE, _OVERLAP = "no token", "duplicate", "overlap"
"""The kinds of reason a span is left out for: the text before the reason's ``:`` (``common.reason_counts``)."""
_WHITESPACE_ONLY = f"{_NO_TOKEN}: the span covers only whitespace"


def tag_name(label: str) -> str:
    return re.sub(r"\s", "_", label.strip())


class Tags:
    """Each label's ``B-`` and ``I-`` tags and the separators that write them, made once per export."""

    def __init__(self) -> None:
        self.of: dict[str, tuple[str, str]] = {}

    def __call__(self, label: str) -> tuple[str, str]:
        """`` B-Label\\n`` and `` I-Label\\n``: what follows a token of the span (``of`` holds those made)."""
        tags = self.of.get(label)
        if tags is None:
            tags = self.of[label] = (f" B-{tag_name(label)}\n", f" I-{tag_name(label)}\n")
        return tags


class Codes:
    """Each (label id, reviewer, layer) an exported annotation can have, as one int: a row's code (``coded_rows``).

    Three strings per row were two fifths of what reading the rows cost, and the (label id, reviewer, layer) tuples
    counted for the dataset card a tenth more; SQL computes the code instead (``sql``: a few comparisons per row),
    and a code is a small int (no object made for it up to 256) that the card's counts hash for nothing. Codes are
    in the overlap rule's order: gold before reviewer, then label name, then reviewer (``combos``, by code), so the
    rule sorts spans by the code where it compared the three. ``labels`` and ``reviewers`` name each code's."""

    def __init__(self, combos: list[tuple[Any, Any, Any]], label_names: dict[str, str]) -> None:
        self.combos = combos
        self.label_names = label_names
        self.labels = [label_names.get(label_id, "?") for label_id, _, _ in combos]
        self.reviewers = [reviewer for _, reviewer, _ in combos]
        self.sql: tuple[str, list[Any]] = ("NULL", [])

    @classmethod
    def every(cls, label_names: dict[str, str], reviewers: list[str]) -> Codes:
        """Codes for every label of the schema by every reviewer in either layer, and the SQL that gives a row its
        code (NULL for any other label id, reviewer or layer: ``coded_rows`` then reads them as they are)."""
        label_ids = sorted(label_names, key=lambda label_id: (label_names[label_id], label_id))  # names are unique
        names = sorted(set(reviewers))
        codes = cls([(label_id, name, layer) for layer in _LAYERS for label_id in label_ids for name in names],
                    label_names)
        if label_ids and names:
            size = len(label_ids) * len(names)
            layer, layer_params = _ranked("layer", {name: rank for rank, name in enumerate(_LAYERS)}, size)
            label, label_params = _ranked("label_id", {label_id: rank for rank, label_id in enumerate(label_ids)},
                                          len(names))
            reviewer, reviewer_params = _ranked("annotator", {name: rank for rank, name in enumerate(names)}, 1)
            codes.sql = f"{layer} + {label} + {reviewer}", [*layer_params, *label_params, *reviewer_params]
        return codes

    @classmethod
    def found(cls, rows: Iterable[tuple[Any, ...]], label_names: dict[str, str]) -> Codes:
        """Codes for the (label id, reviewer, layer) the ``READ`` rows hold, in the rule's order (a damaged file's
        other layer, a reviewer or label id of another type: each sorts as SQLite sorts it, after the rule's fields)."""
        found = {(row[3], row[4], row[5]) for row in rows}
        return cls(sorted(found, key=lambda combo: (combo[2] != "gold", label_names.get(combo[0], "?"), _sortable(combo[1]),
                                                    _sortable(combo[2]), _sortable(combo[0]))), label_names)

    def coded(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """``READ`` rows as (id, start, end, code) (every combination of theirs has a code: ``found``)."""
        code = {combo: number for number, combo in enumerate(self.combos)}
        return [(row[0], row[1], row[2], code[row[3], row[4], row[5]]) for row in rows]


class NotWhole(ValueError):
    """A row (id, start, end) whose start or end is not a whole number: another program's write (the schema's CHECK
    lets a text or a fraction through), which no format can place."""


_LAYERS = ("gold", "reviewer")
"""The layers the schema allows, gold first as the overlap rule ranks them."""


def _ranked(column: str, ranks: dict[str, int], step: int) -> tuple[str, list[Any]]:
    """SQL for ``step`` times the rank ``ranks`` gives ``column``'s value (NULL for any other value), and its
    parameters: one ``CASE`` of up to eight values, and above that a ``CASE`` that halves them by comparison, so that a
    row costs a few comparisons however many labels or reviewers there are. SQLite compares texts as Python does
    (by code point: UTF-8 keeps the order)."""
    values = sorted(ranks)
    if len(values) <= 8:
        return (f"CASE {column} {' '.join(f'WHEN ? THEN {ranks[value] * step}' for value in values)} END",
                list(values))
    middle = len(values) // 2
    low, low_params = _ranked(column, {value: ranks[value] for value in values[:middle]}, step)
    high, high_params = _ranked(column, {value: ranks[value] for value in values[middle:]}, step)
    return f"CASE WHEN {column} < ? THEN {low} ELSE {high} END", [values[middle], *low_params, *high_params]


def _sortable(value: Any) -> tuple[int, Any]:
    return _STORAGE_CLASS.get(type(value), 4), value


def coded_rows(store: Any, codes: Codes, conn: Any, where: str, params: list[Any]
               ) -> tuple[dict[Any, list[tuple[Any, ...]]], Codes]:
    """The annotations ``where`` selects as (id, start, end, code) rows by document (``store``:
    ``store/export_part.py``'s ``counted_rows``), and the ``Codes`` that name their codes: ``codes`` itself, or, when
    a row has none (a label id, reviewer or layer ``codes`` does not know: another program's write), codes found in
    the rows read again as they are, which is also where a start or end that is not a whole number leads (no code
    for it: ``export_part.WHOLE_OFFSETS``). Raises ``NotWhole`` for one: CoNLL checks the offsets of the rows it reads
    (``ExportFormat.counts_rows``) for the cost of a ``typeof`` per row, instead of the export's scan."""
    code, code_params = codes.sql
    grouped = store.counted_rows(conn, CODED, where, params, (f"CASE WHEN {store.WHOLE_OFFSETS} THEN {code} END", code_params))
    if not any(None in map(_CODE, rows) for rows in grouped.values()):
        return grouped, codes
    grouped = store.counted_rows(conn, READ, where, params)
    for row in (row for rows in grouped.values() for row in rows if type(row[1]) is not int or type(row[2]) is not int):
        raise NotWhole(row[0], row[1], row[2])
    found = Codes.found((row for rows in grouped.values() for row in rows), codes.label_names)
    return {document_id: found.coded(rows) for document_id, rows in grouped.items()}, found


def document_body(text: str, rows: list[tuple[Any, ...]], codes: Codes, tags: Tags, document_id: str,
                  token_columns: Callable[[str], tuple[list[int], list[int], list[str]]],
                  kinds: dict[str, int] | None = None,
                  ) -> tuple[str, list[tuple[str, Any, str, Any, str]], int, int]:
    """One document's token lines, the spans left out as ``Dropped``'s fields (document id, annotation id, label
    name, quote, why; in the order the plain path gave them; an unknown label id is named ``?``; the quote is the
    text the span covers), and the counts of widened spans and of spans split by a line break.

    ``rows``: (id, start, end, code) in any order (``coded_rows``; ``codes`` names the codes): the overlap rule sorts
    them by a total order, and the whitespace-only ones (listed first) are sorted here by start, end and id, the
    order ``ExportJob.document_rows`` once gave them.
    The left-out rows are built once, as the tuples ``Dropped`` is made from: 78% of the benchmark's spans are
    left out, and a row, label, why tuple rebuilt per span by each caller cost a tuple and a loop more.

    The rules of ``alignment`` (``align``, ``non_overlapping``, ``reason``) on the raw rows, with no object per
    span: the spans are sorted by the same priority as tuples (the code stands for gold, label and reviewer, in that
    order), a token's owner is found with ``bytearray.find`` and the lines are written with one ``join`` per run of
    tokens with the same tag instead of one format call per token (77% of the spans of the benchmark are left out
    and 90% of the tokens are ``O``). tests/test_conll_fast.py compares it with the plain path.
    ``token_columns``: ``annotator.tokens.token_columns`` (loaded by path in the second process). ``kinds``: the
    left-out rows' kinds of reason added to it (``count_kinds``)."""
    starts, ends, words = token_columns(text)
    count = len(starts)
    left_out: list[tuple[str, Any, str, Any, str]] = []
    blanks = duplicates = 0
    label_of, reviewer_of = codes.labels, codes.reviewers
    if rows:  # columns at once, in C: bisect per span by map, not by a Python loop
        ids, row_starts, row_ends, codes_of = zip(*rows)
        firsts = list(map(bisect_left, repeat(ends), map((1).__add__, row_starts)))
        lasts = list(map(bisect_left, repeat(starts), row_ends))
        spans = [(first - last, first, code, id_, last, row)
                 for first, last, code, id_, row in zip(firsts, lasts, codes_of, ids, rows) if first < last]
        if len(spans) < len(rows):
            blank = sorted((row for first, last, row in zip(firsts, lasts, rows) if first >= last), key=_text_order)
            left_out += [(document_id, row[0], label_of[row[3]], text[row[1]:row[2]], _WHITESPACE_ONLY) for row in blank]
            blanks = len(blank)
    else:
        spans = []
    spans.sort()  # = key=_PRIORITY: the id (index 3) is unique, so tuples never compare past it
    taken = bytearray(count)
    find, leave_out = taken.find, left_out.append  # bound once: this loop runs once per span
    owner: list[Any] = [None] * count
    kept: list[tuple[Any, ...]] = []
    overlap: dict[str, str] = {}  # winner id -> the reason its losers get
    for span in spans:
        _, first, code, id_, last, row = span
        hit = find(1, first, last)
        if hit < 0:
            taken[first:last] = b"\x01" * (last - first)
            owner[first:last] = [span] * (last - first)
            kept.append(span)
            continue
        winner = owner[hit]
        if first == winner[1] and last == winner[4] and label_of[code] == label_of[winner[2]]:
            why = f"{_DUPLICATE}: same tokens and label as {winner[3][:8]} ({reviewer_of[winner[2]]})"
            duplicates += 1
        else:
            known = overlap.get(winner[3])
            if known is None:
                known = overlap[winner[3]] = (f"{_OVERLAP}: shares tokens with {label_of[winner[2]]} "
                                              f"\u201c{text[winner[5][1]:winner[5][2]][:40]}\u201d, which was kept")
            why = known
        leave_out((document_id, id_, label_of[code], text[row[1]:row[2]], why))
    if kinds is not None and left_out:
        count_kinds(kinds, left_out, ((_NO_TOKEN, blanks), (_DUPLICATE, duplicates),
                                      (_OVERLAP, len(left_out) - blanks - duplicates)))
    if not count:
        return "", left_out, 0, 0
    breaks = sorted({bisect_left(starts, match.start()) for match in _LINE_BREAK.finditer(text)} - {0} - {count})
    for index in breaks:  # a line break between two tokens: a blank line before the second
        words[index] = "\n" + words[index]
    kept.sort(key=_FIRST)
    pieces: list[str] = []
    widened = split = done = 0
    tag_of = tags.of
    for span in kept:
        first, last, row = span[1], span[4], span[5]
        widened += starts[first] != row[1] or ends[last - 1] != row[2]
        if done < first:
            pieces += (" O\n".join(words[done:first]), " O\n")
        label = label_of[span[2]]
        begin, inside = tag_of.get(label) or tags(label)
        inner = breaks[bisect_right(breaks, first):bisect_left(breaks, last)]
        if inner:  # a span going on after a line break begins again
            split += len(inner)
            for a, b in pairwise([first, *inner, last]):
                pieces += (words[a], begin)
                if b > a + 1:
                    pieces += (inside.join(words[a + 1:b]), inside)
        elif last > first + 1:
            pieces += (words[first], begin, inside.join(words[first + 1:last]), inside)
        else:
            pieces += (words[first], begin)
        done = last
    if done < count:
        pieces += (" O\n".join(words[done:]), " O\n")
    return "".join(pieces), left_out, widened, split


class Tally:
    """What the documents written add up to: spans widened and split (the warnings), the left-out spans' kinds of
    reason (``count_kinds``), and the annotations per (label id, reviewer, layer) and per document with any (the
    dataset card's tables, ``Selection.counted``: counted from the rows read instead of by a scan of their own, by
    their codes, which ``fields`` names)."""

    def __init__(self) -> None:
        self.widened = self.split = 0
        self.kinds: dict[str, int] = {}
        self.coded: Counter[int] = Counter()  # the rows added, by code
        self.merged: Counter[tuple[Any, Any, Any]] = Counter()  # the tallies merged, by (label id, reviewer, layer)
        self.per_document: dict[Any, int] = {}

    def add(self, document_id: Any, rows: list[tuple[Any, ...]], widened: int, split: int) -> None:
        """One document's rows (``coded_rows``'s) and counts (its kinds: ``document_body(kinds=self.kinds)``)."""
        self.widened += widened
        self.split += split
        if rows:
            self.coded.update(map(_CODE, rows))
            self.per_document[document_id] = len(rows)

    def fields(self, codes: Codes) -> dict[str, Any]:
        """What ``merge`` takes, as ``marshal`` carries it: the counts by code as counts by (label id, reviewer, layer),
        named by the ``codes`` the rows were read with, with those merged."""
        combos = Counter({codes.combos[code]: number for code, number in self.coded.items()}) + self.merged
        return {"widened": self.widened, "split": self.split, "kinds": self.kinds, "combos": dict(combos),
                "per_document": self.per_document}

    def merge(self, fields: dict[str, Any]) -> None:
        """Another tally's ``fields`` (the second process's), of documents that come after these."""
        self.widened += fields["widened"]
        self.split += fields["split"]
        for kind, number in fields["kinds"].items():
            self.kinds[kind] = self.kinds.get(kind, 0) + number
        self.merged.update(fields["combos"])
        self.per_document.update(fields["per_document"])


def count_kinds(kinds: dict[str, int], left_out: list[tuple[Any, ...]], counts: tuple[tuple[str, int], ...]) -> None:
    """Add one document's left-out rows (``left_out``, ``counts`` of each kind of reason) to ``kinds``: what
    ``common.reason_counts`` gives for the rows of every document in turn (kinds in the order first met), with
    no pass over the rows but in the few documents that bring a kind not met before."""
    if any(number and kind not in kinds for kind, number in counts):
        for row in left_out:  # in the order the rows are listed
            kinds.setdefault(row[4].split(":")[0], 0)
    for kind, number in counts:
        if number:
            kinds[kind] += number


_PRIORITY = itemgetter(0, 1, 2, 3)
"""``alignment._priority``: longest (in tokens), first, the code (gold, label, reviewer), id (unique: no ties)."""
_FIRST = itemgetter(1)

_STORAGE_CLASS = {type(None): 0, int: 1, float: 1, str: 2, bytes: 3}
"""SQLite's order of its value types (NULL, numbers, text, blobs)."""


def _text_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A ``READ`` row's start, end and id, as ``ORDER BY start, end, id`` orders them: the order
    ``ExportJob.document_rows`` read rows in. An id of another type in a damaged file (NULL, a number) sorts as
    SQLite sorts it instead of stopping the export where Python cannot compare it with a text."""
    return row[1], row[2], _STORAGE_CLASS.get(type(row[0]), 4), row[0]


def document_text(body: str) -> str:
    """A document's part of the file: the CoNLL-2003 document line, a blank line, its token lines."""
    return f"{DOCSTART}\n\n{body}\n" if body else f"{DOCSTART}\n\n"


TEXT_BATCH = 200
"""Documents whose texts are read at a time: never every text in memory at once."""


def run_part(task: dict[str, Any], store: Any) -> dict[str, Any]:
    """The second process's work: read its documents' rows and texts (``store``: ``store/export_part.py``) and
    return their part of the file in UTF-8 (each text's tokens from ``document_tokens`` when ``stored_tokens.columns``,
    loaded without the package, believes the stored row), the spans left out as ``LeftOutColumns`` gives them, and
    their ``Tally``'s ``fields``.

    Each document's lines are encoded as they are made: joined first, the part's text was one string of four bytes a
    character where the benchmark's hold an emoji (10 MB), memory this fresh process had to be given page by page
    (2,000 page faults, 9 ms of the kernel's time)."""
    tokens_of = store.stored_tokens().columns
    documents = task["documents"]
    tags = Tags()
    pieces: list[bytes] = []
    left_out_columns = LeftOutColumns()
    tally = Tally()
    conn = store.connect(task["path"])
    try:
        grouped, codes = coded_rows(store, Codes.every(task["labels"], task["reviewers"]), conn,
                                    *store.within(task["where"], task["params"], documents))
        for start in range(0, len(documents), TEXT_BATCH):
            batch = documents[start:start + TEXT_BATCH]
            texts = store.texts_of(conn, batch)
            stored = store.tokens_of(conn, batch)
            for document_id in batch:
                rows = grouped.pop(document_id, [])
                body, left_out, widened, split = document_body(
                    texts[document_id], rows, codes, tags, document_id,
                    partial(tokens_of, row=stored.get(document_id)), tally.kinds)
                left_out_columns.add(left_out)
                tally.add(document_id, rows, widened, split)
                pieces.append(document_text(body).encode("utf-8"))
    finally:
        conn.close()
    columns, cut = left_out_columns.columns()
    return {"text": b"".join(pieces), "dropped": columns, "packed": cut, **tally.fields(codes)}


class LeftOutColumns:
    """Left-out rows (``Dropped``'s fields) as the five columns ``LeftOut.add_columns`` takes, added a document at a
    time: columns, not a tuple per span, which marshal loads in half the time and ``LeftOut`` keeps as they come.
    The ids and quotes are packed (``Packed``: the reasons are not, 13,700 strings of 33,500 that marshal writes once
    each; as one string it read 3 MB of UTF-8, 10 ms instead of 2)."""

    def __init__(self) -> None:
        self.document_ids: list[Any] = []
        self.labels: list[str] = []
        self.whys: list[str] = []
        self.ids, self.quotes = Packed(), Packed()

    def add(self, left_out: list[tuple[str, Any, str, Any, str]]) -> None:
        if left_out:
            document_ids, ids, labels, quotes, whys = zip(*left_out)
            self.document_ids += document_ids
            self.ids.add(ids)
            self.labels += labels
            self.quotes.add(quotes)
            self.whys += whys

    def columns(self) -> tuple[list[Any], list[int]]:
        """The five columns and the indexes of those packed."""
        columns = [self.document_ids, self.ids.column(), self.labels, self.quotes.column(), self.whys]
        return columns, [index for index, packed in ((1, self.ids), (3, self.quotes)) if packed.plain is None]


class Packed:
    """A column of strings held as UTF-8 chunks (a document's at a time), how many strings each holds and their
    lengths (``LeftOut.add_columns``'s ``packed``), where marshal wrote and read each string (ids and quotes: 14 ms in
    both processes instead of 21; the exporting process decodes a chunk only if a string of it is read), or as they
    are (``plain``) once one is not a string (an id of another type in a damaged file)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.counts: list[int] = []
        self.lengths: list[int] = []
        self.plain: list[Any] | None = None

    def add(self, strings: tuple[Any, ...]) -> None:
        if self.plain is None:
            try:
                self.chunks.append("".join(strings).encode("utf-8", "surrogatepass"))
            except TypeError:
                self.plain = [string for chunk, count, first in zip(self.chunks, self.counts, accumulate(self.counts, initial=0))
                              for string in _cut(chunk.decode("utf-8", "surrogatepass"), self.lengths[first:first + count])]
            else:
                self.counts.append(len(strings))
                self.lengths += map(len, strings)
                return
        self.plain += strings

    def column(self) -> Any:
        """``(chunks, counts, lengths)``, or the plain list."""
        return (self.chunks, self.counts, self.lengths) if self.plain is None else self.plain


def _cut(text: str, lengths: list[int]) -> list[str]:
    return [text[start:end] for start, end in pairwise(accumulate(lengths, initial=0))]
