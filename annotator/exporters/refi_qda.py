"""``qdpx``: a REFI-QDA project (QDA-XML 1.0), the exchange format of QualCoder, MAXQDA, NVivo and ATLAS.ti.

A ``.qdpx`` is a zip of ``project.qde`` (XML in ``urn:QDA-XML:project:1.0``) and ``sources/GUID.txt``.
Labels are codes, documents text sources, annotations coded ``PlainTextSelection``s made by users
(the reviewers), relations ``Link``s between selections. Our ids are UUIDs, which QDA-XML requires
of every GUID; reviewers get a UUID derived from their name, so exports agree with each other. The
zip entries carry a fixed date, so the same project exports to the same bytes.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import uuid
import zipfile
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from annotator.errors import AnnotatorError
from annotator.exporters.common import ExportFormat, ExportJob

NS = "urn:QDA-XML:project:1.0"
PROJECT = "project.qde"
GOLD_USER = "gold"
_ZIP_DATE = (2019, 3, 18, 0, 0, 0)  # QDA-XML 1.0's release date: any fixed date keeps exports reproducible


def user_guid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:annotator:reviewer:{name}"))


_CODING_NAMESPACE = hashlib.sha1(uuid.NAMESPACE_URL.bytes + b"urn:annotator:coding:")


def _coding_guid(annotation_id: str) -> str:
    """``uuid5(NAMESPACE_URL, "urn:annotator:coding:" + id)``, from a SHA-1 already fed the common prefix.

    ``uuid.uuid5`` builds two UUID objects per call, which cost more than the rest of a coding's XML; the
    version and variant are set on the hex digits (``_VARIANT``: the top two bits of digit 16 become ``10``).
    """
    digest = _CODING_NAMESPACE.copy()
    digest.update(annotation_id.encode("utf-8"))
    h = digest.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def _timestamp(value: str) -> str | None:
    """Our ISO timestamps as xsd:dateTime (they already are, when set)."""
    return value or None


_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def _attribute(value: str) -> str:
    """An attribute value escaped as ``xml.etree.ElementTree`` escapes it (the tests compare the two)."""
    return escape(value, _ATTRIBUTE_ENTITIES)


def _text(value: str) -> str:
    """Character data escaped as ``xml.etree.ElementTree`` escapes it."""
    return escape(value)


def _tag(tag: str, **attributes: str | None) -> str:
    """A start tag's inside: the name and the attributes that are set, in order."""
    return tag + "".join(f' {k}="{_attribute(v)}"' for k, v in attributes.items() if v is not None)


def _indent(depth: int) -> str:
    return "\n" + "  " * depth


def _element(inside: str, depth: int, children: list[str] | None = None, text: str | None = None) -> str:
    """An element as ``ElementTree.indent`` + ``tostring`` write it at ``depth`` (children already written one deeper)."""
    name = inside.split(" ", 1)[0]
    if children:
        inner = _indent(depth + 1)
        return f"<{inside}>{inner}{inner.join(children)}{_indent(depth)}</{name}>"
    if text:
        return f"<{inside}>{_text(text)}</{name}>"
    return f"<{inside} />"


ZIP_LEVEL = 1
"""Deflate level of every zip entry. zlib's default (6) spent more time compressing project.qde (66 MB for
100,000 codings) than everything else in the export; level 1 takes a third of that for a file 1.3 times as
big (9 MB rather than 7). Any level is plain deflate to a reader."""


def _entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=ZIP_LEVEL)


LEAN = ("id", "start", "end", "label_id", "quote", "annotator", "layer", "note", "created_at", "updated_at")
"""The annotation columns this export reads (``ExportJob.document_rows``): not prefix, suffix or entity, nor the
attributes, whose count is taken in SQL (``ExportJob.left_out``)."""
READ = (*LEAN, "attributes")
"""``LEAN`` and the attributes, read only when some value does not parse: counted per row, the error names the
first such annotation in export order."""

