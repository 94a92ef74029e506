"""Word and PDF imports keep everything in reading order; thin HTML pages are imported with a warning."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator import Project
from annotator.importers import read_file, read_paths
from annotator.importers.html import THIN_TEXT

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
<Relationship Id="rId2" Target="docProps/core.xml"
 Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"/>
</Relationships>"""
DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
</Relationships>"""
CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Coastal report</dc:title>
<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-02T03:04:05Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2024-02-03T04:05:06Z</dcterms:modified>
</cp:coreProperties>"""


def _p(text: str, footnote: str | None = None) -> str:
    reference = f'<w:r><w:footnoteReference w:id="{footnote}"/></w:r>' if footnote else ""
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>{reference}</w:p>"


def _row(*cells: str) -> str:
    return "<w:tr>" + "".join(f"<w:tc>{_p(cell)}</w:tc>" for cell in cells) + "</w:tr>"


def _docx(path: Path) -> Path:
    """Paragraph, table, paragraph citing footnote 2, content control, paragraph citing footnote 1: as Word writes them."""
    body = (
        _p("Alpha opens the report.")
        + f"<w:tbl>{_row('Town', 'Killed')}{_row('Baniyas', '42')}{_row('Jableh', '17')}</w:tbl>"
        + _p("Bravo follows the table.", footnote="2")
        + f"<w:sdt><w:sdtContent>{_p('Charlie sits in a content control.')}</w:sdtContent></w:sdt>"
        + _p("Delta closes it.", footnote="1")
    )
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>'
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> Echo: the ministry denied it.</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> Foxtrot: figures from SOHR.</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("docProps/core.xml", CORE)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        archive.writestr("word/footnotes.xml", footnotes)
    return path


def test_docx_tables_and_footnotes_in_reading_order(tmp_path: Path) -> None:
    [item] = read_file(_docx(tmp_path / "report.docx"))
    assert item.text.split("\n") == [
        "Alpha opens the report.",
        "Town | Killed",
        "Baniyas | 42",
        "Jableh | 17",
        "Bravo follows the table.[1]",  # notes are numbered in the order they are cited, as Word shows them
        "Charlie sits in a content control.",
        "Delta closes it.[2]",
        "",
        "Notes",
        "[1] Foxtrot: figures from SOHR.",
        "[2] Echo: the ministry denied it.",
    ]


def test_docx_file_times_are_not_the_publication_date(project: Project, tmp_path: Path) -> None:
    path = _docx(tmp_path / "report.docx")
    pending, _ = read_paths([path])
    project.import_documents(pending)
    [doc] = project.documents()
    assert doc.title == "Coastal report"
    assert doc.published is None
    assert doc.metadata["file_created"].startswith("2024-01-02T03:04:05")
    assert doc.metadata["file_modified"].startswith("2024-02-03T04:05:06")


def test_docx_made_by_python_docx_keeps_its_table(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([["a1", "b1"], ["a2", "b2"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("After the table.")
    path = tmp_path / "table.docx"
    document.save(path)
    [item] = read_file(path)
    assert item.text == "Before the table.\na1 | b1\na2 | b2\nAfter the table."
    assert "published" not in item.metadata and "file_created" in item.metadata


LEFT = ["Alpha one starts the left column.", "Bravo two continues on the left.", "Charlie three ends the left."]
RIGHT = ["Delta four starts the right column.", "Echo five continues on the right.", "Foxtrot six ends the right."]


def _two_columns(path: Path) -> Path:
    """A newspaper-style page: two columns of lines side by side at the same heights."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    c = canvas.Canvas(str(path))
    c.setTitle("Two columns")
    for i, (left, right) in enumerate(zip(LEFT, RIGHT)):
        y = 720 - 14 * i
        c.drawString(50, y, left)
        c.drawString(320, y, right)
    c.showPage()
    c.drawString(50, 720, "Golf seven is on the second page.")
    c.showPage()
    c.save()
    return path


def test_two_column_pdf_reads_column_by_column(project: Project, tmp_path: Path) -> None:
    path = _two_columns(tmp_path / "columns.pdf")
    pending, _ = read_paths([path])
    project.import_documents(pending)
    [doc] = project.documents()
    markers = [*LEFT, *RIGHT, "Golf seven is on the second page."]
    positions = [doc.text.index(marker) for marker in markers]  # every line is there, whole
    assert positions == sorted(positions)
    assert doc.title == "Two columns"
    assert doc.published is None and "file_created" in doc.metadata  # reportlab stamps its creation time


def _page(body: str) -> str:
    return f"<html><head><title>Page</title></head><body><article>{body}</article></body></html>"


ARTICLE = " ".join(f"<p>Paragraph {i}: residents of the coastal towns described the events of the week in detail.</p>"
                   for i in range(12))


def test_html_article_imports_without_warning(tmp_path: Path) -> None:
    path = tmp_path / "full.html"
    path.write_text(_page(ARTICLE), encoding="utf-8")
    pending, _ = read_paths([path])
    assert len(pending.documents[0].text) >= THIN_TEXT
    assert pending.warnings == []


@pytest.mark.parametrize(("body", "expected"), [
    ("<figure><figcaption>A man walks past a damaged building in Baniyas on Friday.</figcaption></figure>"
     "<p>A man walks past a damaged building in Baniyas on Friday.</p>", "characters of article text"),
    ("<h1>{{ article.title }}</h1><p>{{ article.body }}</p>" + ARTICLE, "unrendered page template"),
])
def test_thin_html_page_is_imported_with_one_warning(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "thin.html"
    path.write_text(_page(body), encoding="utf-8")
    pending, _ = read_paths([path])
    assert len(pending.documents) == 1
    [warning] = pending.warnings
    assert warning.startswith(f"{path}: ") and expected in warning and "\n" not in warning
