"""``read_html`` passes trafilatura one options object built once a day: the same extraction as its keyword arguments."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import pytest
import trafilatura

from annotator.errors import ImportFileError
from annotator.importers import html
from annotator.importers.base import collecting_warnings
from annotator.importers.html import extraction_options, read_html
from tests.test_import_html_worker import page


def pages() -> list[str]:
    rng = random.Random(3)
    today = datetime.date.today()
    varied = [page(rng, number) for number in range(12)]
    for day in (today, today + datetime.timedelta(days=2)):  # trafilatura refuses dates after today
        varied.append(page(rng, 1).replace("2025-03-02", day.isoformat()))
    varied.append("<html><body><div><p>A short teaser only.</p></div><div class='comments'><p>A reader's "
                  "comment that is long enough to be mistaken for text by a careless extractor.</p></div></body></html>")
    varied.append("<html><body><table><tr><td>Killed</td><td>1,500</td></tr></table><p>" + "Word " * 40 + "</p></body></html>")
    return varied


@pytest.mark.parametrize("number", range(16))
def test_the_same_document_as_trafilaturas_own_arguments(tmp_path: Path, number: int) -> None:
    source = pages()[number]
    path = tmp_path / "page.html"
    path.write_text(source, encoding="utf-8")
    plain = trafilatura.bare_extraction(source, with_metadata=True, include_comments=False, include_tables=True)
    try:
        with collecting_warnings():  # a thin page's warning, which the worker test compares
            [document] = read_html(path)
    except ImportFileError:
        assert plain is None or not (plain.text or "").strip()
        return
    assert plain is not None and document.text == plain.text
    assert (document.metadata.get("title"), document.metadata.get("published"), document.metadata.get("outlet")) == (
        plain.title, plain.date, plain.sitename)


def test_built_once_a_day(monkeypatch: pytest.MonkeyPatch) -> None:
    first = extraction_options()
    assert extraction_options() is first
    monkeypatch.setattr(html, "_options", ("1999-12-31", first))  # the day before: rebuilt for today
    today = extraction_options()
    assert today is not first and today.date_params["max_date"] == datetime.date.today().isoformat()
