"""``document_tokens``: each text's tokens stored by the writes (``annotator/stored_tokens.py``), read by the CoNLL
export in this process and in its second one. The export must be byte for byte the same whatever the table
holds: full, empty, gone, rows of another tokenizer, forged or damaged rows; the writes fill and prune it."""

from __future__ import annotations

import random
import shutil
import sqlite3
import struct
import sys
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import Project, stored_tokens
from annotator.exporters import conll, export
from annotator.exporters.second_process import SecondProcess
from annotator.importers.base import ImportedDocument, ImportedSpan
from annotator.revisions import import_revision
from annotator.store import document_tokens, schema
from annotator.text import sha256
from annotator.tokens import TOKENIZER, token_columns
from tests.cli_helpers import ok, one_line_error, run
from tests.db_helpers import old_reviewer_file
from tests.export_helpers import kept_results, written_files

WORDS = ("the", "ministry", "said", "👨‍👩‍👧", "قال", "الوزارة", "é", "x̧", "e\u0301", "🇫🇷", "👍🏽", "<b>", "1,200",
         "3.5", "don't", "state-of-the-art", "\t", "\n", "\n\n", "  ", "\u200d", "\u0651", "\u0915\u093f", "\x7f")

TEXTS = ("", " \n\t", "\n", "\U0001F1EB\U0001F1F7", "e\u0301\u0301 x", "مرحبا بالعالم\nقال الوزير", "a\n\nb",
         "👍🏽 ❤️ 👨‍👩‍👧 🇫🇷", "1,200 dead; 3.5% — “quoted” don't")


def _random_text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


@pytest.fixture(scope="module")
def project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve documents (emoji, Arabic, combining marks, line breaks; two without spans, one a flag alone, one of
    punctuation) with overlapping spans by two reviewers."""
    rng = random.Random(13)
    path = tmp_path_factory.mktemp("tokens") / "p.db"
    with Project.create(path) as project:
        labels = [label.name for label in project.labels()]
        items = []
        for number in range(12):
            text = {5: "\U0001F1EB\U0001F1F7", 9: "—!?"}.get(number) or f"Report {number}.\n" + _random_text(rng, 60)
            spans = [] if number in (4, 5, 8) or len(text) < 20 else [
                ImportedSpan(start, start + rng.randrange(1, 15), rng.choice(labels), annotator=rng.choice(("ana", "bob")))
                for start in sorted(rng.randrange(0, len(text) - 15) for _ in range(20))]
            items.append(ImportedDocument(text, {"title": f"Report {number}"}, spans, source=f"r{number}.txt"))
        project.import_documents(items)
    return path


pytestmark = pytest.mark.usefixtures("core_free")


def _export(path: Path, out: Path, monkeypatch: pytest.MonkeyPatch, processes: int) -> dict[str, bytes]:
    monkeypatch.setattr(conll, "PROCESS_ABOVE", 1 if processes == 2 else 10**9)
    results = kept_results(monkeypatch)
    with Project.open(path) as project:
        export(project, "conll", out / "x")
    assert (len(results) == 1 and results[0] is not None) if processes == 2 else not results
    return written_files(out)


def _rows(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT sha256, tokenizer, starts, ends, words FROM document_tokens ORDER BY sha256").fetchall()


def _packed(values: list[int]) -> bytes:
    packed = array("I", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _damage(conn: sqlite3.Connection, how: str) -> None:
    """Spoil every row of the table the way ``how`` says (each stays a miss, never an error)."""
    if how == "empty":
        conn.execute("DELETE FROM document_tokens")
    elif how == "stale":
        conn.execute("UPDATE document_tokens SET tokenizer = '0/unicode-1.0.0'")
    elif how == "wrong sha":  # documents.sha256 left stale by another writer: each names another text's row
        keys = [r[0] for r in conn.execute("SELECT sha256 FROM documents ORDER BY sha256").fetchall()]
        conn.execute("UPDATE documents SET sha256 = 'x' || sha256")
        for old, new in zip(keys, keys[1:] + keys[:1]):
            conn.execute("UPDATE documents SET sha256 = ? WHERE sha256 = ?", [new, "x" + old])
    elif how == "other keys":
        conn.execute("UPDATE document_tokens SET sha256 = upper(sha256)")
    elif how == "truncated":
        conn.execute("UPDATE document_tokens SET starts = substr(starts, 1, length(starts) - 3) WHERE length(starts) > 0")
    elif how == "shorter":
        conn.execute("UPDATE document_tokens SET starts = substr(starts, 1, length(starts) - 4), "
                     "ends = substr(ends, 1, length(ends) - 4) WHERE length(starts) > 0")
    elif how == "past the text":
        for key, ends in conn.execute("SELECT sha256, ends FROM document_tokens").fetchall():
            if ends:
                values = array("I", ends)
                values[-1] += 1000
                conn.execute("UPDATE document_tokens SET ends = ? WHERE sha256 = ?", [values.tobytes(), key])
    elif how == "wrong types":
        conn.execute("UPDATE document_tokens SET starts = 'text', ends = 12, words = x'00'")
    elif how == "words missing":
        conn.execute("UPDATE document_tokens SET words = substr(words, 1, length(words) / 2)")
    else:
        raise AssertionError(how)


DAMAGES = ("empty", "stale", "wrong sha", "other keys", "truncated", "shorter", "past the text", "wrong types", "words missing")


@pytest.mark.parametrize("processes", [1, 2])
@pytest.mark.parametrize("how", DAMAGES)
def test_the_export_is_the_same_whatever_the_table_holds(how: str, processes: int, project_path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    full = _export(project_path, tmp_path / "full", monkeypatch, processes)
    damaged = tmp_path / "copy" / project_path.name  # the card names the file
    damaged.parent.mkdir()
    shutil.copy(project_path, damaged)
    with sqlite3.connect(damaged) as conn:
        _damage(conn, how)
    conn.close()
    assert _export(damaged, tmp_path / "damaged", monkeypatch, processes) == full


@pytest.mark.parametrize("processes", [1, 2])
def test_both_processes_read_the_stored_tokens(processes: int, project_path: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A believable row (right key and version, offsets inside the text) is used as stored, in this process and the
    second one: its words written upper-case show in every document's lines (a miss would write them as they are)."""
    forged = tmp_path / "forged.db"
    shutil.copy(project_path, forged)
    with sqlite3.connect(forged) as conn:
        conn.execute("UPDATE document_tokens SET words = upper(words)")
    conn.close()
    lines = _export(forged, tmp_path / "out", monkeypatch, processes)["x/dataset.conll"].decode("utf-8")
    blocks = lines.split("-DOCSTART- -X- O O\n\n")[1:]
    assert len(blocks) == 12 and "Report" not in lines
    assert blocks[0].startswith("REPORT ") and blocks[-1].startswith("REPORT ")  # the first and the last document


