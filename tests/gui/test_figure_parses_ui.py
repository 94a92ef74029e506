"""A figure marked in the GUI stores its quote's parse; the Figures dock shows the same rows with or without it."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from annotator.figure_values import PARSER_VERSION, decode
from tests.gui.conftest import press


def test_a_figure_marked_with_its_key_stores_its_parse_and_the_dock_reads_it(window) -> None:
    pane = window.panes.panes()[1]
    quote = "Over 1,200 Alawites"
    start = pane.document.text.index(quote)
    window.panes.set_current(pane)
    pane.view.setFocus()
    pane.view.select_text(start, start + len(quote))
    press(window, Qt.Key.Key_3)  # Figure
    assert window.project.annotation(window.session.selected).quote == quote
    conn = sqlite3.connect(window.project.path)
    try:
        [(version, parsed)] = conn.execute("SELECT parser, parsed FROM figure_parses WHERE quote = ?", [quote]).fetchall()
    finally:
        conn.close()
    assert version == PARSER_VERSION and decode(parsed) == (1200, 1200, None, "more than", "Alawites")
    window.do_show_figures()
    shown = [(r.quote, r.value, r.qualifier, r.unit) for r in window.figures.rows]
    assert shown == [(quote, 1200, "more than", "Alawites")]
    conn = sqlite3.connect(window.project.path)
    try:
        conn.execute("DELETE FROM figure_parses")
        conn.commit()
    finally:
        conn.close()
    window.figures.refresh()  # nothing stored: parsed on read, the same row
    assert [(r.quote, r.value, r.qualifier, r.unit) for r in window.figures.rows] == shown
