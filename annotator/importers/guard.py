"""Checks that stand between a hostile file and the parsers: JSON depth and surrogates, zip bombs, wrong content.

Every check raises ``ImportFileError`` naming the file, so a crafted input ends in one line
instead of a RecursionError, gigabytes of memory or a database encoding error.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from annotator.errors import ImportFileError

MAX_DEPTH = 64
"""Deeper JSON than any format we read uses; refusing it keeps every later step (dumps, walks) safe."""

MAX_UNZIPPED = 200 * 1024 * 1024
"""Total uncompressed size a zip-based input (.docx) may declare."""

MAX_RATIO = 100
RATIO_FLOOR = 10 * 1024 * 1024
"""A member may expand more than MAX_RATIO times only while it stays under RATIO_FLOOR bytes."""

CHUNK = 64 * 1024

_SURROGATE = re.compile("[\ud800-\udfff]")

SIGNATURES = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive (or .docx)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office (.doc/.xls) file"),
    (b"{\\rtf", "an RTF document"),
)


def looks_like(data: bytes) -> str | None:
    """What a file's first bytes say it is ("a PDF", "an HTML page"), or None if they do not say."""
    for magic, what in SIGNATURES:
        if data.startswith(magic):
            return what
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "an HTML page"
    return None


def refuse_disguised(path: Path, data: bytes, expected: str, *allowed: str) -> None:
    """Stop a file whose content is plainly another format than its name says."""
    found = looks_like(data)
    if found is not None and found not in allowed:
        raise ImportFileError(path, f"not {expected}: the content is {found}")


def load_json(path: Path, raw: str, line: int | None = None) -> Any:
    """``json.loads`` that refuses absurd nesting and lone surrogates with one clear error."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        where = f" at column {error.colno}" if line is not None else f" at line {error.lineno} column {error.colno}"
        raise ImportFileError(path, f"not valid JSON ({error.msg}{where})", line) from None
    except RecursionError:
        raise ImportFileError(path, f"JSON nested too deeply (more than {MAX_DEPTH} levels)", line) from None
    check_json(path, value, line)
    return value


def check_json(path: Path, value: Any, line: int | None = None) -> None:
    """Walk without recursion: depth bounded, every string valid Unicode (no lone surrogate from a ``\\ud800`` escape)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if surrogate := _SURROGATE.search(item):
                raise ImportFileError(path, f"a string holds a lone surrogate (\\u{ord(surrogate[0]):04x}), which is not "
                                      "text", line)
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise ImportFileError(path, f"JSON nested too deeply (more than {MAX_DEPTH} levels)", line)
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def safe_zip(path: Path, what: str) -> IO[bytes]:
    """A copy of a zip-based file that a parser may unpack freely, or one error if it is no zip or a zip bomb.

    Declared sizes are checked first (total and ratio). They can lie, and ``zipfile`` decompresses a
    whole deflate member in one call when asked to ``read()`` it all (what python-docx does), so every
    member is copied in small chunks into a fresh archive: ``zipfile`` stops each at its declared size
    and checks its CRC, so the copy holds exactly what was declared, and never more than the bound."""
    if not zipfile.is_zipfile(path):
        with path.open("rb") as stream:
            found = looks_like(stream.read(512))
        raise ImportFileError(path, f"not {what}: " + (f"the content is {found}" if found else "not a zip archive"))
    copy = tempfile.SpooledTemporaryFile(max_size=16 * 2**20)  # noqa: SIM115 - returned open; the caller closes it
    try:
        with zipfile.ZipFile(path) as archive, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            members = archive.infolist()
            _check_sizes(path, members)
            for member in members:
                if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise ImportFileError(path, f"not {what}: {member.filename} uses a compression method "
                                          f"({member.compress_type}) it never uses")
                with archive.open(member) as source, out.open(zipfile.ZipInfo(member.filename, member.date_time), "w") as target:
                    while chunk := source.read(CHUNK):
                        target.write(chunk)
    except ImportFileError:
        copy.close()
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, EOFError, zlib.error) as error:
        copy.close()
        raise ImportFileError(path, f"not {what}: a broken zip archive ({error})") from None
    copy.seek(0)
    return copy


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    total = sum(member.file_size for member in members)
    if total > MAX_UNZIPPED:
        raise ImportFileError(path, f"refused: it would unpack to {total // 2**20} MB (more than "
                              f"{MAX_UNZIPPED // 2**20} MB; a zip bomb?)")
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ImportFileError(path, f"refused: {member.filename} expands "
                                  f"{member.file_size // max(member.compress_size, 1)} times (a zip bomb?)")
