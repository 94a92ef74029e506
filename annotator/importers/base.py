"""What every importer produces: text, metadata and (for labelled formats) spans."""

from __future__ import annotations

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

    @property
    def where(self) -> str:
        return f"{self.source}, line {self.line}" if self.line is not None else str(self.source)
