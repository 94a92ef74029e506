"""Word (.docx) and PDF (text layer only) documents."""

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


def read_docx(path: Path) -> list[ImportedDocument]:
    import docx  # python-docx: imported here so the CLI starts fast
    from docx.opc.exceptions import PackageNotFoundError  # what python-docx raises for a file that is not a zip

    with safe_zip(path, "a Word document") as copy:  # python-docx unpacks whole parts without a size limit
        try:
            document = docx.Document(copy)
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
            raise ImportFileError(path, f"not a readable Word document ({error})") from None
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    if not text.strip():
        raise ImportFileError(path, "the document has no text")
    props = document.core_properties
    metadata = {
        "title": props.title or first_line(text),
        "author": props.author,
        "published": props.created.isoformat() if props.created else None,
        "language": props.language,
        "source_format": "docx",
    }
    return [ImportedDocument(text, metadata, source=path)]


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs and warns about every oddity it repairs; none of it is the user's business on stderr."""
    logger = logging.getLogger("pypdf")
    handler, propagate = logging.NullHandler(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def pdf_date(info: Any) -> str | None:
    """The creation date as ISO 8601: the standard ``D:YYYYMMDD...`` form, or ISO 8601 as some producers write it."""
    try:
        parsed = info.creation_date
        return parsed.isoformat() if parsed else None
    except (ValueError, TypeError):
        pass
    raw = info.creation_date_raw
    try:
        return datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00")).isoformat()
    except ValueError:
        return None  # an unreadable date is no reason to refuse the text


def read_pdf(path: Path) -> list[ImportedDocument]:
    import pypdf

    with path.open("rb") as stream:
        head = stream.read(1024)
    if b"%PDF-" not in head:
        found = looks_like(head)
        raise ImportFileError(path, "not a PDF: " + (f"the content is {found}" if found else "no %PDF header"))
    try:
        with _quiet_pypdf():
            reader = pypdf.PdfReader(str(path))
            pages = [page.extract_text() or "" for page in reader.pages]
            info = reader.metadata
            title = info.title if info else None
            author = info.author if info else None
            published = pdf_date(info) if info else None
    except (pypdf.errors.PdfReadError, pypdf.errors.PdfStreamError, ValueError, KeyError) as error:
        raise ImportFileError(path, f"not a readable PDF ({error})") from None
    text = "\n\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise ImportFileError(path, "the PDF has no text layer (a scan? run OCR first)")
    metadata = {
        "title": (str(title) if title else None) or first_line(text),
        "author": str(author) if author else None,
        "published": published,
        "source_format": "pdf",
    }
    return [ImportedDocument(text, metadata, source=path)]
