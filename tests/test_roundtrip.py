"""Export -> import -> compare, for the formats that can be imported (jsonl, doccano, brat, w3c),
and the checks an import makes before it writes anything."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_export_sample import build_sample

from annotator import Project
from annotator.errors import ImportFileError
from annotator.exporters import Filters, export
from annotator.importers import import_format


def with_peace_sign(project: Project) -> Project:
    """The sample's extra label, defined as in the sample (as a team would set up its schema first)."""
    project.add_label("Peace sign", color="#10B981", description="A symbol of peace in the text.",
                      attributes=[{"name": "decorative", "type": "boolean", "description": "Only decoration?"}])
    return project


def by_text(project: Project) -> dict[str, list[tuple[int, int, str, str, dict, str | None]]]:
    """Each document's spans as (start, end, label, quote, attributes, note), keyed by text."""
    return {d.text: sorted((a.start, a.end, a.label, a.quote, a.attributes, a.note) for a in project.annotations(d.id))
            for d in project.documents()}


def relation_quotes(project: Project, within_documents: bool = False) -> list[tuple[str, str, str]]:
    found = []
    for r in project.relations():
        source, target = project.annotation(r.source_id), project.annotation(r.target_id)
        if not within_documents or source.document_id == target.document_id:
            found.append((r.label, source.quote, target.quote))
    return sorted(found)


def test_jsonl_export_import_export_is_byte_identical(sample: Project, fresh: Project, tmp_path: Path) -> None:
    first = export(sample, "jsonl", tmp_path / "one" / "one.jsonl")
    with pytest.raises(ImportFileError, match=r"one.jsonl, line 1: unknown label 'Peace sign'"):
        import_format(fresh, "jsonl", [first.data])
    report = import_format(fresh, "jsonl", [first.data], create_labels=True)
    assert (len(report.added), report.annotations, report.relations, report.entities) == (4, 16, 4, 1)
    assert report.labels_created == ["Peace sign"]
    assert fresh.label("Peace sign").attributes[0]["type"] == "boolean"  # the definition travels with the data
    second = export(fresh, "jsonl", tmp_path / "two" / "two.jsonl")
    assert second.data.read_bytes() == first.data.read_bytes()
    assert (tmp_path / "two" / "two.DATASET.md").exists()
    # Importing again adds nothing, and says so.
    again = import_format(fresh, "jsonl", [first.data])
    assert not again.added and again.annotations == 0 and len(again.skipped) == 4 and again.already_present == 20


def test_jsonl_import_is_one_undo_step(sample: Project, fresh: Project, tmp_path: Path) -> None:
    data = export(sample, "jsonl", tmp_path / "out").data
    import_format(with_peace_sign(fresh), "jsonl", [data])
    assert fresh.stats()["annotations"] == 16
    fresh.undo()
    assert fresh.stats()["documents"] == 0 and fresh.stats()["annotations"] == 0 and not fresh.relations()


def test_doccano_round_trip(sample: Project, fresh: Project, tmp_path: Path) -> None:
    first = export(sample, "doccano", tmp_path / "one")
    report = import_format(with_peace_sign(fresh), "doccano", [first.data], annotator="carol")
    assert (len(report.added), report.annotations, report.relations) == (4, 16, 3)
    assert {k: [s[:4] for s in v] for k, v in by_text(fresh).items()} == \
        {k: [s[:4] for s in v] for k, v in by_text(sample).items()}
    assert relation_quotes(fresh) == relation_quotes(sample, within_documents=True)
    assert fresh.annotators() == ["carol"]
    english = fresh.documents()[0]
    assert (english.title, english.outlet, english.url) == ("Ministry denies toll", "Daily Wire", "https://example.org/toll")
    second = export(fresh, "doccano", tmp_path / "two")

    def without_ids(path: Path) -> list[dict]:
        return [{k: v for k, v in json.loads(line).items() if k != "document_id"} for line in path.read_text().splitlines()]

    assert without_ids(second.data) == without_ids(first.data)


