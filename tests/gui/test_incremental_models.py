"""The docks' models change one row per touched record, and a long document's rows are read in slices."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import ui.figures_dock
from ui.figures_dock import FiguresDock

TEXT_B = "Over 1,200 Alawites were killed, the Syrian Observatory for Human Rights said."


def _show_figures(window) -> None:
    window.figures_dock.setFloating(True)
    window.figures_dock.show()
    QApplication.processEvents()
    assert window.figures.isVisible()


def _events(model) -> list[str]:
    events: list[str] = []
    model.modelReset.connect(lambda: events.append("reset"))
    model.layoutChanged.connect(lambda: events.append("layout"))
    model.rowsInserted.connect(lambda _p, first, last: events.append(f"insert {first}-{last}"))
    model.rowsRemoved.connect(lambda _p, first, last: events.append(f"remove {first}-{last}"))
    return events


def test_figures_model_inserts_and_removes_one_row_and_builds_only_touched_rows(window, monkeypatch) -> None:
    project = window.project
    b = project.documents(with_text=False)[1].id
    for start, value in ((0, 5), (5, 1200), (11, 30)):
        project.add_annotation(b, start, start + 4, "Figure", annotator="ana", attributes={"value": value, "counted": "people killed"})
    _show_figures(window)
    built: list[object] = []
    real = ui.figures_dock.figure_rows
    monkeypatch.setattr(ui.figures_dock, "figure_rows", lambda *a, **k: built.append(k.get("annotation_ids")) or real(*a, **k))
    events = _events(window.figures.model)
    new = project.add_annotation(b, 20, 27, "Figure", annotator="ana", attributes={"value": 40, "counted": "people killed"}).id
    assert events == ["insert 2-2"]  # between 30 and 1200, in report order
    assert built == [{new}]
    project.undo()
    assert events == ["insert 2-2", "remove 2-2"]
    assert [set(ids) for ids in built] == [{new}, {new}]
    assert window.figures.summary.text() == "3 figures in 1 documents"


def test_figures_sorted_by_a_column_stay_sorted_through_changes(window) -> None:
    project = window.project
    b = project.documents(with_text=False)[1].id
    first = project.add_annotation(b, 0, 4, "Figure", annotator="ana", attributes={"value": 5}).id
    project.add_annotation(b, 5, 10, "Figure", annotator="ben", attributes={"value": 1200})
    _show_figures(window)
    window.figures.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    events = _events(window.figures.model)
    project.add_annotation(b, 11, 18, "Figure", annotator="ana", attributes={"value": 300})
    project.update_annotation(first, attributes={"value": 5000})
    assert "reset" not in events and "layout" not in events
    fresh = FiguresDock(window.session)
    fresh.refresh()
    fresh.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert window.figures.snapshot() == fresh.snapshot()
    assert [row[1] for row in window.figures.snapshot()[1]] == ["5,000", "1,200", "300"]


def test_a_long_document_is_read_in_slices_and_ends_complete_and_sorted(window, qtbot) -> None:
    from ui.annotation_table import SLICE_CHARACTERS

    project = window.project
    text = ("word " * (SLICE_CHARACTERS // 2))[: SLICE_CHARACTERS * 2]
    document = project.add_document(text, title="Long")
    with project.group("many"):
        for start in range(0, len(text) - 10, 100):
            project.add_annotation(document.id, start, start + 4, "Claim", annotator="ana")
    total = len(project.annotations(document.id))
    model = window.table.model
    model.load(document.id)
    assert 0 < model.rowCount() < total and model.canFetchMore()
    late = project.add_annotation(document.id, len(text) - 8, len(text) - 4, "Actor", annotator="ana").id  # in an unread slice
    qtbot.waitUntil(lambda: not model.canFetchMore(), timeout=10_000)
    assert [a.id for a in model.rows] == [a.id for a in project.annotations(document.id)]  # each once, by start
    assert model.row_of(late) == total


def test_a_change_puts_the_next_slice_off_until_the_reviewer_pauses(window, qtbot) -> None:
    from ui.annotation_table import PAUSE_AFTER_CHANGE_MS, SECOND_SLICE_MS, SLICE_CHARACTERS

    project = window.project
    text = ("word " * SLICE_CHARACTERS)[: SLICE_CHARACTERS * 4]
    document = project.add_document(text, title="Long")
    with project.group("many"):
        for start in range(0, len(text) - 10, 20):
            project.add_annotation(document.id, start, start + 4, "Claim", annotator="ana")
    model = window.table.model
    model.load(document.id)
    assert model.canFetchMore() and model._timer.interval() == SECOND_SLICE_MS  # after the first frame of its pane
    read = model.rowCount()
    added = project.add_annotation(document.id, 2, 6, "Actor", annotator="ana").id  # in the slice already read
    assert model._timer.isActive() and model._timer.interval() == PAUSE_AFTER_CHANGE_MS
    assert model.rowCount() == read + 1 and model.row_of(added) >= 0  # shown at once, not left for later
    qtbot.wait(PAUSE_AFTER_CHANGE_MS // 3)
    assert model.rowCount() == read + 1  # no slice read inside the pause
    qtbot.waitUntil(lambda: not model.canFetchMore(), timeout=20_000)
    assert [a.id for a in model.rows] == [a.id for a in project.annotations(document.id)]


def test_inspector_reuses_the_attribute_form_for_the_same_label_without_leaking_values(window) -> None:
    project = window.project
    b = project.documents(with_text=False)[1].id
    odd = project.add_annotation(b, 0, 4, "Figure", annotator="ana").id
    plain = project.add_annotation(b, 5, 10, "Figure", annotator="ana").id
    inspector = window.inspector
    window.session.select(odd)
    editors = dict(inspector.editors)
    window.session.select(plain)
    assert inspector.editors == editors  # the same widgets: not rebuilt
    counted = inspector.editors["counted"]
    counted_items = counted.count()
    inspector._set_value(counted, "something else")  # a value outside the choices, as an import may bring
    assert counted.count() == counted_items + 1
    window.session.select(odd)
    assert counted.count() == counted_items and counted.currentIndex() == 0  # the stray value went with its annotation
