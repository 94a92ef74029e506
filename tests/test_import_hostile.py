"""Hostile and mislabelled import files, through the CLI: one ``Error: FILE: problem`` line, exit 1, project unchanged.

Also the .jsonl sniffing (documents, doccano, lossless export) and what offsets mean in each.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("documents", "annotations", "labels", "relations", "entities")


def rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A project with one document and one annotation already in it, so "unchanged" means something."""
    path = tmp_path / "p.db"
    ok("init", path)
    seed = tmp_path / "seed.jsonl"
    seed.write_text(json.dumps({"text": "SOHR said 42 died.", "label": [[0, 4, "Actor"]]}) + "\n", encoding="utf-8")
    ok("import", path, seed)
    return path


def refused(db: Path, *args: object) -> str:
    """Run an import that must fail: the one error line, with the project as it was."""
    before = rows(db)
    line = one_line_error(run("import", db, *args))
    assert rows(db) == before
    return line


def quotes(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [q for (q,) in conn.execute(
            "SELECT substr(d.text, a.start + 1, a.end - a.start) FROM annotations a JOIN documents d "
            "ON d.id = a.document_id ORDER BY d.position, a.start")]
    finally:
        conn.close()


# -- .jsonl: which kind, and what offsets mean ---------------------------------------------------

EMOJI = "👩‍👩‍👧 families: SOHR said 42 died."  # 5 code points, 8 UTF-16 units before " families"


def test_lossless_export_is_recognised_without_format(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.jsonl"
    ok("export", db, "--format", "jsonl", "-o", out)
    fresh = tmp_path / "fresh.db"
    ok("init", fresh)
    result = ok("import", fresh, out)
    assert "1 annotations" in result.stdout or "1 annotation" in result.stdout
    without_label_id = lambda db: [row[:4] + row[5:] for row in rows(db)["annotations"]]  # noqa: E731 - labels get new ids
    assert without_label_id(fresh) == without_label_id(db)  # same ids, offsets, reviewer, timestamps
    assert rows(fresh)["documents"] == rows(db)["documents"]


def test_plain_label_offsets_are_code_points_after_an_emoji(db: Path, tmp_path: Path) -> None:
    start = EMOJI.index("42")
    path = tmp_path / "emoji.jsonl"
    path.write_text(json.dumps({"text": EMOJI, "label": [[start, start + 2, "Figure"]]}) + "\n", encoding="utf-8")
    ok("import", db, path)
    assert quotes(db)[-1] == "42"
    again = tmp_path / "again.db"
    ok("init", again)
    ok("import", again, path, "--format", "documents")  # the same line, the same offsets, on every path
    assert quotes(again) == ["42"]


def test_doccano_line_is_recognised_and_read_as_utf16(db: Path, tmp_path: Path) -> None:
    """doccano is documented (docs/formats.md) to count UTF-16 code units; its own keys tell the sniffer."""
    units = len(EMOJI[:EMOJI.index("42")].encode("utf-16-le")) // 2
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps({"id": 7, "text": EMOJI, "label": [[units, units + 2, "Figure"]], "Comments": []})
                    + "\n", encoding="utf-8")
    ok("import", db, path)
    assert quotes(db)[-1] == "42"


@pytest.mark.parametrize(("lines", "words"), [
    ([{"annotator_jsonl": 1, "text": "a"}, {"text": "b", "entities": [], "relations": []}], "line 1 is Annotator"),
    ([["a list"], [1, 2]], "no line is a kind"),
])
def test_jsonl_of_several_kinds_or_none_names_the_choices(db: Path, tmp_path: Path, lines: list, words: str) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    line = refused(db, path)
    assert line.startswith(f"Error: {path}: ") and words in line and "--format jsonl|doccano|documents" in line


# -- JSON that would crash a parser or the database ------------------------------------------------


@pytest.mark.parametrize("name", ["deep.jsonl", "deep.json"])
def test_deep_json_is_one_line(db: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    args = (path, "--format", "w3c") if name.endswith(".json") else (path,)
    assert "nested too deeply" in refused(db, *args)


def test_deep_but_parseable_json_is_refused_too(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "deepish.jsonl"
    path.write_text(json.dumps({"text": "fine", "extra": json.loads("[" * 500 + "]" * 500)}) + "\n", encoding="utf-8")
    assert "nested too deeply" in refused(db, path)


def test_lone_surrogate_in_text(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"text": "before \\ud800 after"}\n', encoding="utf-8")
    line = refused(db, path)
    assert line.startswith(f"Error: {path}, line 1: ") and "lone surrogate (\\ud800)" in line


# -- files that are not what their name says -------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><p>Not a document at all.</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.mark.parametrize(("name", "content", "words"), [
    ("report.docx", HTML, "not a Word document: the content is an HTML page"),
    ("report.docx", b"just some words", "not a Word document: not a zip archive"),
    ("report.pdf", HTML, "not a PDF: the content is an HTML page"),
    ("page.html", PNG, "not an HTML page: the content is a PNG image"),
    ("page.htm", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not an HTML page: the content is a PDF"),
])
def test_wrong_content_for_the_suffix(db: Path, tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert refused(db, path) == f"Error: {path}: {words}"


def test_control_characters_in_a_file_name_stay_on_one_line(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "two\nlines\x1b[31m.txt"
    path.write_bytes(b"")
    line = refused(db, path)
    assert "two\\nlines\\x1b[31m.txt" in line and "\x1b" not in line


# -- zip bombs -----------------------------------------------------------------------------------

BOMB_MB = 300


def _bomb(path: Path) -> Path:
    """A .docx-looking zip whose document.xml is BOMB_MB of zeros (about 300 KB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * 2**20
            for _ in range(BOMB_MB):
                member.write(block)
    return path


def test_docx_zip_bomb_is_refused_with_bounded_memory(db: Path, tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 2 * 2**20
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from annotator.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['import', {str(db)!r}, {str(bomb)!r}])\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec, so
        # it would report pytest's own peak; VmHWM is this process's address space only.
        "peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "print(result.exit_code, peak // 1024)\n"
        "sys.stdout.write(result.stderr)\n"
    )
    before = rows(db)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    status, *error = done.stdout.splitlines()
    exit_code, peak_mb = map(int, status.split())
    assert exit_code == 1 and len(error) == 1, done.stdout
    assert error[0].startswith(f"Error: {bomb}: refused:") and "zip bomb" in error[0]
    assert peak_mb < 500
    assert rows(db) == before


def test_zip_member_that_lies_about_its_size(db: Path, tmp_path: Path) -> None:
    """The central directory says 10 bytes; the data is 5 MB of zeros: the bounded copy sees the lie."""
    path = tmp_path / "liar.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 5 * 2**20)
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")  # uncompressed size in the central directory
    path.write_bytes(bytes(data))
    line = refused(db, path)
    assert line.startswith(f"Error: {path}: not a Word document: a broken zip archive")


# -- PDF -----------------------------------------------------------------------------------------


def _minimal_pdf(path: Path, creation_date: str) -> Path:
    """One page saying "Hello 42", an Info dictionary with the given date, and a wrong startxref (pypdf warns)."""
    stream = b"BT /F1 12 Tf 72 720 Td (Hello 42 dead in Tartus) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Minimal) /CreationDate (" + creation_date.encode() + b") >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref + 7)
    path.write_bytes(bytes(out))
    return path


def test_pdf_with_iso_date_imports_quietly(db: Path, tmp_path: Path) -> None:
    path = _minimal_pdf(tmp_path / "iso.pdf", "2025-03-10T12:00:00Z")
    result = run("import", db, path)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # the PDF libraries' warnings about the startxref pointer do not leak
    conn = sqlite3.connect(db)
    try:
        [(published, title, metadata)] = conn.execute(
            "SELECT published, title, metadata FROM documents WHERE source_format = 'pdf'").fetchall()
    finally:
        conn.close()
    # The file's creation time is file metadata, not the article's publication date.
    assert published is None and title == "Minimal"
    assert json.loads(metadata)["file_created"].startswith("2025-03-10")
