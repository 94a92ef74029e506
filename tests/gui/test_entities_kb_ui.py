"""Acceptance: the entity knowledge base and document management, driven through the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import press


def _actor(window, quote: str) -> str:
    """An Actor annotation over ``quote`` in the second document, selected."""
    project = window.project
    doc = project.documents(with_text=False)[1].id
    start = project.document_text(doc).index(quote)
    annotation = project.add_annotation(doc, start, start + len(quote), "Actor", annotator="ana")
    window.session.select(annotation.id)
    return annotation.id


def test_link_dialog_finds_an_entity_by_alias_typed_in_search(window, monkeypatch) -> None:
    from ui import entity_dialog

    sharaa = window.project.add_entity("Ahmed al-Sharaa", "person", aliases=["Abu Mohammed al-Julani"])
    window.project.add_entity("Syrian Observatory for Human Rights", "organisation", aliases=["SOHR"])
    actor = _actor(window, "Alawites")  # a quote that resembles no entity

    def search_and_link(dialog) -> bool:
        QTest.keyClicks(dialog.search, "al-Julani")
        assert dialog.matches.item(0).data(Qt.ItemDataRole.UserRole) == sharaa.id
        QTest.keyClick(dialog.matches, Qt.Key.Key_Return)
        return dialog.result_ is not None

    monkeypatch.setattr(entity_dialog.EntityDialog, "exec", search_and_link)
    press(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.project.annotation(actor).entity_id == sharaa.id
    assert len(window.project.entities()) == 2  # nothing created


def test_link_to_match_without_a_match_creates_nothing(window) -> None:
    from ui.entity_dialog import EntityDialog

    actor = window.project.annotation(_actor(window, "Alawites"))
    dialog = EntityDialog(window.project, actor, window)
    assert dialog.matches.count() == 0 and not dialog.link_button.isEnabled()
    dialog._link()
    dialog._create()  # no type chosen yet: refused
    assert dialog.result_ is None and "type" in dialog.problem.text()
    dialog.type.setCurrentText("organisation")
    dialog._create()
    assert dialog.result_ == ("new", None, "organisation")
    assert window.project.entities() == []


def test_edit_entity_type_and_aliases_then_undo(window, monkeypatch) -> None:
    from ui import entity_dialog

    entity = window.project.add_entity("SOHR", "person")
    window.project.history.clear()
    window.entities_dock.show()
    window.entities.select_entity(entity.id)

    def edit(dialog) -> bool:
        dialog.type.setCurrentText("organisation")
        dialog.aliases.setPlainText("Syrian Observatory\nthe Observatory")
        dialog.external_id.setText("Q1")
        dialog.save()
        return True

    monkeypatch.setattr(entity_dialog.EntityEditor, "exec", edit)
    window.entities.edit_selected()
    edited = window.project.entity(entity.id)
    assert (edited.type, edited.aliases, edited.external_id) == ("organisation", ["Syrian Observatory", "the Observatory"], "Q1")
    assert window.entities.table.item(0, 1).text() == "organisation"
    window.panes.panes()[0].view.setFocus()
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undone = window.project.entity(entity.id)
    assert (undone.type, undone.aliases, undone.external_id) == ("person", [], None)
    assert window.entities.table.item(0, 1).text() == "person"


def test_entities_dock_filters_by_alias(window) -> None:
    window.project.add_entity("Ahmed al-Sharaa", "person", aliases=["Abu Mohammed al-Julani"])
    window.project.add_entity("SOHR", "organisation")
    window.entities_dock.show()
    window.entities.filter.setText("julani")
    assert [window.entities.table.item(r, 0).text() for r in range(window.entities.table.rowCount())] == ["Ahmed al-Sharaa"]


def test_document_properties_outlet_shows_in_pane_and_list(window, monkeypatch) -> None:
    from ui import document_dialog

    pane = window.panes.panes()[0]

    def edit(dialog) -> bool:
        dialog.edits["outlet"].setText("Reuters")
        dialog.assigned.setCurrentText("ana")
        dialog.save()
        return True

    monkeypatch.setattr(document_dialog.DocumentDialog, "exec", edit)
    window.panes.set_current(pane)
    window.do_document_properties()
    assert "Reuters" in pane.meta.text() and "Test Wire" not in pane.meta.text()
    row = window.documents.model.rows[window.documents.model.row_of(pane.document_id)]
    assert row.outlet == "Reuters"
    window.documents.mine.setChecked(True)
    assert window.documents.proxy.rowCount() == 1
    window.project.undo()
    assert "Test Wire" in pane.meta.text() and window.documents.proxy.rowCount() == 0


def test_delete_document_then_undo_restores_annotations_exactly(window, monkeypatch) -> None:
    project = window.project
    doc = project.documents(with_text=False)[1].id
    _actor(window, "Alawites")
    project.add_annotation(doc, 0, 10, "Claim", annotator="ana")
    before = sorted(sorted(a.to_dict().items()) for a in project.annotations(doc))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    window.documents.delete([doc])
    assert "2 annotations" in asked[0]
    assert doc not in {d.id for d in project.documents(with_text=False)} and not project.annotations(doc)
    assert window.documents.model.row_of(doc) < 0
    window.panes.panes()[0].view.setFocus()
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sorted(sorted(a.to_dict().items()) for a in project.annotations(doc)) == before
    assert window.documents.model.row_of(doc) >= 0
