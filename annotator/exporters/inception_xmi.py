"""``xmi``: UIMA CAS XMI as INCEpTION keeps it, written with dkpro-cassis (the UIMA project's Python CAS).

INCEpTION stores one CAS per document per user; its project archives hold them as
``annotation/<document>/<user>.xmi`` and the curated (gold) version as
``curation/<document>/CURATION_USER.xmi``, with the texts under ``source/``. We write that layout
plus one ``TypeSystem.xml``. Spans are DKPro Core ``NamedEntity`` annotations (INCEpTION's built-in
Named Entity layer) whose ``value`` is the label; relations are a custom relation layer
``webanno.custom.Relation`` (``Governor`` → ``Dependent``, ``label``), spanning the dependent as
INCEpTION does. cassis converts our code-point offsets to the UTF-16 offsets Java reads.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import AnnotatorError
from annotator.exporters.brat import stem
from annotator.exporters.common import ExportFormat, ExportJob

if TYPE_CHECKING:
    from cassis import TypeSystem

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
RELATION = "webanno.custom.Relation"
TYPESYSTEM = "TypeSystem.xml"
CURATION_USER = "CURATION_USER"


def check() -> None:
    try:
        import cassis  # noqa: F401
    except ImportError:
        raise AnnotatorError("the xmi format needs dkpro-cassis: pip install dkpro-cassis") from None


def typesystem() -> TypeSystem:
    """The few types we write: DKPro Core's NamedEntity and DocumentMetaData, and our relation layer."""
    from cassis import TypeSystem

    ts = TypeSystem()
    entity = ts.create_type(NAMED_ENTITY, supertypeName="uima.tcas.Annotation")
    ts.create_feature(entity, "value", "uima.cas.String")
    ts.create_feature(entity, "identifier", "uima.cas.String")
    metadata = ts.create_type(METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for feature in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri", "baseUri"):
        ts.create_feature(metadata, feature, "uima.cas.String")
    ts.create_feature(metadata, "isLastSegment", "uima.cas.Boolean")
    relation = ts.create_type(RELATION, supertypeName="uima.tcas.Annotation")
    ts.create_feature(relation, "Governor", NAMED_ENTITY)
    ts.create_feature(relation, "Dependent", NAMED_ENTITY)
    ts.create_feature(relation, "label", "uima.cas.String")
    return ts


def safe_user(name: str) -> str:
    """A reviewer's name as a file name (INCEpTION user names are plain; ours may hold anything)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_.@" else "_" for ch in name).strip(".")
    return cleaned or "reviewer"


def write(job: ExportJob, folder: Path) -> None:
    from cassis import Cas

    ts = typesystem()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TYPESYSTEM).write_text(ts.to_xml(), encoding="utf-8", newline="\n")
    Entity, Relation, Metadata = ts.get_type(NAMED_ENTITY), ts.get_type(RELATION), ts.get_type(METADATA)
    with_attributes = with_notes = 0
    for number, item in enumerate(job.documents(), start=1):
        document = item.document
        name = stem(number, document.title, document.id) + ".txt"
        source = folder / "source"
        source.mkdir(exist_ok=True)
        (source / name).write_text(document.text, encoding="utf-8", newline="")
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for a in item.annotations:
            groups[(CURATION_USER, "curation") if a.layer == "gold" else (safe_user(a.annotator), "annotation")].append(a)
            with_attributes += bool(a.attributes)
            with_notes += bool(a.note)
        placed: dict[str, tuple[tuple[str, str], Any]] = {}
        cases: dict[tuple[str, str], Any] = {}
        for key, spans in groups.items():
            cas = cases[key] = Cas(typesystem=ts)
            cas.sofa_string = document.text
            if document.language:
                cas.document_language = document.language
            cas.add(Metadata(begin=0, end=len(document.text), documentTitle=name, documentId=document.id,
                             language=document.language or "x-unspecified"))
            for a in spans:
                entity = Entity(begin=a.start, end=a.end, value=a.label)
                cas.add(entity)
                placed[a.id] = (key, entity)
        for r in item.relations:
            source_key, governor = placed.get(r.source_id, (None, None))
            target_key, dependent = placed.get(r.target_id, (None, None))
            if source_key is None or governor is None or dependent is None or source_key != target_key:
                job.drop(document.id, r, "relation between spans of different reviewers, layers or documents: "
                         "a CAS holds one user's annotations of one document")
                continue
            cases[source_key].add(Relation(begin=dependent.begin, end=dependent.end, Governor=governor,
                                           Dependent=dependent, label=r.label))
        for (user, area), cas in sorted(cases.items()):
            target = folder / area / name
            target.mkdir(parents=True, exist_ok=True)
            (target / f"{user}.xmi").write_text(cas.to_xmi(), encoding="utf-8", newline="\n")
    if with_attributes or with_notes:
        job.warn(f"the xmi export writes labels only: left out the attributes of {with_attributes} and the notes of "
                 f"{with_notes} annotations")


FORMAT = ExportFormat(
    name="xmi",
    title="UIMA CAS XMI for INCEpTION (dkpro-cassis)",
    filename="",
    suffixes=(),
    importable=True,
    write=write,
    check=check,
    notes="""
INCEpTION's layout of UIMA CAS XMI files, written with dkpro-cassis:

- `TypeSystem.xml`: the types used (below); `source/NNNN-Title.txt`: the texts.
- `annotation/NNNN-Title.txt/REVIEWER.xmi`: one CAS per document and reviewer;
  `curation/NNNN-Title.txt/CURATION_USER.xmi`: the gold layer (INCEpTION's curation).
- A span is a `de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity` (INCEpTION's built-in
  "Named entity" layer) with `value` = the label. A relation is a `webanno.custom.Relation`
  (`Governor` = source span, `Dependent` = target span, `label` = the type), over the
  dependent's offsets, as INCEpTION's relation layers are; add a relation layer named
  `Relation` on Named entity with a string feature `label` to see them in INCEpTION.
- `DocumentMetaData` carries the document name (`documentTitle`) and our id (`documentId`).

**Offsets in the XMI are UTF-16 code units** (UIMA is Java); cassis converts them to and from
code points, so `annotation.get_covered_text()` in Python is the span. In INCEpTION, import
an `.xmi` with its `TypeSystem.xml` in a ZIP using the "UIMA CAS XMI (XML 1.0)" format.

Not written: attributes, notes, entity links; the reviewer of a gold span; relations between
spans of different reviewers or layers, or across documents.
""",
)
