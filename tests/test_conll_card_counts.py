"""CoNLL counts the dataset card's annotations (per label, reviewer and layer; per document) from the rows it reads, in
both processes (``conll_text.Tally``, ``Selection.counted``), instead of a scan of their own beside it: the card must be
the one the scan gives, with filters, a label missing from the schema, documents without annotations, and annotations of
no document (another program's writes: then the scan counts them, as before)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from annotator import Project
from annotator.exporters import conll, export
from annotator.exporters.common import Filters, Selection
from annotator.importers.base import ImportedDocument, ImportedSpan
from annotator.store import exports as export_rows
from tests.export_helpers import written_files

pytestmark = pytest.mark.usefixtures("core_free")


@pytest.fixture(scope="module")
def project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight documents (two without spans) by two reviewers, a gold layer on some, one span of a label id the schema
    does not have."""
    rng = random.Random(5)
    path = tmp_path_factory.mktemp("card") / "p.db"
    with Project.create(path) as project:
        labels = [label.name for label in project.labels()]
        items = []
        for number in range(8):
            text = f"Report {number}. " + " ".join(rng.choice(("the", "said", "قال", "1,200", "\n", "  ")) for _ in range(60))
            spans = [] if number in (2, 6) else [
                ImportedSpan(start, start + rng.randrange(1, 12), rng.choice(labels), annotator=rng.choice(("ana", "bo")))
                for start in sorted(rng.randrange(0, len(text) - 12) for _ in range(15))]
            items.append(ImportedDocument(text, {"title": f"R{number}"}, spans, source=f"r{number}.txt"))
        project.import_documents(items)
        for document in project.documents(with_text=False)[::3]:
            spans = project.annotations(document.id)
            if spans:
                project.add_annotation(document.id, spans[0].start, spans[0].end, labels[1], annotator="ana", layer="gold")
    with sqlite3.connect(path) as conn:  # a label id no label has: named "?" in the card
        conn.execute("UPDATE annotations SET label_id = 'gone' WHERE rowid = (SELECT min(rowid) FROM annotations)")
    return path


def _export(path: Path, out: Path, monkeypatch: pytest.MonkeyPatch, above: int, counted: bool,
            filters: Filters | None = None) -> tuple[Any, int]:
    """The export, and how many times the card's counts were read by the scan."""
    monkeypatch.setattr(conll, "PROCESS_ABOVE", above)
    scans: list[int] = []
    card_counts = export_rows.card_counts
    monkeypatch.setattr(export_rows, "card_counts", lambda *args: scans.append(1) or card_counts(*args))
    if not counted:
        monkeypatch.setattr(Selection, "counted", lambda self, *args: False)
    with Project.open(path) as project:
        result = export(project, "conll", out, filters)
    monkeypatch.undo()
    return result, len(scans)


def _filters(name: str, path: Path) -> Filters | None:
    with Project.open(path) as project:
        documents = [d.id for d in project.documents(with_text=False)]
        label = project.labels()[1].name
    return {"all": None, "gold": Filters(layer="gold"), "bo": Filters(annotators=("bo",)),
            "documents": Filters(documents=documents[1:4]), "label": Filters(labels=(label,))}[name]


@pytest.mark.parametrize("above", [1, 10**9])
@pytest.mark.parametrize("name", ["all", "gold", "bo", "documents", "label"])
def test_the_card_counted_from_the_rows_is_the_scanned_one(above: int, name: str, project_path: Path,
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    filters = _filters(name, project_path)
    counted, counted_scans = _export(project_path, tmp_path / "counted", monkeypatch, above, True, filters)
    scanned, scans = _export(project_path, tmp_path / "scanned", monkeypatch, above, False, filters)
    assert (counted_scans, scans) == (0, 1)
    assert written_files(tmp_path / "counted") == written_files(tmp_path / "scanned")
    assert (counted.annotations, counted.warnings) == (scanned.annotations, scanned.warnings)


def test_the_card_shows_what_was_counted(project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not two empty tables: the unknown label, both reviewers and the gold layer are in it."""
    _export(project_path, tmp_path / "out", monkeypatch, 1, True)
    card = (tmp_path / "out" / "conll.DATASET.md").read_text(encoding="utf-8")
    table = card.split("## Annotations per label and reviewer")[1].split("## Label schema")[0]
    assert "| label | ana | bo | of which gold | total |" in table and "\n| ? | " in table
    with Project.open(project_path) as project:
        total = sum(len(project.annotations(d.id)) for d in project.documents(with_text=False))
    documents = card.split("## Documents")[1].split("## Left out")[0]
    cells = [line.rsplit("|", 2)[1].strip() for line in documents.splitlines() if line.startswith("| ")]
    assert cells[0] == "annotations" and sum(map(int, cells[1:])) == total > 0


@pytest.mark.parametrize("above", [1, 10**9])
def test_annotations_of_no_document_are_counted_by_the_scan(above: int, project_path: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "orphan.db"
    path.write_bytes(project_path.read_bytes())
    with sqlite3.connect(path) as conn:  # foreign keys off, as another program may write
        conn.execute("INSERT INTO annotations (id, document_id, start, end, label_id, quote, annotator, layer, "
                     "created_at, updated_at) SELECT 'orphan', 'no-such-document', 0, 1, label_id, 'x', 'cy', 'reviewer', "
                     "created_at, updated_at FROM annotations LIMIT 1")
    _, counted_scans = _export(path, tmp_path / "counted", monkeypatch, above, True)
    _export(path, tmp_path / "scanned", monkeypatch, above, False)
    assert counted_scans == 1  # the rows read do not count every selected annotation
    assert written_files(tmp_path / "counted") == written_files(tmp_path / "scanned")
    assert "| cy |" in (tmp_path / "counted" / "conll.DATASET.md").read_text(encoding="utf-8")
