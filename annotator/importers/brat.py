"""Read brat standoff: ``.txt`` + ``.ann`` pairs (a folder of them, or one pair).

Understood: ``T`` (text-bound spans), ``A``/``M`` (attributes: ``_`` read as a space, then
percent-decoded, as ``export --format brat`` writes them), ``R`` (relations), ``E`` (events:
the trigger's span plus one relation per role, from the trigger to the argument), ``#``
``AnnotatorNotes`` (notes, on spans or relations), ``N`` normalisations to ``Annotator:ENTITY-ID``
(entity links, with or without the id's hyphens; other databases are ignored). Equivalences
(``*``) and discontinuous spans have no place in a project: they stop the import with the file
and line named or, with ``problems`` (``import --skip-bad``), are left out and listed there.
Offsets are code points into the ``.txt`` as it is on disk (CRLF included); they are moved onto
the normalised text.
"""

from __future__ import annotations

import re
import uuid
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
_HEX_ID = re.compile(r"^[0-9a-f]{32}$")
SKIPS_BAD_LINES = True
"""``read`` can leave out the lines it cannot take and list them (``import --format brat --skip-bad``)."""


def decode_value(token: str) -> str:
    """An attribute value as ``exporters.brat.encode_value`` wrote it: ``_`` is a space, ``%XX`` a UTF-8 byte."""
    return unquote(token.replace("_", " "))


def entity_id(ref: str) -> str:
    """An ``Annotator:`` database id back to the entity id: 32 hex digits get the UUID's hyphens back."""
    return str(uuid.UUID(ref)) if _HEX_ID.match(ref) else ref


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


def read_pair(txt: Path, ann: Path, pending: PendingSet, cache: dict[Path, _Folder],
              problems: list[ImportFileError] | None = None) -> None:
    """Read one pair; a bad line raises, or with ``problems`` is left out and added there."""
    text = decode(txt, txt.read_bytes())
    folder = _folder(txt.parent, cache)
    document = PendingDocument(ann, None, text, metadata=_metadata(txt, folder))
    spans: dict[str, PendingAnnotation] = {}
    relations: dict[str, PendingRelation] = {}
    events: dict[str, tuple[int, str, list[tuple[str, str]]]] = {}  # E id -> line, trigger, (role, argument)
    later: list[tuple[int, str, str]] = []  # A, #, N lines refer to T/R/E lines that may come after them

    def bad(error: ImportFileError) -> None:
        if problems is None:
            raise error
        problems.append(error)

    for number, line in enumerate(decode(ann, ann.read_bytes()).split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            _line(ann, number, line, folder, spans, relations, events, later, pending)
        except ImportFileError as error:
            bad(error)
    for ident, (number, trigger, args) in events.items():
        try:
            _event(ann, number, ident, trigger, args, spans, events, relations)
        except ImportFileError as error:
            bad(error)
    for number, ident, line in later:
        try:
            _annotate(ann, number, ident, line, spans, relations, pending, events)
        except ImportFileError as error:
            bad(error)
    document.annotations = list(spans.values())
    pending.documents.append(document)
    for relation in relations.values():
        missing = [key.rpartition("#")[2] for key in (relation.source, relation.target)
                   if key.rpartition("#")[2] not in spans]
        if missing:
            bad(ImportFileError(ann, f"relation refers to {missing[0]}, which is not a T line", relation.line))
            continue
        pending.relations.append(relation)


def _line(ann: Path, number: int, line: str, folder: _Folder, spans: dict[str, PendingAnnotation],
          relations: dict[str, PendingRelation], events: dict[str, tuple[int, str, list[tuple[str, str]]]],
          later: list[tuple[int, str, str]], pending: PendingSet) -> None:
    """One line of an .ann file: a T, R or E line is read, the lines that refer to others are kept for later."""
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
    elif kind == "E":
        parts = fields[1].split() if len(fields) > 1 else []
        head = parts[0].split(":") if parts else []
        roles = [p.split(":", 1) for p in parts[1:]]
        if len(head) != 2 or not all(len(r) == 2 and r[0] and r[1] for r in roles):
            raise ImportFileError(ann, f"cannot read event {line!r}: expected ID<TAB>TYPE:TRIGGER ROLE:ID ...",
                                  number)
        events[ident] = (number, head[1], [(r[0], r[1]) for r in roles])
    elif kind in ("A", "M", "#", "N"):
        later.append((number, ident, line))
    elif kind == "*":
        raise ImportFileError(ann, "brat equivalences (* lines) are not supported", number)
    else:
        raise ImportFileError(ann, f"cannot read line {line!r}", number)


def _event(ann: Path, number: int, ident: str, trigger: str, args: list[tuple[str, str]],
           spans: dict[str, PendingAnnotation], events: dict[str, tuple[int, str, list[tuple[str, str]]]],
           relations: dict[str, PendingRelation]) -> None:
    """An event as relations from its trigger span, one per role (``Theme2`` is a second ``Theme``).

    An argument that is itself an event stands for that event's trigger span."""
    if trigger not in spans:
        raise ImportFileError(ann, f"event {ident} has trigger {trigger}, which is not a T line", number)
    for index, (role, argument) in enumerate(args, start=1):
        target = events[argument][1] if argument in events else argument
        if target not in spans:
            raise ImportFileError(ann, f"event {ident}: argument {role}:{argument} is not a T or E line", number)
        relations[f"{ident}#{index}"] = PendingRelation(f"{ann}#{trigger}", f"{ann}#{target}",
                                                        re.sub(r"\d+$", "", role) or role, ann, number)


def _annotate(ann: Path, number: int, ident: str, line: str, spans: dict[str, PendingAnnotation],
              relations: dict[str, PendingRelation], pending: PendingSet,
              events: dict[str, tuple[int, str, list[tuple[str, str]]]]) -> None:
    """Attach an A/M, # or N line to the span or relation it names (an event's: to its trigger span)."""
    fields = line.split("\t")
    parts = fields[1].split() if len(fields) > 1 else []
    kind = ident[:1]
    if kind == "#":
        if len(parts) != 2 or len(fields) < 3:
            raise ImportFileError(ann, "a note line needs: #ID<TAB>AnnotatorNotes TARGET<TAB>TEXT", number)
        named = events[parts[1]][1] if parts[1] in events else parts[1]
        target: PendingAnnotation | PendingRelation | None = spans.get(named) or relations.get(named)
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
        database, _, ref = parts[2].partition(":")
        if database == "Annotator" and ref:
            span.entity_id = found = entity_id(ref)
            name = "\t".join(fields[2:]).strip() if len(fields) > 2 else ""
            pending.entities.setdefault(found, {"id": found, "name": name or found, "type": "other"})
        return
    if len(parts) not in (2, 3):
        raise ImportFileError(ann, "an attribute line needs: AID<TAB>NAME TARGET [VALUE]", number)
    span = spans.get(events[parts[1]][1] if parts[1] in events else parts[1])
    if span is None:
        raise ImportFileError(ann, f"attribute on {parts[1]}: only attributes of T and E lines are supported", number)
    span.attributes[parts[0]] = decode_value(parts[2]) if len(parts) == 3 else True


def read(path: Path, problems: list[ImportFileError] | None = None) -> PendingSet:
    """A folder or pair; with ``problems``, lines it cannot take are left out and listed there instead of raising."""
    pending = PendingSet()
    cache: dict[Path, _Folder] = {}
    for txt, ann in pairs(path):
        read_pair(txt, ann, pending, cache, problems)
    return pending
