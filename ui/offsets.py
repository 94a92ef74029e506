"""The one place where code-point offsets (the core's) meet UTF-16 offsets (Qt's).

Every character outside the Basic Multilingual Plane (emoji, many flags, some CJK) is one
code point but two UTF-16 units, so a UTF-16 offset is the code point offset plus the number of
such "astral" characters before it. For text without them (most text) both directions are the
identity.

Listing every astral character's position on open took ~10 ms for a 1M-character report with
19k emoji (a regex match object and a list item each). Now the text is cut into chunks of
``CHUNK`` characters; how many astral characters each holds is counted in C (the third byte of
each UTF-32 code unit is 0 for every BMP character: ``bytes.count``), and a chunk's positions are
listed only when an offset in it is first converted: opening a long text converts offsets near
its top, the rest follow as its spans are read in idle time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
CHUNK = 65_536
"""Characters per chunk: counting one is a few microseconds, listing one's positions well under 1 ms."""


class OffsetMap:
    """Convert offsets between Python strings (code points) and Qt (UTF-16 code units)."""

    __slots__ = ("_before", "_chunks", "_plane", "_starts16", "_text", "length", "length16")

    def __init__(self, text: str) -> None:
        self._text = text
        self.length = len(text)
        self._plane = b""
        self._before: list[int] = []  # astral characters before each chunk (and before the end)
        self._starts16: list[int] = []  # UTF-16 offset of each chunk's start
        self._chunks: dict[int, tuple[list[int], list[int]]] = {}  # chunk -> its astral characters (code points, UTF-16)
        total = 0
        if not text.isascii():
            # surrogatepass: a lone surrogate (one UTF-16 unit, as Qt counts it) gets a zero plane byte
            plane = text.encode("utf-32-le", "surrogatepass")[2::4]
            length = len(plane)
            for at in range(0, length, CHUNK):  # the chunks' counts are the whole count: no pass of its own
                self._before.append(total)
                self._starts16.append(at + total)
                total += min(CHUNK, length - at) - plane.count(0, at, at + CHUNK)
            if total:
                self._plane = plane
                self._before.append(total)
            else:  # BMP only: the identity
                self._before.clear()
                self._starts16.clear()
        self.length16 = self.length + total

    def _chunk(self, number: int) -> tuple[list[int], list[int]]:
        """The code point and UTF-16 positions of the astral characters in one chunk (listed once)."""
        found = self._chunks.get(number)
        if found is None:
            start = number * CHUNK
            astral = [m.start() for m in _ASTRAL.finditer(self._text, start, start + CHUNK)]
            before = self._before[number]
            found = self._chunks[number] = (astral, [cp + before + k for k, cp in enumerate(astral)])
        return found

    def to_qt(self, offset: int) -> int:
        """Code point offset -> UTF-16 offset."""
        if not self._plane or offset <= 0:
            return offset
        if offset >= self.length:
            return offset + self._before[-1]
        number = offset // CHUNK
        return offset + self._before[number] + bisect_left(self._chunk(number)[0], offset)

    def to_qt_sorted(self, offsets: list[int]) -> list[int]:
        """Many ascending offsets inside the text (line starts), counted between each and the next:
        no chunk is listed for them."""
        if not self._plane:
            return list(offsets)
        count = self._plane.count
        result, at, astral = [], 0, 0
        for offset in offsets:
            astral += (offset - at) - count(0, at, offset)
            at = offset
            result.append(offset + astral)
        return result

    def from_qt(self, offset16: int) -> int:
        """UTF-16 offset -> code point offset. A position inside a surrogate pair moves to the pair's start."""
        if not self._plane or offset16 <= 0:
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
