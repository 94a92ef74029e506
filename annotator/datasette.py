"""Datasette metadata for a project file: descriptions, display names, facets, search and canned queries.

The descriptions and the example queries come from docs/schema.md, the one place they are written:
``python -m annotator.datasette docs/schema.md`` regenerates ``annotator/store/schema_doc.py`` from
it (the package ships without docs/), and tests/test_datasette.py fails when the two differ."""

from __future__ import annotations

import importlib.util
import json
import pprint
import re
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

from annotator.atomic import write_text
from annotator.store import datasette_queries, schema_doc

LABEL_COLUMNS = {"documents": "title", "labels": "name", "entities": "name"}
"""What Datasette shows for a row a foreign key points at (an annotation's label by name, not UUID)."""

FACETS = {
    "documents": ["outlet", "status"],
    "annotations": ["label_id", "annotator", "layer"],
    "annotations_readable": ["label", "annotator", "outlet", "status", "layer"],
    "documents_searchable": ["outlet", "status"],
}
VIEWS = {
    "annotations_readable": "Every annotation with its document's title, outlet and status and its label's name.",
    "documents_searchable": "Documents with full-text search over titles and texts (type words in the search box).",
}
HIDDEN = ("documents_fts", "documents_fts_config", "documents_fts_data", "documents_fts_docsize", "documents_fts_idx",
          "search_rows", "search_content")


def slug(title: str) -> str:
    """A canned query's name (its URL): the first words of its title."""
    return "_".join(re.findall(r"[a-z0-9]+", title.lower())[:6]) or "query"


def parse_schema_doc(text: str) -> dict[str, Any]:
    """Table descriptions, column meanings (``| `col` | type | constraints | meaning |`` rows) and the
    ```sql blocks of "Example queries" with the sentence before each as its title."""
    tables: dict[str, dict[str, Any]] = {}
    queries: list[dict[str, str]] = []
    heading: str | None = None
    paragraph: list[str] = []
    sql: list[str] = []
    in_sql, last_sentence = False, ""
    for line in text.splitlines():
        if in_sql:
            if line.startswith("```"):
                queries.append({"name": slug(last_sentence), "title": last_sentence, "sql": "\n".join(sql).strip()})
                in_sql, sql = False, []
            else:
                sql.append(line)
            continue
        if line.startswith("## "):
            heading, paragraph = line[3:].strip(), []
            if re.fullmatch(r"[a-z_][a-z0-9_]*", heading):
                tables[heading] = {"description": "", "columns": {}}
            continue
        if heading == "Example queries" and line.startswith("```sql"):
            in_sql = True
            continue
        if heading == "Example queries" and line.strip() and not line.startswith("```"):
            last_sentence = line.strip().rstrip(":").strip()
        if heading in tables:
            row = re.match(r"^\|\s*`([a-z_][a-z0-9_]*)`\s*\|(.*)\|\s*$", line)
            if row:
                tables[heading]["columns"][row.group(1)] = row.group(2).split("|")[-1].strip()
            elif not tables[heading]["description"]:
                if line.strip() and not line.startswith("|"):
                    paragraph.append(line.strip())
                elif paragraph:
                    tables[heading]["description"] = " ".join(paragraph)
    return {"tables": tables, "queries": queries}


def render_schema_doc(parsed: dict[str, Any]) -> str:
    """The source of ``annotator/store/schema_doc.py`` for ``parsed``."""
    return ('"""Generated from docs/schema.md by ``python -m annotator.datasette docs/schema.md``: do not edit."""\n\n'
            f"TABLES = {pprint.pformat(parsed['tables'], width=120, sort_dicts=False)}\n\n"
            f"QUERIES = {pprint.pformat(parsed['queries'], width=120, sort_dicts=False)}\n")


def metadata(project: Path, title: str | None = None) -> dict[str, Any]:
    """Datasette's metadata.json for ``project`` (Datasette names the database after the file's stem)."""
    tables: dict[str, Any] = {}
    documented: dict[str, dict[str, Any]] = schema_doc.TABLES
    for name, doc in documented.items():
        table: dict[str, Any] = {"description": doc["description"], "columns": dict(doc["columns"])}
        if name in LABEL_COLUMNS:
            table["label_column"] = LABEL_COLUMNS[name]
        if name in FACETS:
            table["facets"] = FACETS[name]
        tables[name] = table
    for name, description in VIEWS.items():
        tables[name] = {"description": description, "facets": FACETS[name]}
    # The FTS index is an external-content table over a view keyed by search_rows.rowid, not documents.rowid:
    # Datasette searches it through the view that carries that key.
    tables["documents_searchable"].update(fts_table="documents_fts", fts_pk="search_rowid", searchmode="raw")
    for name in HIDDEN:
        tables[name] = {"hidden": True}
    queries = {query["name"]: {"title": query["title"], "sql": query["sql"].rstrip().rstrip(";")} for query in schema_doc.QUERIES}
    queries.update(datasette_queries.QUERIES)
    return {
        "title": title or f"Annotator project {project.stem}",
        "description": "Documents, labels, annotations, relations and entities of an Annotator project (docs/schema.md).",
        "databases": {project.stem: {"tables": tables, "queries": queries}},
    }


def metadata_path(project: Path) -> Path:
    """Where the metadata goes by default: beside the project, ``NAME.datasette.json``."""
    return project.with_name(project.stem + ".datasette.json")


def write_metadata(project: Path, output: Path | None = None) -> Path:
    """Write ``metadata(project)`` to ``output`` (default ``metadata_path``), atomically; return where.

    ``annotator datasette`` and File ▸ Browse in Datasette both write through this."""
    output = output or metadata_path(project)
    write_text(output, json.dumps(metadata(project), indent=2, ensure_ascii=False) + "\n")
    return output


def datasette_command() -> list[str] | None:
    """How to run Datasette here (its module in this Python, else a ``datasette`` on PATH), or None: not installed."""
    if importlib.util.find_spec("datasette"):
        return [sys.executable, "-m", "datasette"]
    found = shutil.which("datasette")
    return [found] if found else None


def install_command() -> str:
    """The shell command that installs Datasette into the environment running this program."""
    return f"{shlex.quote(sys.executable)} -m pip install datasette"


def serve_arguments(project: Path, output: Path) -> list[str]:
    """Datasette's arguments for serving ``project`` with the metadata at ``output``."""
    return [str(project), "-m", str(output)]


if __name__ == "__main__":  # python -m annotator.datasette docs/schema.md
    source = Path(sys.argv[1]).read_text(encoding="utf-8")
    target = Path(__file__).parent / "store" / "schema_doc.py"
    target.write_text(render_schema_doc(parse_schema_doc(source)), encoding="utf-8")
