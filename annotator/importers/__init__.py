"""Read documents from files and folders. Each reader turns one file into ``ImportedDocument``s.

``read_paths`` reads everything before anything is written, so one bad file can stop an
import without leaving half of it in the project.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.backups import before_import
from annotator.errors import AnnotatorError, ImportFileError
from annotator.importers.base import ImportedDocument, ImportedSpan, collecting_warnings
from annotator.importers.html import read_html
from annotator.importers.jsonl import read_jsonl
from annotator.importers.office import read_docx, read_pdf
from annotator.importers.plain import read_markdown, read_text

if TYPE_CHECKING:
    from annotator.importers.labelled import DatasetReport, PendingSet
    from annotator.project import Project

Reader = Callable[[Path], list[ImportedDocument]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".jsonl": read_jsonl,
}

LABELLED_FORMATS: dict[str, str] = {
    "jsonl": "annotator.importers.dataset",
    "doccano": "annotator.importers.doccano",
    "brat": "annotator.importers.brat",
    "w3c": "annotator.importers.w3c",
}
"""``import --format FMT``: labelled datasets (spans, relations) read by a module's ``read(path)``, loaded on use."""

__all__ = ["LABELLED_FORMATS", "READERS", "ImportedDocument", "ImportedSpan", "collect", "import_format",
           "read_file", "read_format", "read_paths"]


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the supported files inside them (sorted, hidden files skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in READERS and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise ImportFileError(path, f"no importable files in this folder ({', '.join(sorted(READERS))})")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ImportFileError(path, "no such file or folder")
    return files


def sidecar(path: Path) -> dict[str, Any]:
    """Metadata from ``NAME.meta.json`` beside ``NAME.txt`` (title, outlet, author, published, url, ...).

    Scraped corpora often keep metadata apart from the text; the sidecar wins over what the
    file itself suggests (a plain text's first line as title)."""
    meta = path.with_name(path.stem + ".meta.json")
    if not meta.is_file():
        return {}
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(meta, f"not valid JSON metadata ({error})") from None
    if not isinstance(data, dict):
        raise ImportFileError(meta, "metadata must be a JSON object")
    return data


def read_file(path: Path) -> list[ImportedDocument]:
    """The file's documents; its warnings ride on the first one (once per file, not once per JSONL line)."""
    with collecting_warnings() as warnings:
        documents = _read(path)
    extra = sidecar(path) if len(documents) == 1 else {}
    for document in documents:
        document.metadata.update(extra)
    if documents:
        documents[0].warnings.extend(warnings)
    return documents


def _read(path: Path) -> list[ImportedDocument]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ImportFileError(path, f"unsupported file type {path.suffix or '(none)'!r} (supported: {', '.join(sorted(READERS))})")
    try:
        return reader(path)
    except AnnotatorError:
        raise
    except OSError as error:
        raise ImportFileError(path, f"cannot read: {error.strerror or error}") from None
    except Exception as error:  # a parser library failing on a malformed file is a user error, not a crash
        raise ImportFileError(path, f"cannot parse ({type(error).__name__}: {error})") from None


def read_paths(
    paths: Iterable[str | Path], skip_bad: bool = False,
    progress: Callable[[int, int, Path], None] | None = None,
) -> tuple[list[ImportedDocument], list[ImportFileError]]:
    """Read every file; stop at the first bad one unless ``skip_bad``, then return the problems too.

    ``progress(done, total, next_file)`` is called before each file; it may raise ``Cancelled``."""
    documents: list[ImportedDocument] = []
    problems: list[ImportFileError] = []
    files = collect(paths)
    for number, path in enumerate(files):
        if progress is not None:
            progress(number, len(files), path)
        try:
            documents.extend(read_file(path))
        except ImportFileError as error:
            if not skip_bad:
                raise
            problems.append(error)
    return documents, problems


def read_format(fmt: str, paths: Iterable[str | Path]) -> PendingSet:
    """Read labelled files in format ``fmt`` (a folder gives its files with the format's suffixes)."""
    from annotator.importers.labelled import PendingSet

    if fmt not in LABELLED_FORMATS:
        raise AnnotatorError(f"cannot import format {fmt!r} (importable: {', '.join(LABELLED_FORMATS)})")
    module = importlib.import_module(LABELLED_FORMATS[fmt])
    suffixes: tuple[str, ...] | None = getattr(module, "SUFFIXES", None)
    pending = PendingSet()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise ImportFileError(path, "no such file or folder")
        files = [path]
        if path.is_dir() and suffixes is not None:
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not files:
                raise ImportFileError(path, f"no {' or '.join(suffixes)} files in this folder")
        for file in files:
            try:
                pending.extend(module.read(file))
            except AnnotatorError:
                raise
            except OSError as error:
                raise ImportFileError(file, f"cannot read: {error.strerror or error}") from None
    return pending


def import_format(project: Project, fmt: str, paths: Iterable[str | Path], *, annotator: str = "import",
                  create_labels: bool = False) -> DatasetReport:
    """Read, check and write a labelled dataset: one transaction and one undo step, or an error and no change."""
    from annotator.importers.labelled import apply

    pending = read_format(fmt, paths)
    before_import(project, len(pending.documents) + sum(len(d.annotations) for d in pending.documents))
    return apply(project, pending, annotator=annotator, create_labels=create_labels)
