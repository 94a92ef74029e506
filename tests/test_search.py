"""Corpus search: the FTS5 index follows every write (ours, undo, other programs'), the migration
builds it for old files, and the CLI prints hits whose offsets slice the text exactly."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import ok, one_line_error, run

from annotator import Project
from annotator.errors import AnnotatorError
from annotator.importers.base import ImportedDocument
from annotator.search import fts_query, search
from annotator.store import schema
from annotator.store.search import DocumentFilter

EMOJI = "Families 👩‍👩‍👧 fled Latakia after 973 deaths, the monitor said.\nقتل ٩٧٣ مدنيا in e\u0301te\u0301 raids."
SECOND = "Over 1,200 Alawites were killed in Latakia, the Syrian Observatory said."


@pytest.fixture
def two(project: Project) -> Project:
    project.add_document(EMOJI, title="Emoji report", outlet="Test Wire", published="2025-03-10")
    project.add_document(SECOND, title="Second report", outlet="Other Wire", published="2025-03-12T08:00:00")
    return project


def texts(hits) -> list[str]:
    return [h.text for h in hits]


def test_fts_words_phrases_or_not_prefix(two: Project) -> None:
    assert sorted(texts(search(two, "latakia"))) == ["Latakia", "Latakia"]
    assert texts(search(two, "alaw*")) == ["Alawites"]
    assert texts(search(two, '"were killed"')) == ["were killed"]
    assert texts(search(two, "latakia NOT alawites")) == ["Latakia"]
    assert texts(search(two, "1,200")) == ["1,200"]  # punctuation: read as a phrase, not a syntax error
    assert sorted(texts(search(two, "973 OR مدنيا"))) == ["973", "مدنيا"]
    assert texts(search(two, "e\u0301te\u0301")) == ["e\u0301te\u0301"]  # combining marks stay with the word
    assert fts_query('al-Sharaa OR "x"')[0] == '"al-Sharaa" OR "x"'


def test_exact_and_regex_modes(two: Project) -> None:
    assert texts(search(two, "Latakia,", "exact")) == ["Latakia,"]
    assert search(two, "latakia", "exact") == []
    assert len(search(two, "latakia", "exact", ignore_case=True)) == 2
    assert texts(search(two, r"[٠-٩]+|\d+,\d+", "regex")) == ["٩٧٣", "1,200"]
    with pytest.raises(AnnotatorError, match="regular expression"):
        search(two, "(", "regex")
    with pytest.raises(AnnotatorError, match="cannot read the search"):
        search(two, 'killed OR')


def test_filters(two: Project) -> None:
    assert len(search(two, "latakia", filters=DocumentFilter(outlet="Other Wire"))) == 1
    assert len(search(two, "latakia", filters=DocumentFilter(published_from="2025-03-11"))) == 1
    assert len(search(two, "latakia", filters=DocumentFilter(published_to="2025-03-12"))) == 2
    assert search(two, "latakia", filters=DocumentFilter(status="done")) == []
    second = two.documents()[1]
    two.add_annotation(second.id, 0, 4, "Claim", annotator="ana")
    hits = search(two, "latakia", filters=DocumentFilter(label_id=two.label("Claim").id))
    assert [h.document_id for h in hits] == [second.id]


def test_index_follows_deletes_undo_title_edits_and_other_programs(two: Project) -> None:
    first = two.documents()[0]
    two.delete_document(first.id)
    assert search(two, "fled") == []
    two.undo()
    assert texts(search(two, "fled")) == ["fled"]
    conn = sqlite3.connect(two.path)
    with conn:
        conn.execute("INSERT INTO documents (id, title, text, sha256, imported_at) VALUES ('x', 't', 'Hama shelled', 'h', 'now')")
    conn.close()
    assert [(h.document_id, h.text) for h in search(two, "shelled")] == [("x", "shelled")]


def test_migration_builds_the_index_for_an_older_file(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    from annotator.store.database import Database

    db = Database(conn)
    for _name, script in schema.MIGRATIONS[:2]:
        script(db) if callable(script) else conn.executescript(script)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'a', 'now'), (2, 'b', 'now')")
    conn.execute("INSERT INTO documents (id, title, text, sha256, imported_at) VALUES ('old', 'Old', 'Deir ez-Zor flooding', 'h', 'now')")
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        assert [(h.document_id, h.start, h.end) for h in search(project, "flooding")] == [("old", 12, 20)]


def test_cli_json_offsets_slice_the_text_on_emoji_and_arabic(two: Project) -> None:
    path = two.path
    by_id = {d.id: d.text for d in two.documents()}
    two.close()
    for args in (["973 OR مدنيا"], ["fled"], [r"[٠-٩]+", "--regex"], ["e\u0301te\u0301", "--exact"]):
        hits = json.loads(ok("search", path, *args, "--json").stdout)
        assert hits
        for hit in hits:
            assert set(hit) == {"document_id", "start", "end", "text", "left", "right"}
            text = by_id[hit["document_id"]]
            assert text[hit["start"]:hit["end"]] == hit["text"]
            assert hit["left"] == text[max(0, hit["start"] - 40):hit["start"]].replace("\n", " ")
            assert hit["right"] == text[hit["end"]:hit["end"] + 40].replace("\n", " ")
    assert EMOJI.index("fled") == json.loads(ok("search", path, "fled", "--json").stdout)[0]["start"]
    table = ok("search", path, "alaw*").stdout
    assert "Alawites" in table and "Over 1,200" in table
    assert "No match" in ok("search", path, "zzz").stdout
    assert "regular expression" in one_line_error(run("search", path, "(", "--regex"))
    assert "choose one" in one_line_error(run("search", path, "x", "--regex", "--exact"))
    assert one_line_error(run("search", path, "x", "--label", "Nope"))


def test_search_over_10000_documents_finds_the_one_rare_word(project: Project) -> None:
    """Its time is a row of benchmarks/suggestions.py (targets live in benchmarks, not in timed tests)."""
    rows = [f"Report {i}: shelling near town {i} killed {i % 50} people, officials said." for i in range(10_000)]
    rows[7777] += " A rare word: zanzibar."
    project.import_documents([ImportedDocument(text, {"title": f"R{i}"}) for i, text in enumerate(rows)])
    hits = search(project, "zanzibar")
    assert texts(hits) == ["zanzibar"]


ACCENTED = "Shelling hit Tartús 🇸🇾 at dawn; Sharaá spoke in Hama\u0301 and in Damascus. مُحَمَّد Việt Łódź"


def test_search_folds_accents_both_ways_and_offsets_slice_the_original(project: Project) -> None:
    doc = project.add_document(ACCENTED, title="Accents")
    project.add_document("Tartus port reopened; Sharaa visited.", title="Plain")
    for query, want in (("Tartus", {"Tartús", "Tartus"}), ("tartús", {"Tartús", "Tartus"}), ("Sharaa", {"Sharaá", "Sharaa"}),
                        ("hama", {"Hama\u0301"}), ('"tartus 🇸🇾 at dawn"', {"Tartús 🇸🇾 at dawn"}), ("viet", {"Việt"}),
                        ("lodz", set()), ("łodz", {"Łódź"}), ("مُحَمَّد", {"مُحَمَّد"})):
        hits = search(project, query)
        assert {h.text for h in hits} == want, query
        for h in hits:
            text = project.document_text(h.document_id)
            assert text[h.start:h.end] == h.text
            assert h.left == text[max(0, h.start - 40):h.start].replace("\n", " ")
    hit = search(project, "damascus")[0]
    assert (hit.document_id, hit.start) == (doc.id, ACCENTED.index("Damascus"))
    assert {h.text for h in search(project, "Tartus", "exact")} == {"Tartus"}  # exact strings keep their accents


def test_folding_a_million_non_ascii_characters_maps_every_hit_back() -> None:
    """Its time is a row of benchmarks/suggestions.py (targets live in benchmarks, not in timed tests)."""
    from annotator.search import Folded

    chunk = "Les habitants de Tartús e\u0301vacue\u0301s, قتل ٩٧٣ مدنيا 👩‍👩‍👧; "
    text = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    folded = Folded(text)
    spans = [folded.span(m.start(), m.end()) for m in re.finditer(r"(?i)tartus|evacues", folded.text)]
    assert len(spans) > 30_000 and {text[s:e] for s, e in spans} == {"Tartús", "e\u0301vacue\u0301s"}
