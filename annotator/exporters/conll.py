"""``conll``: CoNLL-2003-style token-per-line IOB2 tags, what most NER training scripts read.

IOB2 holds one tag per token, so overlapping spans go through ``alignment.non_overlapping``
and the ones left out are listed in DATASET.md. Each line of the text becomes a block (the
blank-line-separated "sentence" of CoNLL); a span running over a line break starts again with
``B-`` in the next block.
"""

from __future__ import annotations

import os
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from annotator import stored_tokens
from annotator.exporters import conll_text
from annotator.exporters.common import ExportFormat, ExportJob, without_collector
from annotator.exporters.conll_text import DOCSTART, READ, TEXT_BATCH, Codes, Tags, Tally, document_text, tag_name
from annotator.exporters.second_process import SecondProcess, append_part, start_on_last
from annotator.store import document_tokens, export_part
from annotator.store.annotations import annotator_names
from annotator.tokens import token_columns

__all__ = ["DOCSTART", "FORMAT", "READ", "Tags", "document_body", "tag_name", "write"]

document_body = partial(conll_text.document_body, token_columns=token_columns)
"""``conll_text.document_body`` with this process's tokenizer: one document's lines, left-out rows and counts."""

PROCESS_ABOVE = 20_000
"""Selected annotations from which the last documents (``SECOND_SHARE``) are built by a second process (``conll_text``),
as the xmi export's (``inception_xmi.PROCESS_ABOVE``): tokenizing and tagging are Python and sre under one GIL."""

SECOND_SHARE = 0.43
"""The part of the documents (the last ones) the second process builds. It starts ~25 ms behind (the interpreter
and its imports) and, a fresh process, is given its memory page by page (~40 ms of the kernel's time for 11,000 page
faults) where this one reuses what it had; it marshals its result and this one loads it. Alternated in one process,
15 rounds each: 40% 296 ms, 43% 287, 46% 300 (the median export)."""


def write(job: ExportJob, target: Path) -> None:
    tally = Tally()
    tags = Tags()
    reviewers = annotator_names(job.project.db)
    codes = Codes.every({label.id: label.name for label in job.labels}, reviewers)
    part = _start(job, reviewers)
    try:
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            tally.merge(_write_documents(job, slice(0, part.first) if part else None, stream, tags, codes))
            if part is not None:
                result = part.finish()
                if result is None:  # the process failed: its documents are written here
                    tally.merge(_write_documents(job, slice(part.first, None), stream, tags, codes))
                else:
                    job.result.dropped.add_columns(result["dropped"], result["packed"])
                    tally.merge(result)
                    append_part(job, stream, result["text"])
    finally:
        if part is not None:
            part.stop()
    job.reason_kinds = Counter(tally.kinds)
    job.selection.counted(tally.merged, tally.per_document)
    if tally.widened:
        job.warn(f"{tally.widened} spans do not start or end on a token edge: their whole first and last tokens are "
                 "tagged")
    if tally.split:
        job.warn(f"{tally.split} times a span ran over a line break: it is tagged as two entities, one per block")
    if any(tag_name(label.name) != label.name for label in job.labels):
        job.warn("spaces in label names are written as '_' in tags")
    job.warn_merged_reviewers("CoNLL")


def _write_documents(job: ExportJob, part: slice | None, stream: TextIO, tags: Tags, codes: Codes) -> dict[str, Any]:
    """The lines of the documents in ``part`` (all: ``None``), adding to the left out; what they add up to (a
    ``Tally``'s ``fields``, as the second process returns them)."""
    tally = Tally()
    dropped = job.result.dropped
    (grouped, codes), documents = job.read_part(partial(conll_text.coded_rows, export_part, codes), part)
    listed = job.selection.documents if part is None else job.selection.documents[part]
    # Each text's stored tokens (stored_tokens: believed only when they are that text's), in document order.
    stored = document_tokens.in_order(job.project.db, [d.id for d in listed], TEXT_BATCH)
    for (document, text), row in zip(documents, stored):
        rows = grouped.pop(document.id, [])
        body, left_out, widened, split = conll_text.document_body(
            text, rows, codes, tags, document.id, partial(stored_tokens.columns, row=row), tally.kinds)
        # job.drop's records, as rows (packed like the second process's, they cost more here than freeing them did)
        dropped.add_rows(left_out)
        tally.add(document.id, rows, widened, split)
        stream.write(document_text(body))
    return tally.fields(codes)


def _start(job: ExportJob, reviewers: list[str]) -> SecondProcess | None:
    """A second process on the last documents (``SECOND_SHARE``, ``conll_text``), or ``None``; it codes its rows
    with the ``reviewers`` this process codes its own with (``Codes.every``)."""
    return start_on_last(job, os.fspath(conll_text.__file__), PROCESS_ABOVE, SECOND_SHARE,
                         also={"reviewers": reviewers})


FORMAT = ExportFormat(
    name="conll",
    title="CoNLL-2003-style IOB2",
    filename="dataset.conll",
    suffixes=(".conll", ".iob", ".iob2"),
    importable=False,
    write=without_collector(write),
    relations=False,
    counts_rows=True,
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
