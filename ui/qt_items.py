"""Items of Qt's item widgets, typed: the stubs say any item may be None, but one inside the count never is."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem


def top_item(tree: QTreeWidget, i: int) -> QTreeWidgetItem:
    """The tree's top-level item ``i`` (inside ``topLevelItemCount()``)."""
    item = tree.topLevelItem(i)
    assert item is not None, i
    return item


def top_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    return [top_item(tree, i) for i in range(tree.topLevelItemCount())]


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = [item.child(j) for j in range(item.childCount())]
    return [child for child in found if child is not None]


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item in a cell the table has filled."""
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item
