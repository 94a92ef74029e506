"""The qdpx exporter writes project.qde as text: it must be byte for byte what ElementTree (indent + tostring) wrote.

The old writer is kept here as the oracle and run on the same random documents: markup characters,
newlines, tabs and carriage returns in titles, quotes, notes and label descriptions; several
reviewers and the gold layer; relations; empty documents; empty code books.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.exporters import refi_qda
from annotator.exporters.common import ExportAnnotation, ExportDocument
from annotator.models import Document, Label, Relation

NS = refi_qda.NS


@dataclass
class FakeJob:
    """What ``refi_qda.write`` uses of an ``ExportJob``."""

    items: list[ExportDocument]
    labels: list[Label]
    project: Any = field(default_factory=lambda: SimpleNamespace(path="/somewhere/my project.db"))
    warnings: list[str] = field(default_factory=list)

    def documents(self) -> list[ExportDocument]:
        return self.items

    def document_rows(self, columns: Sequence[str]) -> Iterator[tuple[Document, list[tuple[Any, ...]], list[Relation]]]:
        """``ExportJob.document_rows``: the annotations as rows of ``columns`` after the document id."""
        for item in self.items:
            rows = [(a.document_id, *(json.dumps(a.attributes) if c == "attributes" else getattr(a, c) for c in columns))
                    for a in item.annotations]
            yield item.document, rows, item.relations

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def _element(parent: ElementTree.Element, tag: str, **attributes: str | None) -> ElementTree.Element:
    return ElementTree.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attributes.items() if v is not None})


def elementtree_qde(job: FakeJob) -> str:
    """project.qde as the exporter wrote it with ElementTree (the oracle)."""
    ElementTree.register_namespace("", NS)
    project = ElementTree.Element(f"{{{NS}}}Project", {"name": Path(job.project.path).stem, "origin": "Annotator"})
    users = _element(project, "Users")
    codebook = _element(_element(project, "CodeBook"), "Codes")
    for label in job.labels:
        code = _element(codebook, "Code", guid=label.id, name=label.name, isCodable="true", color=label.color)
        if label.description:
            _element(code, "Description").text = label.description
    sources = _element(project, "Sources")
    seen_users: dict[str, str] = {}
    links = []
    for item in job.documents():
        document = item.document
        source = _element(sources, "TextSource", guid=document.id, name=document.title or document.id,
                          plainTextPath=f"internal://{document.id}.txt", creationDateTime=document.imported_at or None)
        described = [f"{key}: {getattr(document, key)}" for key in ("outlet", "author", "url", "published", "language")
                     if getattr(document, key)]
        if described:
            _element(source, "Description").text = "\n".join(described)
        for a in item.annotations:
            name = refi_qda.GOLD_USER if a.layer == "gold" else a.annotator
            user = seen_users.setdefault(name, refi_qda.user_guid(name))
            selection = _element(source, "PlainTextSelection", guid=a.id, name=a.quote[:100],
                                 startPosition=str(a.start), endPosition=str(a.end), creatingUser=user,
                                 creationDateTime=a.created_at or None, modifyingUser=user,
                                 modifiedDateTime=a.updated_at or None)
            if a.note:
                _element(selection, "Description").text = a.note
            coding = _element(selection, "Coding", guid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:annotator:coding:{a.id}")),
                              creatingUser=user, creationDateTime=a.created_at or None)
            _element(coding, "CodeRef", targetGUID=a.label_id)
        links += item.relations
    for name, guid in sorted(seen_users.items()):
        _element(users, "User", guid=guid, name=name)
    if not seen_users:
        project.remove(users)
    if not len(codebook):
        project.remove(project.find(f"{{{NS}}}CodeBook"))  # type: ignore[arg-type]
    if links:
        block = _element(project, "Links")
        for r in links:
            _element(block, "Link", guid=r.id, name=r.label, direction="OneWay", originGUID=r.source_id,
                     targetGUID=r.target_id)
    ElementTree.indent(project)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(project, encoding="unicode") + "\n"


WORDS = st.lists(st.sampled_from([*"ab \n\r\t&<>\"'=é", "👨‍👩‍👧", "قال", "\u2028", "  ", "\x00"]), max_size=12).map("".join)
"""NUL, which XML cannot carry but ElementTree writes as it is, is also the separator of the writer's batched escaping."""
OPTIONAL = st.one_of(st.none(), WORDS)


