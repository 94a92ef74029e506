"""The GUI import shows what the readers had to guess (bytes that are not UTF-8) instead of staying silent."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox


def test_import_lists_decoding_warnings_in_a_message_box(window, tmp_path: Path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append(text))
    clean = tmp_path / "clean.txt"
    clean.write_text("A clean UTF-8 file, é.\n", encoding="utf-8")
    window.import_paths([str(clean)])
    assert shown == []
    stray = tmp_path / "stray.txt"
    stray.write_bytes("Report 😀 from دمشق: ".encode() + b"the ministry\x92s toll.\n")
    window.import_paths([str(stray)])
    assert window.project.counts()["documents"] == 4
    assert shown == [f"Imported, but check these files:\n\n{stray}: 1 byte that is not UTF-8 (at byte 39, line 1) was read as cp1252"]
