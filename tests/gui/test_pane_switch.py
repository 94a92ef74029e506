"""Switching panes reuses the annotation table's rows instead of reading the document again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import press
from ui.annotation_table import SLICE_CHARACTERS


def _long_document(project) -> str:
    text = ("word " * (SLICE_CHARACTERS // 2))[: SLICE_CHARACTERS * 2]
    document = project.add_document(text, title="Long")
    with project.group("many"):
        for start in range(0, len(text) - 10, 100):
            project.add_annotation(document.id, start, start + 4, "Claim", annotator="ana")
    return document.id


def _count_reads(project, monkeypatch) -> list[int]:
    """The ``starting_from`` of every read of a document's annotations."""
    reads: list[int] = []
    real = project.annotations
    monkeypatch.setattr(project, "annotations", lambda *a, **k: reads.append(k.get("starting_from", 0)) or real(*a, **k))
    return reads


def test_switching_back_to_a_pane_does_not_read_its_annotations_again(window, qtbot, monkeypatch) -> None:
    first, second = window.panes.panes()
    window.project.add_annotation(second.document_id, 0, 4, "Claim", annotator="ana")
    press(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.panes.current is second and [a.start for a in window.table.model.rows] == [0]
    press(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    reads = _count_reads(window.project, monkeypatch)
    for expected in (second, first, second):
        press(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        assert window.panes.current is expected
        assert window.table.model.document_id == expected.document_id
    assert reads == []
    assert [a.start for a in window.table.model.rows] == [0]


def test_a_partly_read_document_goes_on_from_where_it_was_left(window, qtbot, monkeypatch) -> None:
    project = window.project
    long_id = _long_document(project)
    model = window.table.model
    model.load(long_id, reread=False)
    assert model.canFetchMore()
    read_until = model.loaded_until
    shown = len(model.rows)
    reads = _count_reads(project, monkeypatch)
    model.load(window.panes.panes()[1].document_id, reread=False)  # switch away before the rest is read
    model.load(long_id, reread=False)  # and back
    assert len(model.rows) == shown and 0 not in reads  # the first slice is not read again
    qtbot.waitUntil(lambda: not model.canFetchMore(), timeout=10_000)
    assert reads[0] == read_until
    assert [a.id for a in model.rows] == [a.id for a in project.annotations(long_id)]  # each once, by start


def test_filters_match_label_reviewer_and_text_in_quote_or_note(window) -> None:
    project = window.project
    document = window.panes.panes()[0].document_id
    claim = project.add_annotation(document, 0, 8, "Claim", annotator="ana").id
    actor = project.add_annotation(document, 9, 16, "Actor", annotator="ben", note="Ask about FAMILIES later").id
    table = window.table
    table.show_document(document)

    def shown() -> set[str]:
        return {table.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(table.proxy.rowCount())}
    assert shown() == {claim, actor}
    table.proxy.set(label="Claim")
    assert shown() == {claim}
    table.proxy.set(label="", reviewer="ben")
    assert shown() == {actor}
    table.proxy.set(reviewer="", text="families")  # the claim's quote, the actor's note
    assert shown() == {claim, actor}
    table.proxy.set(label="Actor")
    assert shown() == {actor}
    table.proxy.set(label="", text="later")  # the actor's note only
    assert shown() == {actor}
    table.proxy.set(text="")
    assert shown() == {claim, actor}
