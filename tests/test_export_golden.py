"""Every export format writes, byte for byte, what it wrote before the exporters were made faster (qdpx: the same
entries; since the eleventh round the sources come first in the zip and project.qde last).

``tests/data/export_golden.db`` is the export sample (``test_export_sample.build_sample``: emoji, Arabic,
overlapping spans, attributes, notes, relations) saved once, so its ids and timestamps are fixed;
``tests/data/export_golden/<format>/`` holds what each format wrote from it (the dataset card aside: it
carries the export time). Regenerate both only for a deliberate change of a format's output.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from annotator import Project
from annotator.exporters import FORMATS, export

DATA = Path(__file__).resolve().parent / "data"
GOLDEN = DATA / "export_golden"


def files(folder: Path) -> dict[str, Any]:
    return {str(f.relative_to(folder)): _contents(f) for f in sorted(folder.rglob("*"))
            if f.is_file() and not f.name.endswith(".DATASET.md")}


def _contents(path: Path) -> Any:
    """A file's bytes; a zip's entries (names in order, dates, bytes): the deflate level is not the format's."""
    if path.suffix != ".qdpx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        return [(i.filename, i.date_time, archive.read(i)) for i in archive.infolist()]


@pytest.fixture(scope="module")
def golden_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    copy = tmp_path_factory.mktemp("golden") / "export_golden.db"
    shutil.copyfile(DATA / "export_golden.db", copy)  # opening may write beside the file: never the committed one
    with Project.open(copy) as project:
        yield project


def test_every_format_is_golden(golden_project: Project) -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(FORMATS)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_export_is_byte_identical(golden_project: Project, tmp_path: Path, name: str) -> None:
    export(golden_project, name, tmp_path / name)
    expected = files(GOLDEN / name)
    written = files(tmp_path / name)
    assert sorted(written) == sorted(expected)
    for path, data in expected.items():
        assert written[path] == data, f"{name}: {path} differs from the golden output"
