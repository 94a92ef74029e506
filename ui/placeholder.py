"""A dock's place, held at its final size until its contents are built after the first frame.

Building the annotation table, the inspector and the entities list (and PySide6 making their Qt
classes' enums) cost a large share of the start; the window shows first. The layout of the first frame
must already be the final one, or the panes rewrap when the contents come: a placeholder answers the
size hints its contents will answer (tests/gui/test_cold_start.py compares them with the real widgets').
The inspector needs none: it sits in a scroll area, whose minimum size is its own, and the window sets
that dock's size (MainWindow.default_docks, or the last session's layout).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

Hints = tuple[tuple[int, int], tuple[int, int]]
"""(size hint, minimum size hint) as (width, height)."""

ANNOTATIONS: Hints = ((336, 228), (239, 106))
ENTITIES: Hints = ((346, 256), (346, 134))


class Placeholder(QWidget):
    """An empty widget whose size hints are its future contents'."""

    def __init__(self, hints: Hints) -> None:
        super().__init__()
        self._hint = QSize(*hints[0])
        self._minimum = QSize(*hints[1])

    def sizeHint(self) -> QSize:
        return self._hint

    def minimumSizeHint(self) -> QSize:
        return self._minimum
