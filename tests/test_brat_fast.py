"""brat's ``ann_lines`` (T lines at once, a regex per quote only when one of them has a line break, A/N lines
spliced in, from raw rows) gives the lines of the plain per-span loop it replaced, kept here as the reference."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.exporters import brat
from annotator.exporters.brat import _one_line, _Seen, encode_value, entity_ref, name, one_line
from annotator.exporters.common import ExportAnnotation, ExportDocument, ExportJob
from annotator.models import Document, Relation


def plain_ann_lines(job: ExportJob, item: ExportDocument, entities: dict[str, str], seen: _Seen) -> list[str]:
    lines: list[str] = []
    t_ids: dict[str, str] = {}
    notes: list[tuple[str, str]] = []
    a_count = n_count = 0
    for index, a in enumerate(item.annotations, start=1):
        t_ids[a.id] = tid = f"T{index}"
        label = name(a.label)
        if label != a.label:
            seen.renamed.add(a.label)
        lines.append(f"{tid}\t{label} {a.start} {a.end}\t{_one_line(' ', a.quote)}")
        for key, value in a.attributes.items():
            encoded = encode_value(value)
            if encoded is None:
                seen.lost_values += 1
                continue
            a_count += 1
            seen.values[name(key)].add(encoded)
            lines.append(f"A{a_count}\t{name(key)} {tid} {encoded}")
        if a.entity_id:
            n_count += 1
            shown = one_line(entities.get(a.entity_id, "")).strip() or a.entity_id
            lines.append(f"N{n_count}\tReference {tid} Annotator:{entity_ref(a.entity_id)}\t{shown}")
        if a.note:
            notes.append((tid, a.note))
    inside = []
    for relation in item.relations:
        if relation.target_id in t_ids:
            inside.append(relation)
        else:
            job.drop(item.document.id, relation, "relation across documents: brat links spans of one text only")
    order = {id_: n for n, id_ in enumerate(t_ids)}
    inside.sort(key=lambda r: (order[r.source_id], order[r.target_id], r.label))
    for number, relation in enumerate(inside, start=1):
        seen.relation_types.add(name(relation.label))
        lines.append(f"R{number}\t{name(relation.label)} Arg1:{t_ids[relation.source_id]} "
                     f"Arg2:{t_ids[relation.target_id]}")
        if relation.note:
            notes.append((f"R{number}", relation.note))
    for number, (target, text) in enumerate(notes, start=1):
        seen.broken_notes += one_line(text) != text
        lines.append(f"#{number}\tAnnotatorNotes {target}\t{one_line(text)}")
    return lines


def draw_plain_empty(a: ExportAnnotation) -> bool:
    """Some empty attributes written as another JSON text of an empty object (``{ }``), not ``{}``."""
    return a.start % 2 == 1


class FakeJob:
    """What ann_lines asks of an ExportJob: label names, attributes parsed, what it drops."""

    parse_attributes = staticmethod(ExportJob.parse_attributes)

    def __init__(self) -> None:
        self.dropped: list[tuple[str, str, str]] = []

    def label_name(self, label_id: str) -> str:
        return {"c": "Claim", "a": "Actor name"}.get(label_id, "?")

    def drop(self, document_id: str, item: Relation, reason: str) -> None:
        self.dropped.append((document_id, item.id, reason))


PIECES = ["a", " ", "\n", "\r\n", "\u2028", "\x85", "\t", "\r", "\0", "é", "👨‍👩‍👧", "_"]
QUOTES = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)


@st.composite
def documents(draw: st.DrawFn) -> ExportDocument:
    annotations = []
    for number in range(draw(st.integers(0, 8))):
        attributes = draw(st.dictionaries(st.sampled_from(["certainty", "a b"]), st.sampled_from(["x y", "", 3, True]),
                                          max_size=2))
        annotations.append(ExportAnnotation(
            f"a{number}", "d1", number, number + 2, *draw(st.sampled_from([("Claim", "c"), ("Actor name", "a")])), draw(QUOTES),
            "", "", "bob", "gold", draw(st.sampled_from([None, "e1", "0f1e2d3c-0000-4000-8000-000000000000"])),
            attributes, draw(st.sampled_from([None, "", "a note", "two\nlines"])), "", ""))
    ids = [a.id for a in annotations] + ["elsewhere"]
    relations = [Relation(id=f"r{n}", source_id=draw(st.sampled_from(ids[:-1])), target_id=draw(st.sampled_from(ids)),
                          label=draw(st.sampled_from(["supports", "said by"])), annotator="bob", note=draw(st.sampled_from([None, "n"])))
                 for n in range(draw(st.integers(0, 3)))] if annotations else []
    return ExportDocument(Document(id="d1", title="T", text="", sha256=""), annotations, relations)


@settings(max_examples=300, deadline=None)
@given(documents())
def test_ann_lines_are_the_plain_loop(item: ExportDocument) -> None:
    entities = {"e1": "The\nministry"}
    fast_job, plain_job, fast_seen, plain_seen = FakeJob(), FakeJob(), _Seen(), _Seen()
    rows = [(a.start, a.end, a.id, a.label_id, a.quote, a.entity_id,
             json.dumps(a.attributes) if a.attributes else ("{ }" if draw_plain_empty(a) else "{}"), a.note, a.document_id)
            for a in item.annotations]  # text_order_rows' rows: (start, end, id, *brat.READ, document_id)
    fast = brat.ann_lines(fast_job, item.document, rows, item.relations, entities, fast_seen)  # type: ignore[arg-type]
    assert fast == plain_ann_lines(plain_job, item, entities, plain_seen)  # type: ignore[arg-type]
    assert fast_job.dropped == plain_job.dropped and outcome(fast_seen) == outcome(plain_seen)


def outcome(seen: _Seen) -> dict[str, object]:
    """What the export reports and writes from ``seen``; not its caches (parsed attributes, label names)."""
    return {key: value for key, value in vars(seen).items() if key not in ("parsed", "label_names")}


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\r", "\n", "\r\n", "\u2028", "\u2029", "\x85", "\x00", "قال", "👨‍👩‍👧", "\n\r"]),
                max_size=12).map("".join))
def test_spaced_is_one_line(text: str) -> None:
    """The str.replace chain brat uses on a document's joined quotes is the line-break regex's substitution."""
    from annotator.exporters.brat import _spaced

    assert _spaced(text) == one_line(text)
