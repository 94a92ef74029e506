"""``brat``: a folder of ``.txt`` + ``.ann`` standoff pairs that the brat annotation tool opens as is.

brat's ``.ann`` lines are whitespace-delimited, so names (labels, attributes, relation types)
have their spaces turned into ``_``. An attribute value is one token that brat shows as written:
a space becomes ``_``, and only what would be ambiguous or break a line or ``annotation.conf``
(``_`` itself, ``%``, ``|``, ``,`` and other whitespace) is percent-encoded; ``decode_value`` in
``annotator.importers.brat`` undoes it. ``N`` lines name an entity by its id without hyphens
(``Annotator:0f1e...``), the form brat's and bratly's readers accept.
``annotation.conf`` and ``visual.conf`` make the folder a brat collection with our colours.
"""

from __future__ import annotations

import functools
import json
import os
import re
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from annotator.defaults import RELATION_TYPES
from annotator.exporters.common import ExportFormat, ExportJob, create_file, without_collector
from annotator.models import Document, Relation

_ESCAPE_RE = re.compile(r"[_%|,]|(?! )\s")
"""Characters of a value written as %XX (UTF-8): ``_`` (it stands for a space), ``%``, conf separators, whitespace but space."""
METADATA_FILE = "metadata.json"
"""Document metadata by file stem; brat ignores it, the importer reads titles and outlets back from it."""
METADATA_FIELDS = ("id", "title", "outlet", "author", "url", "published", "language", "status")


@functools.lru_cache(maxsize=1024)
def name(text: str) -> str:
    """A brat type or attribute name: no whitespace. Cached: the few labels come back on every line."""
    return re.sub(r"\s", "_", text.strip()) or "_"


def encode_value(value: Any) -> str | None:
    """An attribute value as one brat token, or None when brat cannot hold it (empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float | str):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _ESCAPE_RE.sub(_percent, text).replace(" ", "_")


@functools.lru_cache(maxsize=4096)
def _encode_text(value: str) -> str | None:
    """``encode_value`` of a string, cached: most values are a few choices that come back on every span."""
    return encode_value(value)


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def entity_ref(entity_id: str) -> str:
    """An entity id as a brat database id: a UUID without its hyphens (bratly reads only word characters there)."""
    try:
        if str(uuid.UUID(entity_id)) == entity_id:
            return uuid.UUID(entity_id).hex
    except ValueError:
        pass
    return entity_id


_BREAK_RE = re.compile(r"\r\n|[\n\r\u2028\u2029\x85]")
_one_line = _BREAK_RE.sub  # _one_line(" ", text) is one_line(text) without a Python call
_BREAKS = "\n\r\u2028\u2029\x85"
"""Every character a ``_BREAK_RE`` match holds: five ``in`` tests (a memchr each) tell whether a document's quotes
have a line break ten times faster than the regular expression's search."""


def one_line(text: str) -> str:
    return _BREAK_RE.sub(" ", text)


def _spaced(text: str) -> str:
    """``one_line(text)`` by ``str.replace`` (memchr-fast, where the regex tried its two branches at every character):
    each CRLF first, then each break character left; a CRLF is never split, as the regex's first branch takes it."""
    if "\r" in text:
        text = text.replace("\r\n", " ").replace("\r", " ")
    for character in "\n\u2028\u2029\x85":
        if character in text:
            text = text.replace(character, " ")
    return text


_NOT_WORD = re.compile(r"[^\w]+", flags=re.UNICODE)


def stem(number: int, title: str, id_: str) -> str:
    slug = _NOT_WORD.sub("-", title).strip("-_")[:40].strip("-_")
    return f"{number:04d}-{slug or id_[:8]}"


