"""Read a REFI-QDA project (``.qdpx``: QDA-XML 1.0), as QualCoder, MAXQDA, NVivo, ATLAS.ti and our export write it.

The zip is copied through ``guard.safe_zip`` (zip bombs refused) and read member by member, never
unpacked to disk; a member name or a source path that leaves the archive (``../``, absolute) is
refused in one line. ``project.qde`` is parsed with lxml, entities and network off.

- every codable ``Code`` (nested ones too) is a label: its name, colour and ``Description``; a label
  the project lacks is created only with ``--create-labels``, as for jsonl;
- every ``TextSource`` is a document: ``plainTextPath="internal://NAME"`` is ``sources/NAME`` in the
  zip (or the text is inline as ``PlainTextContent``); its ``name`` is the title;
- every ``PlainTextSelection`` with a ``Coding`` is a span per code it names, made by its
  ``creatingUser`` (a ``User``'s name); the user ``gold`` is the gold layer;
- ``Link``s between two selections are relations (``name`` is the type).

Positions are read as code points, end exclusive: the standard counts characters of the plain
text, and QualCoder (whose positions are Python string indices) and our exporter write code points.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from lxml import etree

from annotator.errors import ImportFileError
from annotator.exporters.refi_qda import GOLD_USER, NS, PROJECT
from annotator.importers.guard import safe_zip
from annotator.importers.labelled import PendingAnnotation, PendingDocument, PendingRelation, PendingSet
from annotator.importers.plain import decode

SUFFIXES = (".qdpx",)
WHAT = "a REFI-QDA project (.qdpx)"
_Q = f"{{{NS}}}"


def _member(path: Path, name: str) -> str:
    """``name`` as a member path inside the archive, or one error if it would leave it."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or ":" in pure.parts[0]:
        raise ImportFileError(path, f"refused: {name!r} points outside the archive")
    return str(pure)


def _qde(path: Path, archive: zipfile.ZipFile) -> etree._Element:
    names = [_member(path, info.filename) for info in archive.infolist()]
    found = PROJECT if PROJECT in names else next((n for n in names if n.endswith(".qde") and "/" not in n), None)
    if found is None:
        raise ImportFileError(path, f"not {WHAT}: no {PROJECT} in the archive")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(archive.read(found), parser)
    except etree.XMLSyntaxError as error:
        raise ImportFileError(path, f"{found} is not well-formed XML ({error})") from None
    if root.tag != f"{_Q}Project":
        raise ImportFileError(path, f"not {WHAT}: {found}'s root is {root.tag}, not a QDA-XML 1.0 Project")
    return root


def _text(path: Path, archive: zipfile.ZipFile, source: etree._Element) -> str:
    inline = source.find(f"{_Q}PlainTextContent")
    if inline is not None:
        return inline.text or ""
    where = source.get("plainTextPath") or ""
    if not where.startswith("internal://"):
        raise ImportFileError(path, f"text source {source.get('name')!r}: only sources inside the archive "
                              f"(internal://) can be read, not {where or 'no plainTextPath'!r}")
    member = _member(path, "sources/" + where.removeprefix("internal://"))
    try:
        data = archive.read(member)
    except KeyError:
        raise ImportFileError(path, f"text source {source.get('name')!r}: {member} is not in the archive") from None
    return decode(path, data)


def _codes(root: etree._Element, pending: PendingSet) -> dict[str, str]:
    """Code GUID -> label name; each codable code's definition goes to ``pending.labels``."""
    names: dict[str, str] = {}
    for code in root.iter(f"{_Q}Code"):
        name = (code.get("name") or "").strip()
        if not name or code.get("isCodable") == "false":
            continue
        names[code.get("guid") or name] = name
        definition: dict[str, object] = {"kind": "span"}
        if code.get("color"):
            definition["color"] = code.get("color")
        described = code.find(f"{_Q}Description")
        if described is not None and described.text:
            definition["description"] = described.text
        pending.labels.setdefault(name, definition)
    return names


def _int(path: Path, selection: etree._Element, name: str) -> int:
    value = selection.get(name)
    if value is None or not value.strip().isdigit():
        raise ImportFileError(path, f"selection {selection.get('guid')}: {name} must be a whole number, not {value!r}")
    return int(value)


def read(path: Path) -> PendingSet:
    pending = PendingSet()
    copy: IO[bytes] = safe_zip(path, WHAT)
    with copy, zipfile.ZipFile(copy) as archive:
        root = _qde(path, archive)
        users = {u.get("guid"): u.get("name") or u.get("guid") for u in root.iter(f"{_Q}User")}
        codes = _codes(root, pending)
        keys: dict[str, list[str]] = {}  # selection GUID -> keys of its spans (one per code)
        for source in root.iter(f"{_Q}TextSource"):
            title = source.get("name") or source.get("guid") or path.stem
            document = PendingDocument(path, None, _text(path, archive, source),
                                       metadata={"title": title, "source_format": "qdpx"})
            for selection in source.iter(f"{_Q}PlainTextSelection"):
                start, end = _int(path, selection, "startPosition"), _int(path, selection, "endPosition")
                user = users.get(selection.get("creatingUser"))
                gold = user == GOLD_USER
                described = selection.find(f"{_Q}Description")
                guid = selection.get("guid") or f"{title}@{start}-{end}"
                for number, ref in enumerate(selection.iterfind(f"{_Q}Coding/{_Q}CodeRef")):
                    label = codes.get(ref.get("targetGUID") or "")
                    if label is None:
                        raise ImportFileError(path, f"selection {guid} is coded with {ref.get('targetGUID')}, "
                                              "which is not a codable Code of the CodeBook")
                    key = f"{path}#{guid}#{number}"
                    keys.setdefault(guid, []).append(key)
                    document.annotations.append(PendingAnnotation(
                        key, start, end, label, annotator=user, layer="gold" if gold else "reviewer",
                        note=described.text if described is not None and described.text else None))
            pending.documents.append(document)
        other = 0
        for link in root.iter(f"{_Q}Link"):
            sources, targets = keys.get(link.get("originGUID") or ""), keys.get(link.get("targetGUID") or "")
            if not sources or not targets:
                other += 1  # a link to a code, a note or a case: nothing we hold
                continue
            pending.relations.append(PendingRelation(sources[0], targets[0], link.get("name") or "related", path))
        if other:
            pending.warnings.append(f"{path}: left out {other} link(s) that do not join two coded text selections")
    if not pending.documents:
        raise ImportFileError(path, f"not {WHAT} with text: no TextSource in {PROJECT}")
    return pending
