"""GUI tests. This package is imported as ``ui`` (pytest puts tests/ on sys.path), which shadows the real
``ui`` package: its path gets this checkout's ui/ folder, so ``ui.app`` is this checkout's code and not
whatever checkout the editable install points to (a git worktree would otherwise test the main checkout)."""

from pathlib import Path

__path__.append(str(Path(__file__).resolve().parents[2] / "ui"))
