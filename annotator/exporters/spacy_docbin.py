"""``spacy``: a spaCy ``DocBin`` (``.spacy``) for ``spacy train``: ``doc.ents`` for NER, ``doc.spans`` for spancat.

spaCy is optional (the ``spacy`` extra) and heavy, so it is imported only when this format
runs. Docs are built from ``annotator.tokens.tokenize`` (plus spaCy-style whitespace tokens), so
``doc.text`` is the document's text exactly and tokens match the CoNLL export. ``doc.ents``
cannot overlap: they are chosen by ``alignment.non_overlapping``; every span is in
``doc.spans["sc"]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.exporters.alignment import Aligned, align, non_overlapping, reason
from annotator.exporters.common import ExportFormat, ExportJob
from annotator.exporters.jsonl import ANNOTATION_FIELDS, DOCUMENT_FIELDS, RELATION_FIELDS
from annotator.tokens import tokenize

SPANS_KEY = "sc"
"""spaCy's default span key for the spancat component."""
USER_DATA_KEY = "annotator"


def words_and_spaces(text: str, tokens: list[tuple[int, int]]) -> tuple[list[str], list[bool], list[int]]:
    """spaCy ``Doc`` words and trailing-space flags that reproduce ``text``, and our token -> Doc token index.

    As spaCy's own tokenizer does, one space after a token is its ``whitespace_``; any other
    whitespace becomes a token of its own.
    """
    words: list[str] = []
    spaces: list[bool] = []
    index: list[int] = []

    def gap(chunk: str) -> None:
        if chunk and words and chunk[0] == " " and not spaces[-1]:
            spaces[-1] = True
            chunk = chunk[1:]
        if chunk:
            words.append(chunk)
            spaces.append(False)

    position = 0
    for start, end in tokens:
        gap(text[position:start])
        index.append(len(words))
        words.append(text[start:end])
        spaces.append(False)
        position = end
    gap(text[position:])
    return words, spaces, index


def _span(span_class: Any, doc: Any, index: list[int], item: Aligned) -> Any:
    """A spaCy ``Span`` over whole tokens; ``id_`` is the annotation id, ``kb_id_`` the linked entity."""
    a = item.annotation
    return span_class(doc, index[item.first], index[item.last - 1] + 1, label=a.label, kb_id=a.entity_id or "",
                      span_id=a.id)


def write(job: ExportJob, target: Path) -> None:
    from spacy.tokens import Doc, DocBin, Span
    from spacy.vocab import Vocab

    vocab = Vocab()
    docbin = DocBin(store_user_data=True)
    widened = 0
    for item in job.documents():
        text = item.document.text
        tokens = tokenize(text)
        words, spaces, index = words_and_spaces(text, tokens)
        doc = Doc(vocab, words=words, spaces=spaces)
        assert doc.text == text, "spaCy tokens must reproduce the text"
        aligned, untokened = align(tokens, item.annotations)
        for a in untokened:
            job.drop(item.document.id, a, "no token: the span covers only whitespace, left out of doc.ents and doc.spans")
        kept, dropped = non_overlapping(aligned)
        for loser, winner in dropped:
            job.drop(item.document.id, loser.annotation, "left out of doc.ents (still in doc.spans) — "
                     + reason(loser, winner))
        doc.set_ents([_span(Span, doc, index, s) for s in kept], default="outside")
        doc.spans[SPANS_KEY] = [_span(Span, doc, index, s) for s in aligned]
        widened += sum(s.widened for s in aligned)
        doc.user_data[USER_DATA_KEY] = {
            "document": {name: getattr(item.document, name) for name in (*DOCUMENT_FIELDS, "metadata")},
            "annotations": [{name: getattr(a, name) for name in ANNOTATION_FIELDS} for a in item.annotations],
            "relations": [{name: getattr(r, name) for name in RELATION_FIELDS} for r in item.relations],
        }
        docbin.add(doc)
    docbin.to_disk(target)
    if widened:
        job.warn(f"{widened} spans do not start or end on a token edge: in the DocBin they cover whole tokens "
                 "(the exact offsets are in doc.user_data)")


FORMAT = ExportFormat(
    name="spacy",
    title="spaCy DocBin",
    filename="dataset.spacy",
    suffixes=(".spacy",),
    importable=False,
    write=write,
    requires="spacy",
    install="spacy>=3.7",
    notes="""
A spaCy v3 `DocBin`: load with `DocBin().from_disk(path).get_docs(nlp.vocab)` (any pipeline, e.g.
`spacy.blank("xx")`); usable as `spacy train` data for `ner` and `spancat`. Needs spaCy, which the app's
Quick start does not install: the Export dialog shows this format disabled, with the command that
installs it into the app's environment (`.venv/bin/python -m pip install 'spacy>=3.7'`).

- `doc.text` is the document's text exactly; tokens are those of the CoNLL export
  (`annotator.tokens.tokenize`), whitespace other than one trailing space is a token of its own.
- `doc.ents`: non-overlapping spans; tokens outside them are `O`. Where spans share a token the
  longest (in tokens) wins, then the one that starts first, then gold over reviewer, then label,
  reviewer and id; the others are listed under "Left out" below.
- `doc.spans["sc"]`: every span, overlapping or not; `span.id_` is the annotation id,
  `span.kb_id_` the linked entity id.
- spaCy character offsets (`span.start_char`, `span.end_char`) are code points like ours. A span
  covers whole tokens: one that cuts a word covers the whole word.
- `doc.user_data["annotator"]`: the document's metadata, every annotation with its exact offsets,
  reviewer, layer, attributes and note, and the relations.
""",
)
