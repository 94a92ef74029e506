"""Read brat standoff: ``.txt`` + ``.ann`` pairs (a folder of them, or one pair).

Understood: ``T`` (text-bound spans), ``A``/``M`` (attributes, percent-decoded as
``export --format brat`` writes them), ``R`` (relations), ``#`` ``AnnotatorNotes`` (notes, on
spans or relations), ``N`` normalisations to ``Annotator:ENTITY-ID`` (entity links; other
databases are ignored). Events (``E``), equivalences (``*``) and discontinuous spans have no
place in a project and stop the import with the line named. Offsets are code points into the
``.txt`` as it is on disk (CRLF included); they are moved onto the normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from annotator.errors import ImportFileError
from annotator.importers.guard import load_json
from annotator.importers.labelled import PendingAnnotation, PendingDocument, PendingRelation, PendingSet
from annotator.importers.plain import decode

METADATA_FILE = "metadata.json"
_SPAN = re.compile(r"^(\S+) (\d+) (\d+)$")


def pairs(path: Path) -> list[tuple[Path, Path]]:
    """The (.txt, .ann) pairs under a folder, or the pair one file belongs to."""
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.ann") if not any(part.startswith(".") for part in p.relative_to(path).parts))
        if not found:
            raise ImportFileError(path, "no .ann files in this folder (brat standoff needs .txt + .ann pairs)")
    elif path.suffix.lower() in (".ann", ".txt") and path.exists():
        found = [path.with_suffix(".ann")]
    else:
        raise ImportFileError(path, "not a brat folder or .ann/.txt file")
    result = []
    for ann in found:
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            raise ImportFileError(ann, f"no text file {txt.name} next to it")
        if not ann.is_file():
            raise ImportFileError(txt, f"no annotation file {ann.name} next to it")
        result.append((txt, ann))
    return result


@dataclass
class _Folder:
    """What a collection folder says about all its documents: metadata.json, and visual.conf's names and colours."""

    metadata: dict[str, Any]
    names: dict[str, str]  # brat type -> our label name, where visual.conf shows it with spaces
    colors: dict[str, str]  # brat type -> #RRGGBB


def _folder(folder: Path, cache: dict[Path, _Folder]) -> _Folder:
    if folder in cache:
        return cache[folder]
    file = folder / METADATA_FILE
    try:
        data = load_json(file, file.read_text(encoding="utf-8")) if file.is_file() else {}
    except (OSError, ValueError) as error:
        raise ImportFileError(file, f"cannot read ({error})") from None
    names, colors, section = {}, {}, ""
    visual = folder / "visual.conf"
    for line in (visual.read_text(encoding="utf-8").split("\n") if visual.is_file() else []):
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line
        elif section == "[labels]" and "|" in line:
            kind, display = (part.strip() for part in line.split("|")[:2])
            if display != kind and display.replace(" ", "_") == kind:  # only undo our own '_' for ' '
                names[kind] = display
        elif section == "[drawing]" and (match := re.match(r"^(\S+)\s.*bgColor:(#[0-9A-Fa-f]{6})\b", line)):
            colors[match[1]] = match[2].upper()
    cache[folder] = _Folder(data if isinstance(data, dict) else {}, names, colors)
    return cache[folder]


def _metadata(txt: Path, folder: _Folder) -> dict[str, Any]:
    found = folder.metadata.get(txt.stem)
    metadata = {k: v for k, v in found.items() if k != "id"} if isinstance(found, dict) else {}
    return {"title": txt.stem, **metadata, "source_path": str(txt), "source_format": "brat"}


