"""A document's XMI files as text, built from its annotation rows: the standard library only.

``inception_xmi`` builds every document with ``document_files`` in the exporting process; above a size it
hands the last documents to a second process (``store/export_part.py`` serving this file), which
loads nothing of ``annotator`` (importing the package costs 0.14 s, the exporters 0.4 s) but this module and
``annotator/store/export_part.py``, both by path: the same function writes the same bytes in both.
"""

from __future__ import annotations

import os
import re
import threading
from bisect import bisect_left
from collections import deque
from itertools import count
from operator import itemgetter

TYPE_CHECKING = False  # not typing's: importing typing (or concurrent.futures, xml.sax) costs the second process 10-45 ms
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

CURATION_USER = "CURATION_USER"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""What XML 1.0 cannot carry (lxml, under cassis, refused it with a ValueError)."""


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class UnfitCharacter(Exception):
    """A document holds a character XML 1.0 cannot carry (the exporter raises it as an ``AnnotatorError``)."""


def safe_user(name: str) -> str:
    """A reviewer's name as a file name (INCEpTION user names are plain; ours may hold anything)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_.@" else "_" for ch in name).strip(".")
    return cleaned or "reviewer"


def astral_by_regex(text: str) -> list[int]:
    """Where ``text``'s characters outside the BMP are (two UTF-16 code units each), found by a regular
    expression rather than a Python loop over every character."""
    return [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]


def _escaped(value: str) -> str:
    """An attribute value as libxml2 writes it in UTF-8 (tests compare with lxml over every character): what
    ``xml.sax.saxutils.escape`` with the four entities does, without importing it (it imports urllib.request)."""
    return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


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

_REVIEWER = itemgetter(5, 6)  # a row's (annotator, layer), after its document_id

Files = tuple[str | None, list[tuple[str, bytes]]]
"""A document's CAS folder to create first (``None``: it has none) and its files."""


class Labels:
    """Label ids as the escaped values the XMI writes, learnt as documents use them."""

    def __init__(self, name: Callable[[str], str]) -> None:
        self.name = name
        self.values: dict[str, str] = {}  # label id -> its name, escaped
        self.unfit: set[str] = set()  # label ids whose name holds a character XML cannot carry


