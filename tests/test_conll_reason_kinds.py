"""CoNLL counts its left-out spans' kinds of reason as it makes them (``conll_text.count_kinds``, in both processes):
DATASET.md's "N × reason" lines must be what ``common.reason_counts`` gives over the whole left-out list, counts and
order (ties in the order first met)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annotator.exporters as exporters
from annotator import Project
from annotator.exporters import conll, export
from annotator.exporters.common import Dropped, reason_counts
from annotator.importers.base import ImportedDocument, ImportedSpan
from tests.test_conll_fast import coded_body, documents


@settings(max_examples=200, deadline=None)
@given(st.lists(documents(), max_size=6))
def test_kinds_counted_document_by_document_are_reason_counts(texts: list[tuple[str, list[tuple[Any, ...]]]]) -> None:
    kinds: dict[str, int] = {}
    dropped: list[Dropped] = []
    tags = conll.Tags()
    for number, (text, rows) in enumerate(texts):
        _, left_out, _, _ = coded_body(text, rows, tags, f"d{number}", kinds=kinds)
        dropped += [Dropped(*row) for row in left_out]
    assert list(kinds.items()) == list(reason_counts(dropped).items())


@pytest.fixture(scope="module")
def project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four documents whose left-out spans tie (two overlaps, two whitespace-only, one duplicate): the overlap is
    met first, in the first document; the duplicate only in the third, which the second process builds."""
    path = tmp_path_factory.mktemp("kinds") / "p.db"
    with Project.create(path) as project:
        label = project.labels()[0].name
        texts = [("alpha beta gamma", [(0, 10, "ana"), (6, 16, "ana")]),  # overlap
                 ("one  two", [(3, 5, "ana"), (0, 3, "ana")]),  # whitespace only
                 ("same words here", [(0, 10, "ana"), (0, 10, "bo")]),  # duplicate
                 ("a  b c d", [(1, 3, "bo"), (0, 6, "ana"), (4, 8, "ana")])]  # whitespace only, overlap
        project.import_documents([
            ImportedDocument(text, {"title": f"T{number}"},
                             [ImportedSpan(start, end, label, annotator=who) for start, end, who in spans],
                             source=f"t{number}.txt")
            for number, (text, spans) in enumerate(texts)])
    return path


@pytest.mark.usefixtures("core_free")
@pytest.mark.parametrize("above", [1, 10**9])
def test_dataset_card_counts_are_those_of_the_whole_list(above: int, project_path: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """In one process and in two (the second builds the last two documents): the kinds kept are those counted over
    ``result.dropped``, and the card is the one written from a count over the list."""
    monkeypatch.setattr(conll, "PROCESS_ABOVE", above)
    cards: list[tuple[str, str]] = []
    kept: list[Any] = []
    dataset_markdown = exporters.dataset_markdown

    def both(job: Any, fmt: Any, when: str) -> str:
        kept.append(job.reason_kinds)
        card = dataset_markdown(job, fmt, when)
        job.reason_kinds = None
        cards.append((card, dataset_markdown(job, fmt, when)))
        return card

    monkeypatch.setattr(exporters, "dataset_markdown", both)
    started: list[Any] = []
    start = conll.start_on_last
    monkeypatch.setattr(conll, "start_on_last", lambda *args, **options: started.append(start(*args, **options)) or started[-1])
    with Project.open(project_path) as project:
        result = export(project, "conll", tmp_path / "out")
    assert (started[0] is not None) == (above == 1)
    assert [d.reason.split(":")[0] for d in result.dropped] == ["overlap", "no token", "duplicate", "no token", "overlap"]
    assert list(kept[0].items()) == list(reason_counts(result.dropped).items()) == [
        ("overlap", 2), ("no token", 2), ("duplicate", 1)]
    card, counted = cards[0]
    assert card == counted
    assert "- 2 × overlap\n- 2 × no token\n- 1 × duplicate\n" in card
