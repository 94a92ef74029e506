"""Read documents from files and folders. Each reader turns one file into ``ImportedDocument``s.

``read_paths`` reads everything before anything is written, so one bad file can stop an
import without leaving half of it in the project. Every kind of file ends up in one
``labelled.PendingSet``, and ``Project.import_documents`` (``labelled.apply``) checks and writes
all of them the same way: spans inside their text, labels known, duplicate texts skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from annotator.errors import AnnotatorError, ImportFileError
from annotator.importers.base import ImportedDocument, ImportedSpan, collecting_warnings, forward
from annotator.importers.guard import load_json
from annotator.importers.html import read_html
from annotator.importers.jsonl import read_jsonl
from annotator.importers.office import read_docx, read_pdf
from annotator.importers.plain import read_markdown, read_text

if TYPE_CHECKING:
    from annotator.importers.labelled import DatasetReport, PendingSet
    from annotator.project import Project

T = TypeVar("T")
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
    "documents": "annotator.importers.jsonl",
    "doccano": "annotator.importers.doccano",
    "brat": "annotator.importers.brat",
    "w3c": "annotator.importers.w3c",
    "labelstudio": "annotator.importers.labelstudio",
    "xmi": "annotator.importers.inception_xmi",
    "qdpx": "annotator.importers.refi_qda",
}
"""``import --format FMT``: labelled datasets (spans, relations) read by a module's ``read(path)``, loaded on use.
``documents`` is a ``.jsonl`` of plain documents with code-point ``label`` spans (what a plain import
of such a file does): for when ``sniff`` cannot tell."""

__all__ = ["LABELLED_FORMATS", "READERS", "ImportedDocument", "ImportedSpan", "collect", "import_format",
           "read_file", "read_format", "read_paths", "read_pending", "skips_bad_lines"]


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
        data = load_json(meta, meta.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(meta, f"not valid JSON metadata ({error})") from None
    if not isinstance(data, dict):
        raise ImportFileError(meta, "metadata must be a JSON object")
    return data


def read_file(path: Path) -> list[ImportedDocument]:
    """One plain document file (a ``.jsonl`` of documents too) as ``ImportedDocument``s, sidecar metadata applied."""
    with collecting_warnings() as warnings:
        documents = guarded(path, lambda: _read(path))
    forward(warnings)
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
    return reader(path)


def guarded(path: Path, read: Callable[[], T]) -> T:
    """Run a reader; whatever a hostile or broken file makes a parser raise becomes one ``ImportFileError``."""
    try:
        return read()
    except AnnotatorError:
        raise
    except OSError as error:
        raise ImportFileError(path, f"cannot read: {error.strerror or error}") from None
    except RecursionError:
        raise ImportFileError(path, "nested too deeply to read") from None
    except MemoryError:
        raise ImportFileError(path, "too large to read into memory") from None
    except Exception as error:  # a parser library failing on a malformed file is a user error, not a crash
        raise ImportFileError(path, f"cannot parse ({type(error).__name__}: {error})") from None


def read_pending(path: Path) -> PendingSet:
    """One file of any importable type, as what ``labelled.apply`` checks and writes.

    A ``.jsonl`` is sniffed (documents, doccano or Annotator's lossless export), so its spans,
    ids and relations come along whichever kind it is."""
    from annotator.importers.jsonl import read_any
    from annotator.importers.labelled import pending_from

    if path.suffix.lower() != ".jsonl":
        return pending_from(read_file(path))
    pending: PendingSet = guarded(path, lambda: read_any(path))
    if len(pending.documents) == 1 and pending.documents[0].row is None:
        pending.documents[0].metadata.update(sidecar(path))
    return pending


def _format_files(fmt: str, path: Path) -> list[Path]:
    """The files a labelled format reads under ``path`` (a folder gives its files with the format's suffixes)."""
    suffixes: tuple[str, ...] | None = getattr(_format_module(fmt), "SUFFIXES", None)
    if not path.exists():
        raise ImportFileError(path, "no such file or folder")
    if not path.is_dir() or suffixes is None:
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                   and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        raise ImportFileError(path, f"no {' or '.join(suffixes)} files in this folder")
    return files


def _format_module(fmt: str) -> Any:
    if fmt not in LABELLED_FORMATS:
        raise AnnotatorError(f"cannot import format {fmt!r} (importable: {', '.join(LABELLED_FORMATS)})")
    return importlib.import_module(LABELLED_FORMATS[fmt])


def read_paths(
    paths: Iterable[str | Path], skip_bad: bool = False,
    progress: Callable[[int, int, Path], None] | None = None, fmt: str | None = None,
) -> tuple[PendingSet, list[ImportFileError]]:
    """Read every file into one ``PendingSet``; stop at the first bad one unless ``skip_bad``, then return the problems too.

    Without ``fmt`` each file is read by its type (``read_pending``); with it, by that labelled
    format's reader. Nothing is written: pass the result to ``Project.import_documents``.
    ``progress(done, total, next_file)`` is called before each file; it may raise ``Cancelled``."""
    from annotator.importers.html_worker import extracting  # here: it imports subprocess and orjson
    from annotator.importers.labelled import PendingSet

    read: Callable[[Path], PendingSet]
    pending = PendingSet()
    problems: list[ImportFileError] = []
    if fmt is None:
        files, read = collect(paths), read_pending
    else:
        module = _format_module(fmt)
        files = [file for raw in paths for file in _format_files(fmt, Path(raw))]
        if skip_bad and skips_bad_lines(fmt):  # the reader leaves out bad lines and lists them in ``problems``
            read = lambda file: guarded(file, lambda: module.read(file, problems))  # noqa: E731
        else:
            read = lambda file: guarded(file, lambda: module.read(file))  # noqa: E731
    with collecting_warnings() as warnings, extracting(files if fmt is None else ()):
        for number, path in enumerate(files):
            if progress is not None:
                progress(number, len(files), path)
            try:
                pending.extend(read(path))
            except ImportFileError as error:
                if not skip_bad:
                    raise
                problems.append(error)
    pending.warnings.extend(dict.fromkeys(warnings))
    return pending, problems


def skips_bad_lines(fmt: str) -> bool:
    """Whether ``fmt``'s reader can leave out the lines it cannot take (``import --format FMT --skip-bad``)."""
    return bool(getattr(_format_module(fmt), "SKIPS_BAD_LINES", False))


def read_format(fmt: str, paths: Iterable[str | Path]) -> PendingSet:
    """Read labelled files in format ``fmt`` (a folder gives its files with the format's suffixes)."""
    return read_paths(paths, fmt=fmt)[0]


def import_format(project: Project, fmt: str, paths: Iterable[str | Path], *, annotator: str = "import",
                  create_labels: bool = False) -> DatasetReport:
    """Read, check and write a labelled dataset: one transaction and one undo step, or an error and no change."""
    return project.import_documents(read_format(fmt, paths), annotator=annotator, create_labels=create_labels)
