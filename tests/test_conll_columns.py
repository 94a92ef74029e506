"""CoNLL reads only the annotation columns it uses: the same tags and "Left out" list as from whole records."""

from __future__ import annotations

import random
from pathlib import Path

from annotator import Project
from annotator.exporters import export
from annotator.exporters.alignment import align, non_overlapping, reason
from annotator.exporters.common import ExportJob, ExportResult, Filters, select
from annotator.importers.base import ImportedDocument, ImportedSpan
from annotator.tokens import tokenize_words


def test_dropped_spans_match_those_of_the_full_annotation_records(tmp_path: Path) -> None:
    rng = random.Random(3)
    project = Project.create(tmp_path / "p.db")
    labels = [label.name for label in project.labels()]
    items = []
    for number in range(5):
        text = f"Report {number}.\n" + " ".join(rng.choice(("the", "1,200", "said", "قال", "👨‍👩‍👧", "  ")) for _ in range(80))
        spans = [ImportedSpan(start, start + rng.randrange(1, 25), rng.choice(labels), annotator=rng.choice(("alice", "bob")))
                 for start in (rng.randrange(0, len(text) - 30) for _ in range(40))]
        items.append(ImportedDocument(text, {"title": f"R{number}"}, spans, source=f"r{number}.txt"))
    project.import_documents(items)
    result = export(project, "conll", tmp_path / "out")

    job = ExportJob(project, Filters(), select(project, Filters()), ExportResult("conll", tmp_path / "x", tmp_path / "y"))
    expected = []
    for item in job.documents():
        tokens, _ = tokenize_words(item.document.text)
        aligned, untokened = align(tokens, item.annotations)
        expected += [(item.document.id, a.id, a.label, a.quote, "no token: the span covers only whitespace") for a in untokened]
        expected += [(item.document.id, loser.annotation.id, loser.annotation.label, loser.annotation.quote,
                      reason(loser, winner)) for loser, winner in non_overlapping(aligned)[1]]
    got = [(d.document_id, d.item_id, d.label, d.quote, d.reason) for d in result.dropped]
    assert len(got) > 20
    assert got == expected
    project.close()
