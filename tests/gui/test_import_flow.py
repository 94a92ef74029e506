"""File ▸ Import Labelled Dataset offers what ``import --skip-bad`` and ``--create-labels`` do, after showing why."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from ui import import_flow


def brat_folder(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Rami Abdulrahman and the Observatory said 42 died.\n", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tActor 0 16\tRami Abdulrahman\nT2\tActor 25 36\tObservatory\n" + extra,
                                  encoding="utf-8")
    return folder


@pytest.fixture
def boxes(monkeypatch):
    """Every question box: its text is recorded and the button named by ``boxes.answer`` is clicked (None: Cancel)."""
    class Boxes:
        answer: str | None = None
        asked: ClassVar[list[str]] = []
        warned: ClassVar[list[str]] = []

    def exec_(box: QMessageBox) -> int:
        Boxes.asked.append(box.text())
        chosen = next((b for b in box.buttons() if b.text() == Boxes.answer), box.button(QMessageBox.StandardButton.Cancel))
        chosen.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: Boxes.warned.append(text))
    return Boxes


def choose(monkeypatch, fmt: str, path: Path) -> None:
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (fmt, True))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(path))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], ""))


def actors(window) -> list[str]:
    return sorted(a.quote for a in window.project.annotations() if a.quote in ("Rami Abdulrahman", "Observatory"))


def test_a_brat_equivalence_line_is_named_and_skipped_on_request(window, tmp_path, monkeypatch, boxes) -> None:
    folder = brat_folder(tmp_path, "*\tEquiv T1 T2\n")
    choose(monkeypatch, "brat", folder)
    boxes.answer = None  # first: cancel, nothing imported
    window.do_import_dataset()
    ann = folder / "a.ann"
    assert boxes.asked == [f"1 line(s) cannot be imported:\n\n{ann}, line 3: brat equivalences (* lines) are not "
                           f"supported\n\n{import_flow.SKIP_BUTTON}? Those lines are left out; everything else is imported."]
    assert actors(window) == [] and window.project.counts()["documents"] == 2
    boxes.answer = import_flow.SKIP_BUTTON
    window.do_import_dataset()
    assert actors(window) == ["Observatory", "Rami Abdulrahman"]
    assert boxes.warned == [f"Imported, but check these:\n\nLeft out: {ann}, line 3: brat equivalences (* lines) are "
                            "not supported"]
    assert window.project.undo() is not None and actors(window) == []  # one undo step


def test_a_good_brat_folder_imports_without_questions(window, tmp_path, monkeypatch, boxes) -> None:
    choose(monkeypatch, "brat", brat_folder(tmp_path, ""))
    window.do_import_dataset()
    assert boxes.asked == [] and boxes.warned == []
    assert actors(window) == ["Observatory", "Rami Abdulrahman"]


def test_a_format_that_cannot_skip_lines_says_the_one_line_and_asks_nothing(window, tmp_path, monkeypatch, boxes) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"\n', encoding="utf-8")
    choose(monkeypatch, "doccano", bad)
    window.do_import_dataset()
    assert boxes.asked == [] and len(boxes.warned) == 1 and str(bad) in boxes.warned[0]


def test_labels_the_project_lacks_are_created_only_when_asked(window, tmp_path, monkeypatch, boxes) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Shelling hit Idlib on Monday.\n", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tPlace 13 18\tIdlib\n", encoding="utf-8")
    choose(monkeypatch, "brat", folder)
    window.do_import_dataset()
    assert len(boxes.asked) == 1 and "Place" in boxes.asked[0]
    assert "Place" not in {label.name for label in window.project.labels()}
    boxes.answer = import_flow.CREATE_BUTTON
    window.do_import_dataset()
    assert "Place" in {label.name for label in window.project.labels()}
    assert [a.quote for a in window.project.annotations() if a.quote == "Idlib"] == ["Idlib"]
