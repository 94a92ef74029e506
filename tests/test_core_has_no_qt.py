"""The core (``annotator``) never imports Qt or the GUI package, not even indirectly."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import importlib, json, pkgutil, sys, traceback
import annotator
imported, failed = ["annotator"], {}
def onerror(name):
    failed[name] = traceback.format_exc(limit=-1)
for info in pkgutil.walk_packages(annotator.__path__, "annotator.", onerror=onerror):
    if info.name == "annotator.__main__":
        continue  # runs the command line on import
    try:
        importlib.import_module(info.name)
    except BaseException:
        failed[info.name] = traceback.format_exc(limit=-1)
    else:
        imported.append(info.name)
forbidden = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6", "ui"))
print(json.dumps({"imported": imported, "failed": failed, "forbidden": forbidden}))
"""


def test_core_imports_no_qt() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["failed"] == {}, "modules that do not import:\n" + "\n".join(result["failed"].values())
    on_disk = {p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
               for p in (ROOT / "annotator").rglob("*.py") if p.name != "__main__.py"}
    assert on_disk <= set(result["imported"])  # every module was really imported
    assert {"annotator.store", "annotator.cli.gui_cmd", "annotator.importers.html"} <= set(result["imported"])
    assert result["forbidden"] == []


# -- the same rule read from the source: also catches imports inside functions the probe never calls ------------

QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2", "ui")


def imported_names(source: str, module: str = "") -> set[str]:
    """Every module an ``import`` or ``from ... import`` in SOURCE names, at any depth, as full dotted names.

    ``from annotator import store`` yields ``annotator`` and ``annotator.store`` (the name may be a module);
    relative imports are resolved against MODULE (a dotted name, its package being everything before the last dot).
    """
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")[:-node.level]
                base = ".".join([*package, base] if base else package)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def module_imports(package: str) -> dict[str, set[str]]:
    """For each .py file of PACKAGE (a top-level folder of the repository): the modules it imports."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        module = path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
        found[module] = imported_names(path.read_text(encoding="utf-8"), module)
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    def bad(name: str) -> bool:
        return any(name == f or name.startswith(f + ".") for f in forbidden)

    return {module: sorted(filter(bad, names)) for module, names in module_imports(package).items() if any(map(bad, names))}


def test_imported_names_sees_every_form() -> None:
    source = ("import os.path\nfrom PySide6.QtCore import Qt\n"
              "def f():\n    import ui.app\n    from annotator import store\nfrom . import sibling\n")
    names = imported_names(source, "annotator.cli.x")
    assert {"os.path", "PySide6.QtCore", "ui.app", "annotator.store", "annotator.cli.sibling"} <= names


def test_core_source_names_no_qt() -> None:
    assert len(module_imports("annotator")) > 30  # the walk really found the core
    assert offenders("annotator", QT) == {}
