"""ui/qt_items.py: the typed accessors the docks use instead of Qt's may-be-None item getters."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem

from ui.qt_items import cell, children, top_item, top_items


def test_tree_items_in_order(qtbot) -> None:
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    first, second = QTreeWidgetItem(["a"]), QTreeWidgetItem(["b"])
    tree.addTopLevelItems([first, second])
    first.addChildren([QTreeWidgetItem(["a1"]), QTreeWidgetItem(["a2"])])
    assert [t.text(0) for t in top_items(tree)] == ["a", "b"]
    assert top_item(tree, 1).text(0) == "b"
    assert [c.text(0) for c in children(first)] == ["a1", "a2"]
    assert children(second) == []


def test_outside_the_count_is_an_error_not_none(qtbot) -> None:
    tree = QTreeWidget()
    table = QTableWidget(1, 2)
    qtbot.addWidget(tree)
    qtbot.addWidget(table)
    table.setItem(0, 0, QTableWidgetItem("x"))
    assert cell(table, 0, 0).text() == "x"
    with pytest.raises(AssertionError):
        cell(table, 0, 1)  # a cell never filled
    with pytest.raises(AssertionError):
        top_item(tree, 0)
