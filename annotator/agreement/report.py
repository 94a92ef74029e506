"""An inter-annotator agreement report over a corpus, as a JSON-serialisable dict.

See docs/agreement.md for the measures and conventions. In short:

* An annotator *took part* in a document when the document's span mapping has a
  key for them; an empty list means "annotated, found nothing". Pairwise measures
  use the documents both annotators took part in; Fleiss' kappa and alpha-u use
  the documents all selected annotators took part in; alpha nominal uses every
  document (absent annotators are missing values).
* Token measures run over ``annotator.tokens.tokenize`` tokens, each labelled by
  ``token_labels`` ("O" when unannotated), concatenated across documents.
* Span P/R/F1 are micro-averaged: true/false positive and false negative counts
  are summed over documents.
* alpha-u runs over the concatenated character continua of the documents.
* Undefined values are ``None`` (NaN in the API functions).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from annotator.agreement.kappa import (
    alpha_nominal,
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
)
from annotator.agreement.spans import EMPTY_PRF, PRF, span_prf
from annotator.agreement.unitizing import alpha_unitizing
from annotator.tokens import UNANNOTATED, token_labels, tokenize

Span = tuple[int, int, str]
Doc = tuple[Hashable, str, Mapping[str, Sequence[Span]]]


@dataclass(frozen=True)
class _Doc:
    doc_id: Any
    length: int
    n_tokens: int
    spans: dict[str, list[Span]]  # only annotators who took part
    tokens: dict[str, list[str]]  # annotator -> label per token
    tokens_by_label: dict[str, dict[str, list[str]]]  # label -> annotator -> L or O


def agreement_report(
    docs: Iterable[Doc],
    annotators: Sequence[str],
    labels: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Agreement between ``annotators`` over ``docs``: corpus, per label, per document.

    ``docs`` yields ``(doc_id, text, {annotator: [(start, end, label), ...]})``.
    ``labels`` restricts the report to these labels (spans with other labels are
    ignored); by default every label the selected annotators used.
    """
    annotators = list(dict.fromkeys(annotators))
    wanted = None if labels is None else set(labels)
    raw = [(doc_id, text, _selected_spans(spans, annotators, wanted)) for doc_id, text, spans in docs]
    if labels is None:
        names = sorted({lab for _, _, spans in raw for ss in spans.values() for *_, lab in ss})
    else:
        names = list(dict.fromkeys(labels))
    prepared = [_prepare(doc_id, text, spans, names) for doc_id, text, spans in raw]
    return _json_safe(
        {
            "annotators": annotators,
            "labels": names,
            "unannotated_label": UNANNOTATED,
            "n_documents": len(prepared),
            "corpus": _block(prepared, annotators, names),
            "documents": [
                {
                    "doc_id": _json_id(doc.doc_id),
                    "length": doc.length,
                    "n_tokens": doc.n_tokens,
                    "annotators": [a for a in annotators if a in doc.spans],
                    **_block([doc], annotators, names),
                }
                for doc in prepared
            ],
        }
    )


def _selected_spans(
    spans: Mapping[str, Sequence[Span]], annotators: list[str], wanted: set[str] | None
) -> dict[str, list[Span]]:
    """The spans of the selected annotators who took part, restricted to ``wanted``."""
    return {
        name: [(int(s), int(e), str(lab)) for s, e, lab in spans[name] if wanted is None or lab in wanted]
        for name in annotators
        if name in spans
    }


def _prepare(doc_id: Any, text: str, spans: dict[str, list[Span]], names: list[str]) -> _Doc:
    tokens = tokenize(text)
    return _Doc(
        doc_id=doc_id,
        length=len(text),
        n_tokens=len(tokens),
        spans=spans,
        tokens={a: token_labels(tokens, ss) for a, ss in spans.items()},
        tokens_by_label={
            lab: {a: token_labels(tokens, [s for s in ss if s[2] == lab]) for a, ss in spans.items()} for lab in names
        },
    )


