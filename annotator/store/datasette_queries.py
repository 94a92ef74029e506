"""Canned queries for Datasette that are not examples in docs/schema.md (they take parameters)."""

QUERIES: dict[str, dict[str, str]] = {
    "search_documents": {
        "title": "Documents matching words (full-text search: words, \"phrases\", OR, NOT, prefix*)",
        "sql": (
            "SELECT d.id, d.title, d.outlet, d.published,\n"
            "       snippet(documents_fts, 1, '[', ']', ' … ', 12) AS context\n"
            "FROM documents_fts\n"
            "JOIN search_rows AS s ON s.rowid = documents_fts.rowid\n"
            "JOIN documents AS d ON d.id = s.document_id\n"
            "WHERE documents_fts MATCH :words\n"
            "ORDER BY rank"
        ),
    },
}
