"""``qdpx``: a REFI-QDA project (QDA-XML 1.0), the exchange format of QualCoder, MAXQDA, NVivo and ATLAS.ti.

A ``.qdpx`` is a zip of ``project.qde`` (XML in ``urn:QDA-XML:project:1.0``) and ``sources/GUID.txt``.
Labels are codes, documents text sources, annotations coded ``PlainTextSelection``s made by users
(the reviewers), relations ``Link``s between selections. Our ids are UUIDs, which QDA-XML requires
of every GUID; reviewers get a UUID derived from their name, so exports agree with each other. The
zip entries carry a fixed date, so the same project exports to the same bytes.
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

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

    ``uuid.uuid5`` builds two UUID objects per call, which cost more than the rest of a coding's XML.
    """
    digest = _CODING_NAMESPACE.copy()
    digest.update(annotation_id.encode("utf-8"))
    raw = bytearray(digest.digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


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


def _entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def write(job: ExportJob, target: Path) -> None:
    """``project.qde`` written as text, laid out exactly as ``ElementTree.indent`` and ``tostring`` did (the
    golden file and tests/test_export_qdpx_writer.py hold it to that): building an element per coding and
    serialising the tree cost several times the export floor."""
    codes = [_element(_tag("Code", guid=label.id, name=label.name, isCodable="true", color=label.color), 3,
                      [_element("Description", 4, text=label.description)] if label.description else None)
             for label in job.labels]
    sources: list[str] = []
    seen_users: dict[str, str] = {}
    links = []
    with_attributes = 0
    escape, depth3, depth4, depth5 = _attribute, _indent(3), _indent(4), _indent(5)
    with zipfile.ZipFile(target, "w") as archive:
        for item in job.documents():
            document = item.document
            children: list[str] = []
            described = [f"{key}: {getattr(document, key)}" for key in ("outlet", "author", "url", "published", "language")
                         if getattr(document, key)]
            if described:
                children.append(_element("Description", 3, text="\n".join(described)))
            _entry(archive, f"sources/{document.id}.txt", document.text.encode("utf-8"))
            # The hot loop: a selection and its coding spelled out as _element(_tag(...)) would write them.
            for a in item.annotations:
                name = GOLD_USER if a.layer == "gold" else a.annotator
                user = seen_users.get(name)
                if user is None:
                    user = seen_users[name] = user_guid(name)
                created = f' creationDateTime="{escape(a.created_at)}"' if a.created_at else ""
                modified = f' modifiedDateTime="{escape(a.updated_at)}"' if a.updated_at else ""
                note = f"<Description>{_text(a.note)}</Description>{depth4}" if a.note else ""
                children.append(
                    f'<PlainTextSelection guid="{escape(a.id)}" name="{escape(a.quote[:100])}" startPosition="{a.start}" '
                    f'endPosition="{a.end}" creatingUser="{user}"{created} modifyingUser="{user}"{modified}>{depth4}{note}'
                    f'<Coding guid="{_coding_guid(a.id)}" creatingUser="{user}"{created}>{depth5}'
                    f'<CodeRef targetGUID="{escape(a.label_id)}" />{depth4}</Coding>{depth3}</PlainTextSelection>')
                with_attributes += bool(a.attributes)
            links += item.relations
            sources.append(_element(_tag("TextSource", guid=document.id, name=document.title or document.id,
                                         plainTextPath=f"internal://{document.id}.txt",
                                         creationDateTime=_timestamp(document.imported_at)), 2, children))
        parts = []
        if seen_users:
            parts.append(_element("Users", 1, [_element(_tag("User", guid=guid, name=name), 2)
                                               for name, guid in sorted(seen_users.items())]))
        if codes:
            parts.append(_element("CodeBook", 1, [_element("Codes", 2, codes)]))
        parts.append(_element("Sources", 1, sources))
        if links:
            parts.append(_element("Links", 1, [
                _element(_tag("Link", guid=r.id, name=r.label, direction="OneWay", originGUID=r.source_id,
                              targetGUID=r.target_id), 2) for r in links]))
        root = _tag("Project", xmlns=NS, name=Path(job.project.path).stem, origin="Annotator")
        xml = _element(root, 0, parts)
        _entry(archive, PROJECT, ('<?xml version="1.0" encoding="utf-8"?>\n' + xml + "\n").encode("utf-8"))
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
