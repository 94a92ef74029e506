"""``qdpx``: a REFI-QDA project (QDA-XML 1.0), the exchange format of QualCoder, MAXQDA, NVivo and ATLAS.ti.

A ``.qdpx`` is a zip of ``project.qde`` (XML in ``urn:QDA-XML:project:1.0``) and ``sources/GUID.txt``.
Labels are codes, documents text sources, annotations coded ``PlainTextSelection``s made by users
(the reviewers), relations ``Link``s between selections. Our ids are UUIDs, which QDA-XML requires
of every GUID; reviewers get a UUID derived from their name, so exports agree with each other. The
zip entries carry a fixed date, so the same project exports to the same bytes.
"""

from __future__ import annotations

import queue
import threading
import zipfile
from pathlib import Path
from typing import IO

from isal import isal_zlib

from annotator.errors import AnnotatorError
from annotator.exporters import qde_text
from annotator.exporters.common import ExportFormat, ExportJob
from annotator.exporters.qde_text import (
    DESCRIBED,
    GOLD_USER,
    LEAN,
    _element,
    _indent,
    _tag,
    source_chunk,
    user_guid,
)
from annotator.exporters.second_process import SecondProcess, worth_it
from annotator.models import Relation

NS = "urn:QDA-XML:project:1.0"
PROJECT = "project.qde"
_ZIP_DATE = (2019, 3, 18, 0, 0, 0)  # QDA-XML 1.0's release date: any fixed date keeps exports reproducible


ZIP_LEVEL = 1
"""Deflate level of every zip entry. zlib's default (6) spent more time compressing project.qde (66 MB for
100,000 codings) than everything else in the export; level 1 takes a third of that for a file 1.3 times as
big (9 MB rather than 7). Any level is plain deflate to a reader."""


def _entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    """A source text, by zlib: ISA-L's compressor costs ~50 µs to set up, which a 3 kB text does not repay
    (1,000 sources: 95 ms of CPU against zlib's 47)."""
    info = zipfile.ZipInfo(name, _ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=ZIP_LEVEL)


def _deflate_fast(stream: IO[bytes]) -> None:
    """project.qde's entry deflated by ISA-L (``isal``) instead of zlib: raw deflate as zlib
    writes it, read by every unzip, in a fifth of the time (66 MB of project.qde: 51 ms at ISA-L's level 1, 8.1 MB,
    against zlib's 233 ms at its level 1, 8.9 MB). zipfile has no public way to choose its compressor: its writer
    keeps one in ``_compressor`` (3.11-3.14), replaced here before the first byte; where it has none, zlib stays."""
    if getattr(stream, "_compressor", None) is not None:
        stream._compressor = isal_zlib.compressobj(ISAL_LEVEL, isal_zlib.DEFLATED, -15)  # type: ignore[attr-defined]


ISAL_LEVEL = 1
"""ISA-L's level 1: as fast as its level 0 on project.qde and a quarter smaller (8.1 MB rather than 10.9)."""


READ = (*LEAN, "attributes")
"""``LEAN`` and the attributes, read only when some value does not parse: counted per row, the error names the
first such annotation in export order."""

PROCESS_ABOVE = 20_000
"""Selected annotations from which the second half of the documents is built by a second process
(``second_process``, running ``qde_text``): a coding's XML is ~8 µs of Python under one GIL."""


def _users(job: ExportJob) -> dict[str, str]:
    """The ``User`` of every reviewer with a selected annotation (the gold layer's is ``gold``), from the selection's
    counts: ``Users`` comes before the selections in project.qde, which is compressed as it is written."""
    names = {GOLD_USER if layer == "gold" else reviewer for _, reviewer, layer in job.selection.counts}
    return {name: user_guid(name) for name in names}


BATCH = 1 << 21
"""Bytes of project.qde handed to the compressing thread at a time: large enough that it takes the GIL a few
dozen times in all (each time it waits for the thread building the XML to let go), small enough to overlap."""


class _TooLarge(Exception):
    """project.qde outgrew what a zip entry without ZIP64 extensions holds: written again with them."""