def test_the_import_stores_each_text_tokens(project_path: Path) -> None:
    with Project.open(project_path) as project:
        texts = [project.document_text(d.id) for d in project.documents(with_text=False)]
    assert _rows(project_path) == sorted(stored_tokens.row_of(sha256(text), text) for text in texts)
    for text in texts:
        row = stored_tokens.row_of(sha256(text), text)
        assert stored_tokens.believed(text, row) == token_columns(text)


@pytest.mark.parametrize("text", TEXTS)
def test_a_row_is_believed_only_when_it_is_the_text_s(text: str) -> None:
    row = stored_tokens.row_of(sha256(text), text)
    assert stored_tokens.believed(text, row) == token_columns(text)
    assert stored_tokens.columns(text, row) == token_columns(text)
    key, tokenizer, starts, ends, words = row
    misses: list[Any] = [
        None, (), (key,), "text", (key.upper(), tokenizer, starts, ends, words), (sha256(text + " "), tokenizer, starts, ends, words),
        (key, "0/unicode-1.0.0", starts, ends, words), (key, tokenizer, starts + b"\x00", ends, words),
        (key, tokenizer, starts, ends + b"\x00\x00\x00\x00", words), (key, tokenizer, memoryview(starts), ends, words),
        (key, tokenizer, starts, ends, words.encode()), (key, tokenizer, starts, ends, None),
        (key, tokenizer, starts + _packed([0]), ends + _packed([len(text) + 1]), words + "\nx"),
        (key, tokenizer, starts, ends, words + "\nx"), (key, tokenizer, starts, ends, "x"),
        (key, tokenizer, starts, ends, words[:-1] + "\n"), (key, tokenizer, starts, ends, words + "x"),
    ]
    if starts:
        misses += [(key, tokenizer, starts[:-4], ends[:-4], words), (key, tokenizer, starts[:-1], ends[:-1], words)]
    for row in misses:
        assert stored_tokens.believed(text, row) is None
        assert stored_tokens.columns(text, row) == token_columns(text)


