"""The casualty table builds its rows on fast paths (figure rows as named tuples made in one loop with their
sort key, ``source_groups`` grouping in one pass, appearances read with ``attrgetter``); the plain code they
replaced is kept here as the reference, and both must give the same bytes on random projects whose quotes hold
emoji, Arabic (and Arabic digits), combining marks, gold copies, attributions, locations, periods and empty documents."""

from __future__ import annotations

import contextlib
import random
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import cycle
from pathlib import Path
from typing import Any

import pytest

from annotator import AnnotatorError, Project, crosssource
from annotator.crosssource import (
    FigureRow,
    SourceFigure,
    SourceGroup,
    figure_rows,
    selected_figure_rows,
    source_groups,
)
from annotator.exporters import csvio, export
from annotator.exporters.casualties import COLUMNS, LOCATION_ATTRIBUTES
from annotator.exporters.common import Filters, select
from annotator.importers.base import ImportedDocument
from annotator.layers import GOLD

# -- the plain path -----------------------------------------------------------------------------------


def _same_figure(row: FigureRow) -> tuple:
    return (row.owner, (row.counted or row.victims or "").casefold(), row.value, row.lower, row.upper, row.qualifier)


def reference_groups(rows: Iterable[FigureRow]) -> list[SourceGroup]:
    rows = list(rows)
    sources_of: dict[tuple, set[str]] = defaultdict(set)
    for row in rows:
        if row.source is not None:
            sources_of[_same_figure(row)].add(row.source.casefold())
    grouped: dict[str | None, dict[tuple, list[FigureRow]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        grouped[row.source][_same_figure(row)].append(row)
    groups = []
    for source, figures in grouped.items():
        items = tuple(
            SourceFigure(first.counted, first.victims, first.value, first.lower, first.upper, first.qualifier,
                         tuple(appearances), len(sources_of.get(key, set())), len({r.document_id for r in appearances}),
                         first.layer, first.reviewer)
            for key, appearances in figures.items() for first in [appearances[0]])
        groups.append(SourceGroup(source, items))
    return sorted(groups, key=lambda g: (g.source is None, -sum(len(f.appearances) for f in g.figures),
                                         (g.source or "").casefold()))


def _joined(values: Iterable[Any]) -> str | None:
    found = list(dict.fromkeys(v for v in values if v))
    return "; ".join(found) if found else None


def reference_table(project: Project, filters: Filters) -> Iterator[list[Any]]:
    selection = select(project, filters)
    rows, attributes_of = selected_figure_rows(project, selection.where, selection.params)
    documents = {d.id: d for d in selection.documents}
    for group in reference_groups(rows):
        for figure in group.figures:
            appearances = figure.appearances
            location = None
            for row in appearances:
                attributes = attributes_of[row.annotation_id]
                location = next((str(attributes[n]) for n in LOCATION_ATTRIBUTES if attributes.get(n)), None)
                if location:
                    break
            published = sorted(r.published[:10] for r in appearances if r.published)
            yield [
                group.source, figure.counted, figure.victims, figure.lower, figure.value, figure.upper,
                figure.qualifier, _joined(r.period_start for r in appearances),
                _joined(r.period_end for r in appearances), location, len(appearances),
                figure.independent_sources, "; ".join(figure.outlets),
                _joined(documents[r.document_id].url for r in appearances if r.document_id in documents),
                published[0] if published else None, " ".join(appearances[0].quote.split()),
                "; ".join(r.annotation_id for r in appearances),
            ]


# -- a random project ---------------------------------------------------------------------------------

WORDS = ("at least", "1,200", "civilians", "killed", "👨‍👩‍👧", "قال", "٣٠٠", "مدنياً", "dozens", "Cafe\u0301", "e\u0308",
         "973", "more than", "three", "wounded", "🇫🇷", "in", "Aleppo", "between 40 and 60", "people", "\n\n",
         "SOHR; AFP", "over 1,200")
ATTRIBUTES: list[dict[str, Any] | None] = [
    None, {}, {}, {"counted": "civilians killed", "location": "Aleppo"},
    {"counted": "civilians killed", "period-start": "2025-03-06", "period-end": "2025-03-10", "place": "إدلب"},
    {"counted": "people killed", "value": 973, "victims": "civilians", "period-start": "2025-03-07"},
    {"value": 1200, "lower": 1200, "qualifier": "at least", "location": ""},
    {"victims": "civilians", "qualifier": "approximately", "location": "Homs", "period-end": "2025-03-09"},
    {"counted": "Civilians Killed"}, {"victims": "civilians killed"}, {"value": "1,200"},
    {"value": 1200.0, "counted": "civilians killed", "lower": None},
]


def build(project: Project, seed: int) -> None:
    rng = random.Random(seed)
    items = []
    for number in range(8):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 80))) or " "
        metadata = {"title": f"Report {number}", "outlet": rng.choice(("Outlet A", "Outlet B", "", "Outlet A")),
                    "url": rng.choice((f"https://example.org/{number}", "")),
                    "published": rng.choice((f"2025-03-0{number % 9 + 1}T10:00:00", "", "2025-02-28"))}
        items.append(ImportedDocument(text, metadata, [], source=f"r{number}.txt"))
    project.import_documents(items)
    documents = [d.id for d in project.documents(with_text=False)]
    entities = [project.add_entity("Syrian Observatory for Human Rights", "organisation", aliases=["SOHR"]).id,
                project.add_entity("وزارة الصحة", "organisation").id, project.add_entity("Ministry; Health", "organisation").id]
    ids: dict[str, list[str]] = defaultdict(list)
    for _ in range(200):
        document_id = rng.choice(documents)
        text = project.document_text(document_id)
        if len(text) < 3:
            continue
        start = rng.randrange(0, len(text) - 1)
        end = min(len(text), start + rng.randrange(1, 40))
        label = rng.choice(("Figure", "Figure", "Figure", "Actor"))
        options: dict[str, Any] = {"annotator": rng.choice(("ana", "ben")), "layer": rng.choice(("reviewer", "reviewer", GOLD))}
        if label == "Figure":
            options["attributes"] = rng.choice(ATTRIBUTES)
        elif rng.random() < 0.6:
            options["entity_id"] = rng.choice(entities)
        try:
            ids[label].append(project.add_annotation(document_id, start, end, label, **options).id)
        except AnnotatorError:  # a span the rules refuse (inside a grapheme, blank): skip it
            continue
    variants = cycle(['{"counted": "Civilians Killed"}', '{"counted": "civilians killed"}', '{"victims": "CIVILIANS killed"}',
                      '{"counted": "civilians killed", "value": "1,200"}', "{}", '{"counted": " civilians  killed", "value": 1200.0}'])
    rewritten = []  # the same figure, told apart only by case, spacing or how its number is written
    for document_id in documents:
        text = project.document_text(document_id)
        for match in re.finditer("1,200", text):
            with contextlib.suppress(AnnotatorError):
                figure = project.add_annotation(document_id, match.start(), match.end(), "Figure", annotator="ana")
                ids["Figure"].append(figure.id)
                rewritten.append((next(variants), figure.id))
    with contextlib.closing(sqlite3.connect(project.path)) as conn:  # as another program may write them
        conn.executemany("UPDATE annotations SET attributes = ? WHERE id = ?", rewritten)
        conn.commit()
    for _ in range(90):
        if rng.random() < 0.6:
            source, target = rng.choice(ids["Figure"]), rng.choice(ids["Actor"])
        else:
            source, target = rng.choice(ids["Actor"]), rng.choice(ids["Figure"])
        try:
            project.add_relation(source, target, "attributed-to", annotator="ana")
        except AnnotatorError:
            continue


