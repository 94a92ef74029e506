"""``qdpx``: a REFI-QDA project (QDA-XML 1.0), the exchange format of QualCoder, MAXQDA, NVivo and ATLAS.ti.

A ``.qdpx`` is a zip of ``project.qde`` (XML in ``urn:QDA-XML:project:1.0``) and ``sources/GUID.txt``.
Labels are codes, documents text sources, annotations coded ``PlainTextSelection``s made by users
(the reviewers), relations ``Link``s between selections. Our ids are UUIDs, which QDA-XML requires
of every GUID; reviewers get a UUID derived from their name, so exports agree with each other. The
zip entries carry a fixed date, so the same project exports to the same bytes.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from annotator.exporters.common import ExportFormat, ExportJob

NS = "urn:QDA-XML:project:1.0"
PROJECT = "project.qde"
GOLD_USER = "gold"
_ZIP_DATE = (2019, 3, 18, 0, 0, 0)  # QDA-XML 1.0's release date: any fixed date keeps exports reproducible


def user_guid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:annotator:reviewer:{name}"))


def _coding_guid(annotation_id: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:annotator:coding:{annotation_id}"))


def _timestamp(value: str) -> str | None:
    """Our ISO timestamps as xsd:dateTime (they already are, when set)."""
    return value or None


def _element(parent: ElementTree.Element, tag: str, **attributes: str | None) -> ElementTree.Element:
    return ElementTree.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attributes.items() if v is not None})


def _entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def write(job: ExportJob, target: Path) -> None:
    ElementTree.register_namespace("", NS)
    project = ElementTree.Element(f"{{{NS}}}Project", {"name": Path(job.project.path).stem,
                                                       "origin": "Annotator"})
    users = _element(project, "Users")
    codebook = _element(_element(project, "CodeBook"), "Codes")
    for label in job.labels:
        code = _element(codebook, "Code", guid=label.id, name=label.name, isCodable="true", color=label.color)
        if label.description:
            _element(code, "Description").text = label.description
    sources = _element(project, "Sources")
    seen_users: dict[str, str] = {}
    links = []
    with_attributes = 0
    with zipfile.ZipFile(target, "w") as archive:
        for item in job.documents():
            document = item.document
            source = _element(sources, "TextSource", guid=document.id, name=document.title or document.id,
                              plainTextPath=f"internal://{document.id}.txt",
                              creationDateTime=_timestamp(document.imported_at))
            described = [f"{key}: {getattr(document, key)}" for key in ("outlet", "author", "url", "published", "language")
                         if getattr(document, key)]
            if described:
                _element(source, "Description").text = "\n".join(described)
            _entry(archive, f"sources/{document.id}.txt", document.text.encode("utf-8"))
            for a in item.annotations:
                name = GOLD_USER if a.layer == "gold" else a.annotator
                user = seen_users.setdefault(name, user_guid(name))
                selection = _element(source, "PlainTextSelection", guid=a.id, name=a.quote[:100],
                                     startPosition=str(a.start), endPosition=str(a.end), creatingUser=user,
                                     creationDateTime=_timestamp(a.created_at), modifyingUser=user,
                                     modifiedDateTime=_timestamp(a.updated_at))
                if a.note:
                    _element(selection, "Description").text = a.note
                coding = _element(selection, "Coding", guid=_coding_guid(a.id), creatingUser=user,
                                  creationDateTime=_timestamp(a.created_at))
                _element(coding, "CodeRef", targetGUID=a.label_id)
                with_attributes += bool(a.attributes)
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
        xml = ElementTree.tostring(project, encoding="unicode", xml_declaration=False)
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
