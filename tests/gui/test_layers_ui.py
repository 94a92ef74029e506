"""Layers you can tell apart: a merged, adjudicated project shows ana's, ben's and gold's copies of
one span as distinct marks, counts each figure once per layer, and never shows a raw id."""

from __future__ import annotations

import pytest
from fixtures_layers import TEXT, build_layers
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QWidget

from annotator.layers import UUID
from tests.gui.conftest import press
from ui.highlighter import OWNERS
from ui.link_dialog import LinkDialog
from ui.session import ALL, GOLD, ME


@pytest.fixture
def layered(window):
    ids = build_layers(window.project)
    for quote, reviewer in (("coastal", "ana"), ("killed", "ben")):  # one span each, alone: one layer's mark
        start = TEXT.index(quote)
        ids[f"{reviewer}:only"] = window.project.add_annotation(ids["document"], start, start + len(quote), "Claim",
                                                                annotator=reviewer).id
    window.open_document(ids["document"])
    pane = next(p for p in window.panes.panes() if p.document_id == ids["document"])
    pane.view.complete()
    return window, pane, ids


def formats_by_text(pane) -> dict[str, object]:
    """Each painted segment's text -> its format, from the block's layout (what Qt draws)."""
    block = pane.view.document().firstBlock()
    return {block.text()[r.start:r.start + r.length]: QTextCharFormat(r.format) for r in block.layout().formats()}


def test_all_layers_mark_each_reviewer_and_gold_apart(layered):
    window, pane, ids = layered
    assert window.session.view_filter == ALL and window.session.several_layers
    colors = window.session.owner_colors
    assert list(colors) == ["ana", "ben", "gold"] and len(set(colors.values())) == 3
    marks = {span_id: (owner, lane, color.name().upper()) for span_id, owner, lane, color in pane.view.marks()}
    for who, lane in (("ana", 0), ("ben", 1), ("gold", 2)):
        for what in ("actor", "figure"):
            assert marks[ids[f"{who}:{what}"]] == (who, lane, colors[who].upper())
    formats = formats_by_text(pane)
    sohr = formats["SOHR"]  # three copies of one span: the segment lists all three layers
    assert sohr.property(OWNERS) == "ana,ben,gold"
    assert formats["coastal"].property(OWNERS) == "ana"
    assert formats["coastal"].underlineColor().name().upper() == colors["ana"].upper()
    assert formats["killed"].property(OWNERS) == "ben"
    assert formats["killed"].underlineColor().name().upper() == colors["ben"].upper()
    assert "ana" in window.layers.legend.text() and "gold" in window.layers.legend.text()


