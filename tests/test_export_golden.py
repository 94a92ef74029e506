"""Every export format writes, byte for byte, what it wrote before the exporters were made faster.

``tests/data/export_golden.db`` is the export sample (``test_export_sample.build_sample``: emoji, Arabic,
overlapping spans, attributes, notes, relations) saved once, so its ids and timestamps are fixed;
``tests/data/export_golden/<format>/`` holds what each format wrote from it (the dataset card aside: it
carries the export time). Regenerate both only for a deliberate change of a format's output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator import Project
from annotator.exporters import FORMATS, export

DATA = Path(__file__).resolve().parent / "data"
GOLDEN = DATA / "export_golden"


def files(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*"))
            if f.is_file() and not f.name.endswith(".DATASET.md")}


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