def test_brat_round_trip(sample: Project, fresh: Project, tmp_path: Path) -> None:
    first = export(sample, "brat", tmp_path / "one")
    report = import_format(with_peace_sign(fresh), "brat", [first.data])
    assert (len(report.added), report.annotations, report.relations, report.entities) == (4, 16, 3, 1)
    assert by_text(fresh) == by_text(sample)  # spans, labels, typed attributes (numbers, booleans) and notes
    assert relation_quotes(fresh) == relation_quotes(sample, within_documents=True)
    assert {r.note for r in fresh.relations()} == {None, "the ministry itself"}
    linked = [a for a in fresh.annotations() if a.entity_id]
    assert [(a.quote, fresh.entity(a.entity_id).name) for a in linked] == [("The ministry", "Ministry of Health")]
    assert [(d.title, d.outlet, d.status) for d in fresh.documents()] == \
        [(d.title, d.outlet, d.status) for d in sample.documents()]
    second = export(fresh, "brat", tmp_path / "two")
    for ann in first.data.glob("*.ann"):
        assert (second.data / ann.name).read_bytes() == ann.read_bytes()
        assert (second.data / ann.with_suffix(".txt").name).read_bytes() == ann.with_suffix(".txt").read_bytes()


def test_brat_label_names_come_back_from_visual_conf(sample: Project, fresh: Project, tmp_path: Path) -> None:
    data = export(sample, "brat", tmp_path / "out").data
    report = import_format(fresh, "brat", [data], create_labels=True)
    assert report.labels_created == ["Peace sign"]  # not "Peace_sign": visual.conf has the real name
    assert fresh.label("Peace sign").color == "#10B981"


def test_w3c_attaches_to_documents_found_by_text_hash(sample: Project, tmp_path: Path) -> None:
    data = export(sample, "w3c", tmp_path / "out").data
    other = with_peace_sign(Project.create(tmp_path / "other.db"))
    for document in sample.documents():  # the same texts (and article URLs), other ids
        other.add_document(document.text, title=document.title, url=document.url)
    report = import_format(other, "w3c", [data])
    assert (report.added, report.annotations, report.attached, report.relations) == ([], 16, 16, 4)
    assert by_text(other) == by_text(sample)
    assert relation_quotes(other) == relation_quotes(sample)
    assert sorted((a.id, a.annotator, a.layer, a.created_at) for a in other.annotations()) == \
        sorted((a.id, a.annotator, a.layer, a.created_at) for a in sample.annotations())
    second = export(other, "w3c", tmp_path / "two")
    first_items = data.read_text(encoding="utf-8").split("\n")[1:]
    second_items = second.data.read_text(encoding="utf-8").split("\n")[1:]
    documents = {d.text: d.id for d in other.documents()}
    for d in sample.documents():  # same bytes once document ids are swapped for the other project's
        first_items = [line.replace(d.id, documents[d.text]) for line in first_items]
    assert sorted(second_items) == sorted(first_items)
    other.close()


def test_w3c_attaches_to_documents_found_by_id(tmp_path: Path) -> None:
    with build_sample(tmp_path / "original.db") as original:
        data = export(original, "w3c", tmp_path / "out").data
    collection = json.loads(data.read_text(encoding="utf-8"))
    for item in collection["first"]["items"]:
        if isinstance(item["target"], dict):
            del item["target"]["annotator:sha256"]  # only the urn:uuid: source is left to go by
    data.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    shutil.copy(tmp_path / "original.db", tmp_path / "copy.db")
    with Project.open(tmp_path / "copy.db") as copy:
        for annotation in copy.annotations():
            copy.delete_annotation(annotation.id)
        report = import_format(copy, "w3c", [data])
        assert report.annotations == 16 and report.relations == 4


def test_w3c_quote_only_selector_is_anchored(sample: Project, tmp_path: Path) -> None:
    document = sample.documents()[0]
    item = {"type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "Actor"},
            "creator": "dana", "target": {"source": f"urn:uuid:{document.id}", "selector": {
                "type": "TextQuoteSelector", "exact": "ministry", "prefix": "The ", "suffix": " denied"}}}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(item), encoding="utf-8")
    import_format(sample, "w3c", [path])
    added = sample.annotations(document.id, annotator="dana")
    assert [(a.quote, document.text[a.start - 4:a.start]) for a in added] == [("ministry", "The ")]


# -- imports check everything before writing ---------------------------------------------------


def unchanged(project: Project, before: dict) -> bool:
    return project.stats() == before


