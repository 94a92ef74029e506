"""The one CSV dialect the project writes (``export --format csv``, ``figures --csv``, the Figures dock's Export CSV).

- RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a comma, quote, CR or LF
  (quotes doubled). The stdlib ``csv`` module does the quoting.
- Files are UTF-8 with a byte-order mark (``utf-8-sig``): Excel reads a UTF-8 file without one as
  the local code page and garbles Arabic and emoji, while ``pandas.read_csv`` and Python's ``csv``
  with ``encoding="utf-8-sig"`` drop it. Text for a pipe (``figures --csv``) has no mark.
- Formula neutralising (OWASP, CSV injection): a spreadsheet runs a cell whose first non-space
  character is ``= + - @`` (or their full-width forms ``＝ ＋ － ＠``) as a formula, and one that
  starts with a tab or carriage return can hide one; such cells, headers included, get a leading
  ``'``. Plain numbers ("-5", "+3", "-1.5", "1e5") are left alone, so numeric columns stay numeric.

The cells and the dialect are ``csv_text``'s (the standard library only: the csv export's second process uses them).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from typing import IO, Any, TextIO

from annotator.atomic import open_atomic
from annotator.exporters.csv_text import FORMULA_STARTS, LINE_END, cell, cell_text, neutralise
from annotator.exporters.csv_text import MAY_NEED_QUOTE as _MAY_NEED_QUOTE
from annotator.exporters.csv_text import writer as _writer

__all__ = ["ENCODING", "FORMULA_STARTS", "LINE_END", "cell", "cell_text", "csv_text", "neutralise", "open_file", "write_cells",
           "write_csv", "write_rows"]

ENCODING = "utf-8-sig"


def write_rows(stream: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Header then rows to an open text stream (opened with ``newline=""``), every cell neutralised.

    The same cells as ``neutralise(cell_text(value))``, with the common cases inline (an export
    has millions of cells): text that starts with neither a formula character nor whitespace is
    written as it is, ``None`` empty, an ``int`` as its digits (never a formula). A row csv's
    writer would take a while over (``LONG_ROW``) is quoted here.
    """
    writer = _writer(stream)
    writer.writerow([neutralise(cell_text(name)) for name in header])
    risky, write, put = _MAY_NEED_QUOTE, writer.writerow, stream.write
    for row in rows:
        cells = [(neutralise(v) if v and (v[0] in risky or v[0].isspace()) else v) if type(v) is str
                 else "" if v is None else str(v) if type(v) is int else neutralise(cell_text(v)) for v in row]
        if sum(map(len, cells)) > LONG_ROW and not any("\x00" in c for c in cells):
            put(",".join(map(_minimal, cells)) + LINE_END)
        else:
            write(cells)


LONG_ROW = 4096
"""Characters from which ``write_rows`` quotes a row's cells itself (``_minimal``) instead of csv's writer, which
copies a cell a character at a time (12 ns each): 14 ms for one casualty-table row whose ``annotation_ids`` are
30,000 ids, against a few memchr-speed scans of each cell. A row holding a NUL goes to the writer still."""


def _minimal(cell: str) -> str:
    """``cell`` as csv's writer writes it (``QUOTE_MINIMAL``): quoted, its quotes doubled, when it holds a comma, a
    quote or a line break."""
    if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_cells(stream: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Like ``write_rows``, for rows whose cells went through ``cell`` already (a caller that knows most cells
    repeat, e.g. a document's title on each of its annotations' rows, converts each value once)."""
    writer = _writer(stream)
    writer.writerow([neutralise(cell_text(name)) for name in header])
    writer.writerows(rows)


def open_file(path: str | os.PathLike[str]) -> TextIO:
    """A new file for ``write_rows``/``write_cells``, UTF-8 with a byte-order mark.

    The mark is written here and the stream is plain UTF-8: Python's ``utf-8-sig`` encoder is
    Python code, called once per row, which cost more than the CSV writer itself. Same bytes.
    """
    stream = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - the caller closes it
    stream.write("\ufeff")
    return stream


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV as a string (no byte-order mark), for stdout."""
    out = io.StringIO(newline="")
    write_rows(out, header, rows)
    return out.getvalue()


def write_csv(path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """The CSV as a UTF-8 file with a byte-order mark, replacing ``path`` atomically."""
    with open_atomic(path, encoding=ENCODING, newline="") as stream:
        write_rows(stream, header, rows)
