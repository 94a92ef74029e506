"""spaCy NER candidates for actor suggestions: a pipeline named by path or package is loaded and
its PERSON / ORG / GPE entities become actor suggestions with code point offsets, registered
names win where they overlap, no pipeline means registry-only, and a named pipeline that is
missing is one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run

from annotator import Project, ner
from annotator.suggest import accept, suggest

spacy = pytest.importorskip("spacy")

TEXT = ("👩‍👩‍👧 Médecins Sans Frontières said Volker Türk met Mazloum Abdi in Qamishli.\n"
        "قتل ٩٧٣ مدنيا. The Alawites of Latakia and SOHR counted the dead.")


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny pipeline trained in the test: an EntityRuler on a blank English tokenizer, saved to disk."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "Volker Türk"},
        {"label": "PERSON", "pattern": [{"TEXT": "Mazloum"}, {"TEXT": "Abdi"}]},
        {"label": "ORG", "pattern": "Médecins Sans Frontières"},
        {"label": "ORG", "pattern": "SOHR"},
        {"label": "GPE", "pattern": "Qamishli"},
        {"label": "GPE", "pattern": "Latakia"},
        {"label": "NORP", "pattern": "Alawites"},
        {"label": "DATE", "pattern": "the dead"},  # not an actor type: never suggested
    ])
    path = tmp_path_factory.mktemp("ner") / "tiny_pipeline"
    nlp.to_disk(path)
    return path


@pytest.fixture
def ner_project(project: Project) -> Project:
    project.add_document(TEXT, title="NER")
    project.add_entity("Syrian Observatory for Human Rights", "organisation", aliases=["SOHR"])
    return project


def test_pipeline_entities_become_actor_suggestions_in_code_points(ner_project: Project, pipeline_dir: Path) -> None:
    found = suggest(ner_project, "actors", ner_model=str(pipeline_dir))
    assert [(s.text, s.score, s.entity_id is not None) for s in found] == [
        ("Médecins Sans Frontières", 0.5, False), ("Volker Türk", 0.5, False), ("Mazloum Abdi", 0.5, False),
        ("Qamishli", 0.5, False), ("Alawites", 0.5, False), ("Latakia", 0.5, False),
        ("SOHR", 0.9, True),  # the registry's alias, not a second suggestion from the pipeline
    ]
    for s in found:
        assert TEXT[s.start:s.end] == s.text
    assert found[1].start == TEXT.index("Volker")  # code points: the emoji family is 5 of them, not 8 UTF-16 units
    doc_id = ner_project.documents()[0].id
    added = accept(ner_project, [found[1]], "ana")
    assert [(a.quote, a.start) for a in added] == [("Volker Türk", TEXT.index("Volker"))]
    again = suggest(ner_project, "actors", annotator="ana", ner_model=str(pipeline_dir), document_id=doc_id)
    assert "Volker Türk" not in [s.text for s in again]


def test_long_text_is_cut_between_entities(pipeline_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ner, "CHUNK", 50)
    text = " ".join(["Mazloum Abdi visited Qamishli."] * 40)
    found = ner.entities(ner.pipeline(str(pipeline_dir)), text)
    assert len(found) == 80 and all(text[s:e] == t for s, e, _, t in found)


def test_no_pipeline_means_registry_only(ner_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy.util, "get_installed_models", lambda: [])
    ner.pipeline.cache_clear()
    assert [s.text for s in suggest(ner_project, "actors")] == ["SOHR"]


def test_cli_ner_model_and_a_missing_one(ner_project: Project, pipeline_dir: Path) -> None:
    path = ner_project.path
    ner_project.close()
    rows = json.loads(ok("suggest", path, "--kind", "actors", "--ner-model", str(pipeline_dir), "--json").stdout)
    assert {r["text"] for r in rows} >= {"Volker Türk", "Qamishli", "SOHR"}
    assert all(TEXT[r["start"]:r["end"]] == r["text"] for r in rows)
    line = one_line_error(run("suggest", path, "--kind", "actors", "--ner-model", "xx_no_such_pipeline"))
    assert "xx_no_such_pipeline" in line and "spaCy" in line
