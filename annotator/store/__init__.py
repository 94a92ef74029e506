"""The one place that speaks SQL: the connection and its transactions (``connection``), the file on
disk (``file``), migrations (``schema``), snapshots, the other file a merge reads (``foreign``) and
small repositories by table. The rest of the core reads and writes through these functions."""

import sqlite3

from annotator.store.connection import Store, check_project_file, new_id

DatabaseError = sqlite3.Error
"""What SQLite raises; the CLI catches it without importing ``sqlite3`` itself."""

__all__ = ["DatabaseError", "Store", "check_project_file", "new_id"]
