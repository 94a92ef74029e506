"""Word (.docx) and PDF (text layer only) documents."""

from __future__ import annotations

import zipfile
from pathlib import Path

from annotator.errors import ImportFileError
from annotator.importers.base import ImportedDocument
from annotator.text import first_line


def read_docx(path: Path) -> list[ImportedDocument]:
    import docx  # python-docx: imported here so the CLI starts fast
    from docx.opc.exceptions import PackageNotFoundError  # what python-docx raises for a file that is not a zip

    try:
        document = docx.Document(str(path))
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


def read_pdf(path: Path) -> list[ImportedDocument]:
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (pypdf.errors.PdfReadError, ValueError, KeyError) as error:
        raise ImportFileError(path, f"not a readable PDF ({error})") from None
    text = "\n\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise ImportFileError(path, "the PDF has no text layer (a scan? run OCR first)")
    metadata = {
        "title": (info.title if info else None) or first_line(text),
        "author": info.author if info else None,
        "published": info.creation_date.isoformat() if info and info.creation_date else None,
        "source_format": "pdf",
    }
    return [ImportedDocument(text, metadata, source=path)]
