"""News pages: article text and metadata (title, outlet, author, date, url) through trafilatura.

trafilatura runs with its defaults: ``favor_recall=True`` scores worse on its own benchmark
(body 0.941 / boilerplate 0.893 against 0.946 / 0.903). What it finds may still be too thin to be
the article (a photo caption, a page that is only a script's template): that is imported, with a
warning naming the file."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

from annotator.errors import ImportFileError
from annotator.importers.base import ImportedDocument, warn
from annotator.importers.guard import refuse_disguised
from annotator.importers.plain import decode

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

THIN_TEXT = 500
"""Fewer characters than this is rarely a news article: more likely a caption, a teaser or a shell page."""

_TEMPLATE = re.compile(r"\{\{.{0,200}?\}\}|\{%.{0,200}?%\}|\$\{[A-Za-z_][\w.]{0,100}\}", re.S)
"""Unrendered template placeholders: Angular/Vue/Handlebars/Jinja ``{{ x }}``, ``{% x %}``, JavaScript ``${x}``."""


def thinness(text: str) -> str | None:
    """Why ``text`` does not look like a whole article (or None): too short, or an unrendered template."""
    template = _TEMPLATE.search(text)
    if template:
        return f"it looks like an unrendered page template ({template.group(0)[:40]!r})"
    length = len(text.strip())
    if length < THIN_TEXT:
        return f"only {length} characters of article text were found"
    return None


_options: tuple[str, Any] = ("", None)


def extraction_options() -> Any:
    """trafilatura's options for ``bare_extraction(html, with_metadata=True, include_comments=False,
    include_tables=True)``, built once a day instead of once a page (~65 µs of config reads each).

    The same object trafilatura builds from those arguments; it copies it before changing anything
    (its recall retry). Rebuilt when the local date changes: dates after it are refused as in the future."""
    global _options
    today = time.strftime("%Y-%m-%d")  # the local date, what trafilatura's max_date is made of
    if _options[0] != today:
        from trafilatura.settings import Extractor

        _options = (today, Extractor(output_format="python", comments=False, tables=True, with_metadata=True))
    return _options[1]


def read_html(path: Path) -> list[ImportedDocument]:
    from annotator.importers.html_worker import taken  # here: the window imports this module at start-up

    ahead = taken(path)  # a large import's second process may have read this page already (same function)
    if ahead is not None:
        return ahead
    data = path.read_bytes()
    refuse_disguised(path, data, "an HTML page", "an HTML page")
    html = decode(path, data)
    import trafilatura  # here, not at the top: it costs ~0.4 s and the window imports this module at start-up
    from trafilatura.settings import Document

    result = trafilatura.bare_extraction(html, options=extraction_options())
    # A Document unless as_dict=True (not passed here); None when nothing was extracted.
    if not isinstance(result, Document) or not result.text or not result.text.strip():
        raise ImportFileError(path, "no article text found in this HTML page")
    text = result.text
    problem = thinness(text)
    if problem:
        warn(f"{path}: {problem}; check that this is the article (a caption or a page that needs JavaScript?)")
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
