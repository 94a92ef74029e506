"""``xmi``: UIMA CAS XMI as INCEpTION keeps it, byte for byte as dkpro-cassis (the UIMA project's Python CAS) writes it.

INCEpTION stores one CAS per document per user; its project archives hold them as
``annotation/<document>/<user>.xmi`` and the curated (gold) version as
``curation/<document>/CURATION_USER.xmi``, with the texts under ``source/``. We write that layout
plus one ``TypeSystem.xml``. Spans are DKPro Core ``NamedEntity`` annotations (INCEpTION's built-in
Named Entity layer) whose ``value`` is the label; relations are a custom relation layer
``webanno.custom.Relation`` (``Governor`` → ``Dependent``, ``label``), spanning the dependent as
INCEpTION does. Offsets are the UTF-16 code units Java reads.

The files are written as text (``_Cas``), not through cassis objects: cassis cost 25 times the
export floor for what is a fixed handful of element kinds. ``typesystem()`` and cassis stay as the
test oracle (tests/test_export_xmi_writer.py compares both writers byte for byte and loads our
files with cassis); the importer reads with cassis.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import count
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from annotator.errors import AnnotatorError
from annotator.exporters.brat import stem
from annotator.exporters.common import ExportFormat, ExportJob, create_file

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


_TYPES = (
    (METADATA, "uima.tcas.DocumentAnnotation", (
        *((name, "uima.cas.String") for name in ("documentTitle", "documentId", "documentUri", "collectionId",
                                                  "documentBaseUri", "baseUri")),
        ("isLastSegment", "uima.cas.Boolean"))),
    (NAMED_ENTITY, "uima.tcas.Annotation", (("value", "uima.cas.String"), ("identifier", "uima.cas.String"))),
    (RELATION, "uima.tcas.Annotation", (("Governor", NAMED_ENTITY), ("Dependent", NAMED_ENTITY),
                                        ("label", "uima.cas.String"))),
)


def typesystem_xml() -> str:
    """``typesystem().to_xml()`` as cassis writes it, without building cassis objects (the tests compare the two)."""
    types = "".join(
        f"<typeDescription><name>{name}</name><description/><supertypeName>{supertype}</supertypeName><features>"
        + "".join(f"<featureDescription><name>{feature}</name><description/><rangeTypeName>{range_}</rangeTypeName>"
                  "</featureDescription>" for feature, range_ in features)
        + "</features></typeDescription>"
        for name, supertype, features in _TYPES)
    return ("<?xml version='1.0' encoding='utf-8'?>\n<typeSystemDescription "
            f'xmlns="http://uima.apache.org/resourceSpecifier"><types>{types}</types></typeSystemDescription>')


def _astral(text: str) -> list[int]:
    """Where ``text``'s characters outside the BMP are (two UTF-16 code units each).

    Found by numpy over the text's UTF-32 code units: a regular expression's ``finditer`` walked the
    3.6 million characters of 1,000 documents one at a time, five times slower (0.11 s against 0.02)."""
    if text.isascii():
        return []
    import numpy as np  # here: the CLI has it loaded already, the window only when it exports

    units = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")  # a lone surrogate: not astral
    return np.flatnonzero(units > 0xFFFF).tolist()


def _utf16(text: str) -> Callable[[int], int]:
    """Code-point offsets in ``text`` -> UTF-16 code units, as ``common.utf16_offsets`` (the tests compare the two)."""
    astral = _astral(text)
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect_left(astral, offset)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""What XML 1.0 cannot carry (lxml, under cassis, refused it with a ValueError)."""


_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _escaped(value: str) -> str:
    """An attribute value as libxml2 writes it in UTF-8 (tests compare with lxml over every character)."""
    return escape(value, _ATTRIBUTE_ENTITIES)


def _header(language: bool, relations: bool) -> str:
    """The XMI root's start tag with the namespaces cassis declares, in its order (``tcas`` only with a language)."""
    spaces = ['xmlns:xmi="http://www.omg.org/XMI"', 'xmlns:cas="http:///uima/cas.ecore"']
    if language:
        spaces.append('xmlns:tcas="http:///uima/tcas.ecore"')
    spaces += ['xmlns:type="http:///de/tudarmstadt/ukp/dkpro/core/api/metadata/type.ecore"',
               'xmlns:type0="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore"']
    if relations:
        spaces.append('xmlns:custom="http:///webanno/custom.ecore"')
    return f"<?xml version='1.0' encoding='UTF-8'?>\n<xmi:XMI {' '.join(spaces)} xmi:version=\"2.0\"><cas:NULL xmi:id=\"0\"/>"


