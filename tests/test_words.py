import pytest

from annotator.words import narrow, snap, widen, word_at

TEXT = "Ahmed al-Sharaa 👩‍👩‍👧 said: e\u0301te\u0301 Hay’at ٩٧٣ قتيلا, at least 973."


def find(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.mark.parametrize("word", ["Ahmed", "al-Sharaa", "said", "e\u0301te\u0301", "Hay’at", "٩٧٣", "قتيلا", "973"])
def test_word_at_finds_whole_word_from_any_inside_position(word):
    start, end = find(word)
    for pos in range(start, end):
        assert word_at(TEXT, pos) == (start, end)


def test_word_at_outside_words_is_none():
    assert word_at(TEXT, TEXT.index(":") + 1) is None


def test_snap_grows_partial_words_and_trims_space():
    start, end = find("al-Sharaa")
    assert snap(TEXT, start + 2, end - 3) == (start, end)
    assert snap(TEXT, start - 1, end + 1) == (start, end)


def test_snap_keeps_combining_marks_with_their_letters():
    start, end = find("e\u0301te\u0301")
    assert snap(TEXT, start, start + 1) == (start, end)


def test_snap_of_only_space_is_none():
    space = TEXT.index(" ")
    assert snap(TEXT, space, space + 1) is None


def test_snap_does_not_pull_in_emoji_or_punctuation():
    start, end = find("said")
    assert snap(TEXT, start, end) == (start, end)


def test_widen_and_narrow_by_words():
    start, end = find("at least")
    assert widen(TEXT, start, end, "end") == (start, find("973")[1])
    assert narrow(TEXT, start, find("973")[1], "end") == (start, end)
    s2, _ = find("قتيلا")
    assert widen(TEXT, start, end, "start") == (s2, end)
    assert narrow(TEXT, s2, end, "start") == (start, end)


def test_narrow_keeps_a_single_word():
    start, end = find("Ahmed")
    assert narrow(TEXT, start, end, "end") == (start, end)
    assert narrow(TEXT, start, end, "start") == (start, end)


def test_snap_respects_a_stop_before_a_possessive_but_completes_a_cut_word():
    text = "new leader Ahmed al-Sharaa’s calls"
    start = text.index("Ahmed")
    end = start + len("Ahmed al-Sharaa")
    assert snap(text, start, end) == (start, end)
    assert snap(text, start + 1, end - 2) == (start, end)
    sharaa = text.index("Sharaa")
    assert snap(text, sharaa, end) == (sharaa, end)  # starting after the hyphen is deliberate too
