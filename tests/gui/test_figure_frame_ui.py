"""Tagging a figure: the inspector proposes its victims, period and source; Ctrl+J accepts them as one step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from tests.gui.conftest import press
from tests.gui.test_crosssource_ui import annotate, seed_window  # noqa: F401 (a fixture)

SOHR = "Syrian Observatory for Human Rights"


def test_tag_a_figure_the_inspector_proposes_and_a_key_accepts(seed_window):  # noqa: F811
    window, _ = seed_window
    window.project.add_entity(SOHR, type="organisation", aliases=["SOHR"])
    cradle, _ = window.panes.panes()
    figure_id = annotate(window, cradle, "at least 973 Alawite civilians", Qt.Key.Key_3)
    inspector = window.inspector
    assert inspector.annotation is not None and inspector.annotation.id == figure_id
    assert inspector.proposal_box.isVisibleTo(inspector)
    shown = inspector.proposed.text()
    assert "civilians" in shown and "2025-03-10" in shown and SOHR in shown and "According to" in shown
    victims = inspector.editors["victims"]
    start = inspector.editors["period-start"]
    assert isinstance(victims, QComboBox) and victims.currentText() == "civilians (proposed)"
    assert isinstance(start, QLineEdit) and start.placeholderText() == "2025-03-10 (proposed)" and start.text() == ""

    steps = len(window.project.history._undo)
    press(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    figure = window.project.annotation(figure_id)
    assert figure.attributes["victims"] == "civilians"
    assert (figure.attributes["period-start"], figure.attributes["period-end"]) == ("2025-03-10", "2025-03-10")
    relations = window.project.relations(annotation_id=figure_id)
    assert [r.label for r in relations] == ["attributed-to"]
    actor = window.project.annotation(relations[0].target_id)
    assert actor.quote == SOHR and actor.annotator == "maya"
    assert len(window.project.history._undo) == steps + 1
    assert victims.currentText() == "civilians" and start.text() == "2025-03-10"
    assert not inspector.proposal_box.isVisibleTo(inspector)  # nothing left to propose

    window.project.undo()
    assert window.project.relations(annotation_id=figure_id) == []
    assert "victims" not in window.project.annotation(figure_id).attributes


def test_the_figures_dock_groups_by_source(seed_window):  # noqa: F811
    window, _ = seed_window
    window.project.add_entity(SOHR, type="organisation", aliases=["SOHR"])
    cradle, independent = window.panes.panes()
    first = annotate(window, cradle, "at least 973 Alawite civilians", Qt.Key.Key_3)
    press(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    annotate(window, independent, "over 1,200 Alawites", Qt.Key.Key_3)
    press(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    window.do_show_figures()
    dock = window.figures
    dock.by_source.setChecked(True)
    lines = dock.sources_snapshot()
    assert lines[0] == (SOHR,)
    assert {line[0].strip() for line in lines[1:]} == {"at least 973", "more than 1,200"}
    assert all(line[3] == "1" for line in lines[1:])
    assert any("The Cradle" in line[2] for line in lines[1:])
    window.project.undo()  # the last acceptance: 1,200 is no longer attributed
    assert dock.sources_snapshot()[2:] == [("(not attributed)",), ("  more than 1,200", "", "The Independent (summary)", "0")]
    assert first