class _Cas:
    """One document's CAS for one user, as the XMI elements cassis would write for it, in xmi:id order.

    cassis built a Python object per annotation and an lxml tree per CAS, which cost 25 times the
    floor; the XMI we write is small and fixed (DocumentAnnotation, DocumentMetaData, NamedEntity,
    Relation), so it is written as text, ids and UTF-16 offsets numbered as cassis numbers them.
    """

    def __init__(self, language: str | None, metadata: str) -> None:
        """``metadata``: the DocumentMetaData element's attributes after its xmi:id (the same in every CAS of a document)."""
        self.language = language
        self.elements: list[str] = []
        self.next_id = 2  # 0 is cas:NULL, 1 the Sofa
        if language:
            self._add(f'<tcas:DocumentAnnotation xmi:id="2" sofa="1" begin="0" end="0" language="{_escaped(language)}"/>')
        self._add(f'<type:DocumentMetaData xmi:id="{self.next_id}"{metadata}/>')
        self.relations = False

    def _add(self, element: str) -> int:
        self.elements.append(element)
        self.next_id += 1
        return self.next_id - 1

    def entities(self, spans: list[tuple[int, int, str]]) -> int:
        """Add a NamedEntity per ``(begin, end, escaped value)``, numbered on from ``next_id``; returns the first id.

        One list comprehension for a document's spans: a method call per span cost more than its XML."""
        first = self.next_id
        self.elements += [f'<type0:NamedEntity xmi:id="{number}" sofa="1" begin="{begin}" end="{end}" value="{value}"/>'
                          for number, (begin, end, value) in enumerate(spans, first)]
        self.next_id += len(spans)
        return first

    def relation(self, begin: int, end: int, governor: int, dependent: int, label: str) -> None:
        self.relations = True
        self._add(f'<custom:Relation xmi:id="{self.next_id}" sofa="1" begin="{begin}" end="{end}" Governor="{governor}" '
                  f'Dependent="{dependent}" label="{_escaped(label)}"/>')

    def elements_xmi(self) -> str:
        """The XMI up to the Sofa: the root's start tag and the feature structures."""
        return _header(bool(self.language), self.relations) + "".join(self.elements)

    def xmi(self, elements: str, sofa: bytes) -> bytes:
        """The whole XMI in UTF-8 from ``elements_xmi()`` and the escaped sofa string's UTF-8.

        Encoded in parts, the sofa once per document: joined as text first, a single emoji in it made the
        whole file four bytes a character, copied and then encoded again for each of the document's CASes."""
        members = " ".join(map(str, range(2, self.next_id)))
        return b"".join((elements.encode("utf-8"), _SOFA, sofa,
                         f'"/><cas:View sofa="1" members="{members}"/></xmi:XMI>'.encode()))


_SOFA = b'<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" sofaString="'

READ = ("id", "start", "end", "label_id", "annotator", "layer", "attributes", "note")
"""The annotation columns this export reads (``ExportJob.document_rows``): no quote, prefix, suffix or times.
Only when some attributes value does not parse (``ExportJob.left_out``): else the first six (``LEAN``), the
attributes and notes left out being counted in SQL."""
LEAN = READ[:6]
_REVIEWER = itemgetter(5, 6)  # a READ row's (annotator, layer), after its document_id


WRITERS = 4
"""Threads creating the folders and files while the next documents' XMI is built: creating 3,000 files and
1,000 folders is system time (the GIL is released), as long as building the XMI; one after the other they added up."""
WRITE_BATCH = 8
"""Documents handed to a writer thread at a time: a task per document (a future, a lock, a wake-up) cost the
building thread 0.05-0.09 s over 1,000 documents."""


def _write_documents_batch(batch: list[tuple[str | None, list[tuple[str, bytes]]]]) -> None:
    """Each document's CAS folder (``None``: it has none) and files, in that order."""
    for folder, files in batch:
        if folder is not None:
            os.mkdir(folder)
        for path, data in files:
            create_file(path, data)


def write(job: ExportJob, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TYPESYSTEM).write_text(typesystem_xml(), encoding="utf-8", newline="\n")
    root = os.fspath(folder)
    source = os.path.join(root, "source")
    with ThreadPoolExecutor(WRITERS) as pool:  # on leaving (an error, a Cancel too) it waits for the writes
        written = _write_documents(job, root, source, pool)
        for future in written:
            future.result()  # the first failed write raises here


