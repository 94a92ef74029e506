"""brat standoff as other tools read it: bratly, brat's own line rules, and brat files with events.

The line rules below restate what brat's ``server/src/annotation.py`` (nlplab/brat) accepts for each
kind of line, so a change that brat would refuse fails here even without brat installed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run

from annotator import Project
from annotator.errors import ImportFileError
from annotator.exporters import export
from annotator.exporters.brat import encode_value, entity_ref
from annotator.importers import import_format, read_paths
from annotator.importers.brat import decode_value, entity_id

bratly_io = pytest.importorskip("bratly.io.file_read_src")
bratly = pytest.importorskip("bratly")


def brat_accepts(line: str) -> str:
    """The kind of annotation brat reads from ``line``, or an AssertionError saying why it would refuse it."""
    ident, sep, tail = line.partition("\t")
    assert sep, f"no tab after the id: {line!r}"
    assert re.match(r"^(?:[A-Za-z]+|#[A-Za-z]*)\d+", ident), f"id brat cannot split into prefix and number: {line!r}"
    data = tail.partition("\t")[0]
    kind = ident[0]
    if kind == "T":
        spans = data.partition(" ")[2]
        for span in spans.split(";"):
            start, end = span.split(" ")
            assert int(start) <= int(end) and not any(c.isspace() for c in end), line
    elif kind in "AM":
        # type, target, optional value: each one or more characters between single spaces
        assert re.fullmatch(r"(\S+) ([A-Z]\d+)(?: (\S+))?", data), f"attribute brat cannot read: {line!r}"
    elif kind == "R":
        _, *args = data.split(" ")
        roles = [a.split(":") for a in args]
        assert len(roles) == 2 and all(len(r) == 2 for r in roles) and roles[0][0] != roles[1][0], line
    elif kind == "N":
        assert re.fullmatch(r"(\S+) (\S+) (\S+?):(\S+)", data), f"normalisation brat cannot read: {line!r}"
    elif kind == "#":
        assert len(data.split()) == 2, line
    else:
        raise AssertionError(f"a line kind brat does not read: {line!r}")
    return kind


def test_every_exported_line_follows_brats_rules(sample: Project, tmp_path: Path) -> None:
    folder = export(sample, "brat", tmp_path / "brat").data
    kinds: Counter[str] = Counter()
    for ann in folder.glob("*.ann"):
        for line in ann.read_text(encoding="utf-8").splitlines():
            kinds[brat_accepts(line)] += 1
    assert kinds["T"] == 16 and kinds["N"] == 1 and kinds["R"] == 3 and kinds["A"] > 0 and kinds["#"] > 0


def test_bratly_reads_the_whole_export(sample: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = export(sample, "brat", tmp_path / "brat").data
    for ann in folder.glob("*.ann"):  # bratly's grammar check raises on the first line it cannot read
        bratly_io.parse_and_fix_ann_grammar(ann.read_text(encoding="utf-8"))
    collection = bratly_io.read_document_collection_from_folder(str(folder))
    assert collection is not None and len(collection.documents) == 4
    assert "Error" not in capsys.readouterr().out
    found: Counter[str] = Counter()
    for document in collection.documents:
        for collected in document.annotation_collections:
            found.update(type(a).__name__ for a in collected.annotations)
            for a in collected.get_annotations(descendant_type=bratly.NormalizationAnnotation):
                ministry = next(e for e in sample.entities() if e.name == "Ministry of Health")
                assert a.external_resource == ("Annotator", ministry.id.replace("-", ""))
                assert a.content == "Ministry of Health"
            values = {a.label: a.values for a in collected.get_annotations(descendant_type=bratly.AttributeAnnotation)}
            if "qualifier" in values:
                assert values["qualifier"] == ["at_least"]
    assert found["EntityAnnotation"] == 16 and found["NormalizationAnnotation"] == 1
    assert found["RelationAnnotation"] == 3 and found["AttributeAnnotation"] > 0


@pytest.mark.parametrize("value", ["at least", "snake_case", "50%", "a|b, c", "tab\there", "line\nbreak",
                                   "émigré 🙂 حلب", "no\u00a0break", "%5F", "_ _", "plain"])
def test_attribute_values_are_one_brat_token_and_come_back(value: str) -> None:
    token = encode_value(value)
    assert token is not None and not re.search(r"\s|[|,]", token)
    assert decode_value(token) == value


def test_values_show_as_written() -> None:
    assert encode_value("at least") == "at_least" and encode_value("émigré 🙂") == "émigré_🙂"
    assert encode_value("snake_case") == "snake%5Fcase" and encode_value(True) == "true"


def test_entity_ids_without_hyphens_come_back() -> None:
    uuid_ = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
    assert entity_ref(uuid_) == "0f1e2d3c4b5a49788695a4b3c2d1e0f9" and entity_id(entity_ref(uuid_)) == uuid_
    assert entity_ref("not-a-uuid") == "not-a-uuid" == entity_id("not-a-uuid")


def test_round_trip_keeps_values_and_entity_links(sample: Project, fresh: Project, tmp_path: Path) -> None:
    folder = export(sample, "brat", tmp_path / "brat").data
    import_format(fresh, "brat", [folder], create_labels=True)
    before = sorted((a.quote, sorted(a.attributes.items(), key=str), a.entity_id) for a in sample.annotations())
    after = sorted((a.quote, sorted(a.attributes.items(), key=str), a.entity_id) for a in fresh.annotations())
    assert [(q, e) for q, _, e in after] == [(q, e) for q, _, e in before]
    qualifiers = [dict(attrs).get("qualifier") for _, attrs, _ in after]
    assert "at least" in qualifiers


EVENTS = """T1\tActor 0 8\tThe army
T2\tAttack 9 16\tshelled
T3\tPlace 17 21\tHoms
T4\tClaim 26 32\tdenied
E1\tAttack:T2 Agent:T1 Place:T3
E2\tDenial:T4 Theme:E1 Agent2:T1
A1\tNegated E2
#1\tAnnotatorNotes E1\tfrom the wire
"""
TEXT = "The army shelled Homs; it denied it."


def event_folder(tmp_path: Path, extra: str = "") -> Path:
    folder = tmp_path / "events"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "a.ann").write_text(EVENTS + extra, encoding="utf-8")
    return folder


def test_events_become_a_trigger_span_and_one_relation_per_role(fresh: Project, tmp_path: Path) -> None:
    report = import_format(fresh, "brat", [event_folder(tmp_path)], create_labels=True)
    assert report.annotations == 4
    spans = {a.id: a for a in fresh.annotations()}
    relations = sorted((r.label, spans[r.source_id].quote, spans[r.target_id].quote) for r in fresh.relations())
    assert relations == [("Agent", "denied", "The army"), ("Agent", "shelled", "The army"),
                         ("Place", "shelled", "Homs"), ("Theme", "denied", "shelled")]
    by_quote = {a.quote: a for a in spans.values()}
    assert by_quote["denied"].attributes == {"Negated": True} and by_quote["shelled"].note == "from the wire"


def test_unsupported_lines_stop_the_import_naming_file_and_line(fresh: Project, tmp_path: Path) -> None:
    folder = event_folder(tmp_path, "*\tEquiv T1 T3\nT5\tPlace 17 19;20 21\tHo s\nA2\tNegated T5\n")
    with pytest.raises(ImportFileError, match=r"a\.ann, line 9: brat equivalences \(\* lines\) are not supported"):
        import_format(fresh, "brat", [folder], create_labels=True)
    assert fresh.stats()["annotations"] == 0


def test_skip_bad_leaves_out_unsupported_lines_and_lists_them(fresh: Project, tmp_path: Path) -> None:
    folder = event_folder(tmp_path, "*\tEquiv T1 T3\nT5\tPlace 17 19;20 21\tHo s\nA2\tNegated T5\n")
    pending, problems = read_paths([folder], skip_bad=True, fmt="brat")
    assert [(p.line, p.problem.split(":")[0]) for p in problems] == [
        (9, "brat equivalences (* lines) are not supported"), (10, "T5 is a discontinuous span (Place 17 19;20 21)"),
        (11, "attribute on T5")]
    fresh.import_documents(pending, create_labels=True)
    assert fresh.stats()["annotations"] == 4 and len(fresh.relations()) == 4


def test_cli_skip_bad_with_brat(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    ok("init", db)
    folder = event_folder(tmp_path, "*\tEquiv T1 T3\n")
    error = one_line_error(run("import", db, folder, "--format", "brat", "--create-labels"))
    assert "a.ann, line 9: brat equivalences" in error
    result = ok("import", db, folder, "--format", "brat", "--create-labels", "--skip-bad")
    assert "a.ann, line 9: brat equivalences (* lines) are not supported" in result.stderr
    assert "Skipped" in result.stderr
    error = one_line_error(run("import", db, folder, "--format", "w3c", "--skip-bad"))
    assert "--skip-bad does not apply to --format w3c" in error
