"""The W3C export as a JSON-LD processor sees it, and W3C annotations written by other tools.

pyld expands the export against the Web Annotation context (``tests/data/anno.jsonld``, the text
W3C serves at http://www.w3.org/ns/anno.jsonld, from github.com/w3c/web-annotation): no network,
a document loader serves the local copy and refuses anything else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator import Project
from annotator.errors import ImportFileError
from annotator.exporters import export
from annotator.importers import import_format

jsonld = pytest.importorskip("pyld.jsonld")

ANNO = "http://www.w3.org/ns/anno.jsonld"
CONTEXT = Path(__file__).resolve().parent / "data" / "anno.jsonld"
OA, AS, RDF_TYPE = "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/activitystreams#", "@type"


def local_loader(url: str, options: Any = None) -> dict[str, Any]:
    if url.rstrip("/") != ANNO:
        raise AssertionError(f"the test asked for {url}: only the Web Annotation context is served")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(CONTEXT.read_text(encoding="utf-8"))}


def expanded(path: Path) -> dict[str, Any]:
    (collection,) = jsonld.expand(json.loads(path.read_text(encoding="utf-8")), {"documentLoader": local_loader})
    return collection


def ids(values: list[dict[str, Any]]) -> list[str]:
    return [v["@id"] for v in values]


def test_expanded_export_has_ids_types_and_sources(sample: Project, tmp_path: Path) -> None:
    data = export(sample, "w3c", tmp_path / "annotations.jsonld").data
    collection = expanded(data)
    assert collection[RDF_TYPE] == [f"{AS}OrderedCollection"]  # what the context maps AnnotationCollection to
    assert collection["@id"].startswith("urn:uuid:")
    (page,) = collection[f"{AS}first"]
    assert page[RDF_TYPE] == [f"{AS}OrderedCollectionPage"] and page["@id"].startswith("urn:uuid:")
    assert page["@id"] != collection["@id"] and ids(page[f"{AS}partOf"]) == [collection["@id"]]
    (items,) = page[f"{AS}items"]
    items = items["@list"]
    documents = {d.id: d for d in sample.documents()}
    annotations = {a.id: a for a in sample.annotations()}
    assert len(items) == 16 + 4 and all(i[RDF_TYPE] == [f"{OA}Annotation"] for i in items)
    assert all(i["@id"].startswith("urn:uuid:") for i in items)
    sources = set()
    for item in items:
        motivation = ids(item[f"{OA}motivatedBy"])
        if motivation == [f"{OA}linking"]:
            targets = ids(item[f"{OA}hasTarget"])  # links are IRIs, not strings
            assert all(t.removeprefix("urn:uuid:") in annotations for t in targets)
            assert ids(item["urn:annotator:from"]) == targets[:1] and ids(item["urn:annotator:to"]) == targets[1:]
            continue
        assert motivation == [f"{OA}tagging"]
        (target,) = item[f"{OA}hasTarget"]
        (source,) = ids(target[f"{OA}hasSource"])
        (document_id,) = ids(target["urn:annotator:document"])
        document = documents[document_id.removeprefix("urn:uuid:")]
        assert annotations[item["@id"].removeprefix("urn:uuid:")].document_id == document.id
        assert source == (document.url or f"urn:uuid:{document.id}")
        sources.add(source)
        selectors = {s[RDF_TYPE][0] for s in target[f"{OA}hasSelector"]}
        assert selectors == {f"{OA}TextPositionSelector", f"{OA}TextQuoteSelector"}
    assert "https://example.org/toll" in sources and any(s.startswith("urn:uuid:") for s in sources)


def test_export_is_stable_between_runs(sample: Project, tmp_path: Path) -> None:
    one = json.loads(export(sample, "w3c", tmp_path / "one" / "a.jsonld").data.read_text(encoding="utf-8"))
    two = json.loads(export(sample, "w3c", tmp_path / "two" / "a.jsonld").data.read_text(encoding="utf-8"))
    assert (one["id"], one["first"]["id"]) == (two["id"], two["first"]["id"])


def foreign(path: Path, target: dict[str, Any]) -> Path:
    """An annotation as a web annotation tool writes it: the page URL as source, no ids of ours."""
    path.write_text(json.dumps({"@context": ANNO, "id": "https://anno.example/1", "type": "Annotation",
                                "body": {"type": "TextualBody", "purpose": "tagging", "value": "Claim"},
                                "target": target}), encoding="utf-8")
    return path


def test_a_target_found_by_the_article_url_and_a_quote(sample: Project, tmp_path: Path) -> None:
    document = next(d for d in sample.documents() if d.url == "https://example.org/toll")
    exact = "at least"
    start = document.text.index(exact)
    prefix, suffix = document.text[max(0, start - 10):start], document.text[start + len(exact):][:10]
    path = foreign(tmp_path / "hypothesis.json", {"source": "https://example.org/toll/", "selector": {
        "type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}})
    before = len(sample.annotations(document.id))
    import_format(sample, "w3c", [path])
    added = [a for a in sample.annotations(document.id) if a.label == "Claim" and a.quote == exact]
    assert len(sample.annotations(document.id)) == before + 1 and [(a.start, a.end) for a in added] == [
        (start, start + len(exact))]


def test_an_unknown_url_is_one_clear_error(sample: Project, tmp_path: Path) -> None:
    path = foreign(tmp_path / "other.json", {"source": "https://elsewhere.example/a", "selector": {
        "type": "TextQuoteSelector", "exact": "x"}})
    with pytest.raises(ImportFileError, match=r"other.json, line 1: no document in the project with URL https://elsewhere"):
        import_format(sample, "w3c", [path])


def test_our_export_round_trips_through_the_url_source(sample: Project, tmp_path: Path) -> None:
    data = export(sample, "w3c", tmp_path / "annotations.jsonld").data
    with Project.create(tmp_path / "copy.db") as copy:
        for d in sample.documents():  # same articles, new ids and no hashes to go by: only the URL matches
            copy.add_document(d.text + " ", title=d.title, url=d.url)
        lines = data.read_text(encoding="utf-8").split("\n")
        toll = [line for line in lines if "https://example.org/toll" in line]
        item = json.loads(toll[0].rstrip(","))
        del item["target"]["annotator:document"], item["target"]["annotator:sha256"]
        path = tmp_path / "one.json"
        path.write_text(json.dumps(item), encoding="utf-8")
        import_format(copy, "w3c", [path], create_labels=True)
        (document,) = [d for d in copy.documents() if d.url == "https://example.org/toll"]
        (a,) = copy.annotations(document.id)
        assert a.quote == item["target"]["selector"][1]["exact"]
