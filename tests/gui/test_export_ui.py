"""The Export dialog writes what the CLI writes, with filters; File ▸ Import Labelled Dataset reads it back."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from ui.export_dialog import ExportDialog


def test_export_dialog_writes_filtered_jsonl_with_dataset_md(qtbot, window, tmp_path):
    pane = window.panes.panes()[0]
    window.project.add_annotation(pane.document_id, 0, 8, "Claim", annotator="ana")
    window.project.add_annotation(pane.document_id, 9, 17, "Actor", annotator="ben")
    dialog = ExportDialog(window.project, [pane.document_id], window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    for i in range(dialog.reviewers.count()):
        item = dialog.reviewers.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() == "ben" else Qt.CheckState.Unchecked)
    dialog.only_selected.setChecked(True)
    out = tmp_path / "export"
    dialog.destination.setText(str(out))
    dialog.run()
    assert dialog.result_ is not None
    lines = next(out.glob("*.jsonl")).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 1
    quotes = [a["quote"] for a in records[0]["annotations"]]
    assert quotes == [window.project.document_text(pane.document_id)[9:17]]
    assert (out / "jsonl.DATASET.md").exists()
    assert "ben" in (out / "jsonl.DATASET.md").read_text(encoding="utf-8")
    assert "Exported 1 documents" in dialog.summary.text()


def test_a_format_whose_library_is_missing_is_disabled_with_its_install_command(qtbot, window, tmp_path, monkeypatch):
    from annotator import exporters

    command = exporters.install_command(exporters.FORMATS["spacy"])
    assert command.endswith(" -m pip install 'spacy>=3.7'")
    monkeypatch.setattr(exporters, "unavailable",
                        lambda fmt: f"the {fmt.name} format needs spacy, which is not installed; install it with: {command}"
                        if fmt.name == "spacy" else None)
    dialog = ExportDialog(window.project, [], window)
    qtbot.addWidget(dialog)
    model = dialog.format.model()
    spacy_row = dialog.format.findData("spacy")
    assert not model.item(spacy_row).isEnabled()
    assert [dialog.format.itemData(i) for i in range(dialog.format.count()) if model.item(i).isEnabled()] == [
        "jsonl", "doccano", "brat", "conll", "w3c", "csv", "labelstudio", "xmi", "qdpx", "casualties", "claimreview"]
    assert command in dialog.missing.text() and not dialog.missing.isHidden()
    # Even if chosen some other way, the export says the same one line and writes nothing.
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    dialog.format.setCurrentIndex(spacy_row)
    dialog.destination.setText(str(tmp_path / "out"))
    dialog.run()
    assert dialog.result_ is None and warnings == [f"the spacy format needs spacy, which is not installed; install it with: {command}"]
    assert not (tmp_path / "out").exists()


def test_every_format_is_enabled_when_its_library_is_there(qtbot, window):
    dialog = ExportDialog(window.project, [], window)
    qtbot.addWidget(dialog)
    model = dialog.format.model()
    assert all(model.item(i).isEnabled() for i in range(dialog.format.count()))  # spaCy is in the test environment
    assert dialog.missing.isHidden()


def test_import_labelled_dataset_from_the_file_menu(window, tmp_path, monkeypatch):
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"text": "New text about 42 people.", "label": [[15, 24, "Figure"]]}) + "\n", encoding="utf-8")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("doccano", True))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(data)], ""))
    window.do_import_dataset()
    found = [d for d in window.project.documents() if d.text.startswith("New text")]
    assert len(found) == 1
    assert [a.quote for a in window.project.annotations(found[0].id)] == ["42 people"]
    assert window.documents.model.rowCount() == 3


def test_import_documents_reads_with_progress_and_asks_about_bad_files(window, tmp_path, monkeypatch):

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A new article about 42 people.\n", encoding="utf-8")
    (folder / "bad.pdf").write_bytes(b"not a pdf")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    window.import_paths([str(folder)])
    assert "bad.pdf" in asked[0]
    assert [d.title for d in window.project.documents(with_text=False)][-1] == "A new article about 42 people."


def test_claimreview_options_are_shown_for_that_format_passed_to_the_export_and_remembered(qtbot, window, tmp_path,
                                                                                         settings):
    from annotator.defaults import CLAIM_RATINGS

    pane = window.project.documents()[1]
    claim = window.project.add_annotation(pane.id, 0, 22, "Claim", annotator="ana",
                                          attributes={"rating": CLAIM_RATINGS[0]})
    dialog = ExportDialog(window.project, [], window, reviewer="ana", settings=settings)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    assert dialog.option_boxes["claimreview"].isHidden()
    dialog.format.setCurrentIndex(dialog.format.findData("claimreview"))
    assert not dialog.option_boxes["claimreview"].isHidden()
    author, url = dialog.option_fields["claimreview"]["review_author"], dialog.option_fields["claimreview"]["review_url"]
    assert author.text() == "ana"  # the reviewer's name by default
    author.setText("Syria Fact Desk")
    url.setText("https://desk.example/reviews/")
    out = tmp_path / "reviews.jsonld"
    dialog.destination.setText(str(out))
    dialog.run()
    assert dialog.result_ is not None
    [review] = json.loads(out.read_text(encoding="utf-8"))
    assert review["author"]["name"] == "Syria Fact Desk" and review["author"]["@type"] == "Organization"
    assert review["url"] == f"https://desk.example/reviews/{claim.id}"
    # The next dialog offers what was typed last time.
    again = ExportDialog(window.project, [], window, reviewer="ana", settings=settings)
    qtbot.addWidget(again)
    assert again.option_fields["claimreview"]["review_author"].text() == "Syria Fact Desk"
    assert again.option_fields["claimreview"]["review_url"].text() == "https://desk.example/reviews/"
    again.format.setCurrentIndex(again.format.findData("jsonl"))
    assert again.options() == {}  # only the chosen format's settings go to the export


def test_an_offset_another_program_broke_is_a_warning_not_a_crash(qtbot, window, tmp_path, monkeypatch):
    """sqlite3 wrote a text as an annotation's end while the window was open: the pane stops drawing the span (its
    paint raised a TypeError before), and the Export dialog warns in the export's one line (CoNLL stopped with a
    Python error before) and writes nothing."""
    import sqlite3

    pane = window.panes.panes()[0]
    annotation = window.project.add_annotation(pane.document_id, 0, 8, "Claim", annotator="ana")
    qtbot.waitUntil(lambda: annotation.id in {span.id for span in pane.view.index.ordered()})
    conn = sqlite3.connect(window.project.path)
    with conn:
        conn.execute('UPDATE annotations SET "end" = ? WHERE id = ?', ["8b", annotation.id])
    conn.close()
    qtbot.wait(1500)  # the window follows the other writer's change first: the span is no longer drawn
    pane.reload()  # and a pane reading the document again leaves it out (store.annotations.span_rows)
    qtbot.wait(100)
    assert annotation.id not in {span.id for span in pane.view.index.ordered()}
    assert annotation.id not in {row[0] for row in window.project.span_rows(pane.document_id)}
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    dialog = ExportDialog(window.project, [pane.document_id], window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    out = tmp_path / "export"
    dialog.destination.setText(str(out))
    dialog.run()
    assert dialog.result_ is None and not out.exists()
    assert warnings == [f"{window.project.path}: 1 annotation(s) have a start or end that is not a whole number (first "
                        f"{annotation.id}: start 0, end '8b'): the file was changed by another program; correct them in "
                        "sqlite3 (or delete them) and export again"]
