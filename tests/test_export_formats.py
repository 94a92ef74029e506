"""Every export format, read back with that format's own tools, checked against the project's texts.

The sample project (``test_export_sample.build_sample``) has emoji, Arabic, CRLF-origin text,
overlapping spans, spans touching the end of the text, attributes, notes and relations.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from test_export_sample import build_sample

from annotator import Annotation, Project
from annotator.exporters import FORMATS, export
from annotator.exporters.csv_table import DANGEROUS
from annotator.tokens import tokenize


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = build_sample(tmp_path_factory.mktemp("sample") / "sample.db")
    yield project
    project.close()


def texts(project: Project) -> dict[str, str]:
    return {d.id: d.text for d in project.documents()}


def spans(annotations: list[Annotation]) -> Counter[tuple[str, int, int, str]]:
    return Counter((a.document_id, a.start, a.end, a.label) for a in annotations)


def widened(text: str, a: Annotation) -> tuple[int, int]:
    """The whole tokens a span touches (how CoNLL and spaCy show a span that cuts a word)."""
    touched = [(s, e) for s, e in tokenize(text) if s < a.end and a.start < e]
    return touched[0][0], touched[-1][1]


def test_every_format_writes_dataset_md(sample: Project, tmp_path: Path) -> None:
    for name in FORMATS:
        result = export(sample, name, tmp_path / name)
        readme = result.readme.read_text(encoding="utf-8")
        assert result.readme == tmp_path / name / f"{name}.DATASET.md"
        assert f"**{name}**" in readme and re.search(r"Exported \d{4}-\d\d-\d\dT", readme)
        assert "| Claim | 3 | 1 | 1 | 4 |" in readme  # per label and reviewer: alice, bob, of which gold, total
        assert "A symbol of peace in the text." in readme  # the schema with descriptions
        assert "| الجزيرة | 1 | 4 |" in readme and "مقتل مدنيين في حلب" in readme  # outlets and documents
        assert "everything in the project (no filters)" in readme


def test_jsonl_holds_everything(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "jsonl", tmp_path / "out")
    lines = result.data.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 5
    records = [json.loads(line) for line in lines[:-1]]
    originals = texts(sample)
    exported_ids = {a["id"] for r in records for a in r["annotations"]}
    for record in records:
        text = record["text"]
        assert text == originals[record["id"]]
        for a in record["annotations"]:
            assert text[a["start"]:a["end"]] == a["quote"]
            assert text[:a["start"]].endswith(a["prefix"]) and text[a["end"]:].startswith(a["suffix"])
        for r in record["relations"]:
            assert r["source_id"] in {a["id"] for a in record["annotations"]} and r["target_id"] in exported_ids
    assert [a["id"] for r in records for a in r["annotations"]] == [a.id for d in sample.documents()
                                                                    for a in sample.annotations(d.id)]
    first = records[0]
    assert first["status"] == "done" and first["url"] == "https://example.org/toll"
    assert first["entities"][0]["name"] == "Ministry of Health" and first["entities"][0]["aliases"] == ["MoH"]
    claim = next(a for a in first["annotations"] if a["label"] == "Claim")
    assert claim["attributes"] == {"certainty": "reported"}
    assert claim["note"] == "Check the UN figure, too" and claim["annotator"] == "alice"
    assert sum(len(r["relations"]) for r in records) == 4 == result.relations


def test_doccano_offsets_are_utf16_units(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "doccano", tmp_path / "doccano.jsonl")
    assert result.data == tmp_path / "doccano.jsonl" and (tmp_path / "doccano.DATASET.md").exists()
    found: Counter[tuple[str, int, int, str]] = Counter()
    relations = 0
    by_text = {d.text: d.id for d in sample.documents()}
    for line in result.data.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text, document_id = record["text"], by_text[record["text"]]
        assert record["document_id"] == document_id
        units = text.encode("utf-16-le")
        ids = {}
        for entity in record["entities"]:  # relation form: the export has relations
            start, end = entity["start_offset"], entity["end_offset"]
            quote = units[2 * start:2 * end].decode("utf-16-le")
            start = len(units[:2 * start].decode("utf-16-le"))  # back to code points
            assert text[start:start + len(quote)] == quote
            found[(document_id, start, start + len(quote), entity["label"])] += 1
            ids[entity["id"]] = entity
        for relation in record["relations"]:
            assert relation["from_id"] in ids and relation["to_id"] in ids
            relations += 1
    assert found == spans(sample.annotations())
    assert relations == 3 and result.relations == 3  # the relation across documents cannot be written
    assert [d.reason.split(":")[0] for d in result.dropped] == ["relation across documents"]


def read_brat(folder: Path) -> dict[str, dict[str, object]]:
    """A small brat standoff reader, independent of the importer."""
    documents = {}
    for ann in sorted(folder.glob("*.ann")):
        with open(ann.with_suffix(".txt"), encoding="utf-8", newline="") as stream:
            text = stream.read()
        spans_, attributes, relations, notes = {}, [], [], {}
        for line in ann.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"^(T\d+)\t(\S+) (\d+) (\d+)\t(.*)$", line):
                spans_[m[1]] = (int(m[3]), int(m[4]), m[2], m[5])
            elif m := re.match(r"^A\d+\t(\S+) (T\d+)(?: (\S+))?$", line):
                attributes.append((m[2], m[1], m[3]))
            elif m := re.match(r"^R\d+\t(\S+) Arg1:(T\d+) Arg2:(T\d+)$", line):
                relations.append((m[1], m[2], m[3]))
            elif m := re.match(r"^#\d+\tAnnotatorNotes (\S+)\t(.*)$", line):
                notes[m[1]] = m[2]
            else:
                assert line.startswith("N"), line
        documents[ann.stem] = {"text": text, "spans": spans_, "attributes": attributes, "relations": relations,
                               "notes": notes}
    return documents


def test_brat_standoff(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "brat", tmp_path / "brat")
    documents = read_brat(result.data)
    assert len(documents) == 4
    by_text = {d.text: d.id for d in sample.documents()}
    found: Counter[tuple[str, int, int, str]] = Counter()
    for document in documents.values():
        text = document["text"]
        document_id = by_text[text]
        for start, end, label, quote in document["spans"].values():
            assert text[start:end].replace("\n", " ") == quote
            found[(document_id, start, end, label.replace("_", " "))] += 1
        for _, source, target in document["relations"]:
            assert source in document["spans"] and target in document["spans"]
        for target, _, _ in document["attributes"]:
            assert target in document["spans"]
    assert found == spans(sample.annotations())
    english = documents["0001-Ministry-denies-toll"]
    assert ("T4", "qualifier", "at_least") in english["attributes"]  # a space is "_": brat shows it as written
    assert "Check the UN figure, too" in english["notes"].values()
    assert "the ministry itself" in english["notes"].values()  # a note on a relation
    assert sorted(r[0] for r in english["relations"]) == ["attributed-to", "attributed-to", "contradicts"]
    conf = (result.data / "annotation.conf").read_text(encoding="utf-8")
    assert "\nPeace_sign\n" in conf and "<OVERLAP>" in conf and "certainty\tArg:<ENTITY>, Value:" in conf
    assert "Peace_sign | Peace sign" in (result.data / "visual.conf").read_text(encoding="utf-8")


def conll_documents(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> blocks -> (token, tag), read the way CoNLL-2003 readers do."""
    documents: list[list[list[tuple[str, str]]]] = []
    block: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            documents.append([])
        elif not line.strip():
            if block:
                documents[-1].append(block)
            block = []
        else:
            token, tag = line.split(" ")
            block.append((token, tag))
    assert not block
    return documents


