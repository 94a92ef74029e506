"""Bytes of an imported file to text: UTF-8 first, a few stray bytes tolerated, legacy code pages detected.

Why not charset-normalizer alone: one invalid byte in a UTF-8 file made it pick a legacy code page for the
whole file (emoji and Arabic turned to mojibake, spans landed on the wrong words), and it reads cp1252 text
with curly quotes as a Baltic or DOS code page. Every guess this module makes is reported as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from annotator.errors import ImportFileError

_BOMS: tuple[tuple[bytes, str, str], ...] = (  # UTF-32 before UTF-16: FF FE 00 00 also starts with FF FE
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
"""UTF-16 surrogates written as UTF-8 (CESU-8, or text decoded with "surrogateescape" and written back)."""
_ESCAPED = re.compile("[\udc80-\udcff]")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_STRAY_SHARE = 100
"""A UTF-8 file may hold one stray byte per this many bytes (or as many as it has valid multibyte characters)."""
_MAX_MESS = 0.2
"""charset-normalizer's mess ratio of a plausible text: Latin text read as cp1252 scores 0-0.06, Cyrillic,
Greek or Arabic bytes read as cp1252 score above 1."""
_TYPOGRAPHY = "\u00a0‘’‚“”„–—…•«»‹›·°€£§©®™"
_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes, name: object) -> Decoded:
    """The text of a file; ``name`` (the path) starts every error and warning.

    Raises ``ImportFileError`` for NUL bytes, encoded surrogates and undecodable data: never a silent guess."""
    for bom, codec, family in _BOMS:
        if data.startswith(bom):
            return _decode_wide(data[len(bom):], codec, family, len(bom), name)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ImportFileError(name, f"contains a NUL byte at byte {nul}: not a text file")
    has_bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM):] if has_bom else data
    try:
        return Decoded(body.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        first = error.start
    _refuse_surrogates(data, body, name)
    mixed, stray, multibyte = _mixed(body)
    if has_bom or stray <= max(multibyte, len(body) // _STRAY_SHARE):
        return _utf8_with_strays(data, mixed, stray, first + len(data) - len(body), name)
    return _legacy(data, name)


def _decode_wide(body: bytes, codec: str, family: str, offset: int, name: object) -> Decoded:
    """UTF-16/32 announced by a byte order mark: strict, and no U+0000 inside."""
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportFileError(name, f"starts with a {family} byte order mark but is not valid {family} "
                                    f"(at byte {offset + error.start})") from None
    nul = text.find("\x00")
    if nul >= 0:
        raise ImportFileError(name, f"contains a NUL character at character {nul}: not a text file")
    return Decoded(text, codec)


def _refuse_surrogates(data: bytes, body: bytes, name: object) -> None:
    """Encoded surrogates are refused when the file is otherwise UTF-8: no code page gives them meaning."""
    match = _SURROGATE.search(data)
    if match is None:
        return
    try:
        body.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        _, stray, multibyte = _mixed(body)
        if stray > max(multibyte, len(body) // _STRAY_SHARE):
            return  # a legacy file: ED A0 80 are three ordinary characters there
    position = match.start()
    raise ImportFileError(name, f"contains an encoded UTF-16 surrogate (bytes {match.group().hex(' ').upper()}) "
                                f"at byte {position}, line {_line(data, position)}: not valid UTF-8 text")


def _mixed(body: bytes) -> tuple[str, int, int]:
    """The text with each non-UTF-8 byte as a lone surrogate, the count of such bytes, and of valid non-ASCII characters."""
    mixed = body.decode("utf-8", "surrogateescape")
    stray = len(_ESCAPED.findall(mixed))
    return mixed, stray, len(mixed) - len(mixed.encode("ascii", "ignore")) - stray


def _utf8_with_strays(data: bytes, mixed: str, stray: int, first: int, name: object) -> Decoded:
    """Each byte that is not UTF-8 read as cp1252 (U+FFFD where cp1252 has no character), with a warning."""
    text = _ESCAPED.sub(lambda m: _cp1252_char(ord(m.group()) - 0xDC00), mixed)
    where = f"at byte {first}, line {_line(data, first)}"
    if stray == 1:
        warning = f"{name}: 1 byte that is not UTF-8 ({where}) was read as cp1252"
    else:
        warning = f"{name}: {stray} bytes that are not UTF-8 (first {where}) were read as cp1252"
    return Decoded(text, "utf-8", [warning])


def _symbol_in_word(text: str) -> bool:
    """A non-ASCII symbol between two letters ("powiedzia³", "si¹"): another code page's letter read as cp1252."""
    return any(not (c := m.group()).isalpha() and c not in _TYPOGRAPHY for m in _BETWEEN_LETTERS.finditer(text))


def _cp1252_char(byte: int) -> str:
    return "\ufffd" if byte in _CP1252_UNDEFINED else bytes([byte]).decode("cp1252")


def _legacy(data: bytes, name: object) -> Decoded:
    """cp1252 when the text reads plausibly in it, else charset-normalizer's best plausible guess."""
    encoding, text = "cp1252", _plausible_cp1252(data)
    if text is None:
        matches = list(from_bytes(data))
        if not matches:
            raise ImportFileError(name, "is not UTF-8 and its text encoding cannot be told (is it a text file?)")
        best = next((m for m in matches if not _symbol_in_word(str(m))), matches[0])
        encoding, text = best.encoding, str(best)
    return Decoded(text, encoding, [f"{name}: not UTF-8; read as {encoding}"])


def _plausible_cp1252(data: bytes) -> str | None:
    if _CP1252_UNDEFINED.intersection(data):
        return None
    text = data.decode("cp1252")
    if _symbol_in_word(text) or mess_ratio(text, _MAX_MESS) >= _MAX_MESS:
        return None
    return text


def _line(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1
