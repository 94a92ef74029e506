"""What an export left out: a ``Dropped`` record per annotation or relation, made only when someone reads it.

CoNLL leaves out 78% of the benchmark's 100,000 spans (IOB2 holds one tag per token). Building a record for
each as it was left out, and freeing them all afterwards, cost ~35 ms of a ~350 ms export, while the dataset
card reads the first 200 and the command line only counts them. ``LeftOut`` keeps the fields as the writers
made them (rows, or the columns a second process returned) and makes the records when they are iterated.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass
from itertools import accumulate, chain, islice, pairwise, starmap
from typing import Any, overload

__all__ = ["Dropped", "LeftOut"]


@dataclass
class Dropped:
    """An annotation (or relation) a format could not hold, and why."""

    document_id: str
    item_id: str
    label: str
    quote: str
    reason: str


Fields = tuple[Any, Any, Any, Any, Any]
"""A ``Dropped``'s fields in order: document id, item id, label, quote, reason."""


class LeftOut(Sequence[Dropped]):
    """A list of ``Dropped`` that holds their fields: rows (``add_rows``), columns (``add_columns``) or records
    (``append``), kept in the order added. Equal to any sequence of the same records."""

    def __init__(self, records: Iterable[Dropped] = ()) -> None:
        self._parts: list[list[Fields] | tuple[Sequence[Any], ...]] = []
        self._rows: list[Fields] = []  # the last part, while rows are being added
        self._length = 0
        for record in records:
            self.append(record)

    def append(self, record: Dropped) -> None:
        self.add_rows((astuple(record),))

    def add_rows(self, rows: Iterable[Fields]) -> None:
        """Records given as their fields, one tuple each."""
        if not self._parts or self._parts[-1] is not self._rows:
            self._rows = []
            self._parts.append(self._rows)
        before = len(self._rows)
        self._rows += rows
        self._length += len(self._rows) - before

    def add_columns(self, columns: Sequence[Any], packed: Collection[int] = ()) -> None:
        """Records given as five columns of one length (each field's values), as a second process returns them.
        The columns at the indexes in ``packed`` are strings given as UTF-8 chunks, how many each holds and their
        lengths in characters (``(chunks, counts, lengths)``, ``conll_text.Packed``): marshal then copies bytes
        where it decoded one string per record (CoNLL's 34,000 quotes, mostly not ASCII: 9 ms in each process), and
        they are decoded and cut apart only if read."""
        if len(columns) != 5:
            raise ValueError("left-out records: five columns expected")
        sizes = {len(column[2]) if index in packed else len(column) for index, column in enumerate(columns)}
        if len(sizes) != 1:
            raise ValueError("left-out records: columns of one length expected")
        size = sizes.pop()
        if size:
            self._parts.append(tuple(_Cut(*column) if index in packed else column
                                     for index, column in enumerate(columns)))
            self._length += size

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Dropped]:
        return starmap(Dropped, chain.from_iterable(
            part if isinstance(part, list) else zip(*part) for part in self._parts))

    @overload
    def __getitem__(self, index: int) -> Dropped: ...

    @overload
    def __getitem__(self, index: slice) -> list[Dropped]: ...

    def __getitem__(self, index: int | slice) -> Dropped | list[Dropped]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step == 1:
                return list(islice(self, start, max(start, stop)))
            return list(self)[index]
        position = range(self._length)[index]  # IndexError as a list's
        for part in self._parts:
            size = len(part) if isinstance(part, list) else len(part[0])
            if position < size:
                return Dropped(*(part[position] if isinstance(part, list) else (column[position] for column in part)))
            position -= size
        raise AssertionError("unreachable: the parts hold _length records")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list

    def __repr__(self) -> str:
        return f"LeftOut({list(self)!r})"


class _Cut(Sequence[str]):
    """A column of strings held as UTF-8 ``chunks`` (a document's strings each), how many strings each holds
    (``counts``) and each string's length in characters (``lengths``): a chunk is decoded when a string of it is read,
    so the dataset card's first 200 rows decode a few documents' worth."""

    def __init__(self, chunks: list[bytes], counts: list[int], lengths: list[int]) -> None:
        if len(chunks) != len(counts) or sum(counts) != len(lengths):
            raise ValueError("left-out records: packed strings whose counts do not add up")
        self.chunks, self.counts, self.lengths = chunks, counts, lengths

    def __len__(self) -> int:
        return len(self.lengths)

    def __iter__(self) -> Iterator[str]:
        first = 0
        for chunk, count in zip(self.chunks, self.counts):
            text = chunk.decode("utf-8", "surrogatepass")
            ends = list(accumulate(self.lengths[first:first + count], initial=0))
            if ends[-1] != len(text):
                raise ValueError("left-out records: packed strings not as long as their lengths")
            yield from (text[start:end] for start, end in pairwise(ends))
            first += count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return list(self)[index]
        return next(islice(self, range(len(self.lengths))[index], None))
