"""The app's look: Fusion with a light, quiet palette so the highlights carry the colour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

STYLESHEET = """
QMainWindow, QDockWidget { background: #F6F7F9; }
QDockWidget::title { padding: 6px 8px; background: #ECEEF2; font-weight: 600; color: #374151; }
QToolBar { background: #FFFFFF; border-bottom: 1px solid #E3E6EA; spacing: 6px; padding: 4px; }
#DocumentPane { background: #FFFFFF; border: 1px solid #E3E6EA; border-radius: 6px; }
#DocumentPane[active="true"] { border: 1px solid #6B8AFD; }
#PaneHeader { background: #FAFBFC; border-bottom: 1px solid #EEF0F3;
              border-top-left-radius: 6px; border-top-right-radius: 6px; }
#PaneTitle { font-size: 11pt; font-weight: 600; color: #111827; }
#PaneMeta { color: #6B7280; }
#Hint { color: #6B7280; font-size: 10.5pt; }
#Quote { font-style: italic; color: #1F2937; padding: 4px 0; }
#Reviewer { color: #374151; }
#Saved { color: #059669; padding-right: 8px; }
#Saved[failed="true"] { color: #B91C1C; font-weight: bold; }
QPlainTextEdit { background: #FFFFFF; selection-background-color: #CBD0D8; selection-color: #111827; }
QTableView { background: #FFFFFF; alternate-background-color: #F9FAFB; gridline-color: #EEF0F3;
             selection-background-color: #DCE6FF; selection-color: #111827; }
QHeaderView::section { background: #F3F4F6; border: none; border-bottom: 1px solid #E5E7EB;
                       padding: 4px 6px; color: #4B5563; font-weight: 600; }
QSplitter::handle { background: #F6F7F9; }
QStatusBar { background: #FFFFFF; border-top: 1px solid #E3E6EA; }
"""


DARK_STYLESHEET = """
#PaneTitle { font-size: 11pt; font-weight: 600; }
#Hint { font-size: 10.5pt; }
#Quote { font-style: italic; padding: 4px 0; }
#Saved { color: #34D399; padding-right: 8px; }
#Saved[failed="true"] { color: #F87171; font-weight: bold; }
"""


def system_is_dark(app: QApplication) -> bool:
    """The desktop's light or dark choice (Qt 6.5+ reports it; older Qt: light)."""
    hints = app.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    apply_palette(app)


def apply_palette(app: QApplication) -> None:
    """The palette and stylesheet over Fusion (the app's start sets Fusion as QApplication's
    ``-style`` argument, see ui.app.application)."""
    if system_is_dark(app):
        # Follow the system: Fusion's own dark palette, no light stylesheet over it. Disabled
        # text keeps Fusion's dimmed colour, so Undo with nothing to undo still looks disabled.
        app.setPalette(app.style().standardPalette())
        app.setStyleSheet(DARK_STYLESHEET)
        return
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#F6F7F9"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#F9FAFB"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#3B6CF6"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        # setColor(role, ...) alone sets every group: disabled actions (Undo with nothing to undo,
        # Delete with nothing selected) would look clickable. Disabled text stays grey.
        palette.setColor(QPalette.ColorGroup.Active, role, QColor("#111827"))
        palette.setColor(QPalette.ColorGroup.Inactive, role, QColor("#111827"))
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9CA3AF"))
    app.setPalette(palette)
    app.setStyleSheet(STYLESHEET)
