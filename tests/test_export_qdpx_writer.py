"""The qdpx exporter writes project.qde as text: it must be byte for byte what ElementTree (indent + tostring) wrote.

The old writer is kept here as the oracle and run on the same random documents: markup characters,
newlines, tabs and carriage returns in titles, quotes, notes and label descriptions; several
reviewers and the gold layer; relations; empty documents; empty code books.
"""

from __future__ import annotations

import json
import threading
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.errors import AnnotatorError
from annotator.exporters import qde_text, refi_qda
from annotator.exporters.common import ExportAnnotation, ExportDocument, ExportJob
from annotator.models import Document, Label, Relation

NS = refi_qda.NS


@dataclass
class FakeJob:
    """What ``refi_qda.write`` uses of an ``ExportJob``."""

    items: list[ExportDocument]
    labels: list[Label]
    project: Any = field(default_factory=lambda: SimpleNamespace(path="/somewhere/my project.db"))
    warnings: list[str] = field(default_factory=list)
    counted: bool = True

    def documents(self) -> list[ExportDocument]:
        return self.items

    @property
    def selection(self) -> SimpleNamespace:
        """``ExportJob.selection``'s counts: (label, reviewer, layer) of the annotations."""
        return SimpleNamespace(counts={(a.label, a.annotator, a.layer): 1 for i in self.items for a in i.annotations},
                               total=sum(len(i.annotations) for i in self.items))  # few: no second process

    def document_rows(self, columns: Sequence[str]) -> Iterator[tuple[Document, list[tuple[Any, ...]], list[Relation]]]:
        """``ExportJob.document_rows``: the annotations as rows of ``columns`` after the document id."""
        for item in self.items:
            rows = [(a.document_id, *(json.dumps(a.attributes) if c == "attributes" else getattr(a, c) for c in columns))
                    for a in item.annotations]
            yield item.document, rows, item.relations

    def texts(self) -> Iterator[tuple[str, str]]:
        """``ExportJob.texts``: (document id, text) in list order."""
        return ((item.document.id, item.document.text) for item in self.items)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    count_attributes = ExportJob.count_attributes

    def left_out(self) -> tuple[int, int] | None:
        """``ExportJob.left_out``: the annotations with attributes and with a note; ``None`` (``counted`` off) makes
        the writer read both columns and count per row, as it does when some attributes value does not parse."""
        if not self.counted:
            return None
        annotations = [a for item in self.items for a in item.annotations]
        return sum(1 for a in annotations if a.attributes), sum(1 for a in annotations if a.note)
    parse_attributes = staticmethod(ExportJob.parse_attributes)


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
    attributed = sum(1 for item in items for a in item.annotations if a.attributes)
    assert job.warnings == ([f"REFI-QDA codings have no attributes: left out those of {attributed} annotations"]
                            if attributed else [])


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_coding_guids_are_uuid5(annotation_id: str) -> None:
    expected = str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:annotator:coding:{annotation_id}"))
    assert qde_text._coding_guid(annotation_id) == expected


def test_coding_guid_of_a_real_id() -> None:
    annotation_id = "2f6c6cad-5030-420b-916d-419a561f0b23"
    assert qde_text._coding_guid(annotation_id) == "9d6dc3e3-83c9-5532-a15c-69c9cc981455"  # as in the golden file


def test_batched_escaping_is_one_call_per_value() -> None:
    """The fast path (nothing to escape found by a search) and the batched one agree with ``_attribute`` per value."""
    characters = [chr(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF]
    for values in ([*characters], [f"a{c}b" for c in characters], ["plain", "id-1"], ["x\x00&", "y"]):
        assert qde_text._attributes(list(values)) == [qde_text._attribute(v) for v in values]
    assert all(qde_text._attributes([c]) == [qde_text._attribute(c)] for c in characters)


def _sample_job() -> FakeJob:
    text = "Officials said 👨‍👩‍👧 قال 12 were killed & <more>."
    items = []
    for number in range(6):
        document = Document(id=f"doc-{number}", title=f"Report {number}", text=text, sha256="", outlet="Outlet",
                            imported_at="2024-01-01")
        annotations = [ExportAnnotation(f"a{number}-{i}", document.id, i, i + 9, "Claim", "label-1", text[i:i + 9], "", "",
                                        ("alice", "bob")[i % 2], ("reviewer", "gold")[i % 3 == 0], None, {}, None,
                                        "2024-01-02", "") for i in range(20)]
        items.append(ExportDocument(document, annotations, []))
    return FakeJob(items, [Label(id="label-1", name="Claim", color="#fff", description="")])


def _entries(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def test_project_qde_comes_last_and_is_streamed_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sources first, in list order, then project.qde; batches of any size (here one document each) make the
    same project.qde as one batch."""
    whole = tmp_path / "whole.qdpx"
    refi_qda.write(_sample_job(), whole)  # type: ignore[arg-type]
    monkeypatch.setattr(refi_qda, "BATCH", 1)
    batched = tmp_path / "batched.qdpx"
    refi_qda.write(_sample_job(), batched)  # type: ignore[arg-type]
    assert _entries(batched) == _entries(whole)
    job = _sample_job()
    assert _entries(whole) == [*((f"sources/{i.document.id}.txt", i.document.text.encode()) for i in job.items),
                               (refi_qda.PROJECT, elementtree_qde(job).encode("utf-8"))]


def test_project_qde_is_deflated_by_isal_and_any_unzip_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """zipfile has no public way to choose its compressor: ``refi_qda._deflate_fast`` replaces the one its writer
    keeps. Were a Python release to rename it, project.qde would silently be zlib's again (4-5 times slower to
    deflate): this fails then. What ISA-L writes is raw deflate, which zipfile's zlib reads."""
    from isal import isal_zlib

    made: list[tuple[Any, ...]] = []

    def compressobj(*arguments: Any) -> Any:
        made.append(arguments)
        return isal_zlib.compressobj(*arguments)

    monkeypatch.setattr(refi_qda, "isal_zlib", SimpleNamespace(compressobj=compressobj, DEFLATED=isal_zlib.DEFLATED))
    path = tmp_path / "isal.qdpx"
    refi_qda.write(_sample_job(), path)  # type: ignore[arg-type]
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
    assert len(made) == 1 and len(infos) > 1
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}
    assert _entries(path)[-1] == (refi_qda.PROJECT, elementtree_qde(_sample_job()).encode("utf-8"))