_SEPARATOR = "\x00"


def _attributes(values: list[str]) -> list[str]:
    """``_attribute`` of each value, by one escape of their join: escaping 500,000 values one call at a time
    cost more than the rest of the XML. A value holding the separator itself falls back to one call each;
    values with nothing to escape (ids, times) are returned as they are after one look for each character."""
    joined = _SEPARATOR.join(values)
    if not any(character in joined for character in _ESCAPED):
        return values
    escaped = _attribute(joined).split(_SEPARATOR)
    return escaped if len(escaped) == len(values) else [_attribute(v) for v in values]


_ESCAPED = '&<>"\r\n\t'
"""What ``_attribute`` replaces. Seven ``in`` tests (a memchr each) find them fifty times faster than one
regular expression's character class, which read the 12 kB of a document's ids and times character by
character."""


def _selections(rows: list[tuple], users: dict[str, str]) -> list[str]:
    """A document's annotation rows (``LEAN`` after ``document_id``) as ``PlainTextSelection`` elements, each
    with its ``Coding``, as ``_element(_tag(...))`` would write them at depth 3.

    One comprehension over the rows, the coding GUIDs (``_coding_guid``) computed inline: a Python call per
    row cost as much as its XML."""
    n = len(rows)
    values = _attributes([r[1] for r in rows] + [r[4] for r in rows] + [r[9] for r in rows] + [r[10] for r in rows])
    ids, label_ids, created, modified = (values[i * n:(i + 1) * n] for i in range(4))
    names = _attributes([r[5][:100] for r in rows])  # quotes: most documents have one to escape; ids hardly ever
    for key in {GOLD_USER if r[7] == "gold" else r[6] for r in rows} - users.keys():
        users[key] = user_guid(key)
    depth3, depth4, depth5 = _indent(3), _indent(4), _indent(5)
    new_digest, variant = _CODING_NAMESPACE.copy, _VARIANT
    out = []
    for (_, id_, start, end, _l, _q, annotator, layer, note, _c, _m), guid, name, label_id, c, m in zip(
            rows, ids, names, label_ids, created, modified):
        user = users[GOLD_USER if layer == "gold" else annotator]
        created_at = f' creationDateTime="{c}"' if c else ""
        modified_at = f' modifiedDateTime="{m}"' if m else ""
        description = f"<Description>{_text(note)}</Description>{depth4}" if note else ""
        digest = new_digest()
        digest.update(id_.encode())
        h = digest.hexdigest()
        out.append(
            f'<PlainTextSelection guid="{guid}" name="{name}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{user}"{created_at} modifyingUser="{user}"{modified_at}>'
            f'{depth4}{description}<Coding guid="{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant[h[16]]}{h[17:20]}-{h[20:32]}" '
            f'creatingUser="{user}"{created_at}>{depth5}'
            f'<CodeRef targetGUID="{label_id}" />{depth4}</Coding>{depth3}</PlainTextSelection>')
    return out


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
    at every level of nesting. project.qde is deflated by a second thread as it is built (``_Deflater``), so
    it is the archive's first entry and the sources follow it."""
    try:
        _write(job, target, zip64=False)
    except _TooLarge:
        _write(job, target, zip64=True)


ZIP64_ABOVE = zipfile.ZIP64_LIMIT / 1.05
"""project.qde is written without ZIP64 extensions (as ``writestr`` writes an entry of its size) up to where
zipfile would want them; past it, the archive is written again with them."""


