"""Label Studio, INCEpTION (UIMA CAS XMI) and REFI-QDA: each export read with the owner's library or schema, and back.

Label Studio tasks are checked against a JSON Schema of Label Studio's task format (its docs'
"Label Studio JSON format of annotated tasks"; the SDK is too heavy to install for a test), XMI
with dkpro-cassis (the UIMA project's Python CAS), .qdpx against the standard's own XSD
(tests/data/refi_qda/Project-mrt2019.xsd, as QualCoder ships it).
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree
from test_export_sample import build_sample

from annotator import Project
from annotator.cli import cli
from annotator.errors import ImportFileError
from annotator.exporters import export
from annotator.importers import import_format

DATA = Path(__file__).resolve().parent / "data"

REGION = {"type": "object", "required": ["id", "from_name", "to_name", "type", "value"], "properties": {
    "id": {"type": "string"}, "from_name": {"type": "string"}, "to_name": {"type": "string"},
    "type": {"const": "labels"},
    "value": {"type": "object", "required": ["start", "end", "text", "labels"], "properties": {
        "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer"}, "text": {"type": "string"},
        "labels": {"type": "array", "items": {"type": "string"}, "minItems": 1}}},
    "meta": {"type": "object", "properties": {"text": {"type": "array", "items": {"type": "string"}}}}}}
RELATION = {"type": "object", "required": ["from_id", "to_id", "type"], "properties": {
    "from_id": {"type": "string"}, "to_id": {"type": "string"}, "type": {"const": "relation"},
    "direction": {"enum": ["right", "left", "bi"]}, "labels": {"type": "array", "items": {"type": "string"}}}}
TASKS_SCHEMA = {"type": "array", "items": {"type": "object", "required": ["data"], "properties": {
    "id": {"type": "integer"},
    "data": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
    "meta": {"type": "object"},
    "predictions": {"type": "array"},
    "annotations": {"type": "array", "items": {
        "type": "object", "required": ["result"], "properties": {
            "id": {"type": "integer"}, "completed_by": {"type": "integer"}, "ground_truth": {"type": "boolean"},
            "was_cancelled": {"type": "boolean"},
            "result": {"type": "array", "items": {"oneOf": [REGION, RELATION]}}}}}}}}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = build_sample(tmp_path_factory.mktemp("bridges") / "sample.db")
    yield project
    project.close()


def spans(project: Project, gold_reviewer: str | None = None) -> list[tuple[str, int, int, str, str, str]]:
    return sorted((project.document(d.id).sha256, a.start, a.end, a.label,
                   gold_reviewer if gold_reviewer and a.layer == "gold" else a.annotator, a.layer)
                  for d in project.documents() for a in project.annotations(d.id))


def relations(project: Project) -> set[tuple[str, str, str]]:
    quotes = {a.id: a.quote for d in project.documents() for a in project.annotations(d.id)}
    return {(quotes[r.source_id], quotes[r.target_id], r.label) for r in project.relations()}


# Label Studio

def test_labelstudio_tasks_fit_the_task_schema_and_slice_the_text(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "labelstudio", tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    jsonschema.validate(tasks, TASKS_SCHEMA)
    config = etree.fromstring((tmp_path / "ls" / "labeling_config.xml").read_bytes())
    labels_tag, text_tag = config.find("Labels"), config.find("Text")
    configured = {label.get("value") for label in labels_tag}
    checked = 0
    for task in tasks:
        text = task["data"]["text"]
        for annotation in task["annotations"]:
            regions = {r["id"] for r in annotation["result"] if r["type"] == "labels"}
            for r in annotation["result"]:
                if r["type"] == "relation":
                    assert {r["from_id"], r["to_id"]} <= regions  # links regions of its own annotation
                    continue
                assert (r["from_name"], r["to_name"]) == (labels_tag.get("name"), text_tag.get("name"))
                assert text[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]  # code points
                assert set(r["value"]["labels"]) <= configured
                checked += 1
    assert checked == result.annotations == 16
    english = next(t for t in tasks if t["data"].get("title") == "Ministry denies toll")
    gold = [a for a in english["annotations"] if a["ground_truth"]]
    assert len(gold) == 1 and [r["value"]["text"] for r in gold[0]["result"]] == ["🇫🇷."]
    assert {english["meta"]["reviewers"][str(a["completed_by"])] for a in english["annotations"]} == {"alice", "bob"}
    assert any("attributes" in w for w in result.warnings)
    assert len(result.dropped) == 2  # across reviewers; across documents


def test_labelstudio_round_trip(sample: Project, tmp_path: Path) -> None:
    export(sample, "labelstudio", tmp_path / "ls")
    with Project.create(tmp_path / "back.db") as back:
        report = import_format(back, "labelstudio", [tmp_path / "ls"], create_labels=True)
        assert report.annotations == 16 and report.relations == 2
        assert spans(back) == spans(sample)
        assert relations(back) <= relations(sample) and len(relations(back)) == 2
        again = import_format(back, "labelstudio", [tmp_path / "ls" / "tasks.json"])
        assert again.annotations == 0 and again.already_present == 18  # 16 spans and 2 relations


def test_labelstudio_import_of_what_label_studio_writes(tmp_path: Path) -> None:
    text = "🙂 Ministers met in Aleppo."
    tasks = [{"id": 7, "data": {"text": text, "outlet": "Wire"}, "annotations": [
        {"id": 1, "completed_by": {"id": 3, "email": "ann@example.org"}, "ground_truth": True, "result": [
            {"id": "a1", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 2, "end": 11, "text": "Ministers", "labels": ["Actor"]}},
            {"id": "a2", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 19, "end": 25, "text": "Aleppo", "labels": ["Actor"]}},
            {"from_id": "a2", "to_id": "a1", "type": "relation", "direction": "left", "labels": ["attributed-to"]},
            {"from_id": "a1", "to_id": "a2", "type": "relation", "direction": "right"}]},
        {"id": 2, "completed_by": 9, "was_cancelled": True, "result": []}],
        "predictions": [{"model_version": "ner-v2", "result": [
            {"id": "p1", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 19, "end": 25, "labels": ["Actor"]}}]}]}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    with Project.create(tmp_path / "p.db") as project:
        report = import_format(project, "labelstudio", [path])
        assert report.annotations == 3 and report.relations == 1
        document = project.documents()[0]
        assert document.outlet == "Wire"
        found = sorted((a.quote, a.annotator, a.layer) for a in project.annotations(document.id))
        assert found == [("Aleppo", "ann@example.org", "gold"), ("Aleppo", "ner-v2", "reviewer"),
                         ("Ministers", "ann@example.org", "gold")]
        assert relations(project) == {("Ministers", "Aleppo", "attributed-to")}  # "left" turned around


@pytest.mark.parametrize(("content", "message"), [
    ('{"nope": 1}', "not a Label Studio task list"),
    ('[{"data": {"image": "x.png"}}]', "data.text"),
    ('[{"data": {"text": "abc"}, "annotations": [{"result": [{"id": "r", "type": "labels", '
     '"value": {"start": 0, "end": 2, "text": "xy", "labels": ["Actor"]}}]}]}]', "offsets do not match"),
    ('[{"data": {"text": "abc"}, "annotations": [{"result": [{"from_id": "x", "to_id": "y", "type": "relation"}]}]}]',
     "not in its annotation"),
])
def test_labelstudio_bad_files_are_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with Project.create(tmp_path / "p.db") as project, pytest.raises(ImportFileError, match=message) as error:
        import_format(project, "labelstudio", [path])
    assert "\n" not in str(error.value) and "bad.json" in str(error.value)


# INCEpTION / UIMA CAS XMI

def test_xmi_is_what_cassis_reads_with_utf16_offsets_inside(sample: Project, tmp_path: Path) -> None:
    from cassis import load_cas_from_xmi, load_typesystem

    export(sample, "xmi", tmp_path / "x")
    with (tmp_path / "x" / "TypeSystem.xml").open("rb") as stream:
        ts = load_typesystem(stream)
    quotes = {(d.id, a.start, a.end, a.label) for d in sample.documents() for a in sample.annotations(d.id)}
    files = sorted((tmp_path / "x").rglob("*.xmi"))
    assert {f.relative_to(tmp_path / "x").parts[0] for f in files} == {"annotation", "curation"}
    assert {f.name for f in files} == {"alice.xmi", "bob.xmi", "CURATION_USER.xmi"}
    seen = seen_raw = 0
    for file in files:
        with file.open("rb") as stream:
            cas = load_cas_from_xmi(stream, typesystem=ts)
        document_id = next(iter(cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"))).documentId
        text = sample.document_text(document_id)
        assert cas.sofa_string == text
        for entity in cas.select("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"):
            assert (document_id, entity.begin, entity.end, entity.value) in quotes
            assert entity.get_covered_text() == text[entity.begin:entity.end]
            seen += 1
        raw = file.read_text(encoding="utf-8")
        mine = {(s, e) for d, s, e, _label in quotes if d == document_id}
        for begin, end in re.findall(r'NamedEntity[^>]* begin="(\d+)" end="(\d+)"', raw):
            units = text.encode("utf-16-le")[2 * int(begin):2 * int(end)].decode("utf-16-le")
            assert any(units == text[s:e] for s, e in mine)  # Java's UTF-16 offsets in the file
            seen_raw += 1
    assert seen == seen_raw == 16
    flag = next(f for f in files if f.name == "CURATION_USER.xmi" and "Ministry" in str(f))
    assert '"🇫🇷."' not in flag.read_text(encoding="utf-8")  # offsets, not copies of the text
    assert re.search(r'begin="(\d+)"', flag.read_text(encoding="utf-8"))


def test_xmi_round_trip(sample: Project, tmp_path: Path) -> None:
    export(sample, "xmi", tmp_path / "x")
    with Project.create(tmp_path / "back.db") as back:
        report = import_format(back, "xmi", [tmp_path / "x"], create_labels=True)
        assert report.annotations == 16 and report.relations == 2
        assert spans(back) == spans(sample, gold_reviewer="curation")
        assert relations(back) <= relations(sample)


def test_xmi_without_type_system_is_one_line(sample: Project, tmp_path: Path) -> None:
    export(sample, "xmi", tmp_path / "x")
    (tmp_path / "x" / "TypeSystem.xml").unlink()
    with Project.create(tmp_path / "p.db") as project, pytest.raises(ImportFileError, match=r"no TypeSystem\.xml"):
        import_format(project, "xmi", [tmp_path / "x"])
    broken = tmp_path / "x" / "annotation" / "broken.xmi"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text("<xmi:XMI", encoding="utf-8")
    (tmp_path / "x" / "TypeSystem.xml").write_text("not xml", encoding="utf-8")
    with Project.create(tmp_path / "q.db") as project, pytest.raises(ImportFileError) as error:
        import_format(project, "xmi", [broken])
    assert "\n" not in str(error.value)


# REFI-QDA

def test_qdpx_is_valid_against_the_standard_and_slices_the_sources(sample: Project, tmp_path: Path) -> None:
    result = export(sample, "qdpx", tmp_path / "q")
    schema = etree.XMLSchema(etree.parse(str(DATA / "refi_qda" / "Project-mrt2019.xsd")))
    with zipfile.ZipFile(result.data) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        schema.assertValid(root)
        ns = {"q": "urn:QDA-XML:project:1.0"}
        codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", ns)}
        users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", ns)}
        assert set(users.values()) == {"alice", "bob", "gold"}
        found = set()
        for source in root.iterfind(".//q:TextSource", ns):
            text = archive.read(source.get("plainTextPath").replace("internal://", "sources/")).decode("utf-8")
            for selection in source.iterfind("q:PlainTextSelection", ns):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                code = codes[selection.find("q:Coding/q:CodeRef", ns).get("targetGUID")]
                found.add((source.get("guid"), text[start:end], code, users[selection.get("creatingUser")]))
        assert len(root.findall(".//q:Link", ns)) == 4  # the one across documents too
    expected = {(d.id, a.quote, a.label, "gold" if a.layer == "gold" else a.annotator)
                for d in sample.documents() for a in sample.annotations(d.id)}
    assert found == expected and len(found) == 16


def test_qdpx_round_trip_of_the_golden_export(tmp_path: Path) -> None:
    """Our own .qdpx back into a fresh project: the same texts, spans, labels, reviewers and links."""
    golden = tmp_path / "export_golden.db"
    shutil.copyfile(DATA / "export_golden.db", golden)  # opening migrates the file: never the committed one
    with Project.open(golden) as original:
        expected = spans(original, gold_reviewer="gold")
        expected_labels = {(label.name, label.color) for label in original.labels()}
        expected_relations = relations(original)
        titles = sorted(d.title for d in original.documents())
    qdpx = tmp_path / "project.qdpx"
    qdpx.write_bytes((DATA / "export_golden" / "qdpx" / "project.qdpx").read_bytes())
    with Project.create(tmp_path / "fresh.db") as fresh:
        for label in fresh.labels():  # a project with none of the codes yet
            fresh.delete_label(label.id)
        with pytest.raises(ImportFileError, match=r"unknown label"):
            import_format(fresh, "qdpx", [qdpx])
        report = import_format(fresh, "qdpx", [qdpx], create_labels=True)
        assert len(report.added) == 4
        assert spans(fresh) == expected and len(expected) == 16
        assert {(label.name, label.color) for label in fresh.labels()} == expected_labels
        assert set(fresh.annotators()) >= {"alice", "bob"}
        assert relations(fresh) == expected_relations
        assert sorted(d.title for d in fresh.documents()) == titles


def _qdpx(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "hostile.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


QDE = ('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
       '<TextSource guid="s" name="s" plainTextPath="internal://{}"/></Sources></Project>')


@pytest.mark.parametrize(("members", "message"), [
    ({"project.qde": QDE.format("../../etc/passwd").encode()}, r"refused: '.*\.\./etc/passwd' points outside"),
    ({"../evil.txt": b"x", "project.qde": QDE.format("a.txt").encode()}, r"refused: '\.\./evil\.txt' points outside"),
    ({"project.qde": b"<Project"}, r"project\.qde is not well-formed XML"),
    ({"other.txt": b"x"}, r"no project\.qde in the archive"),
    ({"project.qde": QDE.format("missing.txt").encode()}, r"sources/missing\.txt is not in the archive"),
    ({"project.qde": b'<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project xmlns="urn:QDA-XML:project:1.0">'
                     b'<Sources><TextSource name="s"><PlainTextContent>&x;</PlainTextContent></TextSource></Sources>'
                     b'</Project>'}, r"the document has no text"),
])
def test_hostile_qdpx_is_one_line(tmp_path: Path, members: dict[str, bytes], message: str) -> None:
    with Project.create(tmp_path / "p.db") as project, pytest.raises(ImportFileError, match=message) as error:
        import_format(project, "qdpx", [_qdpx(tmp_path, members)], create_labels=True)
    assert "\n" not in str(error.value) and "hostile.qdpx" in str(error.value)


def test_qdpx_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sources/a.txt", b"0" * (11 * 2**20))
    with Project.create(tmp_path / "p.db") as project, pytest.raises(ImportFileError, match=r"zip bomb"):
        import_format(project, "qdpx", [path])


# CLI and the Export dialog's list

def test_cli_exports_and_imports_the_bridges(sample: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("labelstudio", "xmi", "qdpx"):
        result = runner.invoke(cli, ["export", str(sample.path), "--format", name, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    target = tmp_path / "new.db"
    assert runner.invoke(cli, ["init", str(target)]).exit_code == 0
    for name, path in (("labelstudio", tmp_path / "labelstudio"), ("xmi", tmp_path / "xmi")):
        result = runner.invoke(cli, ["import", str(target), str(path), "--format", name, "--create-labels"])
        assert result.exit_code == 0, result.output
    with Project.open(target) as project:
        assert len(project.documents()) == 4


def test_export_dialog_offers_the_bridges() -> None:
    from annotator.exporters import FORMATS

    assert {"labelstudio", "xmi", "qdpx"} <= set(FORMATS)
