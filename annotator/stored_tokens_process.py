"""``python -I -S stored_tokens_process.py``: a second process tokenizing part of a large write's texts.

Tokenizing is sre under the GIL (~0.9 s of CPU for the benchmark's 1,000 HTML pages, 4.8 MB): a write of that
much text (an import) hands the last of them to this process (``stored_tokens.fill``), which loads nothing of
``annotator`` but ``stored_tokens.py``, ``tokens.py`` and ``unicode_marks.py`` (an empty stand-in ``annotator``
module stands for the package, as ``exporters/conll_text.py`` does), reads ``{"texts": [...]}`` ``marshal``led on
stdin and writes ``{"rows": [(starts, ends, words), ...]}`` (``stored_tokens.row_of``'s columns) on stdout.
"""

from __future__ import annotations

import os


def _main() -> None:
    import gc
    import marshal
    import sys

    gc.disable()  # one task, no cycles
    package = os.path.dirname(os.path.abspath(__file__))
    stand_in = type(sys)("annotator")
    stand_in.__path__ = [package]
    sys.modules["annotator"] = stand_in
    from annotator import stored_tokens

    task = marshal.loads(sys.stdin.buffer.read())
    rows = [stored_tokens.row_of("", text)[2:] for text in task["texts"]]
    sys.stdout.buffer.write(marshal.dumps({"rows": rows}))
    sys.stdout.flush()
    os._exit(0)  # the result is written: skip freeing every row


if __name__ == "__main__":
    _main()
