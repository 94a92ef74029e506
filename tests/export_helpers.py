"""What the export tests compare (every file an export wrote) and do (export with or without a second process, lose
its result, cancel one while it works)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator import Project
from annotator.exporters import export
from annotator.exporters.second_process import SecondProcess


def written_files(folder: Path) -> dict[str, bytes]:
    """Every file written under ``folder`` (the export and its dataset card), the card without the folder's name
    and the time of the export, so two exports of the same selection compare equal."""
    return {str(f.relative_to(folder)): re.sub(rb"Exported \S+", b"Exported", f.read_bytes()).replace(
        f"`{folder.name}`".encode(), b"`out`") for f in sorted(folder.rglob("*")) if f.is_file()}


def cancel_while_the_second_process_works(monkeypatch: pytest.MonkeyPatch, export: Callable[[Callable[[int, int], None]], Any],
                                          starts: str = "start") -> None:
    """``export(progress)`` cancelled at its second document (the progress callback raises, as the dialog's Cancel
    does) while the second process it started (through ``SecondProcess.<starts>``) works: the process is ended and
    waited for."""
    started: list[Any] = []
    original = getattr(SecondProcess, starts).__func__
    monkeypatch.setattr(SecondProcess, starts,
                        classmethod(lambda cls, *args: started.append(original(cls, *args)) or started[-1]))

    def progress(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt("Cancel")

    with pytest.raises(KeyboardInterrupt):
        export(progress)
    assert started and started[0] is not None
    assert started[0].process.poll() is not None  # ended, and waited for


def export_above(path: Path, out: Path, monkeypatch: pytest.MonkeyPatch, module: Any, name: str, above: int,
                 **options: Any) -> Any:
    """``name`` exported from the project at ``path`` with ``module.PROCESS_ABOVE`` at ``above``: 1, a second
    process on every export that can have one; ``10**9``, none."""
    monkeypatch.setattr(module, "PROCESS_ABOVE", above)
    with Project.open(path) as project:
        return export(project, name, out, **options)


def lose_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second process runs to its end and its result is lost (``finish`` gives ``None``, as for a crash): the
    exporting process must build those documents itself."""
    finish = SecondProcess.finish
    monkeypatch.setattr(SecondProcess, "finish", lambda self: finish(self) and None)


def kept_results(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The list each second process's result is added to as ``finish`` gives it (``None``: it failed)."""
    results: list[Any] = []
    finish = SecondProcess.finish
    monkeypatch.setattr(SecondProcess, "finish", lambda self: results.append(finish(self)) or results[-1])
    return results