@st.composite
def documents(draw: st.DrawFn, number: int) -> ExportDocument:
    text = draw(WORDS) + "text"
    document = Document(id=f"doc-{number}", title=draw(WORDS), text=text, sha256="", outlet=draw(OPTIONAL),
                        url=draw(OPTIONAL), language=draw(OPTIONAL), imported_at=draw(st.sampled_from(["", "2024-01-01"])))
    annotations = []
    for index in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        annotations.append(ExportAnnotation(
            f"a{number}-{index}{draw(st.sampled_from(['', 'é&']))}", document.id, start, end, "Claim",
            draw(st.sampled_from(["label-1", "label-&2"])), draw(WORDS) * 20, "", "",
            draw(st.sampled_from(["alice", "bob", "a&b <c>"])), draw(st.sampled_from(["reviewer", "gold"])), None,
            draw(st.sampled_from([{}, {"certainty": "reported"}])), draw(OPTIONAL),
            draw(st.sampled_from(["", "2024-01-02T10:00:00+00:00"])), draw(st.sampled_from(["", "2024-01-03"]))))
    relations = [Relation(f"r{number}-{i}", "s", "t", draw(WORDS), "alice") for i in range(draw(st.integers(0, 2)))]
    return ExportDocument(document, annotations, relations)


LABELS = st.lists(st.builds(Label, id=st.sampled_from(["l1", "l&2"]), name=WORDS, color=st.sampled_from(["#fff", "a<b"]),
                            description=WORDS), max_size=3)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 3).flatmap(lambda n: st.tuples(*(documents(i) for i in range(1, n + 1)))), LABELS)
def test_the_text_writer_writes_what_elementtree_wrote(tmp_path_factory: pytest.TempPathFactory,
                                                        items: tuple[ExportDocument, ...], labels: list[Label]) -> None:
    job = FakeJob(list(items), labels)
    target = tmp_path_factory.mktemp("qdpx") / "project.qdpx"
    refi_qda.write(job, target)  # type: ignore[arg-type]
    with zipfile.ZipFile(target) as archive:
        written = archive.read(refi_qda.PROJECT).decode("utf-8")
        assert sorted(archive.namelist()) == sorted([refi_qda.PROJECT, *(f"sources/{i.document.id}.txt" for i in items)])
        for item in items:
            assert archive.read(f"sources/{item.document.id}.txt") == item.document.text.encode("utf-8")
    assert written == elementtree_qde(job)


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_coding_guids_are_uuid5(annotation_id: str) -> None:
    expected = str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:annotator:coding:{annotation_id}"))
    assert refi_qda._coding_guid(annotation_id) == expected


def test_coding_guid_of_a_real_id() -> None:
    annotation_id = "2f6c6cad-5030-420b-916d-419a561f0b23"
    assert refi_qda._coding_guid(annotation_id) == "9d6dc3e3-83c9-5532-a15c-69c9cc981455"  # as in the golden file


def test_batched_escaping_is_one_call_per_value() -> None:
    """The fast path (nothing to escape found by a search) and the batched one agree with ``_attribute`` per value."""
    characters = [chr(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF]
    for values in ([*characters], [f"a{c}b" for c in characters], ["plain", "id-1"], ["x\x00&", "y"]):
        assert refi_qda._attributes(list(values)) == [refi_qda._attribute(v) for v in values]
    assert all(refi_qda._attributes([c]) == [refi_qda._attribute(c)] for c in characters)
