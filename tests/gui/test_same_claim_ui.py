"""Annotation ▸ Find Same Claim Elsewhere: for the selected claim, ranked sentences of other
documents, contradicting ones marked; Enter opens one in a pane, Ctrl+1 / Ctrl+2 link it as the
same claim / contradicts (tagging the sentence as a claim), one undo step each."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from annotator import Project
from tests.gui.conftest import press

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SAME = "The Syrian Observatory said gunmen killed 1,500 Alawite civilians on the coast."
OTHER = "Officials said gunmen killed 300 Alawite civilians on the coast, far fewer than reported."


@pytest.fixture
def claims_window(qtbot, tmp_path: Path, settings: QSettings):
    from ui.app import open_window

    path = tmp_path / "claims.db"
    with Project.create(path) as project:
        a = project.add_document("👩‍👩‍👧 Gunmen killed 1,500 Alawite civilians on the coast, the Syrian Observatory said.", title="A")
        project.add_document("Rain fell. " + SAME, title="B wire")
        project.add_document(OTHER, title="C paper")
        project.add_document("The weather was mild in Damascus.", title="D")
        start = project.document_text(a.id).index("Gunmen")
        claim = project.add_annotation(a.id, start, start + 47, "Claim", annotator="ana")
    win = open_window(path, "ana", [a.id], settings)
    qtbot.addWidget(win)
    qtbot.waitExposed(win)
    win.jump_to(claim.id)
    yield win, claim.id
    win.close()


def test_find_open_and_link_by_key(qtbot, claims_window) -> None:
    window, claim_id = claims_window
    press(window, Qt.Key.Key_K, CTRL | SHIFT)
    dialog = window.same_claim_dialog
    qtbot.waitExposed(dialog)
    assert dialog.window() is dialog  # the main window is kept as main_window: QWidget.window() still works
    rows = [tuple(dialog.table.topLevelItem(i).text(c) for c in range(4)) for i in range(dialog.table.topLevelItemCount())]
    assert [(r[1], r[2], r[3]) for r in rows] == [("same claim", "B wire", SAME), ("⚠ contradicts", "C paper", OTHER)]
    assert dialog.table.topLevelItem(1).foreground(1).color().name() == "#b00020"

    QTest.keyClick(dialog.table, Qt.Key.Key_Return)  # opens B with the sentence selected
    pane = window.panes.current
    assert window.project.document(pane.document_id).title == "B wire"
    assert pane.view.selected_span(False) == (len("Rain fell. "), len("Rain fell. ") + len(SAME))

    dialog.activateWindow()
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    QTest.keyClick(dialog.table, Qt.Key.Key_1, CTRL)
    project = window.project
    [relation] = project.relations(annotation_id=claim_id)
    target = project.annotation(relation.target_id)
    assert (relation.label, relation.annotator, target.quote, target.label) == ("same-claim", "ana", SAME, "Claim")
    assert [dialog.table.topLevelItem(i).text(3) for i in range(dialog.table.topLevelItemCount())] == [OTHER]

    QTest.keyClick(dialog.table, Qt.Key.Key_2, CTRL)
    labels = sorted(r.label for r in project.relations(annotation_id=claim_id))
    assert labels == ["contradicts", "same-claim"] and dialog.empty.isVisibleTo(dialog)

    project.undo()  # one step: the contradicts link and the claim it tagged
    assert [r.label for r in project.relations(annotation_id=claim_id)] == ["same-claim"]
    assert sorted(a.quote for a in project.annotations(label="Claim")) == sorted([project.annotation(claim_id).quote, SAME])


def test_needs_a_claim_selected(qtbot, claims_window) -> None:
    window, _ = claims_window
    window.session.select(None)
    window.do_find_same_claim()
    assert getattr(window, "same_claim_dialog", None) is None