@pytest.mark.parametrize(("batch", "over"), [(1, 0), (1, -1), (1 << 21, 0), (1 << 21, -1)])
def test_project_qde_gets_zip64_exactly_where_writestr_gave_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               batch: int, over: int) -> None:
    """An XML of exactly ``ZIP64_ABOVE`` bytes is written plainly; one byte more and the archive is written again
    with ZIP64 extensions (whether the size is passed mid-stream or at the end), with the same entries."""
    plain = tmp_path / "plain.qdpx"
    refi_qda.write(_sample_job(), plain)  # type: ignore[arg-type]
    size = len(_entries(plain)[-1][1])
    opened: list[bool] = []
    original = zipfile.ZipFile.open

    def open_(self: zipfile.ZipFile, name: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode == "w" and getattr(name, "filename", name) == refi_qda.PROJECT:
            opened.append(kwargs.get("force_zip64", False))
        return original(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_)
    monkeypatch.setattr(refi_qda, "BATCH", batch)
    monkeypatch.setattr(refi_qda, "ZIP64_ABOVE", size + over)
    large = tmp_path / "large.qdpx"
    refi_qda.write(_sample_job(), large)  # type: ignore[arg-type]
    assert opened == ([False] if over == 0 else [False, True])
    assert _entries(large) == _entries(plain)
    with zipfile.ZipFile(large) as archive:
        assert archive.testzip() is None


def test_a_failed_write_in_the_compressing_thread_is_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = zipfile.ZipFile.open

    class Full:
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, mode="r", **kw: Full(original(self, name, mode, **kw)))
    threads = threading.active_count()
    with pytest.raises(OSError, match="No space left"):
        refi_qda.write(_sample_job(), tmp_path / "full.qdpx")  # type: ignore[arg-type]
    assert threading.active_count() == threads


def test_a_cancel_while_building_stops_the_compressing_thread(tmp_path: Path) -> None:
    job = _sample_job()
    rows = job.document_rows

    def cancelled(columns: Sequence[str]) -> Iterator[tuple[Document, list[tuple[Any, ...]], list[Relation]]]:
        for number, item in enumerate(rows(columns)):
            if number == 3:
                raise KeyboardInterrupt
            yield item

    job.document_rows = cancelled  # type: ignore[method-assign]
    threads = threading.active_count()
    with pytest.raises(KeyboardInterrupt):
        refi_qda.write(job, tmp_path / "cancelled.qdpx")  # type: ignore[arg-type]
    assert threading.active_count() == threads


def test_a_reviewer_added_since_the_selection_stops_the_export(tmp_path: Path) -> None:
    """Users come first in project.qde, from the selection's counts: a reviewer the rows name but the counts
    do not (another program added their annotations in between) cannot be declared any more."""
    job = _sample_job()
    counts = {key: n for key, n in job.selection.counts.items() if key[1] != "bob"}
    job_type = type("Changed", (FakeJob,), {"selection": property(lambda self: SimpleNamespace(counts=counts, total=1))})
    changed = job_type(job.items, job.labels)
    with pytest.raises(AnnotatorError, match="annotations by bob were added while exporting"):
        refi_qda.write(changed, tmp_path / "changed.qdpx")  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(*(documents(i) for i in range(1, n + 1)))), LABELS)
def test_counting_in_sql_writes_what_counting_per_row_wrote(tmp_path_factory: pytest.TempPathFactory,
                                                            items: tuple[ExportDocument, ...], labels: list[Label]) -> None:
    """The lean read (attributes counted by ``left_out``) and the per-row count (the attributes read last) write the
    same archive and the same warning."""
    lean, per_row = FakeJob(list(items), labels), FakeJob(list(items), labels, counted=False)
    folder = tmp_path_factory.mktemp("qdpx")
    refi_qda.write(lean, folder / "lean.qdpx")  # type: ignore[arg-type]
    refi_qda.write(per_row, folder / "per-row.qdpx")  # type: ignore[arg-type]
    assert (folder / "lean.qdpx").read_bytes() == (folder / "per-row.qdpx").read_bytes()
    assert lean.warnings == per_row.warnings


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_reviewer_guids_are_uuid5(name: str) -> None:
    assert refi_qda.user_guid(name) == str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:annotator:reviewer:{name}"))


@given(st.text(max_size=60) | WORDS)
def test_escaping_is_saxutils_without_importing_it(value: str) -> None:
    """The lean module's escaping (no xml.sax import in the second process) is what ``escape`` did."""
    assert qde_text._attribute(value) == escape(value, {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})
    assert qde_text._text(value) == escape(value)
