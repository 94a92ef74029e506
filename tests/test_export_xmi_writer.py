"""The xmi exporter writes its XMI as text: it must be byte for byte what dkpro-cassis wrote, and load in cassis.

The old writer (cassis objects and ``Cas.to_xmi``) is kept here as the oracle and run on the same
documents: random texts with astral characters, newlines, quotes and markup characters, overlapping
spans of several reviewers and the gold layer, relations within and across reviewers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.errors import AnnotatorError
from annotator.exporters import inception_xmi, xmi_text
from annotator.exporters.brat import stem
from annotator.exporters.common import Dropped, ExportAnnotation, ExportDocument, ExportJob, utf16_offsets
from annotator.models import Document, Relation

cassis = pytest.importorskip("cassis")
lxml_etree = pytest.importorskip("lxml.etree")


@dataclass
class FakeJob:
    """What ``inception_xmi.write`` uses of an ``ExportJob``."""

    items: list[ExportDocument]
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counted: bool = True

    def documents(self) -> list[ExportDocument]:
        return self.items

    @property
    def selection(self) -> SimpleNamespace:
        """What the writer asks of ``ExportJob.selection``: few annotations, so no second process."""
        return SimpleNamespace(total=sum(len(item.annotations) for item in self.items))

    def document_rows(self, columns: Sequence[str]) -> Iterator[tuple[Document, list[tuple[Any, ...]], list[Relation]]]:
        """``ExportJob.document_rows``, the label's name standing for its id (``label_name`` gives it back)."""
        def column(a: ExportAnnotation, name: str) -> Any:
            return {"attributes": json.dumps(a.attributes), "label_id": a.label}.get(name, getattr(a, name))

        for item in self.items:
            yield item.document, [(a.document_id, *(column(a, c) for c in columns)) for a in item.annotations], item.relations

    @staticmethod
    def label_name(label_id: str) -> str:
        return label_id

    parse_attributes = staticmethod(ExportJob.parse_attributes)
    count_attributes = ExportJob.count_attributes

    def left_out(self) -> tuple[int, int] | None:
        """``ExportJob.left_out``: the annotations with attributes and with a note; ``None`` (``counted`` off) makes
        the writer read both columns and count per row, as it does when some attributes value does not parse."""
        if not self.counted:
            return None
        annotations = [a for item in self.items for a in item.annotations]
        return sum(1 for a in annotations if a.attributes), sum(1 for a in annotations if a.note)

    def drop(self, document_id: str, item: Relation, reason: str) -> None:
        self.dropped.append(Dropped(document_id, item.id, item.label, "", reason))

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def cassis_write(job: FakeJob, folder: Path) -> None:
    """The exporter as it was, with cassis (the oracle)."""
    ts = inception_xmi.typesystem()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / inception_xmi.TYPESYSTEM).write_text(ts.to_xml(), encoding="utf-8", newline="\n")
    entity_type, relation_type = ts.get_type(inception_xmi.NAMED_ENTITY), ts.get_type(inception_xmi.RELATION)
    metadata_type = ts.get_type(inception_xmi.METADATA)
    for number, item in enumerate(job.documents(), start=1):
        document = item.document
        name = stem(number, document.title, document.id) + ".txt"
        (folder / "source").mkdir(exist_ok=True)
        (folder / "source" / name).write_text(document.text, encoding="utf-8", newline="")
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for a in item.annotations:
            key = ((inception_xmi.CURATION_USER, "curation") if a.layer == "gold"
                   else (inception_xmi.safe_user(a.annotator), "annotation"))
            groups[key].append(a)
        placed: dict[str, tuple[tuple[str, str], Any]] = {}
        cases: dict[tuple[str, str], Any] = {}
        for key, spans in groups.items():
            cas = cases[key] = cassis.Cas(typesystem=ts)
            cas.sofa_string = document.text
            if document.language:
                cas.document_language = document.language
            cas.add(metadata_type(begin=0, end=len(document.text), documentTitle=name, documentId=document.id,
                                  language=document.language or "x-unspecified"))
            for a in spans:
                entity = entity_type(begin=a.start, end=a.end, value=a.label)
                cas.add(entity)
                placed[a.id] = (key, entity)
        for r in item.relations:
            source_key, governor = placed.get(r.source_id, (None, None))
            target_key, dependent = placed.get(r.target_id, (None, None))
            if source_key is None or governor is None or dependent is None or source_key != target_key:
                job.drop(document.id, r, "relation between spans of different reviewers, layers or documents: "
                         "a CAS holds one user's annotations of one document")
                continue
            cases[source_key].add(relation_type(begin=dependent.begin, end=dependent.end, Governor=governor,
                                                Dependent=dependent, label=r.label))
        for (user, area), cas in sorted(cases.items()):
            target = folder / area / name
            target.mkdir(parents=True, exist_ok=True)
            (target / f"{user}.xmi").write_text(cas.to_xmi(), encoding="utf-8", newline="\n")


