"""The one place where code-point offsets (the core's) meet UTF-16 offsets (Qt's).

Every character outside the Basic Multilingual Plane (emoji, many flags, some CJK) is one
code point but two UTF-16 units, so a UTF-16 offset is the code point offset plus the number of
such "astral" characters before it. For text without them (most text) both directions are the
identity.

Opening a long text must not list every astral character in Python (a 1M-character report can
hold 100k emoji: listing them is milliseconds of its first frame). Their positions are found in C
(numpy: one comparison of the text's UTF-32 code units and one ``flatnonzero``) and kept as one
array; the text is cut into chunks of ``CHUNK`` characters whose counts come from one
``searchsorted``, and a chunk's positions become Python lists (for ``bisect``, far cheaper per
call than numpy) only when an offset in it is first converted: opening a long text converts
offsets near its top, the rest follow as its spans are read in idle time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np

CHUNK = 65_536
"""Characters per chunk: listing one's astral characters is well under 1 ms."""
_FIRST_ASTRAL = 0x10000


class OffsetMap:
    """Convert offsets between Python strings (code points) and Qt (UTF-16 code units)."""

    __slots__ = ("_astral", "_before", "_chunk_size", "_chunks", "_starts16", "length", "length16")

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._chunk_size = CHUNK
        self._astral: np.ndarray | None = None  # code point offset of every astral character, ascending
        self._before: list[int] = []  # astral characters before each chunk (and before the end)
        self._starts16: list[int] = []  # UTF-16 offset of each chunk's start
        self._chunks: dict[int, tuple[list[int], list[int]]] = {}  # chunk -> its astral characters (code points, UTF-16)
        total = 0
        if not text.isascii():
            # surrogatepass: a lone surrogate (one UTF-16 unit, as Qt counts it) is a BMP code unit here
            units = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            astral = np.flatnonzero(units >= _FIRST_ASTRAL)
            total = len(astral)
            if total:
                self._astral = astral
                starts = np.arange(0, self.length, CHUNK)
                self._before = [*np.searchsorted(astral, starts).tolist(), total]
                self._starts16 = (starts + self._before[:-1]).tolist()
        self.length16 = self.length + total

    def _chunk(self, number: int) -> tuple[list[int], list[int]]:
        """The code point and UTF-16 positions of the astral characters in one chunk (listed once)."""
        found = self._chunks.get(number)
        if found is None:
            assert self._astral is not None
            before = self._before[number]
            astral = self._astral[before:self._before[number + 1]]
            found = self._chunks[number] = (astral.tolist(), (astral + np.arange(before, before + len(astral))).tolist())
        return found

    def to_qt(self, offset: int) -> int:
        """Code point offset -> UTF-16 offset."""
        if self._astral is None or offset <= 0:
            return offset
        if offset >= self.length:
            return offset + self._before[-1]
        number = offset // self._chunk_size
        return offset + self._before[number] + bisect_left(self._chunk(number)[0], offset)

    def to_qt_sorted(self, offsets: list[int]) -> list[int]:
        """Many offsets inside the text (line starts) at once, in C: no chunk is listed for them."""
        if self._astral is None:
            return list(offsets)
        at = np.asarray(offsets, dtype=np.int64)
        return (at + np.searchsorted(self._astral, at)).tolist()

    def from_qt(self, offset16: int) -> int:
        """UTF-16 offset -> code point offset. A position inside a surrogate pair moves to the pair's start."""
        if self._astral is None or offset16 <= 0:
            return offset16
        if offset16 >= self.length16:
            return offset16 - self._before[-1]
        number = bisect_right(self._starts16, offset16) - 1
        astral, astral16 = self._chunk(number)
        before = bisect_right(astral16, offset16 - 1)  # astral characters of this chunk starting before offset16
        if before and astral16[before - 1] == offset16 - 1:  # between the two halves of a pair
            return astral[before - 1]
        return offset16 - self._before[number] - before

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def span_from_qt(self, start16: int, end16: int) -> tuple[int, int]:
        """A UTF-16 selection as code points; an end inside a pair takes in the whole character."""
        start = self.from_qt(start16)
        end = self.from_qt(end16)
        if end < self.length and self.to_qt(end) < end16:
            end += 1
        return start, end
