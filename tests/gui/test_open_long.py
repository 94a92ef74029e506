"""Opening a long document: the first screen first, the rest in idle time, nothing lost or doubled."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat

from annotator import Project
from ui.document_pane import DocumentPane
from ui.document_view import EAGER_CHARACTERS, PAINT_CHARACTERS
from ui.session import Session

PARAGRAPH = "Over 1,200 Alawites were killed, the monitor said. " * 4 + "\n"


def formats_at(view, block_number):
    block = view.document().findBlockByNumber(block_number)
    return [(f.start + block.position(), f.length, QTextCharFormat(f.format)) for f in block.layout().formats()]


def long_project(tmp_path, paragraphs: int = 6 * EAGER_CHARACTERS // len(PARAGRAPH)):
    text = PARAGRAPH * paragraphs
    project = Project.create(tmp_path / "p.db")
    doc = project.add_document(text)
    spans = [project.add_annotation(doc.id, n * len(PARAGRAPH) + 5, n * len(PARAGRAPH) + 10, "Figure", annotator="a",
                                    propose=False) for n in range(0, paragraphs, 3)]
    return project, doc, spans


def test_a_far_span_gets_its_format_once_idle_work_completes(qtbot, tmp_path):
    project, doc, spans = long_project(tmp_path)
    pane = DocumentPane(Session(project, "a"), doc.id)
    qtbot.addWidget(pane)
    view = pane.view
    far = spans[-1]
    block = view.document().findBlock(far.start).blockNumber()
    assert not view.fully_painted and far.id not in view.index.spans  # left for later
    assert formats_at(view, block) == []
    qtbot.waitUntil(lambda: view.fully_painted, timeout=10000)
    assert [(s, n) for s, n, _ in formats_at(view, block)] == [(far.start, 5)]
    assert sorted(view.index.spans) == sorted(a.id for a in spans)


def test_a_span_added_while_loading_is_neither_lost_nor_doubled(qtbot, tmp_path):
    project, doc, spans = long_project(tmp_path)
    session = Session(project, "a")
    pane = DocumentPane(session, doc.id)
    qtbot.addWidget(pane)
    session.changed.connect(pane.apply_change)
    view = pane.view
    at = len(doc.text) - len(PARAGRAPH) + 20  # in the part not read yet
    added = project.add_annotation(doc.id, at, at + 6, "Figure", annotator="a", propose=False)
    assert not view.spans_complete
    qtbot.waitUntil(lambda: view.fully_painted, timeout=10000)
    assert sorted(view.index.spans) == sorted([*(a.id for a in spans), added.id])
    assert pane.annotation_ids().count(added.id) == 1
    block = view.document().findBlock(at).blockNumber()
    assert (at, 6) in [(s, n) for s, n, _ in formats_at(view, block)]


def test_scrolling_to_the_middle_reads_only_up_to_what_it_shows(qtbot, tmp_path):
    project, doc, spans = long_project(tmp_path, paragraphs=30 * EAGER_CHARACTERS // len(PARAGRAPH))
    pane = DocumentPane(Session(project, "a"), doc.id)
    qtbot.addWidget(pane)
    pane.resize(600, 400)
    pane.show()
    qtbot.waitExposed(pane)
    view = pane.view
    view._idle.stop()  # this test looks at what the scroll alone reads
    middle = len(doc.text) // 2
    pane.scroll_to_offset(middle)
    assert not view.spans_complete  # the second half is still unread
    shown = [a for a in spans if middle <= a.start < middle + 2 * len(PARAGRAPH)]
    assert shown and all(a.id in view.index.spans for a in shown)
    block = view.document().findBlock(shown[0].start).blockNumber()
    assert [(s, n) for s, n, _ in formats_at(view, block)] == [(shown[0].start, 5)]
    assert spans[-1].id not in view.index.spans


def test_idle_painting_waits_while_keys_are_pressed_and_finishes_after(qtbot, tmp_path):
    """Background steps yield to input (ui.input_pause): none runs inside a run of key presses."""
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui import input_pause

    project, doc, spans = long_project(tmp_path)
    pane = DocumentPane(Session(project, "a"), doc.id)
    qtbot.addWidget(pane)
    pane.show()
    view = pane.view
    view.setFocus()
    assert not view.fully_painted
    before = (view._rest_from, len(view.highlighter.pending))
    until = time.monotonic() + 0.15
    while time.monotonic() < until:  # a reviewer stepping through the text
        qtbot.keyClick(view, Qt.Key.Key_Right)
        QApplication.processEvents()
        assert input_pause.wait_ms() > 0
    assert (view._rest_from, len(view.highlighter.pending)) == before
    qtbot.waitUntil(lambda: view.fully_painted, timeout=10000)
    assert sorted(view.index.spans) == sorted(a.id for a in spans)


def test_a_pane_closed_while_loading_reads_nothing_more(window, qtbot, tmp_path):
    """Closing a pane stops its idle-time reading at once: Qt deletes the widget later, and its
    project may be closed before that (which made the timer read a closed database)."""
    from PySide6.QtWidgets import QApplication

    project = window.project
    text = PARAGRAPH * (6 * EAGER_CHARACTERS // len(PARAGRAPH))
    doc = project.add_document(text, title="long")
    for n in range(0, len(text) - 20, 400):
        project.add_annotation(doc.id, n, n + 5, "Figure", annotator="a", propose=False)
    window.open_document(doc.id)
    pane = window.panes.pane_for(doc.id)
    view = pane.view
    assert not view.fully_painted
    read: list[int] = []
    original = view._read_rest
    view._read_rest = lambda before: (read.append(before), original(before))  # type: ignore[method-assign]
    window.panes.close_pane(pane)
    for _ in range(20):
        QApplication.processEvents()
    assert read == [] and not view._idle.isActive()


def every_format(view):
    return [[(s, n, f.background().color().name(), f.underlineStyle()) for s, n, f in formats_at(view, number)]
            for number in range(view.document().blockCount())]


def test_opening_calls_highlight_block_for_the_top_only_and_paints_what_a_full_rehighlight_paints(qtbot, tmp_path, highlighted_blocks):
    """The highlighter is unhooked while the text goes in: Qt would call highlightBlock (Python) for
    every block. What idle time paints in the end is what highlighting every block at once paints,
    emoji (two UTF-16 units each) included."""
    paragraph = "Over 1,200 👩‍👩‍👧 Alawites were killed, the monitor said. " * 4 + "\n"
    text = paragraph * (6 * EAGER_CHARACTERS // len(paragraph))
    project = Project.create(tmp_path / "p.db")
    doc = project.add_document(text)
    for n in range(0, len(text) // len(paragraph), 2):
        at = n * len(paragraph)
        project.add_annotation(doc.id, at + 11, at + 22, "Figure", annotator="a", propose=False)
        project.add_annotation(doc.id, at + 5, at + 30, "Claim", annotator="a", propose=False)  # overlapping
    highlighted_blocks.clear()  # from here: what the load highlights
    pane = DocumentPane(Session(project, "a"), doc.id)
    calls = list(highlighted_blocks)
    qtbot.addWidget(pane)
    view = pane.view
    blocks = view.document().blockCount()
    assert blocks > 100 and calls and len(calls) <= PAINT_CHARACTERS // len(paragraph) + 2  # the top only, not every block
    qtbot.waitUntil(lambda: view.fully_painted, timeout=10000)
    painted = every_format(view)
    assert sum(map(len, painted)) > blocks  # spans far down are painted too
    view.highlighter.rehighlight()
    assert every_format(view) == painted


def test_the_first_idle_step_waits_for_the_first_paint(qtbot, tmp_path):
    """A long open outlasts the first step's timer: the paint that shows the text comes first, in its
    own pass of the event loop, and only then does idle reading start."""
    import time

    from PySide6.QtWidgets import QApplication

    project, doc, _ = long_project(tmp_path)
    pane = DocumentPane(Session(project, "a"), doc.id)
    qtbot.addWidget(pane)
    view = pane.view
    read: list[int] = []
    original = view._read_rest
    view._read_rest = lambda before: (read.append(before), original(before))  # type: ignore[method-assign]
    pane.show()
    time.sleep(0.05)  # the timer set by set_content is overdue
    QApplication.processEvents()
    assert read == [] and view._idle.isActive()
    qtbot.waitUntil(lambda: view.fully_painted, timeout=10000)
    assert read