def _write_documents(job: ExportJob, root: str, source: str, pool: ThreadPoolExecutor) -> list[Future[None]]:
    """Build every document's text and XMI files, handing each document's folder and files to ``pool``."""
    written: list[Future[None]] = []
    batch: list[tuple[str | None, list[tuple[str, bytes]]]] = []
    values: dict[str, str] = {}  # label id -> its name, escaped
    unfit: set[str] = set()  # label ids whose name holds a character XML cannot carry
    keys: dict[tuple[str, str], tuple[str, str]] = {}  # (reviewer, layer) -> (user, area) of its CAS
    areas: set[str] = set()
    with_attributes = with_notes = 0
    count_attributes, label_name = job.count_attributes, job.label_name
    parsed: dict[Any, bool] = {}  # attributes value -> whether it holds any (most values repeat)
    left_out = job.left_out()
    for number, (document, rows, relations) in enumerate(job.document_rows(READ if left_out is None else LEAN), start=1):
        text = document.text
        name = stem(number, document.title, document.id) + ".txt"
        if number == 1:
            os.makedirs(source, exist_ok=True)
        text_file = (os.path.join(source, name), text.encode("utf-8"))
        if len(batch) >= WRITE_BATCH:
            written.append(pool.submit(_write_documents_batch, batch))
            batch = []
        if not rows:
            batch.append((None, [text_file]))
            continue
        astral = _astral(text)
        metadata = (f' sofa="1" begin="0" end="{len(text) + len(astral)}" '
                    f'language="{_escaped(document.language or "x-unspecified")}"'
                    f' documentTitle="{_escaped(name)}" documentId="{_escaped(document.id)}"')
        used = {row[4] for row in rows}
        for label_id in used - values.keys():
            values[label_id] = _escaped(label_name(label_id))
            if _NOT_XML.search(values[label_id]):
                unfit.add(label_id)
        # each CAS's rows, in text order; the CASes in the order their first span comes
        groups: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        for pair in dict.fromkeys(map(_REVIEWER, rows)):
            if pair not in keys:
                keys[pair] = (CURATION_USER, "curation") if pair[1] == "gold" else (safe_user(pair[0]), "annotation")
            groups.setdefault(keys[pair], [])
        if len(groups) == 1:
            groups[next(iter(groups))] = rows
        else:
            for row in rows:
                groups[keys[row[5], row[6]]].append(row)
        cases: dict[tuple[str, str], _Cas] = {}
        placed: dict[str, tuple[tuple[str, str], int, int, int]] = {}
        for key, group in groups.items():
            if astral:
                spans = [(row[2] + bisect_left(astral, row[2]), row[3] + bisect_left(astral, row[3]), values[row[4]])
                         for row in group]
            else:
                spans = [(row[2], row[3], values[row[4]]) for row in group]
            cas = cases[key] = _Cas(document.language, metadata)
            first = cas.entities(spans)
            if relations:
                for xmi_id, row, (begin, end, _) in zip(count(first), group, spans):
                    placed[row[1]] = (key, xmi_id, begin, end)
        if left_out is None:
            with_attributes += count_attributes([row[1] for row in rows], [row[7] for row in rows], parsed)
            with_notes += sum(1 for row in rows if row[8])
        for r in relations:
            governor, dependent = placed.get(r.source_id), placed.get(r.target_id)
            if governor is None or dependent is None or governor[0] != dependent[0]:
                job.drop(document.id, r, "relation between spans of different reviewers, layers or documents: "
                         "a CAS holds one user's annotations of one document")
                continue
            cases[governor[0]].relation(dependent[2], dependent[3], governor[1], dependent[1], r.label)
        sofa = _escaped(text)
        bad_in_sofa = _NOT_XML.search(sofa)
        sofa_utf8 = b"" if bad_in_sofa else sofa.encode("utf-8")  # (with a bad character, the first CAS raises)
        # The elements hold nothing but digits, the metadata, label values and relation labels: only when one of
        # those holds a character XML cannot carry are they searched (for the first one, as the XMI has it).
        suspect = bool(used & unfit or _NOT_XML.search(metadata)
                       or any(_NOT_XML.search(r.label) for r in relations))
        files = [text_file]
        folders: list[str] = []
        for (user, area), cas in cases.items():
            elements = cas.elements_xmi()
            bad = (suspect and _NOT_XML.search(elements)) or bad_in_sofa  # the XMI is these, then the sofa, then digits
            if bad:
                raise AnnotatorError(f"xmi export: document {document.id} ({name}) holds the character "
                                     f"U+{ord(bad.group()):04X}, which XML 1.0 cannot carry")
            target = os.path.join(root, area, name)
            if target not in areas:
                if area not in areas:
                    os.makedirs(os.path.join(root, area), exist_ok=True)
                    areas.add(area)
                folders.append(target)
                areas.add(target)
            files.append((os.path.join(target, f"{user}.xmi"), cas.xmi(elements, sofa_utf8)))
        # a document has one CAS folder per area it has spans in: the first made with the files, any other here
        for target in folders[1:]:
            os.mkdir(target)
        batch.append((folders[0] if folders else None, files))
    if batch:
        written.append(pool.submit(_write_documents_batch, batch))
    if left_out is not None:
        with_attributes, with_notes = left_out
    if with_attributes or with_notes:
        job.warn(f"the xmi export writes labels only: left out the attributes of {with_attributes} and the notes of "
                 f"{with_notes} annotations")
    return written


FORMAT = ExportFormat(
    name="xmi",
    title="UIMA CAS XMI for INCEpTION (dkpro-cassis)",
    filename="",
    suffixes=(),
    importable=True,
    write=write,
    notes="""
INCEpTION's layout of UIMA CAS XMI files, as dkpro-cassis writes them:

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