def _write(job: ExportJob, target: Path, zip64: bool) -> None:
    codes = [_element(_tag("Code", guid=label.id, name=label.name, isCodable="true", color=label.color), 3,
                      [_element("Description", 4, text=label.description)] if label.description else None)
             for label in job.labels]
    users = _users(job)
    declared = set(users)
    depth1, depth2, depth3 = _indent(1), _indent(2), _indent(3)
    parts = []
    if users:
        parts.append(_element("Users", 1, [_element(_tag("User", guid=guid, name=name), 2)
                                           for name, guid in sorted(users.items())]))
    if codes:
        parts.append(_element("CodeBook", 1, [_element("Codes", 2, codes)]))
    head = _tag("Project", xmlns=NS, name=Path(job.project.path).stem, origin="Annotator")
    batch = [f'<?xml version="1.0" encoding="utf-8"?>\n<{head}>{"".join(depth1 + part for part in parts)}'.encode()]
    size, written = len(batch[0]), 0  # bytes in this batch, in the batches handed on
    texts: list[tuple[str, bytes]] = []
    links = []
    with_attributes = 0
    parsed: dict[str, bool] = {}  # attributes value -> whether it holds any (most values repeat)
    left_out = job.left_out()
    info = zipfile.ZipInfo(PROJECT, _ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = ZIP_LEVEL  # type: ignore[attr-defined]  # what writestr(compresslevel=) sets (3.13: compress_level)
    with zipfile.ZipFile(target, "w") as archive:
        with archive.open(info, "w", force_zip64=zip64) as stream:
            deflater = _Deflater(stream)
            try:
                for document, rows, relations in job.document_rows(READ if left_out is None else LEAN):
                    children: list[str] = []
                    described = [f"{key}: {getattr(document, key)}" for key in ("outlet", "author", "url", "published",
                                                                                 "language") if getattr(document, key)]
                    if described:
                        children.append(_element("Description", 3, text="\n".join(described)))
                    texts.append((f"sources/{document.id}.txt", document.text.encode("utf-8")))
                    if left_out is None:  # READ: the attributes last
                        with_attributes += job.count_attributes([r[1] for r in rows], [r[11] for r in rows], parsed)
                        rows = [r[:11] for r in rows]
                    children += _selections(rows, users)
                    links += relations
                    inside = _tag("TextSource", guid=document.id, name=document.title or document.id,
                                  plainTextPath=f"internal://{document.id}.txt",
                                  creationDateTime=_timestamp(document.imported_at))
                    # _element(inside, 2, children) after a line break, in one join: the selections of a document
                    # with an emoji are four bytes a character, and each copy of them counted
                    source = (depth2, "<", inside, ">", depth3, depth3.join(children), depth2, "</TextSource>") \
                        if children else (depth2, "<", inside, " />")
                    chunk = "".join(source).encode("utf-8")
                    if len(texts) == 1:
                        batch.append(f"{depth1}<Sources>".encode())
                        size += len(batch[-1])
                    batch.append(chunk)
                    size += len(chunk)
                    if size >= BATCH:
                        written += size
                        if not zip64 and written > ZIP64_ABOVE:
                            raise _TooLarge
                        deflater.put(b"".join(batch))
                        batch, size = [], 0
                if len(users) > len(declared):  # the project was changed by another program since the selection
                    raise AnnotatorError(f"qdpx export: annotations by {', '.join(sorted(set(users) - declared))} were "
                                         "added while exporting; export again")
                tail = f"{depth1}</Sources>" if texts else f"{depth1}<Sources />"
                if links:
                    tail += depth1 + _element("Links", 1, [
                        _element(_tag("Link", guid=r.id, name=r.label, direction="OneWay", originGUID=r.source_id,
                                      targetGUID=r.target_id), 2) for r in links])
                batch.append(f"{tail}\n</Project>\n".encode())
                size += len(batch[-1])
                if not zip64 and written + size > ZIP64_ABOVE:
                    raise _TooLarge
                deflater.put(b"".join(batch))
            except BaseException:
                deflater.stop()
                raise
            deflater.close()
        for name, data in texts:
            _entry(archive, name, data)
    if left_out is not None:
        with_attributes = left_out[0]
    if with_attributes:
        job.warn(f"REFI-QDA codings have no attributes: left out those of {with_attributes} annotations")


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
