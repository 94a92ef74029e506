"""What the export tests compare: every file an export wrote."""

from __future__ import annotations

import re
from pathlib import Path


def written_files(folder: Path) -> dict[str, bytes]:
    """Every file written under ``folder`` (the export and its dataset card), the card without the folder's name
    and the time of the export, so two exports of the same selection compare equal."""
    return {str(f.relative_to(folder)): re.sub(rb"Exported \S+", b"Exported", f.read_bytes()).replace(
        f"`{folder.name}`".encode(), b"`out`") for f in sorted(folder.rglob("*")) if f.is_file()}
