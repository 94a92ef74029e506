"""Export a project (or a filtered part of it) as a labelled dataset in the formats the field uses.

    from annotator.exporters import Filters, export
    result = export(project, "conll", "out/", Filters(layer="gold", statuses=["done"]),
                    progress=lambda done, total: ...)

One module per format; all share ``common``: the filters, one pass over the project, and the
dataset card written next to the data (``<format>.DATASET.md`` in a folder, ``<stem>.DATASET.md``
beside a named file, so every format can be exported into one folder). ``FORMATS`` lists them for the CLI and the Export dialog.
Nothing here imports Qt, and spaCy is imported only when the ``spacy`` format runs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.atomic import Staging
from annotator.errors import AnnotatorError
from annotator.exporters import (
    brat,
    casualties,
    claimreview,
    conll,
    csv_table,
    doccano,
    inception_xmi,
    jsonl,
    labelstudio,
    refi_qda,
    spacy_docbin,
    w3c,
)
from annotator.exporters.common import (
    Dropped,
    ExportFormat,
    ExportJob,
    ExportResult,
    Filters,
    Progress,
    card_for,
    dataset_markdown,
    select,
)
from annotator.store.schema import now

if TYPE_CHECKING:
    from annotator.project import Project

FORMATS: dict[str, ExportFormat] = {
    module.FORMAT.name: module.FORMAT
    for module in (jsonl, doccano, brat, conll, spacy_docbin, w3c, csv_table, labelstudio, inception_xmi, refi_qda,
                   casualties, claimreview)
}

__all__ = ["FORMATS", "Dropped", "ExportFormat", "ExportResult", "Filters", "Progress", "export", "get_format",
           "install_command", "unavailable"]


def get_format(name: str) -> ExportFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise AnnotatorError(f"unknown export format {name!r} (known: {', '.join(FORMATS)})") from None


def install_command(fmt: ExportFormat) -> str:
    """The shell command that installs ``fmt``'s library into the environment running this program."""
    return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(fmt.install)}"


def unavailable(fmt: ExportFormat) -> str | None:
    """Why ``fmt`` cannot run here (its library is not installed, with the command that installs it), or None.

    Looks the module up without importing it: spaCy takes seconds to import, and the Export dialog
    asks for every format when it opens.
    """
    if not fmt.requires or importlib.util.find_spec(fmt.requires) is not None:
        return None
    return (f"the {fmt.name} format needs {fmt.requires}, which is not installed; install it with: "
            f"{install_command(fmt)}")


def _clashes(fmt: ExportFormat, folder: Path) -> list[Path]:
    """What an export of ``fmt`` into the existing ``folder`` would overwrite (its card and data files)."""
    found = [folder / name for name in (fmt.card, fmt.filename) if name and (folder / name).exists()]
    for pattern in fmt.writes:
        found += sorted(folder.glob(pattern))
    return found


def _targets(fmt: ExportFormat, out: Path, force: bool) -> tuple[Path, Path, Path]:
    """Where the data and the dataset card go, and the folder to create; refuses to overwrite without ``force``.

    Only what this export writes counts: other files in the folder (another format's export, the
    user's own work) are left alone and do not stop it.
    """
    if not fmt.folder and out.suffix.lower() in fmt.suffixes and not out.is_dir():
        readme = card_for(out)
        if out.exists() and not force:
            raise AnnotatorError(f"{out} already exists (use --force to overwrite it)")
        if readme.exists() and not force:
            raise AnnotatorError(f"{readme} already exists, perhaps from another export: give this data file another "
                                 "name, or use --force to overwrite it")
        return out, readme, out.parent
    if out.exists() and not out.is_dir():
        hint = f", or a file name ending {' or '.join(fmt.suffixes)}" if fmt.suffixes else ""
        raise AnnotatorError(f"{out} is a file: the {fmt.name} export needs a folder{hint}")
    if out.is_dir() and not force:
        clashes = _clashes(fmt, out)
        if clashes:
            names = ", ".join(p.name for p in clashes[:3]) + (f" and {len(clashes) - 3} more" if len(clashes) > 3 else "")
            raise AnnotatorError(f"output folder {out} already holds a {fmt.name} export ({names}): use --force to "
                                 "overwrite it (nothing else is deleted)")
    return (out / fmt.filename if fmt.filename else out), out / fmt.card, out


def export(
    project: Project,
    fmt: str,
    out: str | os.PathLike[str],
    filters: Filters | None = None,
    progress: Progress | None = None,
    *,
    force: bool = False,
    options: dict[str, str] | None = None,
) -> ExportResult:
    """Write the selected part of ``project`` as ``fmt`` to ``out`` (a folder, or a file with the format's suffix).

    Filters are checked and optional dependencies imported before anything is written. Everything
    (data and dataset card, a brat folder whole) is built under a temporary name and put into place
    at the end (``annotator.atomic``), so a failure, or an exception raised from
    ``progress(done, total)`` (a Cancel button; it counts documents), leaves the previous output as
    it was and no temporary behind. Files of an existing folder that the export does not write are
    kept. ``options`` are format settings (claimreview: ``review_author``, ``review_url``).
    Raises ``AnnotatorError`` for user errors.
    """
    format_ = get_format(fmt)
    filters = filters or Filters()
    missing = unavailable(format_)
    if missing:
        raise AnnotatorError(missing)
    if format_.check:
        format_.check()
    data, readme, folder = _targets(format_, Path(out), force)
    selection = select(project, filters, beside=not format_.counts_rows)
    result = ExportResult(format_.name, data, readme, documents=len(selection.documents),
                          annotations=selection.annotations, relations=selection.relation_count,
                          entities=len(selection.entities))
    job = ExportJob(project, filters, selection, result, progress, options=dict(options or {}))
    created = _make_parents(folder)
    try:
        with Staging() as stage:
            staged = stage.folder(folder)
            try:
                format_.write(job, staged / data.relative_to(folder))
            except Exception:
                selection.check_offsets(project.path)  # a cause a writer stops on without naming it (CoNLL's NotWhole)
                raise
            if not format_.counts_rows:  # a writer that counts its own rows checks their offsets as it reads them
                selection.check_offsets(project.path)
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
