"""Colour arithmetic shared by the label palette and the highlighter.

Its own module so the palette (built before the first frame) does not import the highlighter and
the text classes PySide6 would make for it (QSyntaxHighlighter, QTextDocument, ...) before they are used.
"""

from __future__ import annotations

from PySide6.QtGui import QColor


def blend(colors: list[QColor], alpha: float) -> QColor:
    """Mix label colours and lay them over white at ``alpha``: opaque, so text stays readable."""
    r = sum(c.redF() for c in colors) / len(colors)
    g = sum(c.greenF() for c in colors) / len(colors)
    b = sum(c.blueF() for c in colors) / len(colors)
    return QColor.fromRgbF(1 - alpha * (1 - r), 1 - alpha * (1 - g), 1 - alpha * (1 - b))
