"""CoNLL's ``document_body`` (raw rows, tuples, one join per run of tags) writes exactly what the plain path wrote:
``alignment.align`` + ``non_overlapping`` + ``reason`` on records, one tag per token, one format call per token."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.exporters import conll
from annotator.exporters.alignment import align, non_overlapping, reason
from annotator.exporters.common import ExportAnnotation
from annotator.exporters.conll_text import Codes
from annotator.tokens import token_columns, tokenize, tokenize_words

LABELS = {"l1": "Claim", "l2": "Actor name", "l3": "Figure"}
PIECES = ["a", "bb", "1,200", "1.5", " ", "  ", "\n", "\n\n", "\r\n", "\u2028", "don't", "👨‍👩‍👧", "é", ",", "قال", "\t"]


def plain(text: str, rows: list[tuple[Any, ...]]) -> tuple[str, list[tuple[str, str, str, str]], int, int]:
    """conll.write's per-document code before the fast path (kept here as the reference)."""
    records = [ExportAnnotation(id_, "d1", start, end, LABELS.get(label_id, "?"), label_id, text[start:end], "", "",
                                annotator, layer, None, {}, None, "", "")
               for (id_, start, end, label_id, annotator, layer) in rows]
    tokens, words = tokenize_words(text)
    aligned, untokened = align(tokens, records)
    left_out = [(a.id, a.label, a.quote, "no token: the span covers only whitespace") for a in untokened]
    kept, dropped = non_overlapping(aligned)
    left_out += [(loser.annotation.id, loser.annotation.label, loser.annotation.quote, reason(loser, winner))
                 for loser, winner in dropped]
    tags = ["O"] * len(tokens)
    widened = 0
    for span in kept:
        name = conll.tag_name(span.annotation.label)
        tags[span.first] = f"B-{name}"
        tags[span.first + 1:span.last] = [f"I-{name}"] * (span.last - span.first - 1)
        widened += span.widened
    starts = [start for start, _ in tokens]
    breaks = {bisect_left(starts, match.start()) for match in re.finditer("\n", text)}
    split = 0
    for index in sorted(breaks):
        if 0 < index < len(tokens):
            words[index] = "\n" + words[index]
            if tags[index].startswith("I-"):
                tags[index] = "B-" + tags[index][2:]
                split += 1
    return "".join(map("{} {}\n".format, words, tags)), left_out, widened, split


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[Any, ...]]]:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=25)))
    rows = []
    for number in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        if start == end:
            continue
        rows.append((f"{draw(st.sampled_from('abc'))}{number:03d}-id", start, end,
                     draw(st.sampled_from([*LABELS, "gone"])), draw(st.sampled_from(["alice", "bob"])),
                     draw(st.sampled_from(["gold", "reviewer"]))))
    if rows and draw(st.booleans()):  # a duplicate: same span and label, another id
        rows.append(("zzz-duplicate", *rows[0][1:]))
    return text, sorted(rows, key=lambda r: (r[1], r[2], r[0]))


def coded_body(text: str, rows: list[tuple[Any, ...]], tags: conll.Tags | None = None, document_id: str = "d1",
               labels: dict[str, str] = LABELS, **options: Any) -> tuple[str, list[tuple[Any, ...]], int, int]:
    """``conll.document_body`` on ``READ`` rows as they are, coded by the codes found in them (``Codes.found``, what
    an export falls back to)."""
    codes = Codes.found(rows, labels)
    return conll.document_body(text, codes.coded(rows), codes, tags or conll.Tags(), document_id, **options)


def fields(left_out: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``document_body``'s left-out rows (``Dropped``'s fields) as ``plain`` lists them: without the document."""
    assert all(document_id == "d1" for document_id, *_ in left_out)
    return [tuple(rest) for _, *rest in left_out]


@settings(max_examples=400, deadline=None)
@given(documents(), st.randoms(use_true_random=False))
def test_document_body_is_the_plain_path(document: tuple[str, list[tuple[Any, ...]]], random: Any) -> None:
    """In any row order (the rows are read in index order, not sorted): the plain path on rows in text order."""
    text, rows = document
    shuffled = random.sample(rows, len(rows))
    body, left_out, widened, split = coded_body(text, shuffled)
    got = (fields(left_out), widened, split)
    expected_body, *expected = plain(text, rows)
    assert body == expected_body
    assert got == tuple(expected)


def test_an_example_with_every_case() -> None:
    text = "Don't say 1,200\nwere killed  here"
    rows = [("a", 0, 9, "l1", "bob", "reviewer"),  # Don't say
            ("b", 6, 27, "l2", "alice", "reviewer"),  # say ... killed: longest, over the break
            ("c", 6, 25, "l2", "bob", "gold"),  # the same tokens (cuts a word) and label, gold: wins
            ("d", 27, 29, "l3", "bob", "gold")]  # whitespace only
    body, left_out, widened, split = coded_body(text, rows)
    assert body == ("Don't O\nsay B-Actor_name\n1,200 I-Actor_name\n\nwere B-Actor_name\nkilled I-Actor_name\nhere O\n")
    assert [(id_, why.split(":")[0]) for _, id_, _, _, why in left_out] == [("d", "no token"), ("b", "duplicate"),
                                                                          ("a", "overlap")]
    assert (widened, split) == (1, 1)
    assert (body, fields(left_out), widened, split) == plain(text, rows)


def test_token_columns_are_tokenize() -> None:
    text = "Don't 1,200 state-of-the-art 👨‍👩‍👧 🇫🇷 e\u0301te — «ok»\n x"
    starts, ends, words = token_columns(text)
    assert list(zip(starts, ends)) == tokenize(text) and words == [text[s:e] for s, e in tokenize(text)]


def test_whitespace_only_spans_are_listed_as_sqlite_orders_them_whatever_their_ids() -> None:
    """Rows come unsorted; the whitespace-only ones are listed by start, end, id as SQLite orders them, also when
    a damaged file holds ids Python cannot compare with each other (NULL, a number, a text)."""
    import random
    import sqlite3

    text = "a     b"
    ids: list[Any] = [None, 7, 2.5, "b", "a", "ab"]
    rows = [(id_, 1 + n % 2, 4, "l1", "bob", "reviewer") for n, id_ in enumerate(ids)]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE a (n, id, start, end)")
    conn.executemany("INSERT INTO a VALUES (?, ?, ?, ?)", [(n, *row[:3]) for n, row in enumerate(rows)])
    expected = [rows[n][0] for (n,) in conn.execute("SELECT n FROM a ORDER BY start, end, id")]
    for seed in range(5):
        shuffled = random.Random(seed).sample(rows, len(rows))
        body, left_out, _, _ = coded_body(text, shuffled)
        assert [id_ for _, id_, *_ in left_out] == expected
        assert body == "a O\nb O\n"
