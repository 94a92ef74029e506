"""Named-entity candidates from a spaCy pipeline, for actor suggestions.

spaCy is the optional ``spacy`` extra and no pipeline ships with Annotator: a pipeline is used
when one is named (a package such as ``en_core_web_sm`` or a folder saved with ``nlp.to_disk``),
otherwise the first installed one, otherwise none and the suggestions come from the entity
registry alone. Nothing is ever downloaded. A named pipeline that cannot be loaded is a user
error (one line), never a silent fallback: the reviewer asked for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from annotator.errors import AnnotatorError

TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
CHUNK = 100_000  # spaCy refuses texts over nlp.max_length (1M by default) and slows on long ones
_NEEDED = {"ner", "entity_ruler", "span_ruler", "tok2vec", "transformer"}


class NerModelMissing(AnnotatorError):
    """A named spaCy pipeline is not installed or cannot be read."""


@lru_cache(maxsize=4)
def pipeline(name: str | None = None) -> Any:
    """The pipeline called ``name`` (package or folder), the first installed one when None, or None."""
    try:
        import spacy
    except ImportError:
        if name:
            raise NerModelMissing(f"cannot use the spaCy pipeline {name!r}: spaCy is not installed "
                                  "(pip install 'annotator[spacy]')") from None
        return None
    if not name:
        installed = spacy.util.get_installed_models()
        if not installed:
            return None
        name = installed[0]
    try:
        return spacy.load(name)
    except (OSError, ValueError, KeyError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise NerModelMissing(f"cannot load the spaCy pipeline {name!r} ({first[:160]}); install it with "
                              f"'python -m spacy download {name}' or give a folder saved by spaCy") from None


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) of at most about CHUNK characters, cut at a line break (else a space) so
    no entity is split."""
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def entities(nlp: Any, text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, spaCy label, text) of each PERSON / ORG / NORP / GPE entity; code point offsets."""
    disable = [n for n in nlp.pipe_names if n not in _NEEDED]
    pieces = list(_chunks(text))
    out: list[tuple[int, int, str, str]] = []
    for (offset, _), doc in zip(pieces, nlp.pipe((p for _, p in pieces), disable=disable)):
        out.extend((offset + e.start_char, offset + e.end_char, e.label_, e.text) for e in doc.ents if e.label_ in TYPES)
    return out
