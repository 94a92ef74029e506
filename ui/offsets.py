"""The one place where code-point offsets (the core's) meet UTF-16 offsets (Qt's).

Every character outside the Basic Multilingual Plane (emoji, many flags, some CJK) is one
code point but two UTF-16 units. We keep the sorted code-point positions of those characters
and bisect; for text without them (most text) both directions are the identity.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Convert offsets between Python strings (code points) and Qt (UTF-16 code units)."""

    __slots__ = ("_astral", "_astral16", "length", "length16")

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        # UTF-16 position of each astral character: every earlier one added a unit.
        self._astral16 = [cp + k for k, cp in enumerate(self._astral)]
        self.length = len(text)
        self.length16 = len(text) + len(self._astral)

    def to_qt(self, offset: int) -> int:
        """Code point offset -> UTF-16 offset."""
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def from_qt(self, offset16: int) -> int:
        """UTF-16 offset -> code point offset. A position inside a surrogate pair moves to the pair's start."""
        if not self._astral16:
            return offset16
        before = bisect_right(self._astral16, offset16 - 1)  # astral characters starting before offset16
        if before and self._astral16[before - 1] == offset16 - 1:  # between the two halves of a pair
            return self._astral[before - 1]
        return offset16 - before

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def span_from_qt(self, start16: int, end16: int) -> tuple[int, int]:
        """A UTF-16 selection as code points; an end inside a pair takes in the whole character."""
        start = self.from_qt(start16)
        end = self.from_qt(end16)
        if end < self.length and self.to_qt(end) < end16:
            end += 1
        return start, end
