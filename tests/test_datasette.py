"""`annotator datasette`: the metadata file Datasette itself accepts, with search, facets and canned queries."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run

from annotator import Project
from annotator import datasette as builder
from annotator.store import schema_doc

DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def test_generated_descriptions_match_the_schema_doc() -> None:
    """docs/schema.md is where meanings and example queries are written; the shipped copy must follow it."""
    generated = Path(schema_doc.__file__).read_text(encoding="utf-8")
    assert generated == builder.render_schema_doc(builder.parse_schema_doc(DOC.read_text(encoding="utf-8"))), (
        "run: python -m annotator.datasette docs/schema.md")
    assert schema_doc.TABLES["documents"]["columns"]["sha256"].startswith("hex SHA-256")
    assert len(schema_doc.QUERIES) == DOC.read_text(encoding="utf-8").count("```sql")


def _metadata(seeded: Project, tmp_path: Path) -> tuple[Path, dict]:
    out = tmp_path / "meta.json"
    result = ok("datasette", seeded.path, "-o", out)
    assert str(out) in result.output
    return out, json.loads(out.read_text(encoding="utf-8"))


def test_metadata_shape(seeded: Project, tmp_path: Path) -> None:
    _, meta = _metadata(seeded, tmp_path)
    database = meta["databases"][seeded.path.stem]
    tables = database["tables"]
    assert tables["documents"]["label_column"] == "title" and tables["labels"]["label_column"] == "name"
    assert tables["entities"]["label_column"] == "name"
    assert tables["annotations"]["columns"]["quote"].startswith("the annotated text")
    assert set(tables["annotations_readable"]["facets"]) >= {"label", "annotator", "outlet", "status"}
    assert tables["documents_searchable"]["fts_table"] == "documents_fts"
    assert "annotations_per_label_and_reviewer" in database["queries"]


def test_datasette_serves_the_project_with_the_metadata(seeded: Project, tmp_path: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    seeded.add_annotation(seeded.documents()[0].id, 0, 10, "Claim", annotator="ana")
    _, meta = _metadata(seeded, tmp_path)
    name = seeded.path.stem
    seeded.close()
    ds = datasette_app.Datasette([str(seeded.path)], metadata=meta, immutables=[])

    async def get(path: str) -> dict:
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    async def check() -> None:
        # A table page: descriptions reach Datasette; a label facet counts the one annotation.
        readable = await get(f"/{name}/annotations_readable.json?_extra=facet_results&_shape=objects")
        [row] = readable["rows"]
        assert row["label"] == "Claim" and row["annotator"] == "ana"
        facets = readable["facet_results"]
        facets = facets.get("results", facets)  # Datasette 1.0 nests them one level deeper than 0.65
        assert [(f["value"], f["count"]) for f in facets["label"]["results"]] == [("Claim", 1)]
        # Full-text search on the documents view finds a word of exactly the documents that hold it.
        word = "Latakia"
        expected = sorted(d.title for d in seeded_docs if word in d.text or word in d.title)
        assert expected
        found = await get(f"/{name}/documents_searchable.json?_search={word}&_shape=objects")
        assert sorted(r["title"] for r in found["rows"]) == expected
        # Every canned query runs; the search one takes its parameter.
        for query in meta["databases"][name]["queries"]:
            params = f"?words={word}" if query == "search_documents" else ""
            result = await get(f"/{name}/{query}.json{params}&_shape=objects".replace(".json&", ".json?"))
            assert "rows" in result, query
        searched = await get(f"/{name}/search_documents.json?words={word}&_shape=objects")
        assert sorted(r["title"] for r in searched["rows"]) == expected
        html = (await ds.client.get(f"/{name}/annotations")).text
        assert "the annotated text" in html  # a column description from docs/schema.md

    with Project.open(seeded.path) as reopened:
        seeded_docs = reopened.documents()
    asyncio.run(check())


def test_serve_without_datasette_says_how_to_install(seeded: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builder.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(builder.shutil, "which", lambda name: None)
    line = one_line_error(run("datasette", seeded.path, "-o", tmp_path / "m.json", "--serve"))
    assert "pip install datasette" in line and not (tmp_path / "m.json").exists()


def test_missing_project_is_one_line(tmp_path: Path) -> None:
    one_line_error(run("datasette", tmp_path / "nope.db"))
