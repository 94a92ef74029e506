"""``conll``: CoNLL-2003-style token-per-line IOB2 tags, what most NER training scripts read.

IOB2 holds one tag per token, so overlapping spans go through ``alignment.non_overlapping``
and the ones left out are listed in DATASET.md. Each line of the text becomes a block (the
blank-line-separated "sentence" of CoNLL); a span running over a line break starts again with
``B-`` in the next block.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import pairwise, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from annotator.exporters.common import Dropped, ExportFormat, ExportJob
from annotator.tokens import token_columns

DOCSTART = "-DOCSTART- -X- O O"
"""CoNLL-2003's document line, exactly: ``spacy convert --converter ner`` splits documents only on this string."""


_LINE_BREAK = re.compile("\n")
_WHITESPACE_ONLY = "no token: the span covers only whitespace"


def tag_name(label: str) -> str:
    return re.sub(r"\s", "_", label.strip())


READ = ("id", "start", "end", "label_id", "quote", "annotator", "layer")
"""The annotation columns CoNLL uses (alignment, the overlap rule, the "Left out" list): reading and
building all 15 of every annotation (``ExportJob.documents``) cost about a tenth of this export."""


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


def document_body(text: str, rows: list[tuple[Any, ...]], label_names: dict[str, str], tags: Tags,
                  ) -> tuple[str, list[tuple[tuple[Any, ...], str, str]], int, int]:
    """One document's token lines, the rows left out (with their label name and why, in the order the
    plain path gave them; an unknown label id is named ``?``), and the counts of widened spans and of
    spans split by a line break.

    The rules of ``alignment`` (``align``, ``non_overlapping``, ``reason``) on the raw ``READ`` rows,
    with no object per span: the spans are sorted by the same priority as tuples, a token's owner is
    found with ``bytearray.find`` and the lines are written with one ``join`` per run of tokens with
    the same tag instead of one format call per token (77% of the spans of the benchmark are left out
    and 90% of the tokens are ``O``). tests/test_conll_fast.py compares it with the plain path."""
    starts, ends, words = token_columns(text)
    count = len(starts)
    left_out: list[tuple[tuple[Any, ...], str, str]] = []
    if rows:  # columns at once, in C: bisect per span by map, not by a Python loop
        _, ids, row_starts, row_ends, label_ids, _, annotators, layers = zip(*rows)
        firsts = list(map(bisect_left, repeat(ends), map((1).__add__, row_starts)))
        lasts = list(map(bisect_left, repeat(starts), row_ends))
        labels = list(map(label_names.get, label_ids, repeat("?")))
        spans = [(first - last, first, layer != "gold", label, annotator, id_, last, row)
                 for first, last, layer, label, annotator, id_, row
                 in zip(firsts, lasts, layers, labels, annotators, ids, rows) if first < last]
        if len(spans) < len(rows):
            left_out += [(row, label, _WHITESPACE_ONLY)
                         for first, last, label, row in zip(firsts, lasts, labels, rows) if first >= last]
    else:
        spans = []
    spans.sort()  # = key=_PRIORITY: the id (index 5) is unique, so tuples never compare past it
    taken = bytearray(count)
    owner: list[Any] = [None] * count
    kept = []
    overlap: dict[str, str] = {}  # winner id -> the reason its losers get
    for span in spans:
        first, last = span[1], span[6]
        hit = taken.find(1, first, last)
        if hit < 0:
            taken[first:last] = b"\x01" * (last - first)
            owner[first:last] = [span] * (last - first)
            kept.append(span)
            continue
        winner = owner[hit]
        if first == winner[1] and last == winner[6] and span[3] == winner[3]:
            why = f"duplicate: same tokens and label as {winner[5][:8]} ({winner[4]})"
        else:
            why = overlap.get(winner[5]) or overlap.setdefault(
                winner[5], f"overlap: shares tokens with {winner[3]} \u201c{winner[7][5][:40]}\u201d, which was kept")
        left_out.append((span[7], span[3], why))
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
        first, last, row = span[1], span[6], span[7]
        widened += starts[first] != row[2] or ends[last - 1] != row[3]
        if done < first:
            pieces += (" O\n".join(words[done:first]), " O\n")
        begin, inside = tag_of.get(span[3]) or tags(span[3])
        inner = [b for b in breaks if first < b < last] if breaks and first < breaks[-1] and breaks[0] < last else ()
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


_PRIORITY = itemgetter(0, 1, 2, 3, 4, 5)
"""``alignment._priority``: longest (in tokens), first, gold, label, reviewer, id (unique: no ties)."""
_FIRST = itemgetter(1)


def write(job: ExportJob, target: Path) -> None:
    widened = split = 0
    tags = Tags()
    dropped = job.result.dropped
    label_names = {label.id: label.name for label in job.labels}  # job.label_name's map
    with target.open("w", encoding="utf-8", newline="\n") as stream:
        for document, rows, _ in job.document_rows(READ):
            body, left_out, document_widened, document_split = document_body(document.text, rows, label_names, tags)
            document_id = document.id
            # job.drop's record, built here: 78% of the benchmark's spans are left out.
            dropped += [Dropped(document_id, row[1], label, row[5], why) for row, label, why in left_out]
            widened += document_widened
            split += document_split
            stream.write(f"{DOCSTART}\n\n{body}\n" if body else f"{DOCSTART}\n\n")
    if widened:
        job.warn(f"{widened} spans do not start or end on a token edge: their whole first and last tokens are tagged")
    if split:
        job.warn(f"{split} times a span ran over a line break: it is tagged as two entities, one per block")
    if any(tag_name(label.name) != label.name for label in job.labels):
        job.warn("spaces in label names are written as '_' in tags")
    job.warn_merged_reviewers("CoNLL")


FORMAT = ExportFormat(
    name="conll",
    title="CoNLL-2003-style IOB2",
    filename="dataset.conll",
    suffixes=(".conll", ".iob", ".iob2"),
    importable=False,
    write=write,
    relations=False,
    notes="""
One token per line, `token TAG`, separated by one space (tokens never contain whitespace); tags
are IOB2 (`B-Label` begins a span, `I-Label` continues it, `O` is outside). Each document starts
with the CoNLL-2003 line `-DOCSTART- -X- O O` and a blank line (readers such as
`spacy convert --converter ner` split documents on exactly that line); each line of the text is one block, blocks are
separated by a blank line. Documents come in the order of the Documents table below.

Tokens are those of `annotator.tokens.tokenize` (words joined by apostrophes and hyphens, numbers
with their decimal and thousands separators such as `1,200` and `1.5` as spaCy has them, each
other symbol or emoji sequence alone). A span tags every token it shares a character with.

**Overlaps** (IOB2 holds one tag per token): where spans share a token, the longest (in tokens)
wins, then the one that starts first, then gold over reviewer, then label, reviewer and id in
alphabetical order. A losing span is left out whole and listed under "Left out" below, as are
spans that cover only whitespace. Spaces in label names become `_`.

Not written: offsets (re-tokenize the documents to get them back), reviewer, attributes, notes,
relations.
""",
)