def test_the_migration_fills_an_old_file(tmp_path: Path) -> None:
    version = next(number for number, (_, script) in enumerate(schema.MIGRATIONS)
                   if getattr(script, "__name__", "") == "_document_tokens")
    text = "Old report: 1,200 dead, قال الوزير 👍🏽 e\u0301.\nNext line"
    path = old_reviewer_file(tmp_path / "old.db", version, text)
    with Project.open(path) as project:
        assert project.document_text("old-doc") == text
    assert _rows(path) == [stored_tokens.row_of(sha256(text), text)]


def test_the_migration_reads_texts_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    version = next(number for number, (_, script) in enumerate(schema.MIGRATIONS)
                   if getattr(script, "__name__", "") == "_document_tokens")
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        project.import_documents([ImportedDocument(f"Text {n} {_random_text(random.Random(n), 20)}", {}, [], source=f"{n}")
                                  for n in range(7)])
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE document_tokens")
        conn.execute("DELETE FROM schema_migrations WHERE version > ?", [version])
        conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    batches: list[int] = []
    texts_in_batches = document_tokens.texts_in_batches
    monkeypatch.setattr(document_tokens, "texts_in_batches",
                        lambda db, size: (batches.append(len(batch)) or batch for batch in texts_in_batches(db, 3)))
    with Project.open(path) as project:
        texts = [project.document_text(d.id) for d in project.documents(with_text=False)]
    assert batches == [3, 3, 1]
    assert _rows(path) == sorted(stored_tokens.row_of(sha256(text), text) for text in texts)


def test_a_revision_stores_the_new_text_and_its_undo_drops_it(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        project.import_documents([ImportedDocument("The ministry said 12 died.", {"title": "A"}, [], source="a")])
        old = project.documents(with_text=False)[0]
        new_text = "The ministry said 1,200 died in قال 👍🏽."
        import_revision(project, old.id, new_text)
        hashes = {row[0] for row in _rows(path)}
        assert hashes == {old.sha256, sha256(new_text)}
        project.undo()
        assert {row[0] for row in _rows(path)} == {old.sha256}
        project.redo()
        assert _rows(path) == sorted([stored_tokens.row_of(sha256(t), t) for t in (project.document_text(old.id), new_text)])


def test_undoing_an_import_or_a_delete_leaves_the_table_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        project.import_documents([ImportedDocument("First text, kept.", {}, [], source="a")])
        before = _rows(path)
        project.import_documents([ImportedDocument(f"Second {n}: e\u0301 👍🏽", {}, [], source=f"b{n}") for n in range(3)])
        assert len(_rows(path)) == 4
        project.undo()
        assert _rows(path) == before
        project.redo()
        assert len(_rows(path)) == 4
        doomed = project.documents(with_text=False)[-1]
        project.delete_document(doomed.id)
        assert doomed.sha256 not in {row[0] for row in _rows(path)} and len(_rows(path)) == 3
        project.undo()
        assert doomed.sha256 in {row[0] for row in _rows(path)}
    monkeypatch.setattr(conll, "PROCESS_ABOVE", 10**9)
    with Project.open(path) as project:
        export(project, "conll", tmp_path / "out")
    assert (tmp_path / "out" / "dataset.conll").read_text(encoding="utf-8").count("-DOCSTART-") == 4


def test_a_group_stores_its_texts_once_at_its_end_and_nothing_when_it_fails(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    fills: list[int] = []
    fill = stored_tokens.fill
    monkeypatch.setattr(stored_tokens, "fill", lambda db, texts: fills.append(len(list(texts))) or fill(db, texts))
    path = tmp_path / "p.db"
    texts = [f"Doc {n}: {_random_text(random.Random(n), 30)}" for n in range(5)]
    with Project.create(path) as project:
        project.import_documents([ImportedDocument(text, {}, [], source=str(n)) for n, text in enumerate(texts)])
        assert fills == [5]
        stored = {d.sha256: project.document_text(d.id) for d in project.documents(with_text=False)}
        with pytest.raises(RuntimeError), project.group("fails"):
            project.import_documents([ImportedDocument("A text never kept", {}, [], source="x")])
            raise RuntimeError("half-way")
        assert project.counts()["documents"] == 5
        with project.group("works"):
            project.import_documents([ImportedDocument("A text kept", {}, [], source="y")])
        stored[sha256("A text kept")] = "A text kept"
    assert fills == [5, 1]
    assert _rows(path) == sorted(stored_tokens.row_of(key, text) for key, text in stored.items())
    assert all(row[1] == TOKENIZER for row in _rows(path))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from((*WORDS, "x", ".", "-", "'", "\u200c", "\r", "\u00a0", "\U000E0067")), max_size=40)
       .map("".join))
