"""The code point <-> UTF-16 boundary, on emoji, flags, Arabic and combining marks."""

from hypothesis import given
from hypothesis import strategies as st

from ui.offsets import OffsetMap

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
