"""Importers: every format, made by the tests themselves, read into a project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator import Project
from annotator.errors import ImportFileError
from annotator.importers import READERS, collect, read_file, read_paths
from annotator.models import Document


def import_paths(project: Project, *paths: Path, **options) -> list[Document]:
    documents, problems = read_paths(paths)
    assert problems == []
    report = project.import_documents(documents, **options)
    return [project.document(d.id) for d in report.added]


# -- HTML --------------------------------------------------------------------------------------

PARAGRAPHS = [
    "The Syrian Observatory for Human Rights said on Tuesday that at least 1,500 civilians had been killed in "
    "the coastal provinces of Latakia and Tartus since Thursday.",
    "The interim government disputed the figure, saying that armed remnants of the former regime had attacked "
    "security forces first and that the number of civilian victims was far lower.",
    "Residents of Baniyas described gunmen going from house to house, and several families said they had fled "
    "to the mountains or across the border into Lebanon.",
    "The United Nations human rights office called for an independent investigation and said entire families, "
    "including women and children, were among the dead.",
]

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Death toll in coastal Syria rises to 1,500 | The Daily Ledger</title>
<meta property="og:site_name" content="The Daily Ledger">
<meta property="og:title" content="Death toll in coastal Syria rises to 1,500">
<meta name="author" content="Mariam Haddad">
<meta property="article:published_time" content="2025-03-11T08:30:00Z">
<meta property="og:url" content="https://ledger.example.org/world/syria-toll">
</head>
<body>
<nav><ul>
  <li><a href="/">Home</a></li><li><a href="/world">World news menu</a></li>
  <li><a href="/sport">Sport section link</a></li>
</ul></nav>
<article>
<h1>Death toll in coastal Syria rises to 1,500</h1>
{"".join(f"<p>{p}</p>{chr(10)}" for p in PARAGRAPHS)}
</article>
<footer><p>Copyright 2025 The Daily Ledger. All rights reserved. Subscribe to our newsletter.</p></footer>
</body>
</html>
"""