def test_malformed_line_names_file_and_line(sample: Project, fresh: Project, tmp_path: Path) -> None:
    data = export(sample, "jsonl", tmp_path / "out").data
    lines = data.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2][:-5]
    data.write_text("\n".join(lines), encoding="utf-8")
    before = fresh.stats()
    with pytest.raises(ImportFileError, match=r"dataset.jsonl, line 3: not valid JSON"):
        import_format(fresh, "jsonl", [data], create_labels=True)
    assert unchanged(fresh, before) and fresh.labels()[-1].name == "Figure"


def test_offsets_that_do_not_match_the_text(sample: Project, fresh: Project, tmp_path: Path) -> None:
    data = export(sample, "brat", tmp_path / "out").data
    ann = data / "0002-مقتل-مدنيين-في-حلب.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("T2\tActor 4 11", "T2\tActor 5 12"), encoding="utf-8")
    before = fresh.stats()
    with pytest.raises(ImportFileError, match=r"0002-.*\.ann, line 3: offsets do not match the text: 5–12"):
        import_format(with_peace_sign(fresh), "brat", [data])
    assert fresh.stats()["documents"] == before["documents"] == 0


def test_doccano_unknown_label_and_create_labels(fresh: Project, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [{"text": "Rain in Spain 🌧 falls.", "label": [[0, 4, "Weather"]]},
             {"text": "Officials 😀 said\r\nno.", "label": [[0, 9, "Actor"], [13, 17, "Claim"], [19, 21, "Claim"]]}]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"in.jsonl, line 1: unknown label 'Weather'"):
        import_format(fresh, "doccano", [path])
    assert fresh.stats()["documents"] == 0
    report = import_format(fresh, "doccano", [path], create_labels=True)
    assert report.labels_created == ["Weather"] and report.annotations == 4
    crlf = fresh.documents()[1]
    assert crlf.text == "Officials 😀 said\nno."  # CRLF normalised; UTF-16 offsets moved onto code points
    assert [a.quote for a in fresh.annotations(crlf.id)] == ["Officials", "said", "no"]


def test_doccano_offset_inside_an_emoji_is_an_error(fresh: Project, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "a😀b", "label": [[2, 4, "Claim"]]}), encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"line 1: span \[2, 4\] \(Claim\) splits a character"):
        import_format(fresh, "doccano", [path])


def test_brat_reads_crlf_text_files(fresh: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Line one 🙂\r\nThe army said so.".encode())
    (tmp_path / "a.ann").write_text("T1\tActor 12 20\tThe army\nA1\ttype T1 armed%20group\n", encoding="utf-8")
    import_format(fresh, "brat", [tmp_path])
    (a,) = fresh.annotations()
    assert (a.quote, a.attributes) == ("The army", {"type": "armed group"})


def test_w3c_for_a_document_not_in_the_project(sample: Project, fresh: Project, tmp_path: Path) -> None:
    data = export(sample, "w3c", tmp_path / "out").data
    with pytest.raises(ImportFileError, match=r"annotations.jsonld, line 2: no document in the project with id"):
        import_format(fresh, "w3c", [data])


def test_unknown_import_format(fresh: Project, tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"cannot import format 'conll'"):
        import_format(fresh, "conll", [tmp_path])


def test_jsonl_attaches_to_documents_already_there(sample: Project, fresh: Project, tmp_path: Path) -> None:
    data = export(sample, "jsonl", tmp_path / "out", Filters(annotators=["bob"])).data
    for document in sample.documents():  # the same texts, other ids: a second reviewer's project
        fresh.add_document(document.text, title=document.title)
    report = import_format(with_peace_sign(fresh), "jsonl", [data])
    assert (report.added, len(report.skipped), report.annotations, report.attached) == ([], 4, 8, 8)
    assert sorted(a.id for a in fresh.annotations()) == sorted(a.id for a in sample.annotations(annotator="bob"))


def test_edited_text_is_caught_by_its_hash(sample: Project, fresh: Project, tmp_path: Path) -> None:
    data = export(sample, "jsonl", tmp_path / "out").data
    data.write_text(data.read_text(encoding="utf-8").replace("Officials said", "Officials say"), encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"line 1: the text does not match its sha256"):
        import_format(with_peace_sign(fresh), "jsonl", [data])
    assert fresh.stats()["documents"] == 0