def files(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


CHARACTERS = st.sampled_from([*"ab cd\n\r\t&<>\"'=é", "👨‍👩‍👧", "🇫🇷", "قال", "\u2028", "\x85", "\ufffd", "𝄞"])
TEXTS = st.lists(CHARACTERS, min_size=1, max_size=40).map("".join)
NAMES = st.sampled_from(["alice", "bob", "c d/é", "c_d_é", "a&b<\"", ""])
"""``c d/é`` and ``c_d_é`` are one file name: their spans share a CAS, interleaved in text order."""
LABELS = st.sampled_from(["Claim", "Figure", "Actor & co", 'say "x"<y>', "Ünïcode\ttab"])


@st.composite
def documents(draw: st.DrawFn, number: int) -> ExportDocument:
    text = draw(TEXTS)
    language = draw(st.sampled_from([None, "", "en", "ar", 'x"&']))
    title = draw(st.sampled_from(["Report", "مقتل مدنيين", "", "A <b> & \"c\""]))
    document = Document(id=f"doc-{number}-{draw(st.sampled_from(['x', '&<']))}", title=title, text=text, sha256="",
                        language=language)
    annotations = []
    for index in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        annotations.append(ExportAnnotation(
            f"a{number}-{index}", document.id, start, end, draw(LABELS), "label-id", text[start:end], "", "",
            draw(NAMES), draw(st.sampled_from(["reviewer", "reviewer", "gold"])), None,
            draw(st.sampled_from([{}, {"certainty": "reported"}])), draw(st.sampled_from([None, "checked"])), "", ""))
    annotations.sort(key=lambda a: (a.start, a.end, a.id))
    relations = []
    ids = [a.id for a in annotations] + ["elsewhere"]
    for index in range(draw(st.integers(0, 4)) if annotations else 0):
        relations.append(Relation(f"r{number}-{index}", draw(st.sampled_from(ids[:-1])), draw(st.sampled_from(ids)),
                                  draw(st.sampled_from(["attributed-to", "a&b \"<c>\""])), "alice"))
    return ExportDocument(document, annotations, relations)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 3).flatmap(lambda n: st.tuples(*(documents(i) for i in range(1, n + 1)))))
def test_the_text_writer_writes_what_cassis_wrote(tmp_path_factory: pytest.TempPathFactory,
                                                   items: tuple[ExportDocument, ...]) -> None:
    ours, theirs = FakeJob(list(items)), FakeJob(list(items))
    folder = tmp_path_factory.mktemp("xmi")
    inception_xmi.write(ours, folder / "ours")  # type: ignore[arg-type]
    cassis_write(theirs, folder / "cassis")
    assert files(folder / "ours") == files(folder / "cassis")
    assert ours.dropped == theirs.dropped
    ts = cassis.load_typesystem((folder / "ours" / inception_xmi.TYPESYSTEM).read_text(encoding="utf-8"))
    for item in items:
        spans = sorted((a.start, a.end, a.label) for a in item.annotations)
        loaded = []
        for path in (folder / "ours").glob(f"*/*/{'*'}.xmi"):
            cas = cassis.load_cas_from_xmi(path.read_text(encoding="utf-8"), typesystem=ts)
            if cas.get_view("_InitialView").select(inception_xmi.METADATA)[0].documentId != item.document.id:
                continue
            assert cas.sofa_string == item.document.text
            loaded += [(e.begin, e.end, e.value) for e in cas.select(inception_xmi.NAMED_ENTITY)]
        assert sorted(loaded) == spans


@given(TEXTS)
def test_utf16_offsets_are_commons(text: str) -> None:
    ours, theirs = inception_xmi._utf16(text), utf16_offsets(text)
    assert [ours(i) for i in range(len(text) + 1)] == [theirs(i) for i in range(len(text) + 1)]


def test_the_type_system_is_what_cassis_writes() -> None:
    assert inception_xmi.typesystem_xml() == inception_xmi.typesystem().to_xml()


def test_attribute_escaping_is_libxml2s_for_every_character() -> None:
    element = lxml_etree.Element("a")
    valid = [chr(c) for c in range(0x110000)
             if not xmi_text._NOT_XML.match(chr(c))]
    for start in range(0, len(valid), 8192):
        chunk = "".join(valid[start:start + 8192])
        element.attrib["v"] = chunk
        written = lxml_etree.tostring(element, encoding="UTF-8").decode("utf-8")
        assert written == f'<a v="{xmi_text._escaped(chunk)}"/>'