def test_html_news_page(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "toll.html"
    page.write_text(NEWS_PAGE, encoding="utf-8")
    [doc] = import_paths(project, page)
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text
    for chrome in ("World news menu", "Sport section link", "Copyright", "newsletter"):
        assert chrome not in doc.text
    assert doc.title == "Death toll in coastal Syria rises to 1,500"
    assert doc.outlet == "The Daily Ledger"
    assert doc.author == "Mariam Haddad"
    assert doc.published == "2025-03-11"
    assert doc.url == "https://ledger.example.org/world/syria-toll"
    assert doc.source_format == "html"
    assert doc.source_path == str(page)


def test_html_without_article_text(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>Nothing</title><script>var x = 1;</script></head><body><div></div></body></html>",
                    encoding="utf-8")
    with pytest.raises(ImportFileError, match="no article text") as caught:
        read_file(page)
    assert caught.value.path == page


# -- Word and PDF --------------------------------------------------------------------------------


def test_docx(project: Project, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    path = tmp_path / "report.docx"
    document = docx.Document()
    document.core_properties.title = "Report on Tartus"
    document.core_properties.author = "Lina Khoury"
    document.add_paragraph("Families fled Tartus on Friday.")
    document.add_paragraph("At least 42 people were killed, a monitor said.")
    document.save(path)
    [doc] = import_paths(project, path)
    assert doc.text == "Families fled Tartus on Friday.\nAt least 42 people were killed, a monitor said."
    assert doc.title == "Report on Tartus"
    assert doc.author == "Lina Khoury"
    assert doc.source_format == "docx"


def test_docx_without_title_uses_first_line(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    path = tmp_path / "untitled.docx"
    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("")
    document.add_paragraph("Headline in the body")
    document.add_paragraph("Body text.")
    document.save(path)
    [item] = read_file(path)
    assert item.metadata["title"] == "Headline in the body"


LINES = ["Hundreds fled Latakia on Friday.", "At least 42 were killed, SOHR said.", "The ministry denied it."]


def _pdf(path: Path, title: str | None, lines: list[str]) -> Path:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    c = canvas.Canvas(str(path))
    c.setTitle(title or "")  # reportlab would write "untitled"
    c.setAuthor("")
    for i, line in enumerate(lines):
        c.drawString(72, 720 - 20 * i, line)
    if not lines:
        c.rect(100, 100, 200, 200, fill=1)
    c.showPage()
    c.save()
    return path


def test_pdf(project: Project, tmp_path: Path) -> None:
    path = _pdf(tmp_path / "report.pdf", "Coastal violence report", LINES)
    [doc] = import_paths(project, path)
    assert doc.title == "Coastal violence report"
    positions = [doc.text.index(line) for line in LINES]
    assert positions == sorted(positions)  # in reading order
    assert doc.source_format == "pdf"


def test_pdf_without_title_uses_first_line(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "untitled.pdf", None, LINES)
    [item] = read_file(path)
    assert item.metadata["title"] == LINES[0]


def test_pdf_without_text_layer(project: Project, tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", "Scanned", [])
    with pytest.raises(ImportFileError) as caught:
        read_paths([path])
    assert str(path) in str(caught.value)
    assert "no text layer" in str(caught.value)
    assert project.documents() == []


# -- plain text and Markdown ---------------------------------------------------------------------

ENGLISH_1252 = "He said: “We counted 42 bodies.” The ministry’s spokesman – reached by phone – declined.\n" * 4


def test_txt_cp1252(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(ENGLISH_1252.encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8
    [doc] = import_paths(project, path)
    assert doc.text == ENGLISH_1252
    assert doc.title == ENGLISH_1252.splitlines()[0]
    assert doc.source_format == "txt"


@pytest.mark.parametrize("text", [
    "Le café « Chez Müller » a fermé — 12 blessés, selon l’hôpital. Déjà vu, naïve façade, coût élevé.\n" * 3,
    "The minister said “at least 1,200” people – mostly civilians – were killed near the café.\n"
    "Observers called it ‘the worst week’ since 2011… Prices rose 5‰ and €3 bought bread.\n",
], ids=["french", "english-typography"])
def test_txt_cp1252_preferred_over_baltic_and_dos(tmp_path: Path, text: str) -> None:
    """charset-normalizer alone read these as cp1257/cp775 (ô -> ō, “ -> ō); cp1252 wins when it reads plausibly."""
    path = tmp_path / "windows.txt"
    path.write_bytes(text.encode("cp1252"))
    [item] = read_file(path)
    assert item.text == text
    assert item.warnings == [f"{path}: not UTF-8; read as cp1252"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-8-sig"])
def test_txt_with_bom(project: Project, tmp_path: Path, encoding: str) -> None:
    text = "Report from Ḥimṣ: “٩٧٣ قتيلا”, 👩‍👩‍👧 families fled.\nSecond line."
    data = b"\xfe\xff" + text.encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
    path = tmp_path / "bom.txt"
    path.write_bytes(data)
    [doc] = import_paths(project, path)
    assert doc.text == text  # the BOM is not part of the text
    assert doc.title == "Report from Ḥimṣ: “٩٧٣ قتيلا”, 👩‍👩‍👧 families fled."


def test_txt_crlf(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "dos.txt"
    path.write_bytes(b"Title line\r\n\r\nFirst paragraph.\r\nSecond\rline with a lone CR.\r\n")
    [doc] = import_paths(project, path)
    assert doc.text == "Title line\n\nFirst paragraph.\nSecond\nline with a lone CR.\n"
    assert doc.title == "Title line"


def test_binary_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ImportFileError, match=r"image.txt: not a text file: the content is a PNG image$"):
        read_file(path)


@pytest.mark.parametrize(
    ("markdown", "title"),
    [
        ("# Toll rises in Latakia\n\nBody *text*.\n", "Toll rises in Latakia"),
        ("\n\n## Second-level heading ##\nBody\n", "Second-level heading"),
        ("No heading here\n\nBody\n", "No heading here"),
    ],
)
def test_markdown_title_from_heading(project: Project, tmp_path: Path, markdown: str, title: str) -> None:
    path = tmp_path / "story.md"
    path.write_text(markdown, encoding="utf-8")
    [doc] = import_paths(project, path)
    assert doc.title == title
    assert doc.text == markdown  # Markdown stays as written
    assert doc.source_format == "md"


# -- JSON Lines ------------------------------------------------------------------------------


def _jsonl(path: Path, records: list, raw_lines: dict[int, str] | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for number, raw in (raw_lines or {}).items():
        lines.insert(number - 1, raw)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _label(text: str, word: str, label: str) -> list:
    start = text.index(word)
    return [start, start + len(word), label]


def test_jsonl_with_labels(project: Project, tmp_path: Path) -> None:
    first = "SOHR said at least 1,200 people were killed in Latakia."
    crlf = "Headline\r\n\r\nThe ministry denied it.\r\nIt said 42 died.\r\n"
    astral = "👩‍👩‍👧 SOHR counted 973 dead."
    records = [
        {"text": first, "title": "One", "outlet": "SANA", "date": "2025-03-10",
         "label": [_label(first, "SOHR", "Actor"), _label(first, "at least 1,200", "Figure"),
                   _label(first, "at least 1,200 people were killed", "Claim")]},
        {"text": crlf, "label": [_label(crlf, "ministry", "Actor"), _label(crlf, "42", "Figure"),
                                 _label(crlf, "The ministry denied it.\r\nIt said", "Claim")]},
        {"text": astral, "label": [_label(astral, "973", "Figure")]},
        {"text": "No labels at all.", "custom": "kept"},
    ]
    path = _jsonl(tmp_path / "labelled.jsonl", records)
    documents, _ = read_paths([path])
    report = project.import_documents(documents, annotator="coder")
    assert len(report.added) == 4 and report.annotations == 7 and report.labels_created == []
    one, two, three, four = (project.document(d.id) for d in report.added)

    assert (one.title, one.outlet, one.published) == ("One", "SANA", "2025-03-10")
    quotes = [(a.label, a.quote, a.annotator) for a in project.annotations(document_id=one.id)]
    assert sorted(quotes) == sorted([("Actor", "SOHR", "coder"), ("Figure", "at least 1,200", "coder"),
                                     ("Claim", "at least 1,200 people were killed", "coder")])

    assert two.text == crlf.replace("\r\n", "\n")
    by_label = {a.label: a for a in project.annotations(document_id=two.id)}
    assert by_label["Actor"].quote == "ministry"
    assert by_label["Figure"].quote == "42"
    assert by_label["Claim"].quote == "The ministry denied it.\nIt said"
    assert two.text[by_label["Figure"].start : by_label["Figure"].end] == "42"

    [figure] = project.annotations(document_id=three.id)
    assert figure.quote == "973" and figure.start == astral.index("973")
    assert four.metadata == {"custom": "kept"} and four.title == "No labels at all."
    assert {d.source_format for d in (one, two, three, four)} == {"jsonl"}


def test_jsonl_text_with_line_separator_characters(project: Project, tmp_path: Path) -> None:
    """U+2028 and NEL are allowed unescaped inside JSON strings: they must not split the line."""
    text = "Paragraph one\u2028still one\x85and 42 dead."
    path = _jsonl(tmp_path / "seps.jsonl", [{"text": text, "label": [_label(text, "42", "Figure")]}, {"text": "two"}])
    items = read_file(path)
    assert [(d.text, d.line) for d in items] == [(text, 1), ("two", 2)]
    report = project.import_documents(items)
    assert project.annotations(document_id=report.added[0].id)[0].quote == "42"


def test_jsonl_crlf_file(tmp_path: Path) -> None:
    path = tmp_path / "dos.jsonl"
    path.write_bytes(b'{"text": "one"}\r\n{"text": "two"}\r\n')
    assert [(d.text, d.line) for d in read_file(path)] == [("one", 1), ("two", 2)]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('{"text": "broken', "not valid JSON"),
        ('["a", "list"]', "JSON object"),
        ('{"title": "no text"}', '"text"'),
        ('{"text": "   "}', '"text"'),
        ('{"text": "abc", "label": [[0, 9, "Claim"]]}', "outside the text"),
        ('{"text": "abc", "label": [[2, 1, "Claim"]]}', "outside the text"),
        ('{"text": "abc", "label": [[0, 1]]}', "each label"),
        ('{"text": "abc", "label": [[0, "1", "Claim"]]}', "each label"),
        ('{"text": "abc", "label": "Claim"}', "must be a list"),
    ],
)
def test_jsonl_bad_line_names_file_and_line(project: Project, tmp_path: Path, line: str, words: str) -> None:
    path = _jsonl(tmp_path / "bad.jsonl", [{"text": "first"}, {"text": "second"}, {"text": "fourth"}], {3: line})
    with pytest.raises(ImportFileError) as caught:
        read_paths([path])
    error = caught.value
    assert error.line == 3 and error.path == path
    assert str(error).startswith(f"{path}, line 3: ")
    assert words in str(error)
    assert project.documents() == []


def test_jsonl_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    path.write_text('{"text": "one"}\n\n   \n{"text": "two"}\n{oops}\n', encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert caught.value.line == 5


def test_jsonl_unknown_label(project: Project, tmp_path: Path) -> None:
    text = "Rumours spread that 42 died."
    path = _jsonl(tmp_path / "rumour.jsonl", [
        {"text": "A fine first line.", "label": [[0, 6, "Claim"]]},
        {"text": text, "label": [_label(text, "Rumours", "Rumour"), _label(text, "42", "Figure")]},
    ])
    documents, _ = read_paths([path])
    with pytest.raises(ImportFileError) as caught:
        project.import_documents(documents)
    message = str(caught.value)
    assert str(path) in message and "line 2" in message and "'Rumour'" in message
    assert "Claim" in message and "create" in message
    assert project.documents() == [] and [lab.name for lab in project.labels()] == ["Claim", "Actor", "Figure"]

    report = project.import_documents(documents, create_labels=True)
    assert report.labels_created == ["Rumour"] and report.annotations == 3
    assert [lab.name for lab in project.labels()] == ["Claim", "Actor", "Figure", "Rumour"]
    assert [a.quote for a in project.annotations(label="Rumour")] == ["Rumours"]
    project.undo()  # the created label goes with the import
    assert project.documents() == [] and "Rumour" not in [lab.name for lab in project.labels()]


# -- folders, duplicates, unsupported and empty files ----------------------------------------


def test_folder_import(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "b.txt").write_text("Second story.\nBody.", encoding="utf-8")
    (folder / "a.md").write_text("# First story\nBody.", encoding="utf-8")
    (folder / "sub" / "c.html").write_text(NEWS_PAGE, encoding="utf-8")
    _jsonl(folder / "sub" / "d.jsonl", [{"text": "Fourth story."}, {"text": "Fifth story."}])
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # not importable: skipped in a folder
    (folder / ".draft.txt").write_text("hidden file", encoding="utf-8")
    (folder / ".hidden" / "x.txt").write_text("hidden folder", encoding="utf-8")

    assert [p.relative_to(folder).as_posix() for p in collect([folder])] == [
        "a.md", "b.txt", "sub/c.html", "sub/d.jsonl"]
    documents = import_paths(project, folder)
    assert [d.title for d in documents] == [
        "First story", "Second story.", "Death toll in coastal Syria rises to 1,500", "Fourth story.", "Fifth story."]
    assert [d.position for d in project.documents()] == [1, 2, 3, 4, 5]

    # importing the same folder again adds nothing and names what it skipped
    again, _ = read_paths([folder])
    report = project.import_documents(again)
    assert report.added == []
    assert [existing for _, existing in report.skipped] == [d.id for d in documents]
    assert report.skipped[3][0] == f"{folder / 'sub' / 'd.jsonl'}, line 1"
    assert len(project.documents()) == 5


def test_duplicates_within_one_import(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same text.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"Same text.\r\n")
    documents, _ = read_paths([tmp_path / "a.txt", tmp_path / "b.txt"])
    report = project.import_documents(documents)
    assert len(report.added) == 1 and report.skipped == [(str(tmp_path / "b.txt"), report.added[0].id)]


def test_folder_without_importable_files(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no importable files") as caught:
        read_paths([tmp_path])
    assert caught.value.path == tmp_path


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        read_paths([tmp_path / "gone.txt"])


@pytest.mark.parametrize("name", ["table.csv", "README", "story.TXT.bak", "archive.zip"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("some text\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="unsupported file type") as caught:
        read_paths([path])
    assert str(path) in str(caught.value)
    assert ".txt" in str(caught.value)  # lists what is supported


def test_suffix_is_case_insensitive(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "LOUD.TXT"
    path.write_text("Upper-case suffix.", encoding="utf-8")
    [doc] = import_paths(project, path)
    assert doc.text == "Upper-case suffix."


@pytest.mark.parametrize("suffix", sorted(READERS))
@pytest.mark.parametrize("content", [b"", b"  \n\n \t\n"], ids=["empty", "blank"])
def test_empty_file(project: Project, tmp_path: Path, suffix: str, content: bytes) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        read_paths([path])
    assert str(caught.value).startswith(str(path))
    assert project.documents() == []


def test_skip_bad_collects_problems(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Good one.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.docx").write_bytes(b"not a zip file at all")
    (tmp_path / "d.txt").write_text("Good two.", encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_paths([tmp_path])
    assert caught.value.path == tmp_path / "b.txt"  # stops at the first bad file
    pending, problems = read_paths([tmp_path], skip_bad=True)
    assert [d.text for d in pending.documents] == ["Good one.", "Good two."]
    assert [p.path for p in problems] == [tmp_path / "b.txt", tmp_path / "c.docx"]
    assert problems[1].problem == "not a Word document: not a zip archive"


def test_read_paths_reports_progress_and_can_be_cancelled(tmp_path):
    from annotator.errors import Cancelled

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"Text {name}", encoding="utf-8")
    seen = []
    pending, _ = read_paths([tmp_path], progress=lambda done, total, path: seen.append((done, total, path.name)))
    assert seen == [(0, 3, "a.txt"), (1, 3, "b.txt"), (2, 3, "c.txt")] and len(pending.documents) == 3

    def stop_at_second(done, total, path):
        if done == 1:
            raise Cancelled("stop")

    with pytest.raises(Cancelled):
        read_paths([tmp_path], progress=stop_at_second)