def test_stored_columns_are_the_tokenizer_s(text: str) -> None:
    """Any text: the row stored for it reads back as ``token_columns`` gives it, offsets as little-endian uint32."""
    key, tokenizer, starts, ends, words = stored_tokens.row_of(sha256(text), text)
    expected = token_columns(text)
    assert (starts, ends) == (struct.pack(f"<{len(expected[0])}I", *expected[0]),
                              struct.pack(f"<{len(expected[1])}I", *expected[1]))
    assert stored_tokens.believed(text, (key, tokenizer, starts, ends, words)) == expected


def _left_to_reindex(path: Path) -> list[tuple[Any, ...]]:
    """Three imported texts, then another program's edits: one row of an old tokenizer, one missing, one orphan.
    The rows the import had stored."""
    with Project.create(path) as project:
        project.import_documents([ImportedDocument(f"Text {n}: 1,200 قتل 👍🏽", {}, [], source=str(n)) for n in range(3)])
    stored = _rows(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE document_tokens SET tokenizer = 'old' WHERE sha256 = (SELECT min(sha256) FROM document_tokens)")
        conn.execute("INSERT INTO document_tokens VALUES ('orphan', 'old', x'', x'', '')")
        conn.execute("DELETE FROM document_tokens WHERE sha256 = (SELECT max(sha256) FROM document_tokens WHERE sha256 <> 'orphan')")
    conn.close()
    return stored


def test_reindex_fills_what_other_programs_left_and_drops_orphans(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    expected = _left_to_reindex(path)
    with Project.open(path) as project:
        assert project.reindex_tokens() == (2, 1, 3)
        assert project.reindex_tokens() == (0, 0, 3)
    assert _rows(path) == expected


def test_cli_reindex_fills_both_derived_tables(tmp_path: Path, immutable: Callable[[Path], None]) -> None:
    """``annotator reindex``: the tokens (and figure parses) another program left out, stored; a read-only file is
    one line, exit 1."""
    path = tmp_path / "p.db"
    expected = _left_to_reindex(path)
    assert ok("reindex", path).output.splitlines() == [
        "Figure parses: 0 stored now, 0 dropped, 0 in all", "Tokens: 2 text(s) tokenized now, 1 dropped, 3 in all"]
    assert _rows(path) == expected
    assert ok("reindex", path).output.splitlines()[1] == "Tokens: 0 text(s) tokenized now, 0 dropped, 3 in all"
    immutable(path)
    assert one_line_error(run("reindex", path)).startswith(f"Error: {path}: read-only")


@pytest.mark.parametrize("child", ["works", "fails", "cannot start"])
def test_a_large_write_s_second_process_stores_the_same_rows(child: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Above ``PROCESS_ABOVE`` characters a second process tokenizes the last texts; failed or not started, this
    one does: the rows are the same either way."""
    from annotator.exporters import second_process

    monkeypatch.setattr(stored_tokens, "PROCESS_ABOVE", 1)
    results: list[Any] = []
    finish = SecondProcess.finish
    monkeypatch.setattr(SecondProcess, "finish", lambda self: results.append(finish(self)) or results[-1])
    if child == "fails":
        monkeypatch.setattr(SecondProcess, "finish", lambda self: results.append(finish(self)) and None)
    elif child == "cannot start":
        monkeypatch.setattr(second_process.sys, "executable", str(tmp_path / "no-python"))
    texts = [f"Doc {n}: {_random_text(random.Random(n), 40)}" for n in range(9)] + list(TEXTS[3:])
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        project.import_documents([ImportedDocument(text, {}, [], source=str(n)) for n, text in enumerate(texts)])
        stored = {d.sha256: project.document_text(d.id) for d in project.documents(with_text=False)}
    assert (len(results) == 1 and results[0] is not None) if child == "works" else True
    assert results if child == "fails" else True
    assert _rows(path) == sorted(stored_tokens.row_of(key, text) for key, text in stored.items())


@pytest.mark.parametrize("processes", [1, 2])
def test_a_read_only_project_exports_the_same(processes: int, project_path: Path, tmp_path: Path,
                                              immutable: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """Readers never write: a file nobody may write exports with its stored tokens; reindexing says it cannot."""
    copy = tmp_path / "copy" / project_path.name
    copy.parent.mkdir()
    shutil.copy(project_path, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    writable = _export(copy, tmp_path / "writable", monkeypatch, processes)
    immutable(copy)
    assert _export(copy, tmp_path / "read-only", monkeypatch, processes) == writable
    with Project.open(copy) as project, pytest.raises(Exception, match="read-only"):
        project.reindex_tokens()
