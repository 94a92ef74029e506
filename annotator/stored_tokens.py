"""A text's tokens, made once by the writes and kept in ``document_tokens``, so exports need not tokenize.

Tokenizing (``tokens.token_columns``: sre, no faster exact tokenizer in the standard library) was about half
of what the CoNLL export still spent; reading the stored columns back costs a tenth of it. Tokens are a pure
function of the text and the tokenizer's version (``tokens.TOKENIZER``), so a row is keyed by the text's
SHA-256: the writes that insert a document or change its text store its tokens in the same transaction
(``fill``), and a reader believes a row only when its key is the hash of the text it read, its version is the
current one and its columns fit the text (``believed``); anything else is a miss, tokenized as before. The
cache can make a read faster, never different. Readers never write.

The second processes of a CoNLL export and of a large write load this module under a stand-in
``annotator`` package (``store/export_part.stored_tokens``): at import it needs nothing but the standard library and
``annotator.tokens``.
"""

from __future__ import annotations

import hashlib
import sys
from array import array

from annotator import tokens
from annotator.tokens import TOKENIZER

TYPE_CHECKING = False  # not typing's: importing typing costs the second process 10 ms
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from annotator.store.database import Database

    Columns = tuple[list[int], list[int], list[str]]
    Row = tuple[str, str, bytes, bytes, str]

__all__ = ["TOKENIZER", "Pending", "believed", "columns", "fill", "fill_all", "forget", "reindex", "row_of"]

_TYPECODE = "I" if array("I").itemsize == 4 else "L"
"""An unsigned 32-bit array's type code: offsets are stored as little-endian uint32."""
_SWAP = sys.byteorder == "big"

BATCH = 200
"""Texts read at a time when filling a whole project (the migration): never every text in memory at once."""


def row_of(sha256: str, text: str) -> Row:
    """The ``document_tokens`` row of ``text`` (whose hash is ``sha256``): starts and ends as little-endian uint32
    arrays, the words joined by line breaks (a token never holds whitespace)."""
    starts, ends, words = tokens.token_columns(text)
    return sha256, TOKENIZER, _packed(starts), _packed(ends), "\n".join(words)


def _packed(values: list[int]) -> bytes:
    packed = array(_TYPECODE, values)
    if _SWAP:
        packed.byteswap()
    return packed.tobytes()


def _unpacked(blob: bytes) -> list[int]:
    values = array(_TYPECODE)
    values.frombytes(blob)
    if _SWAP:
        values.byteswap()
    return values.tolist()


def believed(text: str, row: Any) -> Columns | None:
    """The stored row's starts, ends and words when it is ``text``'s (its key the hash of ``text``, the current
    tokenizer, blobs of whole uint32s of one length, as many words as long in all as the tokens, the last end
    inside the text), else None.
    A damaged row (a wrong type, a truncated blob) is a miss, never an error."""
    if row is None:
        return None
    try:
        sha256, tokenizer, starts_blob, ends_blob, words = row
    except (TypeError, ValueError):
        return None
    if tokenizer != TOKENIZER or type(starts_blob) is not bytes or type(ends_blob) is not bytes \
            or type(words) is not str or len(starts_blob) != len(ends_blob) or len(starts_blob) % 4:
        return None
    try:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:
        return None
    if sha256 != digest:
        return None
    ends = _unpacked(ends_blob)
    if not ends:
        return ([], [], []) if not words else None
    if ends[-1] > len(text):
        return None
    split = words.split("\n")
    if len(split) != len(ends):
        return None
    starts = _unpacked(starts_blob)
    if len(words) - len(split) + 1 != sum(ends) - sum(starts):  # the words as long as the tokens (~2 ms a MB)
        return None
    return starts, ends, split


def columns(text: str, row: Any) -> Columns:
    """``tokens.token_columns(text)``, from the stored ``row`` when it is believed."""
    return believed(text, row) or tokens.token_columns(text)


PROCESS_ABOVE = 500_000
"""Characters of text to tokenize from which a second process takes a share (``_rows``): ~0.1 s of tokenizing,
twice what the process takes to start."""