@dataclass
class _Seen:
    """What the .ann files used, for annotation.conf and the warnings."""

    values: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    relation_types: set[str] = field(default_factory=set)
    renamed: set[str] = field(default_factory=set)
    lost_values: int = 0
    broken_notes: int = 0
    parsed: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each distinct ``attributes`` column as parsed (read only): spans share a few values ("reported")."""
    label_names: dict[str, str] = field(default_factory=dict)
    """Label id -> its brat name (renamed ones also go to ``renamed``)."""


def _flat_quotes(quotes: tuple[str, ...]) -> tuple[str, ...]:
    """Each quote with its line breaks as spaces (``one_line``): one pass over them all (``_spaced``), joined by a
    NUL (no line break, nor part of one, so no break runs from one quote into the next), then split again; a regex
    per quote where a quote holds a NUL itself."""
    joined = "\0".join(quotes)
    if not any(character in joined for character in _BREAKS):
        return quotes
    if joined.count("\0") != len(quotes) - 1:
        return tuple(_one_line(" ", quote) for quote in quotes)
    return tuple(_spaced(joined).split("\0"))


READ = ("label_id", "quote", "entity_id", "attributes", "note")
"""The annotation columns brat writes after the start, end and id (``ExportJob.text_order_rows``): no record per
annotation is built."""


def _with_attribute_lines(job: ExportJob, t_lines: list[str], rows: list[tuple[Any, ...]], more: list[int],
                          entities: dict[str, str], seen: _Seen, notes: list[tuple[str, str]]) -> list[str]:
    """``t_lines`` with each span's A and N lines after its T line (numbered in span order); notes to ``notes``."""
    lines: list[str] = []
    a_count = n_count = done = 0
    for index in more:
        lines += t_lines[done:index + 1]
        done = index + 1
        _, _, id_, _, _, entity_id, attributes, note, _ = rows[index]
        tid = f"T{index + 1}"
        parsed = seen.parsed.get(attributes)
        if parsed is None:
            parsed = seen.parsed[attributes] = job.parse_attributes(id_, attributes)
        for key, value in parsed.items():
            encoded = _encode_text(value) if type(value) is str else encode_value(value)
            if encoded is None:
                seen.lost_values += 1
                continue
            a_count += 1
            seen.values[name(key)].add(encoded)
            lines.append(f"A{a_count}\t{name(key)} {tid} {encoded}")
        if entity_id:
            n_count += 1
            shown = one_line(entities.get(entity_id, "")).strip() or entity_id  # brat needs a non-empty name
            lines.append(f"N{n_count}\tReference {tid} Annotator:{entity_ref(entity_id)}\t{shown}")
        if note:
            notes.append((tid, note))
    lines += t_lines[done:]
    return lines


def ann_lines(job: ExportJob, document: Document, rows: list[tuple[Any, ...]], relations: list[Relation],
              entities: dict[str, str], seen: _Seen) -> list[str]:
    """The .ann file of one document: T, A and N lines per span, then R lines, then # notes.

    ``rows`` are ``text_order_rows(READ)``'s, in text order."""
    if not rows and not relations:
        return []
    starts, ends, ids, label_ids, quotes, entity_ids, attributes, notes_of, _ = zip(*rows) if rows else [()] * 9
    names = seen.label_names
    for label_id in set(label_ids) - names.keys():
        label = job.label_name(label_id)
        names[label_id] = name(label)
        if names[label_id] != label:
            seen.renamed.add(label)
    # Every span's T line at once; the spans with attributes, an entity or a note get their A, N and # lines below.
    quotes = _flat_quotes(quotes)
    lines = [f"T{index}\t{names[label_id]} {start} {end}\t{quote}"
             for index, label_id, start, end, quote in zip(count(1), label_ids, starts, ends, quotes)]
    more = [] if attributes.count("{}") == len(attributes) and not any(entity_ids) and not any(notes_of) else [
        index for index, (values, entity_id, note) in enumerate(zip(attributes, entity_ids, notes_of))
        if values != "{}" or entity_id or note]  # the columns tested whole first (in C): most spans have none
    notes: list[tuple[str, str]] = []
    if more:
        lines = _with_attribute_lines(job, lines, rows, more, entities, seen, notes)
    if not relations:
        _note_lines(lines, notes, seen)
        return lines
    t_ids = {id_: f"T{index}" for index, id_ in enumerate(ids, start=1)}
    inside = []
    for relation in relations:
        if relation.target_id in t_ids:
            inside.append(relation)
        else:
            job.drop(document.id, relation, "relation across documents: brat links spans of one text only")
    order = {id_: n for n, id_ in enumerate(t_ids)}
    # By span, not by creation time, so export -> import -> export writes the same lines.
    inside.sort(key=lambda r: (order[r.source_id], order[r.target_id], r.label))
    for number, relation in enumerate(inside, start=1):
        seen.relation_types.add(name(relation.label))
        lines.append(f"R{number}\t{name(relation.label)} Arg1:{t_ids[relation.source_id]} "
                     f"Arg2:{t_ids[relation.target_id]}")
        if relation.note:
            notes.append((f"R{number}", relation.note))
    _note_lines(lines, notes, seen)
    return lines


def _note_lines(lines: list[str], notes: list[tuple[str, str]], seen: _Seen) -> None:
    """The ``#`` lines of ``notes`` ((T or R id, note)), after ``lines``."""
    for number, (target, text) in enumerate(notes, start=1):
        flat = one_line(text)
        seen.broken_notes += flat != text
        lines.append(f"#{number}\tAnnotatorNotes {target}\t{flat}")


WRITERS = 4
"""Threads creating and writing the files while the next documents' lines are built: creating 2,000 files is
system time (the GIL is released), as long as building their lines; one after the other they added up."""


def _write_pair(text_path: str, text: str, ann_path: str, ann: str) -> None:
    """A document's .txt and .ann, UTF-8 as written (no newline translation)."""
    create_file(text_path, text.encode("utf-8"))
    create_file(ann_path, ann.encode("utf-8"))