class _Deflater:
    """project.qde's bytes deflated and written into the zip by a second thread while the first builds the XML.

    zlib and the file writes release the GIL, so compressing 66 MB (100,000 codings) no longer adds to
    building it; the queue is bounded, so at most a few batches wait in memory."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="qdpx-deflate", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (chunk := self.queue.get()) is not None:
            if self.failure is None:
                try:
                    self.stream.write(chunk)
                except BaseException as error:  # raised again in the building thread (put, close)
                    self.failure = error

    def put(self, chunk: bytes) -> None:
        if self.failure is not None:
            raise self.failure
        self.queue.put(chunk)

    def stop(self) -> None:
        """Wait for the thread to end (the batches queued are written, or skipped after a failure)."""
        self.queue.put(None)
        self.thread.join()

    def close(self) -> None:
        """Wait for every batch to be written; the first failure is raised here."""
        self.stop()
        if self.failure is not None:
            raise self.failure


def write(job: ExportJob, target: Path) -> None:
    """``project.qde`` written as text, laid out exactly as ``ElementTree.indent`` and ``tostring`` did (the
    golden file and tests/test_export_qdpx_writer.py hold it to that): building an element per coding and
    serialising the tree cost several times the export floor. Each source is UTF-8 bytes as soon as it is
    written: one string of the whole file, widened to four bytes a character by a single emoji, was copied
    at every level of nesting. The sources come first (``_sources``), while the card's counts that name the users are
    read beside; project.qde is the last entry, deflated by a second thread as it is built (``_Deflater``)."""
    try:
        _write(job, target, zip64=False)
    except _TooLarge:
        _write(job, target, zip64=True)


ZIP64_ABOVE = zipfile.ZIP64_LIMIT / 1.05
"""project.qde is written without ZIP64 extensions (as ``writestr`` writes an entry of its size) up to where
zipfile would want them; past it, the archive is written again with them."""


def _write(job: ExportJob, target: Path, zip64: bool) -> None:
    # The second process first: its interpreter starts (40-60 ms) while this one waits for the card's counts, which
    # name the users, and counts the attributes left out. It needs neither: it names the users its rows hold.
    part = _start(job)
    try:
        with zipfile.ZipFile(target, "w") as archive:
            _sources(job, archive)
            _project_qde(job, archive, zip64, part)
    finally:
        if part is not None:
            part.stop()


def _sources(job: ExportJob, archive: zipfile.ZipFile) -> None:
    """Every document's text as ``sources/ID.txt``, in list order. Written first: the 50 ms their entries take
    (1,000 texts) pass while the card's counts, which project.qde's head needs, are read beside (45 ms); written
    after project.qde they were the last thing the export waited for."""
    for document_id, text in job.texts():
        _entry(archive, f"sources/{document_id}.txt", text.encode("utf-8"))


def _project_qde(job: ExportJob, archive: zipfile.ZipFile, zip64: bool, part: SecondProcess | None) -> None:
    """project.qde, streamed into ``archive`` as it is built (``part``: the second process building the last
    documents' sources, or ``None``)."""
    codes = [_element(_tag("Code", guid=label.id, name=label.name, isCodable="true", color=label.color), 3,
                      [_element("Description", 4, text=label.description)] if label.description else None)
             for label in job.labels]
    users = _users(job)
    declared = set(users)
    depth1 = _indent(1)
    parts = []
    if users:
        parts.append(_element("Users", 1, [_element(_tag("User", guid=guid, name=name), 2)
                                           for name, guid in sorted(users.items())]))
    if codes:
        parts.append(_element("CodeBook", 1, [_element("Codes", 2, codes)]))
    head = _tag("Project", xmlns=NS, name=Path(job.project.path).stem, origin="Annotator")
    sources = 0
    links: list[Relation] = []
    with_attributes = 0
    parsed: dict[str, bool] = {}  # attributes value -> whether it holds any (most values repeat)
    left_out = job.left_out()
    info = zipfile.ZipInfo(PROJECT, _ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = ZIP_LEVEL  # type: ignore[attr-defined]  # what writestr(compresslevel=) sets (3.13: compress_level)
    if part is not None and left_out is None:  # some attributes value does not parse: counted per row, here alone
        part.stop()
        part = None
    with archive.open(info, "w", force_zip64=zip64) as stream:
        _deflate_fast(stream)
        deflater = _Deflater(stream)
        qde = _Batches(deflater, zip64)
        qde.add(f'<?xml version="1.0" encoding="utf-8"?>\n<{head}>{"".join(depth1 + p for p in parts)}'.encode(),
                whole=False)
        try:
            def source(document_id: str, chunk: bytes) -> None:
                nonlocal sources
                sources += 1
                if sources == 1:
                    qde.add(f"{depth1}<Sources>".encode(), whole=False)
                qde.add(chunk)
                links.extend(job.selection.relations.get(document_id, []) if part is not None else ())

            def here(documents: slice) -> None:
                nonlocal with_attributes
                rows_of = job.document_rows(READ if left_out is None else LEAN, documents) \
                    if documents != _WHOLE else job.document_rows(READ if left_out is None else LEAN)
                for document, rows, relations in rows_of:
                    if left_out is None:  # READ: the attributes last
                        with_attributes += job.count_attributes([r[1] for r in rows], [r[11] for r in rows],
                                                                parsed)
                        rows = [r[:11] for r in rows]
                    chunk = source_chunk(document.id, document.title, [getattr(document, k) for k in DESCRIBED],
                                         document.imported_at, rows, users)
                    source(document.id, chunk)
                    if part is None:
                        links.extend(relations)

            here(slice(0, part.first if part else None))
            if part is not None:
                result = part.finish()
                if result is None:  # the process failed: its documents are built here
                    here(slice(part.first, None))
                else:
                    users.update((name, user_guid(name)) for name in result["users"])
                    for document, chunk in zip(job.selection.documents[part.first:], result["chunks"]):
                        source(document.id, chunk)
                    if job.progress:
                        job.progress(len(job.selection.documents), len(job.selection.documents))
            if len(users) > len(declared):  # the project was changed by another program since the selection
                raise AnnotatorError(f"qdpx export: annotations by {', '.join(sorted(set(users) - declared))} "
                                     "were added while exporting; export again")
            tail = f"{depth1}</Sources>" if sources else f"{depth1}<Sources />"
            if links:
                tail += depth1 + _element("Links", 1, [
                    _element(_tag("Link", guid=r.id, name=r.label, direction="OneWay", originGUID=r.source_id,
                                  targetGUID=r.target_id), 2) for r in links])
            qde.add(f"{tail}\n</Project>\n".encode(), whole=False)
            qde.close()
        except BaseException:
            deflater.stop()
            raise
        deflater.close()
    if left_out is not None:
        with_attributes = left_out[0]
    if with_attributes:
        job.warn(f"REFI-QDA codings have no attributes: left out those of {with_attributes} annotations")


_WHOLE = slice(0, None)


class _Batches:
    """project.qde's bytes handed to the ``_Deflater`` ``BATCH`` bytes at a time; ``_TooLarge`` past
    ``ZIP64_ABOVE`` in an entry written without ZIP64 extensions."""

    def __init__(self, deflater: _Deflater, zip64: bool) -> None:
        self.deflater, self.zip64 = deflater, zip64
        self.batch: list[bytes] = []
        self.size = self.written = 0  # bytes in this batch, in the batches handed on

    def add(self, chunk: bytes, whole: bool = True) -> None:
        """``whole``: a document's source, after which a full batch is handed on (the head, ``<Sources>`` and the
        tail wait in the batch, as they always did)."""
        self.batch.append(chunk)
        self.size += len(chunk)
        if whole and self.size >= BATCH:
            self._hand_on()

    def _hand_on(self) -> None:
        self.written += self.size
        if not self.zip64 and self.written > ZIP64_ABOVE:
            raise _TooLarge
        self.deflater.put(b"".join(self.batch))
        self.batch, self.size = [], 0

    def close(self) -> None:
        self._hand_on()


def _start(job: ExportJob) -> SecondProcess | None:
    """A second process on the second half of the documents (``qde_text``); ``None``: too few annotations to be
    worth it, or none could be started. It is told no users: it returns those its rows name."""
    if not worth_it(job, PROCESS_ABOVE):
        return None
    documents = job.selection.documents
    first = len(documents) // 2
    task = {"path": str(job.project.path), "where": job.selection.where, "params": list(job.selection.params),
            "users": {}, "documents": [(d.id, d.title, [getattr(d, k) for k in DESCRIBED], d.imported_at)
                                       for d in documents[first:]]}
    return SecondProcess.start(qde_text.__file__, task, first)


FORMAT = ExportFormat(
    name="qdpx",
    title="REFI-QDA project (.qdpx) for QualCoder, MAXQDA, NVivo, ATLAS.ti",
    filename="project.qdpx",
    suffixes=(".qdpx",),
    importable=True,
    write=write,
    notes="""
A REFI-QDA project exchange file (QDA-XML 1.0, valid against the standard's
`Project-mrt2019.xsd`): a zip holding `project.qde` and the texts as `sources/DOCUMENT-ID.txt`
(UTF-8). Open it with QualCoder, MAXQDA, NVivo or ATLAS.ti ("import REFI-QDA project").

- `CodeBook`: one `Code` per label (`guid` = label id, `name`, `color`, `Description`).
- `Sources`: one `TextSource` per document (`guid` = document id, `name` = title,
  `plainTextPath="internal://ID.txt"`, the outlet, author, url, date and language as its
  `Description`).
- Each annotation is a `PlainTextSelection` (`guid` = annotation id, `startPosition`,
  `endPosition`, the note as `Description`) with one `Coding` whose `CodeRef` is its label.
- `Users`: one per reviewer (a UUID derived from the name), named as the reviewer; the gold
  layer's selections belong to a user named `gold`.
- Relations are `Link`s (`direction="OneWay"`, `name` = type) from the source selection to the
  target selection.

**Positions are code points** (characters of the text, end exclusive), as QualCoder counts them.

Not written: attributes, entity links. `annotator import --format qdpx` reads it back (and
other tools' `.qdpx` with their texts inside the archive).
""",
)
