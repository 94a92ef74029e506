"""A second process tokenizing part of a large write's texts (``store/export_part.py`` serves it).

Tokenizing is sre under the GIL (~0.9 s of CPU for the benchmark's 1,000 HTML pages, 4.8 MB): a write of that
much text (an import) hands the last of them to this process (``stored_tokens.fill``), which loads nothing of
``annotator`` but ``stored_tokens.py``, ``tokens.py`` and ``unicode_marks.py`` (``export_part.stored_tokens``),
takes ``{"texts": [...]}`` and gives ``{"rows": [(starts, ends, words), ...]}`` (``stored_tokens.row_of``'s columns).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing it costs the second process 10 ms
if TYPE_CHECKING:
    from typing import Any


def run_part(task: dict[str, Any], store: Any) -> dict[str, Any]:
    row_of = store.stored_tokens().row_of
    return {"rows": [row_of("", text)[2:] for text in task["texts"]]}
