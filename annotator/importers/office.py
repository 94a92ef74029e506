"""Word (.docx) and PDF (text layer only) documents, complete and in reading order.

DOCX: the body's paragraphs and tables in document order (content controls opened up), a
table one line per row with its cells joined by `` | ``; footnote and endnote references become
``[1]``, ``[2]``... where they are cited and the notes follow the body under a ``Notes`` line.
PDF: pdfminer.six's layout analysis, which reads a two-column page column by column.
A file's own creation and modification times are not publication dates: they are kept as
``file_created`` / ``file_modified`` in the document's metadata, never as ``published``."""

from __future__ import annotations

import logging
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.errors import ImportFileError
from annotator.importers.base import ImportedDocument
from annotator.importers.guard import looks_like, safe_zip
from annotator.text import first_line

CELL_SEPARATOR = " | "
NOTES_HEADING = "Notes"


def read_docx(path: Path) -> list[ImportedDocument]:
    import docx  # python-docx: imported here so the CLI starts fast
    from docx.opc.exceptions import PackageNotFoundError  # what python-docx raises for a file that is not a zip

    with safe_zip(path, "a Word document") as copy:  # python-docx unpacks whole parts without a size limit
        try:
            document = docx.Document(copy)
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
            raise ImportFileError(path, f"not a readable Word document ({error})") from None
    text = _WordText(document).text()
    if not text.strip():
        raise ImportFileError(path, "the document has no text")
    props = document.core_properties
    metadata = {
        "title": props.title or first_line(text),
        "author": props.author,
        "language": props.language,
        "file_created": props.created.isoformat() if props.created else None,
        "file_modified": props.modified.isoformat() if props.modified else None,
        "source_format": "docx",
    }
    return [ImportedDocument(text, {k: v for k, v in metadata.items() if v}, source=path)]


class _WordText:
    """The text of a Word document: body blocks in order, then the notes they cite."""

    def __init__(self, document: Any) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self.document = document
        self.notes: dict[tuple[str, str], str] = {}  # ("footnote" | "endnote", id) -> text
        for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
            self.notes.update(((kind, key), value) for key, value in self._read_notes(kind, reltype).items())
        self.cited: list[tuple[str, str]] = []  # in order of first citation: its index + 1 is the mark

    def text(self) -> str:
        lines = list(self._blocks(self.document.element.body))
        if self.cited:
            lines += ["", NOTES_HEADING]
            lines += [f"[{number}] {self.notes.get(key, '')}".rstrip() for number, key in enumerate(self.cited, start=1)]
        return "\n".join(lines)

    def _read_notes(self, kind: str, reltype: str) -> dict[str, str]:
        from docx.oxml import parse_xml
        from docx.oxml.ns import qn

        part = next((rel.target_part for rel in self.document.part.rels.values()
                     if rel.reltype == reltype and not rel.is_external), None)
        if part is None:
            return {}
        root = parse_xml(part.blob)
        notes = {}
        for note in root.iterchildren(qn(f"w:{kind}")):
            if note.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            notes[note.get(qn("w:id"), "")] = " ".join(
                line for line in (self._paragraph(p).strip() for p in note.iter(qn("w:p"))) if line)
        return notes

    def _blocks(self, container: Any) -> Iterator[str]:
        """One line per paragraph and per table row, in the order the XML holds them."""
        from docx.oxml.ns import qn

        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                yield self._paragraph(child)
            elif child.tag == qn("w:tbl"):
                for row in child.iterchildren(qn("w:tr")):
                    cells = [" ".join(line.strip() for line in self._blocks(cell) if line.strip())
                             for cell in row.iterchildren(qn("w:tc"))]
                    yield CELL_SEPARATOR.join(cells)
            elif child.tag == qn("w:sdt"):  # a content control: its content is ordinary body content
                for content in child.iterchildren(qn("w:sdtContent")):
                    yield from self._blocks(content)

    def _paragraph(self, p: Any) -> str:
        """The paragraph's text as python-docx gives it, with a ``[n]`` mark where a note is cited."""
        from docx.oxml.ns import qn
        from docx.text.hyperlink import Hyperlink
        from docx.text.paragraph import Paragraph

        out: list[str] = []
        for item in Paragraph(p, self.document).iter_inner_content():
            for run in item.runs if isinstance(item, Hyperlink) else [item]:
                for kind in ("footnote", "endnote"):
                    for reference in run._r.iter(qn(f"w:{kind}Reference")):
                        key = (kind, reference.get(qn("w:id"), ""))
                        if key not in self.cited:
                            self.cited.append(key)
                        out.append(f"[{self.cited.index(key) + 1}]")
                out.append(run.text)
        return "".join(out)


@contextmanager
def _quiet_pdf_libraries() -> Iterator[None]:
    """pypdf and pdfminer log and warn about every oddity they repair; none of it is the user's business on stderr."""
    loggers = [logging.getLogger(name) for name in ("pypdf", "pdfminer")]
    saved = [(logger, logger.propagate) for logger in loggers]
    handler = logging.NullHandler()
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate


def pdf_date(info: Any, name: str) -> str | None:
    """``creation`` or ``modification`` date as ISO 8601: the standard ``D:YYYYMMDD...`` form, or ISO 8601 as some producers write it."""
    try:
        parsed = getattr(info, f"{name}_date")
        return parsed.isoformat() if parsed else None
    except (ValueError, TypeError):
        pass
    raw = getattr(info, f"{name}_date_raw")
    if raw is None:
        return None
    try:
        return datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00")).isoformat()
    except ValueError:
        return None  # an unreadable date is no reason to refuse the text


def pdf_text(path: Path) -> str:
    """The text layer in reading order: pdfminer's layout analysis groups lines into boxes and orders the
    boxes (``boxes_flow``), so a two-column page reads down the left column, then the right. Pages are
    separated by a blank line."""
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    pages = extract_text(str(path), laparams=LAParams()).split("\f")
    return "\n\n".join(page.strip("\n") for page in pages if page.strip())


def read_pdf(path: Path) -> list[ImportedDocument]:
    import pypdf  # the Info dictionary (title, author, dates): pypdf decodes its strings and dates
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    with path.open("rb") as stream:
        head = stream.read(1024)
    if b"%PDF-" not in head:
        found = looks_like(head)
        raise ImportFileError(path, "not a PDF: " + (f"the content is {found}" if found else "no %PDF header"))
    try:
        with _quiet_pdf_libraries():
            info = pypdf.PdfReader(str(path)).metadata
            text = pdf_text(path)
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ImportFileError(path, f"the PDF is encrypted ({error or 'a password is needed'})") from None
    except (pypdf.errors.PdfReadError, pypdf.errors.PdfStreamError, PDFSyntaxError, PSException, ValueError, KeyError) as error:
        raise ImportFileError(path, f"not a readable PDF ({error})") from None
    if not text.strip():
        raise ImportFileError(path, "the PDF has no text layer (a scan? run OCR first)")
    title = info.title if info else None
    author = info.author if info else None
    metadata = {
        "title": (str(title) if title else None) or first_line(text),
        "author": str(author) if author else None,
        "file_created": pdf_date(info, "creation") if info else None,
        "file_modified": pdf_date(info, "modification") if info else None,
        "source_format": "pdf",
    }
    return [ImportedDocument(text, {k: v for k, v in metadata.items() if v}, source=path)]
