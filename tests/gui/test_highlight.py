"""Highlights: overlaps stay visible, long texts paint what is scrolled to, nothing is left unpainted."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat

from annotator import Project
from ui.document_pane import DocumentPane
from ui.document_view import EAGER_CHARACTERS
from ui.session import Session


def formats_at(view, block_number):
    block = view.document().findBlockByNumber(block_number)
    return [(f.start + block.position(), f.length, QTextCharFormat(f.format)) for f in block.layout().formats()]


def test_overlapping_spans_are_split_blended_and_underlined(qtbot, tmp_path):
    project = Project.create(tmp_path / "p.db")
    doc = project.add_document("The monitor said at least 973 civilians were killed.")
    project.add_annotation(doc.id, 4, 29, "Claim", annotator="a")  # "monitor said at least 973"
    project.add_annotation(doc.id, 17, 39, "Figure", annotator="a", propose=False)  # "at least 973 civilians"
    pane = DocumentPane(Session(project, "a"), doc.id)
    qtbot.addWidget(pane)
    found = formats_at(pane.view, 0)
    assert [(start, length) for start, length, _ in found] == [(4, 13), (17, 12), (29, 10)]
    single, overlap, other = (f for _, _, f in found)
    assert overlap.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline
    assert single.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline
    assert len({single.background().color().name(), overlap.background().color().name(),
                other.background().color().name()}) == 3


def test_long_text_paints_far_spans_when_shown_and_finishes_in_idle_time(qtbot, tmp_path):
    paragraph = "Over 1,200 Alawites were killed, the monitor said. " * 4 + "\n"
    text = paragraph * (3 * EAGER_CHARACTERS // len(paragraph))
    project = Project.create(tmp_path / "p.db")
    doc = project.add_document(text)
    far = len(text) - len(paragraph) + 5
    early = project.add_annotation(doc.id, 5, 10, "Figure", annotator="a", propose=False)
    late = project.add_annotation(doc.id, far, far + 5, "Figure", annotator="a", propose=False)
    session = Session(project, "a")
    pane = DocumentPane(session, doc.id)
    qtbot.addWidget(pane)
    pane.resize(600, 400)
    pane.show()
    qtbot.waitExposed(pane)
    view = pane.view
    last_block = view.document().blockCount() - 2
    assert formats_at(view, 0)  # the first screen is painted before it is shown
    pane.set_selected(late.id, scroll=True)  # jump far: painted at once
    assert [(s, n) for s, n, _ in formats_at(view, last_block)] == [(far, 5)]
    qtbot.waitUntil(lambda: view.fully_painted, timeout=5000)
    assert pane.count() == 2
    assert early.id in view.index.spans


def test_hover_describes_label_quote_and_attributes(qtbot, tmp_path):
    project = Project.create(tmp_path / "p.db")
    doc = project.add_document("They said over 1,200 Alawites died.")
    a = project.add_annotation(doc.id, 10, 29, "Figure", annotator="ana")
    pane = DocumentPane(Session(project, "ana"), doc.id)
    qtbot.addWidget(pane)
    text = pane._describe([a.id])
    assert "Figure" in text and "over 1,200 Alawites" in text and "more than" in text and "ana" in text


def _all_formats(view):
    out = []
    for number in range(view.document().blockCount()):
        out.append([(start, length, fmt.background().color().name(), fmt.underlineStyle().name,
                     fmt.underlineColor().name(), str(fmt.property(QTextCharFormat.Property.UserProperty + 1)))
                    for start, length, fmt in formats_at(view, number)])
    return out


def test_formats_kept_through_edits_and_selections_equal_a_fresh_pane(qtbot, tmp_path):
    """The highlighter keeps each block's segments and each overlap's labels and layers between
    repaints: after many overlapping adds, relabels, deletes, undos, layers and selections, every
    block reads as a pane built afresh."""
    import random

    from ui.session import ALL
    from ui.view import follow

    rng = random.Random(7)
    text = "\n".join(" ".join(rng.choice(["monitor", "said", "973", "killed", "é", "Aleppo"]) for _ in range(40))
                     for _ in range(6))
    project = Project.create(tmp_path / "p.db")
    doc = project.add_document(text)
    for name in ("ben", "cy"):
        project.add_annotation(doc.id, 0, 7, "Claim", annotator=name, propose=False)
    session = Session(project, "ana")
    session.set_view_filter(ALL)
    session.refresh_owners()
    assert session.several_layers  # each span also marked with its layer: owners are part of the kept pieces
    pane = DocumentPane(session, doc.id)
    qtbot.addWidget(pane)
    follow(session, pane)  # as the pane area wires it: each change applied to the blocks it touched
    pane.view.complete()
    ids: list[str] = []
    for step in range(120):
        roll = rng.random()
        if roll < 0.45 or not ids:
            start = rng.randrange(0, len(text) - 30)
            ids.append(project.add_annotation(doc.id, start, start + rng.randint(1, 60), rng.choice(["Claim", "Actor", "Figure"]),
                                              annotator=rng.choice(["ana", "ben", "cy"]), propose=False).id)
        elif roll < 0.6:
            project.update_annotation(rng.choice(ids), label=rng.choice(["Claim", "Actor", "Figure"]))
        elif roll < 0.75:
            project.delete_annotation(ids.pop(rng.randrange(len(ids))))
        elif roll < 0.85:
            project.undo()
            ids = [a.id for a in project.annotations(doc.id)]
        if ids and step % 3 == 0:
            session.select(rng.choice(ids))
            pane.set_selected(session.selected)
    fresh = DocumentPane(session, doc.id)
    qtbot.addWidget(fresh)
    fresh.view.complete()
    pane.view.complete()
    assert len(project.annotations(doc.id)) > 20
    assert _all_formats(pane.view) == _all_formats(fresh.view)


def test_neighbouring_segments_set_as_one_run_give_each_character_the_format_of_its_segment(qtbot, tmp_path):
    """highlightBlock sets neighbouring segments of one format as one run: every block's formats equal
    those of setting each segment on its own (the plain path), selection and linked spans included."""
    import random

    from ui.highlighter import SpanHighlighter
    from ui.session import ALL

    rng = random.Random(11)
    text = "\n".join(" ".join(rng.choice(["monitor", "said", "973", "killed", "é", "Aleppo"]) for _ in range(50))
                     for _ in range(5))
    project = Project.create(tmp_path / "p.db")
    doc = project.add_document(text)
    ids = []
    for k in range(150):  # deep overlaps, and (the last third) lone spans with plain text between them
        start = rng.randrange(0, len(text) // 2 if k < 100 else len(text) - 40)
        ids.append(project.add_annotation(doc.id, start, start + rng.randint(1, 40 if k < 100 else 6), rng.choice(["Claim", "Actor"]),
                                          annotator=rng.choice(["ana", "ben"]), propose=False).id)
    session = Session(project, "ana")
    session.set_view_filter(ALL)
    session.refresh_owners()
    pane = DocumentPane(session, doc.id)
    qtbot.addWidget(pane)
    highlighter = pane.view.highlighter
    highlighter.selected = ids[3]
    highlighter.linked = set(ids[10:14])
    highlighter.rehighlight()
    merged = _all_formats(pane.view)
    calls = []

    def one_by_one(self, text: str) -> None:  # the plain path: one setFormat per segment
        block = self.currentBlock()
        spans = self.index.in_block(block.blockNumber())
        lo = block.position()
        for a, b, covering, labels, owners in self._block_pieces(block.blockNumber(), spans, lo, lo + block.length() - 1):
            calls.append(1)
            self.setFormat(a - lo, b - a, self._format(labels, self.selected in covering,
                                                       bool(self.linked) and not self.linked.isdisjoint(covering), owners))

    original = SpanHighlighter.highlightBlock
    SpanHighlighter.highlightBlock = one_by_one
    try:
        plain_pane = DocumentPane(session, doc.id)
        qtbot.addWidget(plain_pane)
        plain_pane.view.highlighter.selected = ids[3]
        plain_pane.view.highlighter.linked = set(ids[10:14])
        plain_pane.view.highlighter.rehighlight()
    finally:
        SpanHighlighter.highlightBlock = original
    assert len(calls) > 100  # the plain path ran
    assert merged == _all_formats(plain_pane.view)