def test_conll_iob2_with_seqeval(sample: Project, tmp_path: Path) -> None:
    from seqeval.metrics.sequence_labeling import get_entities

    result = export(sample, "conll", tmp_path / "out")
    documents = conll_documents(result.data)
    originals = list(sample.documents())
    assert len(documents) == len(originals)
    dropped = {d.item_id for d in result.dropped}
    for document, blocks in zip(originals, documents):
        tokens = tokenize(document.text)
        assert [t for block in blocks for t, _ in block] == [document.text[s:e] for s, e in tokens]
        entities, offset = [], 0
        for block in blocks:
            tags = [tag for _, tag in block]
            for i, tag in enumerate(tags):  # strict IOB2: I- only continues the same label
                assert not tag.startswith("I-") or (i and tags[i - 1][2:] == tag[2:] and tags[i - 1] != "O")
            entities += [(label, offset + first, offset + last) for label, first, last in get_entities(tags)]
            offset += len(block)
        kept = [a for a in sample.annotations(document.id) if a.id not in dropped]
        expected = sorted((a.label.replace(" ", "_"), *widened(document.text, a)) for a in kept)
        assert sorted((label, tokens[first][0], tokens[last][1]) for label, first, last in entities) == expected
    # The overlap rule: the longest span wins; duplicates and losers are reported, never cut.
    assert len(dropped) == 9
    reasons = {d.quote: d.reason for d in result.dropped}
    assert reasons["at least 1,200"].startswith("overlap: shares tokens with Claim")
    assert "🕊️" not in reasons  # touches the end, overlaps nothing


