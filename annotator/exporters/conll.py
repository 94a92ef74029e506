"""``conll``: CoNLL-2003-style token-per-line IOB2 tags, what most NER training scripts read.

IOB2 holds one tag per token, so overlapping spans go through ``alignment.non_overlapping``
and the ones left out are listed in DATASET.md. Each line of the text becomes a block (the
blank-line-separated "sentence" of CoNLL); a span running over a line break starts again with
``B-`` in the next block.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path
from typing import Any

from annotator.exporters.alignment import align, non_overlapping, reason
from annotator.exporters.common import ExportAnnotation, ExportFormat, ExportJob
from annotator.tokens import tokenize_words

DOCSTART = "-DOCSTART- -X- O O"
"""CoNLL-2003's document line, exactly: ``spacy convert --converter ner`` splits documents only on this string."""


_LINE_BREAK = re.compile("\n")


def tag_name(label: str) -> str:
    return re.sub(r"\s", "_", label.strip())


def _break_blocks(text: str, tokens: list[tuple[int, int]], words: list[str], tags: list[str]) -> int:
    """Start a block (blank line) before each token preceded by a line break; returns the spans split by one.

    Tokens never hold whitespace, so a line break lies between two tokens: the first token starting
    after it begins the new block (a run of breaks makes one blank line). A span going on in the new
    block (``I-``) begins again (``B-``)."""
    starts = [start for start, _ in tokens]
    breaks = {bisect_left(starts, match.start()) for match in _LINE_BREAK.finditer(text)}
    split = 0
    for index in sorted(breaks):
        if 0 < index < len(tokens):
            words[index] = "\n" + words[index]
            if tags[index].startswith("I-"):
                tags[index] = "B-" + tags[index][2:]
                split += 1
    return split


READ = ("id", "start", "end", "label_id", "quote", "annotator", "layer")
"""The annotation columns CoNLL uses (alignment, the overlap rule, the "Left out" list): reading and
building all 15 of every annotation (``ExportJob.documents``) cost about a tenth of this export."""


def _records(job: ExportJob, rows: list[tuple[Any, ...]]) -> list[ExportAnnotation]:
    """``document_rows(READ)`` rows as ``ExportAnnotation``s holding only ``READ`` (other fields blank)."""
    new, cls, name = tuple.__new__, ExportAnnotation, job.label_name
    return [new(cls, (id_, document_id, start, end, name(label_id), label_id, quote, "", "", annotator, layer, None, {},
                      None, "", ""))
            for (document_id, id_, start, end, label_id, quote, annotator, layer) in rows]


def write(job: ExportJob, target: Path) -> None:
    widened = split = 0
    tags_of: dict[str, tuple[str, str]] = {}  # label -> its B- and I- tags
    with target.open("w", encoding="utf-8", newline="\n") as stream:
        for document, rows, _ in job.document_rows(READ):
            text = document.text
            tokens, words = tokenize_words(text)
            aligned, untokened = align(tokens, _records(job, rows))
            for a in untokened:
                job.drop(document.id, a, "no token: the span covers only whitespace")
            kept, dropped = non_overlapping(aligned)
            for loser, winner in dropped:
                job.drop(document.id, loser.annotation, reason(loser, winner))
            tags = ["O"] * len(tokens)
            for span in kept:
                label = span.annotation.label
                if label not in tags_of:
                    tags_of[label] = (f"B-{tag_name(label)}", f"I-{tag_name(label)}")
                begin, inside = tags_of[label]
                tags[span.first] = begin
                tags[span.first + 1:span.last] = [inside] * (span.last - span.first - 1)
                widened += span.widened
            split += _break_blocks(text, tokens, words, tags)
            # One format call per token, from C: words and tags are parallel lists.
            body = "".join(map("{} {}\n".format, words, tags))
            stream.write(f"{DOCSTART}\n\n{body}\n" if tokens else f"{DOCSTART}\n\n")
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
