"""Export a project (or a filtered part of it) as a labelled dataset in the formats the field uses.

    from annotator.exporters import Filters, export
    result = export(project, "conll", "out/", Filters(layer="gold", statuses=["done"]),
                    progress=lambda done, total: ...)

One module per format; all share ``common``: the filters, one pass over the project, and the
DATASET.md written next to the data. ``FORMATS`` lists them for the CLI and the Export dialog.
Nothing here imports Qt, and spaCy is imported only when the ``spacy`` format runs.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.atomic import Staging
from annotator.errors import AnnotatorError
from annotator.exporters import brat, conll, csv_table, doccano, inception_xmi, jsonl, labelstudio, refi_qda, spacy_docbin, w3c
from annotator.exporters.common import (
    Dropped,
    ExportFormat,
    ExportJob,
    ExportResult,
    Filters,
    Progress,
    dataset_markdown,
    select,
)
from annotator.store.schema import now

if TYPE_CHECKING:
    from annotator.project import Project

FORMATS: dict[str, ExportFormat] = {
    module.FORMAT.name: module.FORMAT
    for module in (jsonl, doccano, brat, conll, spacy_docbin, w3c, csv_table, labelstudio, inception_xmi, refi_qda)
}

__all__ = ["FORMATS", "Dropped", "ExportFormat", "ExportResult", "Filters", "Progress", "export", "get_format"]


def get_format(name: str) -> ExportFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise AnnotatorError(f"unknown export format {name!r} (known: {', '.join(FORMATS)})") from None


def _targets(fmt: ExportFormat, out: Path, force: bool) -> tuple[Path, Path, Path]:
    """Where the data and DATASET.md go, and the folder to create; refuses to overwrite without ``force``."""
    if not fmt.folder and out.suffix.lower() in fmt.suffixes and not out.is_dir():
        readme = out.parent / "DATASET.md"
        if out.exists() and not force:
            raise AnnotatorError(f"{out} already exists (use --force to overwrite it)")
        if readme.exists() and not force:
            raise AnnotatorError(f"{readme} already exists, perhaps from another export: give this export a folder "
                                 "of its own, or use --force to overwrite it")
        return out, readme, out.parent
    if out.exists() and not out.is_dir():
        hint = f", or a file name ending {' or '.join(fmt.suffixes)}" if fmt.suffixes else ""
        raise AnnotatorError(f"{out} is a file: the {fmt.name} export needs a folder{hint}")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise AnnotatorError(f"output folder {out} is not empty (use --force to write into it; nothing is deleted)")
    return (out / fmt.filename if fmt.filename else out), out / "DATASET.md", out


def export(
    project: Project,
    fmt: str,
    out: str | os.PathLike[str],
    filters: Filters | None = None,
    progress: Progress | None = None,
    *,
    force: bool = False,
) -> ExportResult:
    """Write the selected part of ``project`` as ``fmt`` to ``out`` (a folder, or a file with the format's suffix).

    Filters are checked and optional dependencies imported before anything is written. Everything
    (data and DATASET.md, a brat folder whole) is built under a temporary name and put into place
    at the end (``annotator.atomic``), so a failure, or an exception raised from
    ``progress(done, total)`` (a Cancel button; it counts documents), leaves the previous output as
    it was and no temporary behind. Files of an existing folder that the export does not write are
    kept. Raises ``AnnotatorError`` for user errors.
    """
    format_ = get_format(fmt)
    filters = filters or Filters()
    if format_.check:
        format_.check()
    data, readme, folder = _targets(format_, Path(out), force)
    selection = select(project, filters)
    result = ExportResult(format_.name, data, readme, documents=len(selection.documents),
                          annotations=selection.annotations, relations=selection.relation_count,
                          entities=len(selection.entities))
    job = ExportJob(project, filters, selection, result, progress)
    created = _make_parents(folder)
    try:
        with Staging() as stage:
            staged = stage.folder(folder)
            format_.write(job, staged / data.relative_to(folder))
            if format_.relations:
                result.relations -= sum(1 for d in result.dropped if d.reason.startswith("relation"))
            else:
                result.relations = 0
            (staged / readme.name).write_text(dataset_markdown(job, format_, now()), encoding="utf-8", newline="\n")
            stage.commit()
    except BaseException:
        for parent in created:
            with contextlib.suppress(OSError):
                parent.rmdir()
        raise
    return result


def _make_parents(folder: Path) -> list[Path]:
    """Create the folders above ``folder`` that are missing; returns them, deepest first, to remove on failure."""
    missing = [p for p in folder.parents if not p.exists()]
    folder.parent.mkdir(parents=True, exist_ok=True)
    return missing