def write(job: ExportJob, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    metadata: dict[str, dict[str, Any]] = {}
    seen = _Seen()
    entities = {e.id: e.name for e in job.selection.entities}
    into = os.path.join(folder, "")  # file names as strings: two Path objects per document cost more than their text
    with ThreadPoolExecutor(WRITERS) as pool:  # on leaving (an error, a Cancel too) it waits for the writes
        written = []
        for number, (document, text, rows, relations) in enumerate(job.text_order_rows(READ), start=1):
            base = stem(number, document.title, document.id)
            lines = ann_lines(job, document, rows, relations, entities, seen)
            written.append(pool.submit(_write_pair, f"{into}{base}.txt", text, f"{into}{base}.ann",
                                       "\n".join(lines) + "\n" if lines else ""))
            # The fields as Document.to_dict orders them (METADATA_FIELDS is in field order), without its deep copy.
            metadata[base] = {k: value for k in METADATA_FIELDS if (value := getattr(document, k))}
        for future in written:
            future.result()  # the first failed write raises here
    (folder / METADATA_FILE).write_text(json.dumps(metadata, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _write_conf(job, folder, seen.values, seen.relation_types)
    if seen.renamed:
        job.warn(f"brat names cannot hold spaces: labels {', '.join(sorted(seen.renamed))} are written with '_' "
                 "(visual.conf keeps the real name, and the importer maps them back)")
    if seen.lost_values:
        job.warn(f"{seen.lost_values} empty attribute values left out (brat has no empty value)")
    if seen.broken_notes:
        job.warn(f"{seen.broken_notes} notes had line breaks, written as spaces (an .ann line cannot hold them)")
    job.warn_merged_reviewers("brat")


def _write_conf(job: ExportJob, folder: Path, values_seen: dict[str, set[str]], relation_types: set[str]) -> None:
    """annotation.conf (types, relations, attributes; overlaps allowed) and visual.conf (colours)."""
    spans = [label for label in job.labels if label.kind == "span"]
    relations = sorted(relation_types | {name(r) for r in RELATION_TYPES}
                       | {name(label.name) for label in job.labels if label.kind == "relation"})
    definitions = {name(d["name"]): d for label in spans for d in label.attributes}
    attributes = []
    for key in sorted(set(definitions) | set(values_seen)):
        definition = definitions.get(key, {})
        if definition.get("type") == "choice":
            encoded = (encode_value(v) for v in definition.get("choices", []))
            values = {v for v in encoded if v is not None} | values_seen.get(key, set())
        elif definition.get("type") == "boolean":
            values = {"true", "false"}
        else:
            values = values_seen.get(key, set())
        if values:
            attributes.append(f"{key}\tArg:<ENTITY>, Value:{'|'.join(sorted(values))}")
    conf = ["[entities]", *(name(label.name) for label in spans), "", "[relations]",
            *(f"{r}\tArg1:<ENTITY>, Arg2:<ENTITY>" for r in relations),
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "", "[attributes]",
            *attributes]
    (folder / "annotation.conf").write_text("\n".join(conf) + "\n", encoding="utf-8")
    visual = ["[labels]", *(f"{name(label.name)} | {label.name}" for label in spans), "", "[drawing]",
              *(f"{name(label.name)}\tbgColor:{label.color.lower()}" for label in spans)]
    (folder / "visual.conf").write_text("\n".join(visual) + "\n", encoding="utf-8")


FORMAT = ExportFormat(
    name="brat",
    title="brat standoff (.txt + .ann)",
    filename="",
    suffixes=(),
    importable=True,
    write=without_collector(write),
    writes=("*.ann", "[0-9][0-9][0-9][0-9]-*.txt", "annotation.conf", "visual.conf", METADATA_FILE),
    notes="""
A folder of `NNNN-title.txt` (the text, UTF-8, `\\n` line breaks) and `NNNN-title.ann` pairs in
brat's standoff format, plus `annotation.conf` and `visual.conf` so brat opens the folder as a
collection, and `metadata.json` (titles, outlets, ids by file name; brat ignores it).

- `T` lines: `T1<TAB>Label START END<TAB>quote`. Offsets are code points into the `.txt`, end
  exclusive, as brat counts them (like Python). Line breaks inside a quote are written as spaces.
- `A` lines: `A1<TAB>attribute T1 value`. A brat value is one token, shown as written: a space is
  written `_` (`at least` -> `at_least`); `_` itself, `%`, `|`, `,`, tabs and line breaks are
  percent-encoded (`%5F`, `%25`, `%7C`, `%2C`, `%09`...); everything else (accents, emoji) is
  written as is. Booleans are `true`/`false`; lists and objects are compact JSON. The importer
  reverses this: `_` -> space, then percent-decoding.
- `R` lines: `R1<TAB>relation Arg1:T1 Arg2:T2`.
- `N` lines link a span to an entity: `N1<TAB>Reference T1 Annotator:ENTITYID<TAB>name`, the
  entity id without its hyphens (32 hex digits) so brat's and bratly's readers accept it.
- `#` lines: `#1<TAB>AnnotatorNotes T1<TAB>note` (line breaks become spaces).
- Spaces in label, attribute and relation names become `_`.

Not written: reviewer and layer (brat has no author per annotation); relations across documents.
""",
)