def test_spacy_docbin(sample: Project, tmp_path: Path) -> None:
    import spacy  # the `spacy` extra, installed for tests (scripts/bootstrap.sh test)
    from spacy.tokens import DocBin

    result = export(sample, "spacy", tmp_path / "data.spacy")
    nlp = spacy.blank("xx")
    docs = list(DocBin().from_disk(result.data).get_docs(nlp.vocab))
    originals = list(sample.documents())
    assert [doc.text for doc in docs] == [d.text for d in originals]
    for doc, document in zip(docs, originals):
        annotations = {a.id: a for a in sample.annotations(document.id)}
        assert len(doc.spans["sc"]) == len(annotations)  # every span, overlapping or not
        for span in doc.spans["sc"]:
            a = annotations[span.id_]
            assert span.label_ == a.label and (span.start_char, span.end_char) == widened(document.text, a)
            assert span.kb_id_ == (a.entity_id or "")
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        assert all(e1 <= s2 for (_, e1, _), (s2, _, _) in pairwise(ents))  # no overlaps
        assert set(ents) <= {(s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]}
        data = doc.user_data["annotator"]
        assert data["document"]["id"] == document.id
        for item in data["annotations"]:
            assert document.text[item["start"]:item["end"]] == item["quote"] == annotations[item["id"]].quote
    english = docs[0]
    assert [e.label_ for e in english.ents] == ["Claim", "Claim"]
    assert [e.label_ for e in docs[2].ents] == ["Claim", "Figure", "Actor"]
    assert len([d for d in result.dropped if d.reason.startswith("left out of doc.ents")]) == 9


def test_w3c_selectors(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "w3c", tmp_path / "annotations.jsonld")
    data = json.loads(result.data.read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection" and "http://www.w3.org/ns/anno.jsonld" in data["@context"]
    items = data["first"]["items"]
    assert data["total"] == len(items) == 16 + 4
    originals = texts(sample)
    annotations = {a.id: a for a in sample.annotations()}
    for item in items:
        if item["motivation"] == "linking":
            assert all(t.removeprefix("urn:uuid:") in annotations for t in item["target"])
            continue
        a = annotations[item["id"].removeprefix("urn:uuid:")]
        text = originals[item["target"]["annotator:document"].removeprefix("urn:uuid:")]
        assert item["target"]["source"] in (sample.document(a.document_id).url, item["target"]["annotator:document"])
        position, quote = item["target"]["selector"]
        assert position["type"] == "TextPositionSelector" and quote["type"] == "TextQuoteSelector"
        assert text[position["start"]:position["end"]] == quote["exact"] == a.quote
        assert text[:position["start"]].endswith(quote["prefix"]) and text[position["end"]:].startswith(quote["suffix"])
        assert item["creator"]["name"] == a.annotator
        bodies = {b["purpose"]: b["value"] for b in item["body"]}
        assert bodies["tagging"] == a.label
        assert json.loads(bodies.get("describing", "{}")) == a.attributes
        assert bodies.get("commenting") == a.note
    assert sum(1 for i in items if i["motivation"] == "linking") == 4


def unneutralise(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:].lstrip(" ")[:1] in DANGEROUS else cell


def test_csv_rows_and_formula_neutralising(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "csv", tmp_path / "out")
    with result.data.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    originals = texts(sample)
    annotations = {a.id: a for a in sample.annotations()}
    assert len(rows) == len(annotations) == 16
    for row in rows:
        assert all(not cell.startswith(DANGEROUS) or float(cell) for cell in row.values())  # plain numbers stay numbers
        a = annotations[row["annotation_id"]]
        text = originals[row["document_id"]]
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end] == unneutralise(row["quote"]) == a.quote
        assert row["label"] == a.label and row["reviewer"] == a.annotator and row["layer"] == a.layer
    formulas = [row for row in rows if row["document_title"] == "Formulas"]
    assert {row["quote"] for row in formulas} == {"'=SUM(A1)", "'-5%", "'@user"}
    assert {row["outlet"] for row in formulas} == {"'=cmd|' /C calc'!A0"}
    assert {row["value"] for row in formulas} == {"", "-5"}
    assert {row["note"] for row in formulas} == {"", "'=HYPERLINK(\"x\")"}
    claim = next(row for row in rows if row["note"] == "Check the UN figure, too")
    assert claim["certainty"] == "reported"
    assert next(row for row in rows if row["quote"] == "The ministry")["entity"] == "Ministry of Health"
    assert result.data.read_bytes().startswith(b"\xef\xbb\xbf")
