"""``conll``: CoNLL-2003-style token-per-line IOB2 tags, what most NER training scripts read.

IOB2 holds one tag per token, so overlapping spans go through ``alignment.non_overlapping``
and the ones left out are listed in DATASET.md. Each line of the text becomes a block (the
blank-line-separated "sentence" of CoNLL); a span running over a line break starts again with
``B-`` in the next block.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.exporters.alignment import align, non_overlapping, reason
from annotator.exporters.common import ExportFormat, ExportJob
from annotator.tokens import tokenize

DOCSTART = "-DOCSTART- -X- O O"
"""CoNLL-2003's document line, exactly: ``spacy convert --converter ner`` splits documents only on this string."""


def tag_name(label: str) -> str:
    return re.sub(r"\s", "_", label.strip())


def write(job: ExportJob, target: Path) -> None:
    widened = split = 0
    with target.open("w", encoding="utf-8", newline="\n") as stream:
        for item in job.documents():
            text = item.document.text
            tokens = tokenize(text)
            aligned, untokened = align(tokens, item.annotations)
            for a in untokened:
                job.drop(item.document.id, a, "no token: the span covers only whitespace")
            kept, dropped = non_overlapping(aligned)
            for loser, winner in dropped:
                job.drop(item.document.id, loser.annotation, reason(loser, winner))
            tags = ["O"] * len(tokens)
            for span in kept:
                label = tag_name(span.annotation.label)
                tags[span.first] = f"B-{label}"
                for i in range(span.first + 1, span.last):
                    tags[i] = f"I-{label}"
                widened += span.widened
            lines = [f"{DOCSTART}\n\n"]  # one write per document, not per token
            append = lines.append
            previous_end = None
            for (start, end), tag in zip(tokens, tags):
                if previous_end is not None and start != previous_end and "\n" in text[previous_end:start]:
                    append("\n")
                    if tag.startswith("I-"):
                        tag = "B-" + tag[2:]
                        split += 1
                append(f"{text[start:end]} {tag}\n")
                previous_end = end
            if tokens:
                append("\n")
            stream.write("".join(lines))
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