def damage_parses(path: Path, seed: int) -> None:
    """Stored parses as another program might leave them: some gone, some of an older parser, some not JSON."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    try:
        quotes = [row[0] for row in conn.execute("SELECT quote FROM figure_parses ORDER BY quote")]
        for quote in rng.sample(quotes, len(quotes) * 3 // 4):
            statement = rng.choice(("UPDATE figure_parses SET parsed = 'garbage' WHERE quote = ?",
                                    "DELETE FROM figure_parses WHERE quote = ?",
                                    "UPDATE figure_parses SET parser = parser - 1 WHERE quote = ?",
                                    "UPDATE figure_parses SET parsed = 'garbage' WHERE quote = ?",
                                    "UPDATE figure_parses SET parsed = '[7,7,7,\"exact\",\"goats\"]' WHERE quote = ?"))
            conn.execute(statement, [quote])
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize(("seed", "few", "damaged"), [(1, 500, False), (2, 500, False), (3, 500, False), (4, 500, False),
                                                      (5, 0, False), (6, 0, True), (7, 500, True)])
def test_source_groups_and_the_casualty_table_match_the_plain_path(project: Project, tmp_path: Path, seed: int,
                                                                   few: int, damaged: bool,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """``few``: up to how many figures the stored parses are looked up by quote (0: the whole table is scanned)."""
    monkeypatch.setattr(crosssource, "FEW_FIGURES", few)
    build(project, seed)
    if damaged:
        damage_parses(project.path, seed)
    rows = figure_rows(project)
    groups = source_groups(rows)
    assert len(rows) > 50 and len(groups) > 2 and any(g.source for g in groups)
    assert groups == reference_groups(rows)
    documents = [d.id for d in project.documents(with_text=False)]
    for filters in (Filters(), Filters(annotators=("ben",)), Filters(layer=GOLD), Filters(documents=tuple(documents[:3]))):
        export(project, "casualties", tmp_path / "fast.csv", filters=filters, force=True)
        with (tmp_path / "plain.csv").open("w", encoding=csvio.ENCODING, newline="") as stream:
            csvio.write_rows(stream, COLUMNS, reference_table(project, filters))
        assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()
