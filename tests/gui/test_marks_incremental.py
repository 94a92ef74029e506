"""Margin marks after an edit are re-measured only in the blocks the edit touched
(DocumentView._marks_again); they must equal the marks measured afresh over the whole screen."""

from __future__ import annotations

import random

from PySide6.QtGui import QColor

from ui.document_view import mark_boxes


def rects(marks) -> list[tuple[int, int, int, int, str]]:
    return sorted((x, y, w, h, QColor(c).name()) for x, y, w, h, c in marks)


def boxes(groups) -> list[tuple[int, list[tuple[int, int, int, int]]]]:
    return [(color.rgba(), [box.getRect() for box in rects]) for color, rects in groups]


def test_marks_after_adds_deletes_and_undos_equal_a_full_measure(window, monkeypatch) -> None:
    project = window.project
    text = "\n".join(" ".join(f"word{i}-{j}" for j in range(rng_len)) for i, rng_len in
                     enumerate(random.Random(2).choices((3, 20, 60), k=50)))
    document = project.add_document(text, title="long")
    rng = random.Random(7)
    for k in range(80):
        start = rng.randrange(0, len(text) - 300)
        project.add_annotation(document.id, start, start + rng.choice((5, 40, 250)), "Claim", annotator=("ana", "ben")[k % 2])
    window.open_document(document.id)
    pane = window.panes.pane_for(document.id)
    view = pane.view
    view.complete()
    view.resize(500, 400)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 3)
    view.viewport().repaint()
    assert view._marks_drawn[1], "several layers shown: there are marks"

    calls = []
    again = type(view)._marks_again
    monkeypatch.setattr(type(view), "_marks_again", lambda self, touched: calls.append(touched) or again(self, touched))
    top = view.cursorForPosition(view.viewport().rect().topLeft()).position()
    bottom = view.cursorForPosition(view.viewport().rect().bottomRight()).position()
    added: list[str] = []
    for step in range(30):
        what = rng.random()
        if what < 0.5 or not added:
            start = rng.randrange(max(0, top - 100), max(top + 1, bottom - 10))  # on screen mostly (UTF-16 = code points here)
            added.append(project.add_annotation(document.id, start, min(len(text), start + rng.choice((4, 30, 400))), "Claim",
                                                annotator=rng.choice(("ana", "ben", "cy"))).id)
        elif what < 0.8:
            project.delete_annotation(added.pop(rng.randrange(len(added))))
        else:
            project.undo()
            added = [a for a in added if a in view.index.spans]
        view.viewport().repaint()
        fresh = view._marks_for(view.mark_extents())
        assert rects(view._marks_drawn[1]) == rects(rect for _, rect in fresh.values()), step
        assert boxes(view._marks_boxes) == boxes(mark_boxes(view._marks_drawn[1])), step  # kept QRects = new ones
    assert len(calls) >= 10  # the incremental path was taken, not only the full one


def test_ticks_drawn_per_layer_fill_the_same_pixels_as_one_fill_per_tick(qtbot) -> None:
    """``mark_boxes`` + ``drawRects`` without a pen paints exactly what ``fillRect`` per tick painted."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    from ui.document_view import mark_boxes

    rng = random.Random(3)
    colors = [QColor("#d62728"), QColor("#1f77b4"), QColor("#2ca02c")]
    rects = [(1 + lane * 3, rng.randrange(-5, 300), rng.randint(1, 3), max(2, rng.randint(-3, 40)), colors[lane])
             for lane in (rng.randrange(3) for _ in range(400))]
    images = []
    for per_layer in (False, True):
        image = QImage(40, 320, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        if per_layer:
            painter.setPen(Qt.PenStyle.NoPen)
            for color, boxes in mark_boxes(rects):
                painter.setBrush(color)
                painter.drawRects(boxes)
        else:
            for x, y, w, h, color in rects:
                painter.fillRect(x, y, w, h, color)
        painter.end()
        images.append(image)
    assert images[0] == images[1]


def test_ticks_changed_a_few_at_a_time_equal_ticks_sorted_and_grouped_afresh(qtbot) -> None:
    """``Ticks.change`` keeps the sorted ticks and their groups as ``sorted`` + ``mark_boxes`` make them,
    ticks at equal places (two spans on the same lines) and layers that empty and come back included."""
    from ui.document_view import Ticks

    rng = random.Random(5)
    colors = [QColor("#d62728"), QColor("#1f77b4"), QColor("#666666")]

    def tick():
        lane = rng.randrange(3)
        return (1 + lane * 3, rng.randrange(0, 60, 6), 2, rng.choice((4, 10, 30)), colors[lane])

    current = [tick() for _ in range(40)]
    made: dict = {}
    ticks = Ticks(list(current), made)
    for step in range(300):
        gone = rng.sample(current, rng.randint(0, min(3, len(current))))
        for t in gone:
            current.remove(t)
        new = [tick() for _ in range(rng.randint(0, 3 if len(current) < 60 else 0))]
        current += new
        ticks.change(gone, new)
        expected = sorted(current, key=lambda r: r[:4])
        assert rects(ticks.rects) == rects(expected), step
        assert [r[:4] for r in ticks.rects] == [r[:4] for r in expected], step
        assert boxes(ticks.boxes) == boxes(mark_boxes(expected)), step
