"""The precomputed combining-mark table must be exactly what ``unicodedata`` says."""

import unicodedata

import pytest

from annotator import tokens, unicode_marks


def _computed() -> list[int]:
    return [cp for plane in tokens._MARK_PLANES for cp in plane if unicodedata.category(chr(cp)).startswith("M")]


@pytest.mark.skipif(unicodedata.unidata_version != unicode_marks.UNICODE_VERSION, reason="table is for another Unicode version")
def test_table_matches_unicodedata() -> None:
    assert list(tokens._mark_code_points()) == _computed()


def test_other_unicode_version_recomputes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unicode_marks, "UNICODE_VERSION", "0.0.0")
    assert list(tokens._mark_code_points()) == _computed()


def test_no_mark_table_outside_its_planes() -> None:
    assert all(first <= last for first, last in unicode_marks.MARK_RANGES)
    assert all(a[1] + 1 < b[0] for a, b in zip(unicode_marks.MARK_RANGES, unicode_marks.MARK_RANGES[1:]))