def document_files(root: str, name: str, document_id: str, language: str | None, text: str, astral: list[int],
                   rows: list[tuple[Any, ...]], relations: Sequence[tuple[str, str, str, str]], labels: Labels,
                   keys: dict[tuple[str, str], tuple[str, str]], areas: set[str]) -> tuple[Files, list[int]]:
    """One document's text file and XMI files (rows: id, start, end, label_id, annotator, layer after the document
    id, in text order; relations: id, source id, target id, label), and the indexes of the relations left out.

    Creates the area folders (``annotation``, ``curation``) it needs that ``areas`` does not hold yet, and any CAS
    folder but the first, which the writer creates with the files. Raises ``UnfitCharacter``."""
    text_file = (os.path.join(root, "source", name), text.encode("utf-8"))
    if not rows:
        return (None, [text_file]), []
    metadata = (f' sofa="1" begin="0" end="{len(text) + len(astral)}" '
                f'language="{_escaped(language or "x-unspecified")}"'
                f' documentTitle="{_escaped(name)}" documentId="{_escaped(document_id)}"')
    values, unfit = labels.values, labels.unfit
    used = {row[4] for row in rows}
    for label_id in used - values.keys():
        values[label_id] = _escaped(labels.name(label_id))
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
        cas = cases[key] = _Cas(language, metadata)
        first = cas.entities(spans)
        if relations:
            for xmi_id, row, (begin, end, _) in zip(count(first), group, spans):
                placed[row[1]] = (key, xmi_id, begin, end)
    dropped = []
    for index, (_, source_id, target_id, label) in enumerate(relations):
        governor, dependent = placed.get(source_id), placed.get(target_id)
        if governor is None or dependent is None or governor[0] != dependent[0]:
            dropped.append(index)
            continue
        cases[governor[0]].relation(dependent[2], dependent[3], governor[1], dependent[1], label)
    sofa = _escaped(text)
    bad_in_sofa = _NOT_XML.search(sofa)
    sofa_utf8 = b"" if bad_in_sofa else sofa.encode("utf-8")  # (with a bad character, the first CAS raises)
    # The elements hold nothing but digits, the metadata, label values and relation labels: only when one of
    # those holds a character XML cannot carry are they searched (for the first one, as the XMI has it).
    suspect = bool(used & unfit or _NOT_XML.search(metadata) or any(_NOT_XML.search(r[3]) for r in relations))
    files = [text_file]
    folders: list[str] = []
    for (user, area), cas in cases.items():
        elements = cas.elements_xmi()
        bad = (suspect and _NOT_XML.search(elements)) or bad_in_sofa  # the XMI is these, then the sofa, then digits
        if bad:
            raise UnfitCharacter(f"xmi export: document {document_id} ({name}) holds the character "
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
        os.makedirs(target, exist_ok=True)  # (it exists when a second process that failed made it)
    return (folders[0] if folders else None, files), dropped


WRITERS = 4
"""Threads creating the folders and files while the next documents' XMI is built: creating 3,000 files and
1,000 folders is system time (the GIL is released), as long as building the XMI; one after the other they added up."""
WRITE_BATCH = 8
"""Documents handed to a writer thread at a time: a task per document (a future, a lock, a wake-up) cost the
building thread 0.05-0.09 s over 1,000 documents."""

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def create_file(path: str, data: bytes) -> None:
    """``open(path, "wb").write(data)`` in three system calls (open, write, close); ``common.create_file`` is this one.

    ``open()`` also asks whether the file is a terminal, where it stands (twice) and what it is (``fstat``),
    and builds a buffered stream: seven calls and two objects per file, for a folder format's thousands
    of small files written once each (xmi: 3,000; brat: 2,000). Here so that XMI's second process, which
    runs this module without the package, has it too."""
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def write_batch(batch: list[Files], again: bool = False) -> None:
    """Each document's CAS folder and files, in that order (``again``: the folders may exist, as after a second
    process that failed half-way)."""
    for folder, files in batch:
        if folder is not None:
            os.makedirs(folder, exist_ok=True) if again else os.mkdir(folder)
        for path, data in files:
            create_file(path, data)


class Writers:
    """Writes documents' files in ``WRITERS`` threads, ``WRITE_BATCH`` documents at a time (a thread per batch cost
    1-2 ms to start under load; concurrent.futures and queue cost the second process 10-15 ms to import).

    Use as a context manager: leaving it (an error, a Cancel too) waits for every batch handed on."""

    def __init__(self, again: bool = False) -> None:
        self.again = again
        self.batch: list[Files] = []
        self.waiting: deque[tuple[int, list[Files]]] = deque()
        self.handed = 0
        self.ready = threading.Condition()
        self.closed = False
        self.threads: list[threading.Thread] = []
        self.failures: dict[int, BaseException] = {}  # batch number -> its write's error

    def __enter__(self) -> Writers:
        return self

    def __exit__(self, *_: object) -> None:
        with self.ready:
            self.closed = True
            self.ready.notify_all()
        for thread in self.threads:
            thread.join()

    def add(self, files: Files) -> None:
        self.batch.append(files)
        if len(self.batch) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        with self.ready:
            self.waiting.append((self.handed, self.batch))
            self.ready.notify()
        self.handed += 1
        self.batch = []
        if len(self.threads) < WRITERS:
            thread = threading.Thread(target=self._run, daemon=True)
            self.threads.append(thread)
            thread.start()

    def _run(self) -> None:
        while True:
            with self.ready:
                while not self.waiting and not self.closed:
                    self.ready.wait()
                if not self.waiting:
                    return
                number, batch = self.waiting.popleft()
            try:
                write_batch(batch, self.again)
            except BaseException as error:  # raised by wait(), the first batch's first
                self.failures[number] = error

    def wait(self) -> None:
        """Every batch written; the first failed batch's error raises here."""
        self.flush()
        self.__exit__()
        if self.failures:
            raise self.failures[min(self.failures)]


def run_part(task: dict[str, Any], store: Any) -> dict[str, Any]:
    """The second process's work: read its documents' rows and texts (``store``: ``store/export_part.py``) and
    write their files under ``task["root"]``; returns the relations left out (document id, relation index) or
    the first unfit character's message."""
    documents = task["documents"]  # (id, name, language, relations)
    names = task["labels"]
    labels = Labels(lambda label_id: names.get(label_id, "?"))
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    areas: set[str] = set()
    dropped: list[tuple[str, int]] = []
    conn = store.connect(task["path"])
    try:
        grouped = store.rows_within(conn, task["columns"], task["where"], task["params"], [d[0] for d in documents])
        with Writers() as writers:
            try:
                for start in range(0, len(documents), TEXT_BATCH):  # never every text in memory at once
                    batch = documents[start:start + TEXT_BATCH]
                    texts = store.texts_of(conn, [d[0] for d in batch])
                    for document_id, name, language, relations in batch:
                        text = texts[document_id]
                        files, left_out = document_files(task["root"], name, document_id, language, text,
                                                         astral_by_regex(text), grouped.pop(document_id, []), relations,
                                                         labels, keys, areas)
                        dropped += [(document_id, index) for index in left_out]
                        writers.add(files)
            except UnfitCharacter as error:
                return {"error": str(error), "dropped": dropped}
            finally:
                writers.wait()
    finally:
        conn.close()
    return {"error": None, "dropped": dropped}


TEXT_BATCH = 200
