"""News pages: article text and metadata (title, outlet, author, date, url) through trafilatura."""

from __future__ import annotations

import logging
from pathlib import Path

from annotator.errors import ImportFileError
from annotator.importers.base import ImportedDocument
from annotator.importers.guard import refuse_disguised
from annotator.importers.plain import decode

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def read_html(path: Path) -> list[ImportedDocument]:
    data = path.read_bytes()
    refuse_disguised(path, data, "an HTML page", "an HTML page")
    html = decode(path, data)
    import trafilatura  # here, not at the top: it costs ~0.4 s and the window imports this module at start-up
    from trafilatura.settings import Document

    result = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
    )
    # A Document unless as_dict=True (not passed here); None when nothing was extracted.
    if not isinstance(result, Document) or not result.text or not result.text.strip():
        raise ImportFileError(path, "no article text found in this HTML page")
    text = result.text
    metadata = {
        "title": result.title,
        "outlet": result.sitename,
        "author": result.author,
        "published": result.date,
        "url": result.url,
        "language": result.language,
        "description": result.description,
        "source_format": "html",
    }
    return [ImportedDocument(text, {k: v for k, v in metadata.items() if v}, source=path)]
