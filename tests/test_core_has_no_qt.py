"""The core (``annotator``) never imports Qt or the GUI package, not even indirectly."""

from __future__ import annotations

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
