"""All SQL lives in ``annotator/store/``: no other module of the core or the GUI writes a statement,
imports ``sqlite3``/``sqlite_utils`` or calls ``execute``/``executescript``/``query``.

Read from the source with ``ast`` (so a statement in a function no test runs is found too). Only
string literals are looked at, never comments; docstrings are left out (they describe, never run).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = Path("annotator") / "store"

SQL = re.compile(
    r"\bSELECT\b.+?\bFROM\b"
    r"|\bSELECT\s+(?:DISTINCT\s+)?(?:\*|\d|count\(|coalesce\(|max\()"
    r"|\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b"
    r"|\bUPDATE\s+\S+\s+SET\b"
    r"|\bDELETE\s+FROM\b"
    r"|\b(?:CREATE|DROP|ALTER)\s+(?:TEMP\s+|UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b"
    r"|\bPRAGMA\s+[a-z_]+"
    r"|\bATTACH\s+(?:DATABASE\s+)?\S"
    r"|^\s*(?:BEGIN(?:\s+(?:IMMEDIATE|DEFERRED|EXCLUSIVE))?|COMMIT|ROLLBACK)\s*;?\s*$",
    re.DOTALL,
)
"""Upper-case SQL keywords followed by what makes them a statement (FROM, INTO, SET, TABLE, a pragma's
name...), so English in messages ("Select a file", "update the label") does not count."""

DRIVERS = ("sqlite3", "sqlite_utils")
CALLS = ("execute", "executescript", "executemany", "query")

ALLOWED = {
    ("annotator/errors.py", "UPDATE x SET x = 'x' WHERE id = 'x'"):
        "BadRowError prints the sqlite3 command that repairs a bad row: text for the user, never run",
}


def _text(node: ast.AST) -> str | None:
    """A string literal's text; an f-string's with each replacement field as ``x``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and _text(first.value) is not None:
                found.add(id(first.value))
    return found


def violations(source: str, name: str) -> list[str]:
    """What in SOURCE (the file NAME, relative to the repository) speaks SQL, one line each."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    inside_fstring = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [f"{name}:{line}: imports {a.name}" for a in node.names if a.name.split(".")[0] in DRIVERS]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in DRIVERS:
            found.append(f"{name}:{line}: imports from {node.module}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CALLS:
            found.append(f"{name}:{line}: calls .{node.func.attr}()")
        elif id(node) not in skip and id(node) not in inside_fstring:
            text = _text(node)
            if text is not None and SQL.search(text) and (name, text) not in ALLOWED:
                found.append(f"{name}:{line}: SQL {text[:60]!r}")
    return found


def sql_outside_store(root: Path) -> list[str]:
    """Every violation in ``annotator/`` (but ``annotator/store/``) and ``ui/`` under ROOT."""
    found = []
    for package in ("annotator", "ui"):
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if relative.is_relative_to(STORE):
                continue
            found += violations(path.read_text(encoding="utf-8"), relative.as_posix())
    return found


def test_no_sql_outside_the_store() -> None:
    assert len(list((ROOT / "annotator").rglob("*.py"))) > 50  # the walk really found the core
    assert sql_outside_store(ROOT) == []


def test_the_store_itself_is_found_speaking_sql() -> None:
    """The checker is not blind: the store's own modules are full of what it looks for."""
    found = violations((ROOT / STORE / "reads.py").read_text(encoding="utf-8"), "annotator/store/reads.py")
    found += violations((ROOT / STORE / "database.py").read_text(encoding="utf-8"), "annotator/store/database.py")
    assert any("imports sqlite3" in v for v in found)
    assert any("SQL 'SELECT" in v for v in found)
    assert any("calls .execute()" in v for v in found)


def test_a_planted_violation_is_named(tmp_path: Path) -> None:
    (tmp_path / "annotator" / "store").mkdir(parents=True)
    (tmp_path / "ui").mkdir()
    (tmp_path / "annotator" / "store" / "fine.py").write_text('import sqlite3\nQ = "SELECT * FROM documents"\n')
    (tmp_path / "annotator" / "bad.py").write_text(
        '"""Docs may say SELECT * FROM documents."""\n'
        "def f(db, table):\n"
        "    import sqlite_utils\n"
        '    return db.execute(f"DELETE FROM {table} WHERE id = ?")\n')
    (tmp_path / "ui" / "worse.py").write_text(
        "from sqlite3 import connect\n"
        'STATS = "SELECT count(*) FROM annotations"\n'
        'PRAGMA = "PRAGMA user_version"\n'
        'FINE = "Select a document FROM the list, then update the label"\n')
    assert sql_outside_store(tmp_path) == [
        "annotator/bad.py:3: imports sqlite_utils",
        "annotator/bad.py:4: calls .execute()",
        "annotator/bad.py:4: SQL 'DELETE FROM x WHERE id = ?'",
        "ui/worse.py:1: imports from sqlite3",
        "ui/worse.py:2: SQL 'SELECT count(*) FROM annotations'",
        "ui/worse.py:3: SQL 'PRAGMA user_version'",
    ]


def test_english_is_not_sql() -> None:
    for text in ("Select the spans to compare", "UPDATE available: restart", "Delete from this project?", "begin"):
        assert violations(f"X = {text!r}\n", "m.py") == []