def _block(docs: list[_Doc], annotators: list[str], names: list[str]) -> dict[str, Any]:
    overall = _measures(docs, annotators, label=None, token_view=lambda d: d.tokens)
    overall["confusion_matrices"] = [
        {"a": a, "b": b, **_confusion(docs, a, b, [*names, UNANNOTATED])} for a, b in combinations(annotators, 2)
    ]
    per_label = {
        lab: _measures(
            docs,
            annotators,
            label=lab,
            token_view=_label_view(lab),
        )
        for lab in names
    }
    return {"overall": overall, "per_label": per_label}


def _label_view(lab: str) -> Callable[[_Doc], dict[str, list[str]]]:
    """Token labels of one label only; a closure per label, since a lambda in the comprehension would see the last one."""
    return lambda d: d.tokens_by_label[lab]


def _measures(
    docs: list[_Doc],
    annotators: list[str],
    label: str | None,
    token_view: Callable[[_Doc], dict[str, list[str]]],
) -> dict[str, Any]:
    """Pairwise and multi-rater measures, for all labels (``None``) or one."""
    complete = [d for d in docs if all(a in d.spans for a in annotators)]
    pairwise = []
    for a, b in combinations(annotators, 2):
        both = [d for d in docs if a in d.spans and b in d.spans]
        labels_a = [x for d in both for x in token_view(d)[a]]
        labels_b = [x for d in both for x in token_view(d)[b]]
        exact = overlap = EMPTY_PRF
        for d in both:
            exact += span_prf(d.spans[a], d.spans[b], "exact", label)
            overlap += span_prf(d.spans[a], d.spans[b], "overlap", label)
        pairwise.append(
            {
                "a": a,
                "b": b,
                "n_documents": len(both),
                "n_tokens": len(labels_a),
                "exact": exact.as_dict(),
                "overlap": overlap.as_dict(),
                "cohen_kappa": cohen_kappa(labels_a, labels_b),
                "cohen_kappa_annotated_only": cohen_kappa(labels_a, labels_b, include_unannotated=False),
            }
        )
    ratings = [
        [x for d in docs for x in (token_view(d)[a] if a in d.spans else [None] * d.n_tokens)] for a in annotators
    ]
    fleiss = None
    if len(annotators) >= 3:
        items = [item for d in complete for item in zip(*(token_view(d)[a] for a in annotators), strict=True)]
        fleiss = fleiss_kappa(items)
    return {
        "pairwise": pairwise,
        "n_documents_all_annotators": len(complete),
        "fleiss_kappa": fleiss,
        "alpha_nominal": alpha_nominal(ratings),
        "alpha_unitizing": _corpus_alpha_u(complete, annotators, label),
    }


def _corpus_alpha_u(docs: list[_Doc], annotators: list[str], label: str | None) -> float:
    units: dict[str, list[Span]] = {a: [] for a in annotators}
    offset = 0
    for d in docs:
        for a in annotators:
            units[a].extend((s + offset, e + offset, lab) for s, e, lab in d.spans[a])
        offset += d.length
    return alpha_unitizing(offset, units, label)


def _confusion(docs: list[_Doc], a: str, b: str, names: list[str]) -> dict[str, Any]:
    both = [d for d in docs if a in d.spans and b in d.spans]
    labels, matrix = confusion_matrix(
        [x for d in both for x in d.tokens[a]],
        [x for d in both for x in d.tokens[b]],
        names,
    )
    return {"labels": labels, "matrix": matrix}


def _json_id(doc_id: Any) -> Any:
    return doc_id if isinstance(doc_id, (str, int, float, bool)) or doc_id is None else str(doc_id)


def _json_safe(value: Any) -> Any:
    """NaN and infinities become None; tuples become lists; PRF becomes a dict."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, PRF):
        return _json_safe(value.as_dict())
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value