def read_pair(txt: Path, ann: Path, pending: PendingSet, cache: dict[Path, _Folder]) -> None:
    text = decode(txt, txt.read_bytes())
    folder = _folder(txt.parent, cache)
    document = PendingDocument(ann, None, text, metadata=_metadata(txt, folder))
    spans: dict[str, PendingAnnotation] = {}
    relations: dict[str, PendingRelation] = {}
    later: list[tuple[int, str, str]] = []  # A, #, N lines refer to T/R lines that may come after them
    for number, line in enumerate(decode(ann, ann.read_bytes()).split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        ident, kind = fields[0], fields[0][:1]
        if kind == "T":
            if len(fields) < 2:
                raise ImportFileError(ann, "a T line needs: ID<TAB>TYPE START END<TAB>TEXT", number)
            if ";" in fields[1]:
                raise ImportFileError(ann, f"{ident} is a discontinuous span ({fields[1]}): not supported", number)
            match = _SPAN.match(fields[1])
            if not match:
                raise ImportFileError(ann, f"cannot read span {fields[1]!r}: expected TYPE START END", number)
            quote = "\t".join(fields[2:]) if len(fields) > 2 else None
            label = folder.names.get(match[1], match[1])
            if match[1] in folder.colors:
                pending.labels.setdefault(label, {"color": folder.colors[match[1]]})
            spans[ident] = PendingAnnotation(f"{ann}#{ident}", int(match[2]), int(match[3]), label, line=number,
                                             quote=quote, coerce=True)
        elif kind == "R":
            parts = fields[1].split() if len(fields) > 1 else []
            args = dict(p.split(":", 1) for p in parts[1:] if ":" in p)
            if len(parts) != 3 or set(args) != {"Arg1", "Arg2"}:
                raise ImportFileError(ann, f"cannot read relation {line!r}: expected ID<TAB>TYPE Arg1:T1 Arg2:T2",
                                      number)
            relations[ident] = PendingRelation(f"{ann}#{args['Arg1']}", f"{ann}#{args['Arg2']}", parts[0], ann,
                                               number)
        elif kind in ("A", "M", "#", "N"):
            later.append((number, ident, line))
        elif kind in ("E", "*"):
            what = "events (E lines)" if kind == "E" else "equivalences (* lines)"
            raise ImportFileError(ann, f"brat {what} are not supported", number)
        else:
            raise ImportFileError(ann, f"cannot read line {line!r}", number)
    for number, ident, line in later:
        _annotate(ann, number, ident, line, spans, relations, pending)
    document.annotations = list(spans.values())
    pending.documents.append(document)
    for relation in relations.values():
        for key in (relation.source, relation.target):
            if key.rpartition("#")[2] not in spans:
                raise ImportFileError(ann, f"relation refers to {key.rpartition('#')[2]}, which is not a T line",
                                      relation.line)
        pending.relations.append(relation)


def _annotate(ann: Path, number: int, ident: str, line: str, spans: dict[str, PendingAnnotation],
              relations: dict[str, PendingRelation], pending: PendingSet) -> None:
    """Attach an A/M, # or N line to the span or relation it names."""
    fields = line.split("\t")
    parts = fields[1].split() if len(fields) > 1 else []
    kind = ident[:1]
    if kind == "#":
        if len(parts) != 2 or len(fields) < 3:
            raise ImportFileError(ann, "a note line needs: #ID<TAB>AnnotatorNotes TARGET<TAB>TEXT", number)
        target: PendingAnnotation | PendingRelation | None = spans.get(parts[1]) or relations.get(parts[1])
        if target is None:
            raise ImportFileError(ann, f"note on {parts[1]}, which is not a T or R line", number)
        text = "\t".join(fields[2:])
        target.note = f"{target.note}\n{text}" if target.note else text
        return
    if kind == "N":
        if len(parts) != 3 or ":" not in parts[2]:
            raise ImportFileError(ann, "a normalisation needs: NID<TAB>Reference T1 DB:ID<TAB>NAME", number)
        span = spans.get(parts[1])
        if span is None:
            raise ImportFileError(ann, f"normalisation of {parts[1]}, which is not a T line", number)
        database, _, entity_id = parts[2].partition(":")
        if database == "Annotator" and entity_id:
            span.entity_id = entity_id
            name = "\t".join(fields[2:]).strip() if len(fields) > 2 else ""
            pending.entities.setdefault(entity_id, {"id": entity_id, "name": name or entity_id, "type": "other"})
        return
    if len(parts) not in (2, 3):
        raise ImportFileError(ann, "an attribute line needs: AID<TAB>NAME TARGET [VALUE]", number)
    span = spans.get(parts[1])
    if span is None:
        raise ImportFileError(ann, f"attribute on {parts[1]}: only attributes of T lines are supported", number)
    span.attributes[parts[0]] = unquote(parts[2]) if len(parts) == 3 else True


def read(path: Path) -> PendingSet:
    pending = PendingSet()
    cache: dict[Path, _Folder] = {}
    for txt, ann in pairs(path):
        read_pair(txt, ann, pending, cache)
    return pending