PROCESS_SHARE = 0.45
"""The part of the characters (the last texts) the second process tokenizes: it starts ~50 ms behind."""


def fill(db: Database, texts: Iterable[str]) -> int:
    """Store the tokens of each text that has no row of the current tokenizer (inside the caller's write
    transaction); how many."""
    from annotator.store import document_tokens
    from annotator.text import sha256

    by_hash: dict[str, str] = {}
    for text in texts:
        by_hash.setdefault(sha256(text), text)
    if not by_hash:
        return 0
    missing = sorted(set(by_hash) - document_tokens.current(db, by_hash, TOKENIZER))
    document_tokens.store(db, _rows([(key, by_hash[key]) for key in missing]))
    return len(missing)


def _rows(items: list[tuple[str, str]]) -> list[Row]:
    """``row_of`` of each (hash, text); above ``PROCESS_ABOVE`` characters, with a core free, the last texts
    (``PROCESS_SHARE`` of the characters) are tokenized by a second process (``stored_tokens_process.py``) while
    this one tokenizes the first. A process that fails or cannot start leaves its texts to this one."""
    total = sum(len(text) for _, text in items)
    part = None
    if total >= PROCESS_ABOVE and len(items) >= 2:
        from annotator import second_core

        if second_core.free():
            import os

            from annotator.exporters.second_process import SecondProcess

            first, done = len(items), 0
            while first > 1 and done < total * PROCESS_SHARE:
                first -= 1
                done += len(items[first][1])
            script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stored_tokens_process.py")
            part = SecondProcess.start(script, {"texts": [text for _, text in items[first:]]}, first)
    if part is None:
        return [row_of(key, text) for key, text in items]
    try:
        rows = [row_of(key, text) for key, text in items[:part.first]]
        result = part.finish()
    finally:
        part.stop()
    made = result.get("rows") if isinstance(result, dict) else None
    if not isinstance(made, list) or len(made) != len(items) - part.first:
        return rows + [row_of(key, text) for key, text in items[part.first:]]
    return rows + [(key, TOKENIZER, *columns) for (key, _), columns in zip(items[part.first:], made)]


def fill_all(db: Database) -> int:
    """Store the tokens of every document's text that lacks current ones, ``BATCH`` texts at a time (the
    migration that made the table; inside the caller's transaction); how many."""
    from annotator.store import document_tokens

    return sum(fill(db, batch) for batch in document_tokens.texts_in_batches(db, BATCH))


def reindex(db: Database) -> tuple[int, int]:
    """``fill_all`` and drop the rows of texts no document holds (inside the caller's write transaction):
    (tokenized, dropped). For a file other programs wrote documents into, or after Python's Unicode data changed."""
    from annotator.store import document_tokens

    return fill_all(db), document_tokens.prune_all(db)


def forget(db: Database, texts: Iterable[str]) -> int:
    """Delete the rows of ``texts`` that no document holds any more (a delete, an undone import); how many."""
    from annotator.store import document_tokens
    from annotator.text import sha256

    hashes = {sha256(text) for text in texts}
    return document_tokens.prune(db, hashes) if hashes else 0


class Pending:
    """The texts a group's commits wrote (an import: one commit per document), stored once at its end.

    One ``fill`` for the group instead of one per commit: a lookup and an insert per document cost 0.4 s on top of
    tokenizing the benchmark's 1,000 HTML pages (0.9 s). A thread tokenizing while the group wrote was slower
    still (1.9 s against 1.5): each of the commits' many short SQLite calls waited for the GIL the thread held."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.gone: list[str] = []

    def add(self, texts: list[str], gone: list[str]) -> None:
        """Texts written (their rows stored at the end) and texts taken (their rows dropped at the end)."""
        self.texts += texts
        self.gone += gone

    def store(self, db: Database) -> None:
        """Store the rows of the texts written and drop those of the texts no document holds any more (inside the
        group's transaction; in this order, so a text written and deleted in the group leaves no row)."""
        if self.texts:
            fill(db, self.texts)
        if self.gone:
            forget(db, self.gone)
