"""Tokenization into code-point offsets and labelling tokens from spans."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from annotator.tokens import UNANNOTATED, token_labels, tokenize


def words(text: str) -> list[str]:
    return [text[start:end] for start, end in tokenize(text)]


def test_words_and_punctuation() -> None:
    assert words("Hello, world!") == ["Hello", ",", "world", "!"]
    assert tokenize("Hello, world!") == [(0, 5), (5, 6), (7, 12), (12, 13)]


def test_apostrophes_and_hyphens_join_words() -> None:
    assert words("don't state-of-the-art l’homme") == [
        "don't",
        "state-of-the-art",
        "l’homme",
    ]
    assert words("'quoted' - dash") == ["'", "quoted", "'", "-", "dash"]


def test_numbers_and_underscores() -> None:
    assert words("3.14 a_b 42") == ["3.14", "a_b", "42"]
    # Separators inside a number keep it one token, as spaCy has it (so CoNLL tokens match spaCy's).
    assert words("1,200 people, 1.5% and 3.000.000.") == ["1,200", "people", ",", "1.5", "%", "and", "3.000.000", "."]


def test_combining_marks_stay_in_their_word() -> None:
    decomposed = unicodedata.normalize("NFD", "café résumé")
    assert words(decomposed) == unicodedata.normalize("NFD", "café résumé").split()
    assert words("e\u0301\u0301x y") == ["e\u0301\u0301x", "y"]


def test_arabic_with_harakat() -> None:
    text = "مَرْحَبًا بِالْعَالَمِ، كيف حالك؟"
    assert words(text) == ["مَرْحَبًا", "بِالْعَالَمِ", "،", "كيف", "حالك", "؟"]


def test_devanagari_vowel_signs() -> None:
    assert words("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]


def test_persian_zero_width_non_joiner() -> None:
    assert words("می‌خواهم بروم") == ["می\u200cخواهم", "بروم"]


def test_emoji_sequences_are_one_token() -> None:
    text = "ok 👍🏽 ❤️ 👨\u200d👩\u200d👧 🇫🇷🇩🇪!"
    assert words(text) == ["ok", "👍🏽", "❤️", "👨\u200d👩\u200d👧", "🇫🇷", "🇩🇪", "!"]


def test_offsets_are_code_points() -> None:
    text = "😀 abc"
    assert tokenize(text) == [(0, 1), (2, 5)]


def test_empty_and_blank_text() -> None:
    assert tokenize("") == []
    assert tokenize(" \n\t ") == []


@given(st.text())
def test_tokens_are_sorted_disjoint_and_never_whitespace(text: str) -> None:
    tokens = tokenize(text)
    previous_end = 0
    for start, end in tokens:
        assert previous_end <= start < end <= len(text)
        assert not text[start:end].isspace()
        assert not any(ch.isspace() for ch in text[start:end])
        previous_end = end
    # Everything outside tokens is whitespace.
    covered = {i for start, end in tokens for i in range(start, end)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


# token_labels -------------------------------------------------------------

TEXT = "Angela Merkel visited New York City today ."
TOKENS = tokenize(TEXT)  # Angela Merkel visited New York City today .


def test_uncovered_tokens_are_unannotated() -> None:
    assert token_labels(TOKENS, []) == [UNANNOTATED] * 8
    assert token_labels(TOKENS, [], unannotated="-") == ["-"] * 8


def test_any_overlap_covers_a_token() -> None:
    # "gela Mer" cuts both words; both are covered.
    assert token_labels(TOKENS, [(2, 10, "PER")])[:3] == ["PER", "PER", "O"]
    # A span ending exactly where a token starts does not cover it.
    assert token_labels(TOKENS, [(0, 7, "PER")])[:2] == ["PER", "O"]
    # Empty spans cover nothing.
    assert token_labels(TOKENS, [(2, 2, "PER")]) == ["O"] * 8


def test_longest_span_wins() -> None:
    spans = [(22, 35, "LOC"), (22, 26, "ORG")]  # "New York City", "New "
    assert token_labels(TOKENS, spans)[3:6] == ["LOC", "LOC", "LOC"]


def test_then_earliest_start_wins() -> None:
    spans = [(26, 34, "B"), (22, 30, "A")]  # both 8 long, overlap on "York"
    assert token_labels(TOKENS, spans)[3:6] == ["A", "A", "B"]


def test_then_label_name_wins() -> None:
    spans = [(22, 30, "Z"), (22, 30, "A")]
    assert token_labels(TOKENS, spans)[3:5] == ["A", "A"]


def test_input_order_does_not_matter() -> None:
    spans = [(0, 13, "PER"), (22, 35, "LOC"), (26, 30, "X"), (14, 21, "EV")]
    expected = token_labels(TOKENS, spans)
    assert token_labels(TOKENS, list(reversed(spans))) == expected
    assert expected == ["PER", "PER", "EV", "LOC", "LOC", "LOC", "O", "O"]