def test_show_menu_combo_and_shortcut_agree(layered, qtbot):
    window, pane, ids = layered
    gold = next(a for a in window.layers.menu.actions() if a.data() == GOLD)
    gold.trigger()
    assert window.session.view_filter == GOLD and gold.isChecked()
    assert window.view_filter.currentData() == GOLD
    assert sorted(pane.annotation_ids()) == sorted([ids["gold:actor"], ids["gold:figure"]])
    assert pane.view.marks() == [] and not window.layers.legend.text()  # one layer: no layer marks
    assert formats_by_text(pane)["SOHR"].property(OWNERS) is None
    texts = [a.text().replace("&", "") for a in window.layers.menu.actions()]
    assert texts == ["All layers", "Me (ana)", "ben", "Gold standard"]  # the adjudicator is not a reviewer
    press(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert window.session.view_filter == ALL  # wraps around
    press(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert window.session.view_filter == ME and window.view_filter.currentData() == ME
    assert sorted(pane.annotation_ids()) == sorted([ids["ana:actor"], ids["ana:figure"], ids["ana:only"]])
    window.session.set_reviewer("ben")  # "me" follows the switch
    assert ids["ben:only"] in pane.annotation_ids() and ids["ana:only"] not in pane.annotation_ids()


def test_figures_count_each_figure_once_per_layer(layered):
    window, _, _ = layered
    window.figures_dock.show()
    dock = window.figures
    dock.ensure_fresh()
    model = dock.model
    assert sorted((r.layer, r.reviewer or "") for r in model.rows) == [("gold", ""), ("reviewer", "ana"), ("reviewer", "ben")]
    assert "3 figures (ana 1, ben 1, gold 1)" in dock.summary.text()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    layer_col, reviewer_col = headers.index("Layer"), headers.index("Reviewer")
    dock._choose_layer("gold")
    assert dock.proxy.rowCount() == 1
    gold_row = [dock.proxy.index(0, c).data() for c in range(model.columnCount())]
    assert (gold_row[layer_col], gold_row[reviewer_col]) == ("gold", "")
    dock.by_source.setChecked(True)
    lines = dock.sources_snapshot()
    assert [line[0].strip() for line in lines if "973" in line[0]] == ["at least 973"]  # once: the gold layer only
    dock._choose_layer(None)
    assert dock.proxy.rowCount() == 3
    tagged = [line[0] for line in dock.sources_snapshot() if "973" in line[0]]
    assert len(tagged) == 3 and {t.rsplit("[", 1)[1] for t in tagged} == {"ana]", "ben]", "gold]"}


def test_claims_dock_names_layers_and_filters(layered):
    window, _, ids = layered
    project = window.project
    other = project.add_document("Officials said 973 civilians died.\n", title="Other")
    for reviewer in ("ana", "ben"):
        claim = project.add_annotation(other.id, 0, 9, "Claim", annotator=reviewer)
        project.add_relation(ids[f"{reviewer}:only"], claim.id, "same-claim", annotator=reviewer)
    window.claims_dock.show()
    dock = window.claims
    dock.ensure_fresh()
    dock.refresh()
    layers = {dock.tree.topLevelItem(i).child(j).text(4) for i in range(dock.tree.topLevelItemCount())
              for j in range(dock.tree.topLevelItem(i).childCount())}
    assert layers == {"ana", "ben"}
    dock.set_owner("ben")
    assert dock.tree.topLevelItemCount() == 1
    top = dock.tree.topLevelItem(0)
    assert {top.child(j).text(4) for j in range(top.childCount())} == {"ben"}


def test_link_candidates_name_reviewer_and_layer(layered):
    window, _, ids = layered
    dialog = LinkDialog(window.project, window.project.annotation(ids["ben:figure"]), [ids["document"]], window)
    dialog.kind.setCurrentText("attributed-to")
    texts = [dialog.targets.item(i).text() for i in range(dialog.targets.count())]
    actors = [t for t in texts if t.startswith("Actor")]
    assert len(actors) == 3 and len(set(actors)) == 3
    assert {t.split("  —  ")[1] for t in actors} == {"ana", "ben", "gold"}
    assert not any(UUID.search(dialog.targets.item(i).toolTip()) for i in range(dialog.targets.count()))
    dialog.close()


def test_no_tooltip_holds_a_uuid(layered):
    window, pane, ids = layered
    hover = pane._describe(pane.annotation_ids())
    assert "copied from: ana's Actor “SOHR”" in hover
    assert "gold (adjudicated by lead)" in hover
    assert not UUID.search(hover)
    window.session.select(ids["gold:actor"])
    window.figures_dock.show()
    window.figures.ensure_fresh()
    model = window.figures.model
    tips = [model.index(r, c).data(Qt.ItemDataRole.ToolTipRole) or "" for r in range(model.rowCount())
            for c in range(model.columnCount())]
    widgets = [w.toolTip() for w in window.findChildren(QWidget)]
    for tip in (*tips, *widgets):
        assert not UUID.search(tip), tip


def test_layer_marks_span_the_lines_cursor_rect_gives(window):
    """The margin marks read line positions from the block layouts; they must match Qt's cursorRect,
    for spans on wrapped lines, across blocks, and starting above the first block on screen."""
    from PySide6.QtGui import QTextCursor

    project = window.project
    text = "\n".join(" ".join(f"word{i}-{j}" for j in range(60)) for i in range(40))
    document = project.add_document(text, title="long")
    rng = __import__("random").Random(5)
    for k in range(120):
        start = rng.randrange(0, len(text) - 400)
        end = start + rng.choice((5, 40, 300, 900)) if k % 7 else start + 2000
        project.add_annotation(document.id, start, min(end, len(text)), "Claim", annotator=("ana", "ben")[k % 2])
    window.open_document(document.id)
    pane = window.panes.pane_for(document.id)
    pane.view.complete()
    pane.view.resize(500, 400)
    pane.view.verticalScrollBar().setValue(pane.view.verticalScrollBar().maximum() // 2)
    view = pane.view
    extents = view.mark_extents()
    assert len(extents) >= 5
    last = view.document().characterCount() - 1
    for span, top, bottom in extents:
        first, end = QTextCursor(view.document()), QTextCursor(view.document())
        first.setPosition(min(span.start, last))
        end.setPosition(min(max(span.start, span.end - 1), last))
        assert (top, bottom) == (view.cursorRect(first).top(), view.cursorRect(end).bottom()), span
    from PySide6.QtCore import QRect

    height = view.viewport().height()
    for y0, y1 in ((0, 12), (height // 3, height // 3 + 25), (height - 30, height), (height // 2, height // 2)):
        clip = QRect(0, y0, view.viewport().width(), y1 - y0 + 1)
        clipped = {span.id: (top, bottom) for span, top, bottom in view.mark_extents(clip)}
        reaching = {span.id: (top, bottom) for span, top, bottom in extents  # its tick: rows top+1 .. bottom-1 (at least 2)
                    if top + 1 <= clip.bottom() and top + 1 + max(2, bottom - top - 1) > clip.top()}
        assert reaching and reaching.items() <= clipped.items(), clip  # every tick a paint of ``clip`` shows, the same


def test_margin_marks_are_redrawn_when_spans_scroll_or_layers_change(layered, qtbot):
    """The marks drawn are kept between paints that change nothing, and redone after any change."""
    window, pane, ids = layered
    view = pane.view

    def drawn() -> list[tuple[int, int, int, int, str]]:
        view.viewport().repaint()
        return [(x, y, w, h, c.name()) for x, y, w, h, c in view._marks_drawn[1]]

    first = drawn()
    assert first and drawn() == first and view._marks_drawn[1] is view._marks_drawn[1]
    start = TEXT.index("coastal")
    window.project.add_annotation(ids["document"], start, start + 7, "Actor", annotator="gold", layer="gold")
    qtbot.waitUntil(lambda: len(drawn()) == len(first) + 1, timeout=5000)
    window.project.undo()
    qtbot.waitUntil(lambda: drawn() == first, timeout=5000)
    view.resize(view.width() // 2, view.height())
    qtbot.waitUntil(lambda: drawn() != first, timeout=5000)
    view.highlighter.set_owner_colors({"ana": "#000001", "ben": "#000002", "gold": "#000003"})
    assert {c for *_, c in drawn()} == {"#000001", "#000002", "#000003"}


def test_the_legend_escapes_a_reviewer_name_as_html_escape_does() -> None:
    """ui.layer_view.escape (html is not imported at start) reads the same as html.escape in rich text."""
    import html

    from PySide6.QtGui import QTextDocument

    from ui.layer_view import escape

    for name in ("ana", "Tom & Jerry", "<b>bold</b>", "O'Brien \"the reviewer\"", "a&amp;b", "é ✓ 🙂"):
        ours, theirs = QTextDocument(), QTextDocument()
        ours.setHtml(f"<span>{escape(name)}</span>")
        theirs.setHtml(f"<span>{html.escape(name)}</span>")
        assert ours.toPlainText() == theirs.toPlainText() == name
