"""Extra selections from several sources on one text view (find hits, suggestions): each source
sets its own layer and the view shows them all, so one never wipes out the other."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not at start-up: importing a Qt class makes its enums
    from PySide6.QtWidgets import QPlainTextEdit, QTextEdit


def set_overlay(view: QPlainTextEdit, name: str, selections: list[QTextEdit.ExtraSelection]) -> None:
    layers: dict[str, list[QTextEdit.ExtraSelection]] = getattr(view, "_overlays", {})
    layers = {**layers, name: selections}
    view._overlays = layers  # type: ignore[attr-defined]
    view.setExtraSelections([s for key in sorted(layers) for s in layers[key]])
