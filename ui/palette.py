"""The label palette: one button per label with its colour and key; click to apply to the selection."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.models import Label
from ui.colors import blend


def palette_keys(labels: list[Label]) -> dict[str, Label]:
    """Key -> label: a label's own hotkey, else its position (1–9) if that key is free."""
    keys: dict[str, Label] = {label.hotkey: label for label in labels if label.hotkey}
    for position, label in enumerate(labels[:9], start=1):
        if not label.hotkey and str(position) not in keys:
            keys[str(position)] = label
    return keys


class LabelPalette(QWidget):
    label_chosen = Signal(str)  # label id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Palette")
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(6, 2, 6, 2)
        self.layout_.setSpacing(6)

    def set_labels(self, labels: list[Label]) -> None:
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            assert item is not None  # count() > 0
            if widget := item.widget():
                widget.deleteLater()
        caption = QLabel("Labels:")
        caption.setObjectName("PaneMeta")
        self.layout_.addWidget(caption)
        key_of = {label.id: key for key, label in palette_keys(labels).items()}
        for label in labels:
            key = key_of.get(label.id)
            button = QPushButton(f"{key}  {label.name}" if key else label.name)
            button.setObjectName("LabelButton")
            color = QColor(label.color)
            button.setStyleSheet(
                f"QPushButton#LabelButton {{ background: {blend([color], 0.30).name()};"
                f" border: 1px solid {color.darker(115).name()}; border-left: 5px solid {color.name()};"
                " border-radius: 4px; padding: 3px 10px; }"
                f" QPushButton#LabelButton:hover {{ background: {blend([color], 0.5).name()}; }}"
            )
            button.setToolTip(f"{label.description}\nSelect text, then press {key} or click here." if key else label.description)
            button.clicked.connect(lambda _=False, i=label.id: self.label_chosen.emit(i))
            self.layout_.addWidget(button)
        self.layout_.addStretch(1)
