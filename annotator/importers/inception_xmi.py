"""Read UIMA CAS XMI (INCEpTION's ``annotation/<doc>/<user>.xmi`` layout, or loose ``.xmi`` files) with dkpro-cassis.

The type system is the ``TypeSystem.xml`` beside the file or in a folder above it (as INCEpTION's
archives and ``export --format xmi`` place it). Every ``NamedEntity`` becomes a span labelled by
its ``value``; every ``webanno.custom.Relation`` (or any type with ``Governor`` and ``Dependent``
features pointing at named entities) a relation labelled by its ``label``. The reviewer is the
file's name (``alice.xmi``); files under a ``curation`` folder (``CURATION_USER.xmi``) are the
gold layer. cassis gives offsets in code points.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.errors import ImportFileError
from annotator.exporters.inception_xmi import CURATION_USER, NAMED_ENTITY, TYPESYSTEM, check
from annotator.importers.labelled import PendingAnnotation, PendingDocument, PendingRelation, PendingSet

SUFFIXES = (".xmi",)


def _typesystem_file(path: Path) -> Path | None:
    for folder in [path.parent, *path.parent.parents][:4]:
        if (folder / TYPESYSTEM).is_file():
            return folder / TYPESYSTEM
    return None


def _feature(annotation: Any, name: str) -> Any:
    try:
        return annotation.get(name)
    except (AttributeError, KeyError):
        return None


def read(path: Path) -> PendingSet:
    from cassis import load_cas_from_xmi, load_typesystem

    check()
    found = _typesystem_file(path)
    if found is None:
        raise ImportFileError(path, f"no {TYPESYSTEM} beside the file or in a folder above it (INCEpTION's export "
                              "has one; UIMA needs it to read the types)")
    with found.open("rb") as stream:
        try:
            ts = load_typesystem(stream)
        except Exception as error:
            raise ImportFileError(found, f"not a UIMA type system ({type(error).__name__}: {error})") from None
    with path.open("rb") as stream:
        cas = load_cas_from_xmi(stream, typesystem=ts, lenient=True)
    text = cas.sofa_string
    if not isinstance(text, str) or not text.strip():
        raise ImportFileError(path, "the CAS has no text (sofa string)")
    gold = "curation" in path.parts[-3:-1] or path.stem == CURATION_USER
    reviewer = "curation" if gold else path.stem
    layer = "gold" if gold else "reviewer"
    document = PendingDocument(path, None, text, metadata={"source_format": "xmi", "title": path.parent.name
                                                           if path.parent.name.endswith(".txt") else path.stem})
    keys: dict[int, str] = {}
    if ts.contains_type(NAMED_ENTITY):
        for entity in cas.select(NAMED_ENTITY):
            label = _feature(entity, "value")
            if not isinstance(label, str) or not label:
                raise ImportFileError(path, f"named entity at {entity.begin}–{entity.end} has no value (label)")
            key = keys[entity.xmiID] = f"{path}#{entity.xmiID}"
            document.annotations.append(PendingAnnotation(key, entity.begin, entity.end, label, annotator=reviewer,
                                                          layer=layer))
    pending = PendingSet(documents=[document])
    for type_ in ts.get_types():
        names = {f.name for f in type_.all_features}
        if not {"Governor", "Dependent"} <= names:
            continue
        for relation in cas.select(type_.name):
            governor, dependent = _feature(relation, "Governor"), _feature(relation, "Dependent")
            source = keys.get(getattr(governor, "xmiID", -1))
            target = keys.get(getattr(dependent, "xmiID", -1))
            label = _feature(relation, "label") if "label" in names else None
            if source is None or target is None:
                raise ImportFileError(path, f"{type_.name} at {relation.begin}–{relation.end} does not link two "
                                      "named entities")
            if not isinstance(label, str) or not label:
                raise ImportFileError(path, f"{type_.name} at {relation.begin}–{relation.end} has no label")
            pending.relations.append(PendingRelation(source, target, label, path, None, annotator=reviewer,
                                                     layer=layer))
    return pending
