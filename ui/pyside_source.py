"""Answer PySide6's per-module ``__feature__`` check from what is known instead of from the source.

shibokensupport.feature.feature_imported(module) stores, once per module name, 0 in
``pyside_feature_dict`` if ``"PySide6" in inspect.getsource(module)`` and -1 otherwise (-1: the
module is ignored by ``from __feature__ import ...``; 0: it may select features but, as this app
selects none, it gets PySide6's default API: the two behave the same here). Its result is known
without reading the files:

* the ``ui`` package's modules name PySide6 (0), except the few listed in ``QT_FREE`` (-1);
* the standard library's modules and the core's never name it (-1): the core never imports Qt, and
  main.py imports it before PySide6, so each later ``from annotator... import`` would be checked.

tests/test_pyside_source.py compares these answers with the check's own on every file.

If PySide6 changes its internals (no ``pyside_feature_dict``) nothing is recorded and its own check
runs as before.
"""

from __future__ import annotations

import sys
from pathlib import Path

import PySide6  # noqa: F401  (installs the import hook whose check is answered here)

HERE = Path(__file__).parent

# ui modules whose source never names PySide6 (tests/test_pyside_source.py keeps this list exact)
QT_FREE = frozenset({"ui.offsets", "ui.recent", "ui.span_index"})


def feature_checks() -> dict[str, int] | None:
    """PySide6's record of checked modules, or None if this PySide6 keeps none."""
    feature = sys.modules.get("shibokensupport.feature")
    known = getattr(feature, "pyside_feature_dict", None)
    return known if isinstance(known, dict) else None


def ui_answers() -> dict[str, int]:
    """What the check answers for each ``ui`` module, from the package's file names."""
    names = ["ui", *(f"ui.{path.stem}" for path in HERE.glob("*.py") if path.stem != "__init__")]
    return {name: -1 if name in QT_FREE else 0 for name in names}


def qt_free(name: str) -> bool:
    """A loaded module of the standard library or the core: its source never names PySide6."""
    top = name.partition(".")[0]
    return top == "annotator" or top in sys.stdlib_module_names


def record_feature_checks() -> None:
    """Record the check's answer for the ui modules and the loaded Qt-free ones; modules a check
    already answered keep their answer."""
    known = feature_checks()
    if known is None:
        return
    for name, answer in ui_answers().items():
        known.setdefault(name, answer)
    for name in [name for name in sys.modules if qt_free(name)]:
        known.setdefault(name, -1)