def test_a_character_xml_cannot_carry_is_one_clear_error(tmp_path: Path) -> None:
    document = Document(id="doc-1", title="Bad", text="a\x0bb", sha256="")
    annotation = ExportAnnotation("a1", "doc-1", 0, 1, "Claim", "l", "a", "", "", "alice", "reviewer", None, {}, None,
                                  "", "")
    with pytest.raises(AnnotatorError, match=r"doc-1.*U\+000B.*XML 1\.0"):
        inception_xmi.write(FakeJob([ExportDocument(document, [annotation], [])]), tmp_path / "x")  # type: ignore[arg-type]


def test_the_first_character_xml_cannot_carry_is_the_one_named(tmp_path: Path) -> None:
    """The label's comes before the text's in the XMI (the sofa is written last), and the error names it."""
    document = Document(id="doc-1", title="Bad", text="a\x0bb", sha256="")
    annotation = ExportAnnotation("a1", "doc-1", 0, 1, "Cl\x01aim", "l", "a", "", "", "alice", "reviewer", None, {},
                                  None, "", "")
    with pytest.raises(AnnotatorError, match=r"U\+0001"):
        inception_xmi.write(FakeJob([ExportDocument(document, [annotation], [])]), tmp_path / "x")  # type: ignore[arg-type]


@pytest.mark.parametrize(("where", "expected"), [("relation", "U+0002"), ("document id", "U+0003"), ("language", "U+0004"),
                                                 ("nowhere", None)])
def test_elements_are_searched_when_a_relation_or_metadata_holds_what_xml_cannot_carry(
        tmp_path: Path, where: str, expected: str | None) -> None:
    """Only label values, metadata and relation labels can bring such a character into the elements, so only
    then are they searched: each of them is still named, before the text's (U+000B here)."""
    document = Document(id="doc\x03" if where == "document id" else "doc-1", title="Bad", text="ab\x0b",
                        sha256="", language="e\x04n" if where == "language" else "en")
    annotations = [ExportAnnotation(f"a{i}", document.id, i, i + 1, "Claim", "Claim", "a", "", "", "alice", "reviewer",
                                    None, {}, None, "", "") for i in range(2)]
    relation = Relation("r1", "a0", "a1", "sup\x02ports" if where == "relation" else "supports", "alice")
    job = FakeJob([ExportDocument(document, annotations, [relation])])
    with pytest.raises(AnnotatorError, match=rf"U\+{(expected or 'U+000B')[2:]}"):
        inception_xmi.write(job, tmp_path / "x")  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(*(documents(i) for i in range(1, n + 1)))))
def test_counting_in_sql_writes_what_counting_per_row_wrote(tmp_path_factory: pytest.TempPathFactory,
                                                            items: tuple[ExportDocument, ...]) -> None:
    """The lean read (attributes and notes counted by ``left_out``) and the per-row count write the same files,
    drop the same relations and give the same warning."""
    lean, per_row = FakeJob(list(items)), FakeJob(list(items), counted=False)
    folder = tmp_path_factory.mktemp("xmi")
    inception_xmi.write(lean, folder / "lean")  # type: ignore[arg-type]
    inception_xmi.write(per_row, folder / "per-row")  # type: ignore[arg-type]
    assert files(folder / "lean") == files(folder / "per-row")
    assert (lean.dropped, lean.warnings) == (per_row.dropped, per_row.warnings)
    annotations = [a for item in items for a in item.annotations]
    attributed, noted = sum(1 for a in annotations if a.attributes), sum(1 for a in annotations if a.note)
    assert lean.warnings == ([f"the xmi export writes labels only: left out the attributes of {attributed} and the "
                              f"notes of {noted} annotations"] if attributed or noted else [])


def test_documents_go_to_the_writer_threads_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document's files are written, also the last batch's (one short of ``WRITE_BATCH``)."""
    monkeypatch.setattr(xmi_text, "WRITE_BATCH", 3)
    items = []
    for number in range(1, 9):
        document = Document(id=f"doc-{number}", title=f"T{number}", text="abc 👨‍👩‍👧 def", sha256="")
        annotations = [ExportAnnotation(f"a{number}", document.id, 0, 3, "Claim", "Claim", "abc", "", "", "alice",
                                        "reviewer", None, {}, None, "", "")] if number % 3 else []
        items.append(ExportDocument(document, annotations, []))
    batched, whole = FakeJob(list(items)), FakeJob(list(items))
    inception_xmi.write(batched, tmp_path / "batched")  # type: ignore[arg-type]
    monkeypatch.setattr(xmi_text, "WRITE_BATCH", 1000)
    inception_xmi.write(whole, tmp_path / "whole")  # type: ignore[arg-type]
    written = files(tmp_path / "batched")
    assert written == files(tmp_path / "whole")
    assert len([name for name in written if name.startswith("source")]) == 8
    assert len([name for name in written if name.endswith(".xmi")]) == 6  # documents 3 and 6 have no span
