"""A dock shown, hidden or resized schedules the (debounced) layout save, as moving it does."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def test_showing_hiding_or_resizing_a_dock_schedules_the_layout_save(window) -> None:
    dock = window.figures_dock
    for change in (dock.show, lambda: dock.resize(dock.width() + 40, dock.height() + 30), dock.hide):
        window._layout_timer.stop()
        change()
        QApplication.processEvents()
        assert window._layout_timer.isActive()
    window._layout_timer.stop()
    QApplication.processEvents()
    assert not window._layout_timer.isActive()  # nothing else schedules it meanwhile
