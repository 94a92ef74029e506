"""ui.pyside_source answers PySide6's per-module __feature__ check as the check itself would."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import ui
from ui import pyside_source

ROOT = Path(__file__).resolve().parents[1]


def answer_by_source(path: Path) -> int:
    """The check's own rule (shibokensupport.feature._mod_uses_pyside): 0 if the source names PySide6."""
    return 0 if "PySide6" in path.read_text(encoding="utf-8") else -1


def test_every_ui_module_gets_the_answer_its_source_gives():
    answers = pyside_source.ui_answers()
    files = {("ui" if p.stem == "__init__" else f"ui.{p.stem}"): p for p in (ROOT / "ui").glob("*.py")}
    assert set(answers) == set(files)
    assert {name: answers[name] for name in files} == {name: answer_by_source(p) for name, p in files.items()}


def test_the_core_never_names_pyside6_so_its_answer_is_minus_one():
    named = [str(p) for p in (ROOT / "annotator").rglob("*.py") if answer_by_source(p) == 0]
    assert named == []


@pytest.mark.parametrize("name", ["json", "re", "annotator.models", "annotator.store.connection"])
def test_loaded_standard_library_and_core_modules_count_as_qt_free(name):
    assert pyside_source.qt_free(name)
    assert not pyside_source.qt_free("PySide6.QtCore") and not pyside_source.qt_free("pytestqt.plugin")


def test_the_answers_are_recorded_where_pyside6_looks_them_up():
    known = pyside_source.feature_checks()
    assert known is not None, "PySide6 no longer keeps pyside_feature_dict: ui/pyside_source.py records nothing"
    assert known["ui.main_window"] == 0 and known["ui.offsets"] == -1
    assert ui.__name__ in known
    assert sys.modules["shibokensupport.feature"].pyside_feature_dict is known
