"""``xmi``: UIMA CAS XMI as INCEpTION keeps it, byte for byte as dkpro-cassis (the UIMA project's Python CAS) writes it.

INCEpTION stores one CAS per document per user; its project archives hold them as
``annotation/<document>/<user>.xmi`` and the curated (gold) version as
``curation/<document>/CURATION_USER.xmi``, with the texts under ``source/``. We write that layout
plus one ``TypeSystem.xml``. Spans are DKPro Core ``NamedEntity`` annotations (INCEpTION's built-in
Named Entity layer) whose ``value`` is the label; relations are a custom relation layer
``webanno.custom.Relation`` (``Governor`` → ``Dependent``, ``label``), spanning the dependent as
INCEpTION does. Offsets are the UTF-16 code units Java reads.

The files are written as text (``xmi_text``), not through cassis objects: cassis cost 25 times the
export floor for what is a fixed handful of element kinds. ``typesystem()`` and cassis stay as the
test oracle (tests/test_export_xmi_writer.py compares both writers byte for byte and loads our
files with cassis); the importer reads with cassis. Above ``PROCESS_ABOVE`` annotations the last
documents are built by a second process (``second_process``).
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.atomic import start_sync
from annotator.errors import AnnotatorError
from annotator.exporters import xmi_text
from annotator.exporters.brat import stem
from annotator.exporters.common import ExportFormat, ExportJob
from annotator.exporters.second_process import SecondProcess, worth_it
from annotator.exporters.xmi_text import Labels, UnfitCharacter, Writers, document_files

CURATION_USER = xmi_text.CURATION_USER  # the importer's and the tests' names for what xmi_text defines
safe_user = xmi_text.safe_user

if TYPE_CHECKING:
    from cassis import TypeSystem

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
RELATION = "webanno.custom.Relation"
TYPESYSTEM = "TypeSystem.xml"


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


_astral = xmi_text.astral_by_regex
"""Where a text's characters outside the BMP are. (numpy over the UTF-32 code units found them five times
faster, but importing numpy, which an export process has not always loaded, cost more than it saved.)"""


def _utf16(text: str) -> Callable[[int], int]:
    """Code-point offsets in ``text`` -> UTF-16 code units, as ``common.utf16_offsets`` (the tests compare the two)."""
    astral = _astral(text)
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect_left(astral, offset)


READ = ("id", "start", "end", "label_id", "annotator", "layer", "attributes", "note")
"""The annotation columns this export reads (``ExportJob.document_rows``): no quote, prefix, suffix or times.
Only when some attributes value does not parse (``ExportJob.left_out``): else the first six (``LEAN``), the
attributes and notes left out being counted in SQL."""
LEAN = READ[:6]

PROCESS_ABOVE = 20_000
"""Selected annotations from which the last documents (``1 - THIS_SHARE``) are built by a second process: building
the XMI is Python under one GIL, 100,000 annotations ~0.5 s of reading and ~0.5 s of building. The process
starts in 40-60 ms (``python -I -S``, the standard library only) and reads its own rows."""


THIS_SHARE = 0.52
"""The share of the documents this process builds, the second process the rest. Measured by when each side was
done (its files written), 1,000 documents x 100 spans, eight exports each: at 0.50 the other ended 80 ms after this
one (median), at 0.53 26 ms before, at 0.56 70 ms before; at 0.47 120 ms after. (Its CPU was 5-15% below this
side's, which also selects, counts what is left out and starts it: its start-up and the late task cost wall clock
that its CPU does not show.)"""


def write(job: ExportJob, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    left_out = _write(job, folder)
    with_attributes, with_notes = left_out
    if with_attributes or with_notes:
        job.warn(f"the xmi export writes labels only: left out the attributes of {with_attributes} and the notes of "
                 f"{with_notes} annotations")


def _write(job: ExportJob, folder: Path) -> tuple[int, int]:
    """Every file of the export; returns how many annotations had attributes and notes left out."""
    (folder / TYPESYSTEM).write_text(typesystem_xml(), encoding="utf-8", newline="\n")
    root = os.fspath(folder)
    # the second process starts on its half while this one counts what is left out (30-60 ms)
    part = SecondProcess.spawn(xmi_text.__file__) if worth_it(job, PROCESS_ABOVE) else None
    synced: Callable[[], None] = _no_sync
    try:
        if part is not None:
            _send(job, root, part)
        left_out = job.left_out()
        over = False  # files of the other process may be there to write over
        if part is not None and left_out is None:
            # some attributes value does not parse: counted per row, in this process alone, over what the other wrote
            part.stop()
            part, over = None, True
        with Writers(over) as writers:  # on leaving (an error, a Cancel too) it waits for the writes
            counted = _write_documents(job, root, slice(0, part.first if part else None), writers, left_out)
            if part is not None:
                if part.process.poll() is None:  # the other still builds: this side's files go to the disk meanwhile
                    writers.wait()
                    synced = start_sync(folder)
                result = part.finish()
                if result is None:  # the process failed: its documents are written here (over what it wrote)
                    with Writers(again=True) as rewriters:
                        _write_documents(job, root, slice(part.first, None), rewriters, left_out, counted[2:])
                        rewriters.wait()
                else:
                    for document_id, index in result["dropped"]:
                        job.drop(document_id, job.selection.relations[document_id][index], _CROSSING)
                    if result["error"]:
                        raise AnnotatorError(result["error"])
                    if job.progress:
                        job.progress(len(job.selection.documents), len(job.selection.documents))
            writers.wait()
    finally:
        if part is not None:
            part.stop()
    synced()  # (not after an error or a Cancel: the sync goes on alone, and whatever it finds is the commit's)
    return left_out if left_out is not None else counted[:2]


_CROSSING = ("relation between spans of different reviewers, layers or documents: "
             "a CAS holds one user's annotations of one document")

_WHOLE = slice(0, None)
_State = tuple[Labels, dict[tuple[str, str], tuple[str, str]], set[str]]


def _write_documents(job: ExportJob, root: str, part: slice, writers: Writers,
                     left_out: tuple[int, int] | None, state: _State | None = None) -> tuple[int, int, Any, Any, Any]:
    """Build the text and XMI files of the documents in ``part``, handing them to ``writers``. Returns the attributes
    and notes counted per row (``left_out`` is None), and the labels, CAS keys and folders seen (``_State``)."""
    labels, keys, areas = state or (Labels(job.label_name), {}, set())
    with_attributes = with_notes = 0
    count_attributes = job.count_attributes
    parsed: dict[Any, bool] = {}  # attributes value -> whether it holds any (most values repeat)
    rows_of = job.document_rows(READ if left_out is None else LEAN, part) if part != _WHOLE \
        else job.document_rows(READ if left_out is None else LEAN)  # (the tests' jobs know no part)
    for number, (document, rows, relations) in enumerate(rows_of, start=part.start + 1):
        text = document.text
        name = stem(number, document.title, document.id) + ".txt"
        if number == 1:
            os.makedirs(os.path.join(root, "source"), exist_ok=True)
        try:
            files, dropped = document_files(root, name, document.id, document.language, text, _astral(text), rows,
                                            [(r.id, r.source_id, r.target_id, r.label) for r in relations],
                                            labels, keys, areas)
        except UnfitCharacter as error:
            raise AnnotatorError(str(error)) from None
        for index in dropped:
            job.drop(document.id, relations[index], _CROSSING)
        if left_out is None and rows:
            with_attributes += count_attributes([row[1] for row in rows], [row[7] for row in rows], parsed)
            with_notes += sum(1 for row in rows if row[8])
        writers.add(files)
    return with_attributes, with_notes, labels, keys, areas


def _no_sync() -> None:
    """No sync was started early."""


def _send(job: ExportJob, root: str, part: SecondProcess) -> None:
    """The second process's task: the documents after this one's ``THIS_SHARE`` (``xmi_text.run_part``)."""
    documents = job.selection.documents
    first = round(len(documents) * THIS_SHARE)
    names = [stem(number, d.title, d.id) + ".txt" for number, d in enumerate(documents[first:], start=first + 1)]
    os.makedirs(os.path.join(root, "source"), exist_ok=True)
    relations = job.selection.relations
    task = {"path": str(job.project.path), "root": root, "columns": LEAN, "where": job.selection.where,
            "params": list(job.selection.params), "labels": {label.id: label.name for label in job.labels},
            "documents": [(d.id, name, d.language, [(r.id, r.source_id, r.target_id, r.label)
                                                    for r in relations.get(d.id, [])])
                          for d, name in zip(documents[first:], names)]}
    part.send(task, first)


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
