"""What every importer produces: text, metadata and (for labelled formats) spans."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class ImportedSpan:
    start: int
    end: int
    label: str
    annotator: str | None = None
    attributes: dict[str, Any] | None = None
    note: str | None = None
    line: int | None = None


@dataclass
class ImportedDocument:
    """One document read from a file; ``line`` is set for formats with one document per line."""

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    spans: list[ImportedSpan] = field(default_factory=list)
    source: Path | str = ""
    line: int | None = None
    warnings: list[str] = field(default_factory=list)
    """What the reader had to guess (e.g. bytes that are not UTF-8), one line each, naming the file."""

    @property
    def where(self) -> str:
        return f"{self.source}, line {self.line}" if self.line is not None else str(self.source)


_collector: ContextVar[list[str] | None] = ContextVar("import_warnings", default=None)


@contextmanager
def collecting_warnings() -> Iterator[list[str]]:
    """Gather the warnings that readers ``warn`` while the block runs.

    Readers deep inside a format (the text decoder, used by every text format) report here instead
    of threading a list through every signature; ``read_file`` puts them on the documents."""
    found: list[str] = []
    token = _collector.set(found)
    try:
        yield found
    finally:
        _collector.reset(token)


def forward(messages: list[str]) -> None:
    """Pass warnings gathered by an inner block on to an outer one, if there is one."""
    found = _collector.get()
    if found is not None:
        found.extend(messages)


def warn(message: str) -> None:
    """Report a guess to the innermost ``collecting_warnings`` block (outside one: a Python warning, never silence)."""
    found = _collector.get()
    if found is None:
        import warnings

        warnings.warn(message, stacklevel=2)
    else:
        found.append(message)
