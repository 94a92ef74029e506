"""Cross-source work in the GUI: one leader under two names, one entity, both mentions lit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator import Project
from annotator.importers import read_paths
from tests.gui.conftest import press

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def seed_window(qtbot, tmp_path, settings):
    from ui.app import open_window

    path = tmp_path / "seeds.db"
    with Project.create(path) as project:
        documents, _ = read_paths([SEEDS])
        project.import_documents(documents)
        by_name = {Path(d.source_path).name[:3]: d.id for d in project.documents(with_text=False)}
    window = open_window(path, "maya", [by_name["001"], by_name["002"]], settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.panes.panes()[0].view)
    yield window, path
    window.close()
    window.project.close()


def annotate(window, pane, quote: str, key: Qt.Key) -> str:
    start = pane.document.text.index(quote)
    window.panes.set_current(pane)
    pane.view.setFocus()
    pane.view.select_text(start, start + len(quote))
    press(window, key)
    return window.session.selected


def test_same_leader_under_two_names_links_to_one_entity_and_both_mentions_light_up(seed_window, monkeypatch):
    window, path = seed_window
    cradle, independent = window.panes.panes()
    first = annotate(window, cradle, "Ahmad al-Sharaa", Qt.Key.Key_2)
    press(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # new entity
    entity_id = window.project.annotation(first).entity_id
    assert window.project.entity(entity_id).name == "Ahmad al-Sharaa"

    second = annotate(window, independent, "Ahmed al-Sharaa", Qt.Key.Key_2)
    from ui import entity_dialog

    seen = {}

    def accept_top_match(dialog):
        seen["top"] = dialog.matches.item(0).data(Qt.ItemDataRole.UserRole)
        dialog._link()
        return True

    monkeypatch.setattr(entity_dialog.EntityDialog, "exec", accept_top_match)
    press(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen["top"] == entity_id  # the fuzzy match ranked the existing entity first
    conn = sqlite3.connect(path)
    linked = conn.execute("SELECT quote FROM annotations WHERE entity_id = ? ORDER BY quote", [entity_id]).fetchall()
    conn.close()
    assert linked == [("Ahmad al-Sharaa",), ("Ahmed al-Sharaa",)]

    window.session.select(None)
    window.entities.select_entity(entity_id)
    assert cradle.view.highlighter.linked == {first, second}
    for pane, annotation_id in ((cradle, first), (independent, second)):
        span = pane.view.index.spans[annotation_id]
        block = pane.view.document().findBlock(span.start)
        formats = [f for f in block.layout().formats() if f.start + block.position() == span.start]
        assert formats and formats[0].format.underlineStyle() != formats[0].format.UnderlineStyle.NoUnderline
    assert window.entities.mentions.count() == 2

    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the link: one mention left
    assert [m.id for m in window.project.entity_mentions(entity_id)] == [first]


def test_link_claims_across_documents_and_remove_the_link(seed_window, monkeypatch):
    window, _path = seed_window
    cradle, independent = window.panes.panes()
    a = annotate(window, cradle, "at least 973 Alawite civilians were slaughtered", Qt.Key.Key_1)
    b = annotate(window, independent, "over 1,200 deaths reported", Qt.Key.Key_1)
    window.session.select(a)
    from ui import link_dialog

    def choose(dialog):
        dialog.kind.setCurrentText("contradicts")
        row = next(r for r in range(dialog.targets.count())
                   if dialog.targets.item(r).data(Qt.ItemDataRole.UserRole) == b)
        dialog.targets.setCurrentRow(row)
        return True

    monkeypatch.setattr(link_dialog.LinkDialog, "exec", choose)
    press(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    relations = window.project.relations(annotation_id=a)
    assert [(r.source_id, r.target_id, r.label) for r in relations] == [(a, b, "contradicts")]
    assert window.inspector.links.count() == 1
    window.inspector.links.setCurrentRow(0)
    window.inspector._remove_link()
    assert window.project.relations(annotation_id=a) == []
    assert window.project.annotation(a)  # removing the link kept the annotation


def test_figures_table_shows_the_same_rows_as_the_cli_and_jumps_to_the_text(seed_window):
    import json

    from click.testing import CliRunner
    from fixtures_seed_figures import annotate_seed_tolls

    from annotator.cli import cli

    window, path = seed_window
    annotate_seed_tolls(window.project)
    window.do_show_figures()
    model = window.figures.proxy
    cli_rows = json.loads(CliRunner().invoke(cli, ["figures", str(path), "--json"]).output)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]

    def cell(r: int, title: str) -> str:
        return model.index(r, headers.index(title)).data()

    shown = {(cell(r, "Text"), cell(r, "Value"), cell(r, "Qualifier"), cell(r, "Outlet"), cell(r, "Attributed to"))
             for r in range(model.rowCount())}
    expected = {(row["quote"], f"{row['value']:,}", row["qualifier"], row["outlet"] or "", row["attributed_to"])
                for row in cli_rows}
    assert shown == expected and len(shown) == 4
    row = next(r for r in range(model.rowCount()) if cell(r, "Value") == "1,700")
    window.figures.table.activated.emit(model.index(row, 3))
    selected = window.project.annotation(window.session.selected)
    assert selected.quote == "approximately 1,700 members of the religious minority"
    assert window.panes.current.document_id == selected.document_id


def test_hidden_docks_do_no_work_until_shown_and_then_are_current(seed_window):
    from fixtures_seed_figures import annotate_seed_tolls

    window, _path = seed_window
    assert not window.figures_dock.isVisible() and window.figures.model.rowCount() == 0
    ids = annotate_seed_tolls(window.project)
    assert window.figures.model.rowCount() == 0  # still hidden: not rebuilt on every change
    window.do_show_figures()
    assert window.figures.model.rowCount() == 4
    window.entities_dock.hide()
    window.project.update_entity(ids["entity"], name="SOHR monitor")  # a change while hidden
    assert window.entities.table.rowCount() == 1 and window.entities.table.item(0, 0).text() != "SOHR monitor"
    window.entities.select_entity(ids["entity"])  # brings the hidden list up to date first
    assert window.entities.selected_ids() == [ids["entity"]]
    assert window.entities.table.item(0, 0).text() == "SOHR monitor"
