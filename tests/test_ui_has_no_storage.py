"""The GUI (``ui/``) goes through the core's API: it never opens the database itself.

Storage lives in ``annotator.store`` (undo, change notifications, transactions); a widget that
imported it, ``sqlite3`` or ``sqlite_utils`` could write behind the history's back.
"""

from __future__ import annotations

from test_core_has_no_qt import module_imports, offenders

STORAGE = ("annotator.store", "sqlite3", "sqlite_utils")


def test_ui_imports_no_storage() -> None:
    assert len(module_imports("ui")) > 10  # the walk really found the GUI
    assert offenders("ui", STORAGE) == {}


def test_offenders_would_name_a_violation(tmp_path, monkeypatch) -> None:
    import test_core_has_no_qt as guard

    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "bad.py").write_text("def f():\n    from annotator import store\n    import sqlite3\n", encoding="utf-8")
    monkeypatch.setattr(guard, "ROOT", tmp_path)
    assert offenders("ui", STORAGE) == {"ui.bad": ["annotator.store", "sqlite3"]}
