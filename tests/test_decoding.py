"""Text decoding of imported files: UTF-8 survives stray bytes, legacy code pages decode right, non-text is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run

from annotator import Project
from annotator.decoding import decode_bytes
from annotator.errors import ImportFileError
from annotator.importers import read_file, read_paths
from annotator.importers.base import collecting_warnings, warn
from annotator.importers.plain import decode

ARABIC_EMOJI = "Report 😀 from Ḥimṣ: “٩٧٣ قتيلا” in Baniyas.\n"


# -- UTF-8 with a few stray bytes ------------------------------------------------------------------

def test_one_stray_byte_keeps_utf8_and_is_reported() -> None:
    data = ARABIC_EMOJI.encode() + b"The ministry\x92s figure.\n"
    decoded = decode_bytes(data, "notes.txt")
    assert decoded.text == ARABIC_EMOJI + "The ministry’s figure.\n"
    assert decoded.encoding == "utf-8"
    first = len(ARABIC_EMOJI.encode()) + len(b"The ministry")
    assert decoded.warnings == [f"notes.txt: 1 byte that is not UTF-8 (at byte {first}, line 2) was read as cp1252"]


def test_stray_bytes_count_and_first_position_and_undefined_cp1252_byte() -> None:
    head = "مرحبا 👩‍👩‍👧 line one\nline two ".encode()
    data = head + b"caf\xe9 \x81 end\n" + "دمشق\n".encode()
    decoded = decode_bytes(data, "notes.txt")
    assert decoded.text == "مرحبا 👩‍👩‍👧 line one\nline two café \ufffd end\nدمشق\n"  # 0x81 is undefined in cp1252
    assert decoded.warnings == [
        f"notes.txt: 2 bytes that are not UTF-8 (first at byte {len(head) + 3}, line 2) were read as cp1252"]


def test_mostly_ascii_utf8_with_a_stray_byte_under_one_percent() -> None:
    body = b"Plain English report. " * 20 + b"Price \x80 5.\n"  # no valid multibyte character to go by
    decoded = decode_bytes(body, "a.txt")
    assert decoded.text == "Plain English report. " * 20 + "Price € 5.\n"
    assert decoded.warnings == ["a.txt: 1 byte that is not UTF-8 (at byte 446, line 1) was read as cp1252"]


def test_utf8_bom_counts_in_the_byte_offset_and_keeps_utf8_whatever_the_share() -> None:
    data = b"\xef\xbb\xbf" + b"A\xe9\xe9"  # two stray bytes out of three: still UTF-8, the BOM says so
    decoded = decode_bytes(data, "b.txt")
    assert decoded.text == "Aéé"
    assert decoded.warnings == ["b.txt: 2 bytes that are not UTF-8 (first at byte 4, line 1) were read as cp1252"]


def test_spans_land_on_the_right_words_beside_a_stray_byte(project: Project, tmp_path: Path) -> None:
    """Offsets count code points of the decoded text: one stray byte is one character, not a shifted file."""
    text = "Stray \x92 byte, then “قتيلا” and 😀 Assad spoke."
    start = text.index("Assad")
    line = json.dumps({"text": text, "label": [[start, start + 5, "Actor"]]}, ensure_ascii=False)
    path = tmp_path / "labelled.jsonl"
    path.write_bytes(line.encode().replace("\x92".encode(), b"\x92") + b"\n")  # U+0092 as UTF-8 -> a lone 0x92
    [item] = read_file(path)
    assert item.text == text.replace("\x92", "’")
    assert item.warnings == [f"{path}: 1 byte that is not UTF-8 (at byte 16, line 1) was read as cp1252"]
    report = project.import_documents([item])
    [annotation] = project.annotations(report.added[0].id)
    assert item.text[annotation.start:annotation.end] == "Assad"


def test_jsonl_warning_is_given_once_per_file(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(b'{"text": "one \xe9 caf\xc3\xa9"}\n{"text": "two"}\n{"text": "three"}\n')
    items = read_file(path)
    assert [i.text for i in items] == ["one é café", "two", "three"]
    assert [len(i.warnings) for i in items] == [1, 0, 0]


# -- legacy code pages ------------------------------------------------------------------------------

FRENCH = "Le café « Chez Müller » a fermé — 12 blessés, selon l’hôpital. Déjà vu, naïve façade.\n" * 3
ENGLISH = "The minister said “at least 1,200” people – mostly civilians – died… ‘the worst week’.\n" * 2


@pytest.mark.parametrize(("text", "encoding"), [
    (FRENCH, "cp1252"),
    (ENGLISH, "cp1252"),
    ("Министерство обороны России сообщило во вторник, что по меньшей мере 12 человек погибли.\n", "cp1251"),
    ("قالت وزارة الصحة إن 42 شخصا قتلوا في القصف على المدينة يوم الثلاثاء.\n", "cp1256"),
    ("Minister powiedział, że co najmniej 12 osób zginęło w wyniku ataku na miasto Łódź.\n", "cp1250"),
    ("Το υπουργείο ανακοίνωσε ότι τουλάχιστον 12 άνθρωποι σκοτώθηκαν στην πόλη.\n", "cp1253"),
], ids=["cp1252-french", "cp1252-english-typography", "cp1251-russian", "cp1256-arabic", "cp1250-polish", "cp1253-greek"])
def test_legacy_file_decodes_right_and_says_how(text: str, encoding: str) -> None:
    decoded = decode_bytes(text.encode(encoding), "old.txt")
    assert decoded.text == text
    assert decoded.encoding == encoding
    assert decoded.warnings == [f"old.txt: not UTF-8; read as {encoding}"]


def test_cp1252_with_an_accidental_utf8_sequence_stays_cp1252() -> None:
    """"Ã©" in cp1252 bytes is valid UTF-8 for "é": one such pair among many accents does not make the file UTF-8."""
    text = "Ã© " + FRENCH
    decoded = decode_bytes(text.encode("cp1252"), "old.txt")
    assert decoded.text == text
    assert decoded.encoding == "cp1252"


# -- byte order marks -------------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    decoded = decode_bytes("\ufeff".encode(codec) + ARABIC_EMOJI.encode(codec), "wide.txt")
    assert (decoded.text, decoded.encoding, decoded.warnings) == (ARABIC_EMOJI, codec, [])


def test_invalid_utf16_after_its_bom_is_refused() -> None:
    data = b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8A\x00"  # a lone high surrogate
    with pytest.raises(ImportFileError, match=r"^wide.txt: starts with a UTF-16 byte order mark but is not valid UTF-16"):
        decode_bytes(data, "wide.txt")


# -- not text ---------------------------------------------------------------------------------------

def test_nul_byte_is_refused_with_its_position() -> None:
    data = b"x" * 120 + b"\x00rest"
    with pytest.raises(ImportFileError) as caught:
        decode_bytes(data, "x.txt")
    assert str(caught.value) == "x.txt: contains a NUL byte at byte 120: not a text file"


def test_nul_character_in_utf16_is_refused() -> None:
    with pytest.raises(ImportFileError, match=r"^w.txt: contains a NUL character at character 2: not a text file$"):
        decode_bytes(b"\xff\xfe" + "ab\x00c".encode("utf-16-le"), "w.txt")


@pytest.mark.parametrize(("data", "where"), [
    ("caf\u00e9 😀\n".encode() + b"abc\xed\xa0\x80def", "(bytes ED A0 80) at byte 14, line 2"),  # one, in a UTF-8 file
    (b"ok\n\xed\xa0\xbd\xed\xb8\x80 end", "(bytes ED A0 BD) at byte 3, line 2"),  # CESU-8: an emoji as two surrogates
], ids=["lone-surrogate", "cesu-8"])
def test_encoded_surrogates_are_refused(data: bytes, where: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        decode_bytes(data, "s.txt")
    assert str(caught.value) == f"s.txt: contains an encoded UTF-16 surrogate {where}: not valid UTF-8 text"


# -- how warnings travel ----------------------------------------------------------------------------

def test_warn_outside_a_collector_is_a_python_warning_not_silence() -> None:
    with pytest.warns(UserWarning, match="b.txt: 1 byte"):
        assert decode(Path("b.txt"), b"abc\x92" + b"d" * 200) == "abc’" + "d" * 200


def test_collectors_nest() -> None:
    with collecting_warnings() as outer:
        warn("outer one")
        with collecting_warnings() as inner:
            warn("inner one")
    assert (outer, inner) == (["outer one"], ["inner one"])


def test_read_paths_gathers_the_warnings_and_clean_files_have_none(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"clean \xc3\xa9\n")
    (tmp_path / "b.md").write_bytes(b"# Title \xe9t\xe9 \xc3\xa9 \xc3\xa9\n")
    pending, problems = read_paths([tmp_path])
    assert problems == []
    assert pending.warnings == [f"{tmp_path / 'b.md'}: 2 bytes that are not UTF-8 (first at byte 8, line 1) were read as cp1252"]
    assert [d.text for d in pending.documents] == ["clean é\n", "# Title été é é\n"]


# -- through the CLI --------------------------------------------------------------------------------

def test_cli_import_prints_one_warning_line_and_imports_exact_text(tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    ok("init", project)
    path = tmp_path / "notes.txt"
    path.write_bytes(ARABIC_EMOJI.encode() + b"x\x92y\x93z\n")
    result = ok("import", project, path)
    first = len(ARABIC_EMOJI.encode()) + 1
    assert result.stderr.splitlines() == [
        f"Warning: {path}: 2 bytes that are not UTF-8 (first at byte {first}, line 2) were read as cp1252"]
    assert result.stdout.startswith("Imported 1 document")
    with Project.open(project) as proj:
        [document] = proj.documents()
        assert document.text == ARABIC_EMOJI + "x’y“z\n"


def test_cli_labelled_format_import_prints_warnings(tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    ok("init", project)
    folder = tmp_path / "brat"
    folder.mkdir()
    head = "Assad 😀 spoke in دمشق ".encode()
    (folder / "a.txt").write_bytes(head + b"\x92today\x92.\n")
    (folder / "a.ann").write_text("T1\tActor 0 5\tAssad\n", encoding="utf-8")
    result = ok("import", project, folder, "--format", "brat")
    assert [line for line in result.stderr.splitlines() if line.startswith("Warning: ")] == [
        f"Warning: {folder / 'a.txt'}: 2 bytes that are not UTF-8 (first at byte {len(head)}, line 1) were read as cp1252"]
    with Project.open(project) as proj:
        [document] = proj.documents()
        assert document.text == "Assad 😀 spoke in دمشق ’today’.\n"


@pytest.mark.parametrize(("content", "problem"), [
    (b"Good start" + b"\x00" * 4 + b"end", "contains a NUL byte at byte 10: not a text file"),
    (b"caf\xc3\xa9\nabc \xed\xb3\xa9 def",
     "contains an encoded UTF-16 surrogate (bytes ED B3 A9) at byte 10, line 2: not valid UTF-8 text"),
], ids=["nul", "surrogateescape-bytes"])
def test_cli_refuses_non_text_in_one_line_and_leaves_the_project_unchanged(tmp_path: Path, content: bytes, problem: str) -> None:
    project = tmp_path / "p.db"
    ok("init", project)
    good = tmp_path / "good.txt"
    good.write_text("A good file read first.\n", encoding="utf-8")
    bad = tmp_path / "x.txt"
    bad.write_bytes(content)
    assert one_line_error(run("import", project, good, bad)) == f"Error: {bad}: {problem}"
    with Project.open(project) as proj:
        assert proj.counts() == {"documents": 0, "annotations": 0}
