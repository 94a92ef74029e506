"""The code point <-> UTF-16 boundary, on emoji, flags, Arabic and combining marks."""

import re
from bisect import bisect_left, bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui import offsets
from ui.offsets import OffsetMap
from ui.span_index import block_starts

TEXT = "A 👩‍👩‍👧 family; 🇸🇾 flag; قتل ٩٧٣ مدنيا; e\u0301te\u0301 — 𝔘nicode."


def utf16_index(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_every_code_point_maps_to_its_utf16_position_and_back():
    m = OffsetMap(TEXT)
    for cp in range(len(TEXT) + 1):
        assert m.to_qt(cp) == utf16_index(TEXT, cp)
        assert m.from_qt(m.to_qt(cp)) == cp
    assert m.length16 == len(TEXT.encode("utf-16-le")) // 2


def test_position_inside_a_surrogate_pair_snaps_to_the_character_start():
    m = OffsetMap(TEXT)
    flag = TEXT.index("🇸")
    assert m.from_qt(m.to_qt(flag) + 1) == flag
    assert m.span_from_qt(m.to_qt(flag), m.to_qt(flag) + 1) == (flag, flag + 1)


def test_bmp_only_text_is_identity():
    m = OffsetMap("قتل ٩٧٣ مدنيا e\u0301")
    assert [m.to_qt(i) for i in range(5)] == list(range(5))
    assert m.from_qt(3) == 3


@given(st.text())
def test_round_trip_on_any_text(text):
    m = OffsetMap(text)
    for cp in range(len(text) + 1):
        assert m.to_qt(cp) == utf16_index(text, cp)
        assert m.from_qt(m.to_qt(cp)) == cp


class ListedOffsets:
    """The plain map the chunked one replaced (every astral position listed, then bisected): the oracle."""

    def __init__(self, text: str) -> None:
        self.astral = [m.start() for m in re.finditer("[\U00010000-\U0010ffff]", text)]
        self.astral16 = [cp + k for k, cp in enumerate(self.astral)]
        self.length16 = len(text) + len(self.astral)

    def to_qt(self, offset: int) -> int:
        return offset + bisect_left(self.astral, offset) if self.astral else offset

    def from_qt(self, offset16: int) -> int:
        before = bisect_right(self.astral16, offset16 - 1)
        if before and self.astral16[before - 1] == offset16 - 1:
            return self.astral[before - 1]
        return offset16 - before


ASTRAL_HEAVY = st.text(alphabet=st.sampled_from(["a", "\n", "é", "ب", "😀", "👩", "\u200d", "🇸", "\ud800"]), max_size=80)


@settings(max_examples=300)
@given(ASTRAL_HEAVY, st.sampled_from([1, 2, 3, 7, 65_536]))
def test_the_chunked_map_agrees_with_the_listed_one_on_every_offset(text, chunk):
    """Chunks of a few characters put pairs, newlines and the text's end on every kind of chunk edge;
    a lone surrogate (one UTF-16 unit) is not astral."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(offsets, "CHUNK", chunk)
        m, plain = offsets.OffsetMap(text), ListedOffsets(text)
        assert m.length16 == plain.length16
        for cp in range(-2, len(text) + 3):
            assert m.to_qt(cp) == plain.to_qt(cp)
        for at16 in range(-2, plain.length16 + 3):
            assert m.from_qt(at16) == plain.from_qt(at16)
        listed = [0, *(plain.to_qt(n.start()) + 1 for n in re.finditer("\n", text))]
        assert block_starts(text, offsets.OffsetMap(text)) == listed


def test_the_map_agrees_with_the_listed_one_on_a_long_text():
    """A long report's worth (emoji, lone surrogates, non-ASCII BMP) on sampled offsets, with
    the UTF-16 length Qt gives the same text."""
    import random

    rng = random.Random(7)
    text = "".join(rng.choice(["word ", "é", "\n", "😀", "\ud800", "👩\u200d💻"]) for _ in range(200_000))
    m, plain = offsets.OffsetMap(text), ListedOffsets(text)
    assert m.length16 == plain.length16 == len(text.encode("utf-16-le", "surrogatepass")) // 2
    for cp in rng.sample(range(len(text) + 1), 3_000):
        assert m.to_qt(cp) == plain.to_qt(cp)
    for at16 in rng.sample(range(plain.length16 + 1), 3_000):
        assert m.from_qt(at16) == plain.from_qt(at16)
