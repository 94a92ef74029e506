"""What the export tests compare (every file an export wrote) and do (cancel one while its second process works)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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
