"""GUI tests. pytest imports this folder as the package ``ui`` (tests/ has no __init__.py), which hides the
app's ``ui`` package: without the line below, ``ui.main_window`` would come from wherever the editable
install points (another checkout), not from this one."""

from pathlib import Path

__path__.insert(0, str(Path(__file__).resolve().parents[2] / "ui"))
