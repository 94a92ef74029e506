"""project.qde's sources as text, built from their annotation rows: the standard library only.

``refi_qda`` builds every ``TextSource`` with ``source_chunk`` in the exporting process; above a size it hands
the second half of the documents to a second process (``store/export_part.py`` serving this file), which loads
nothing of ``annotator`` but this module and ``annotator/store/export_part.py``, both by path: the same
function writes the same bytes in both.
"""

from __future__ import annotations

import hashlib

TYPE_CHECKING = False  # not typing's: importing typing (or xml.sax, uuid, pickle) costs the second process 5-45 ms
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

GOLD_USER = "gold"

_NAMESPACE_URL = bytes.fromhex("6ba7b8119dad11d180b400c04fd430c8")  # uuid.NAMESPACE_URL.bytes (a test compares)
_CODING_NAMESPACE = hashlib.sha1(_NAMESPACE_URL + b"urn:annotator:coding:")
_REVIEWER_NAMESPACE = hashlib.sha1(_NAMESPACE_URL + b"urn:annotator:reviewer:")


def user_guid(name: str) -> str:
    """``uuid5(NAMESPACE_URL, "urn:annotator:reviewer:" + name)``: a reviewer's GUID, the same in every export."""
    digest = _REVIEWER_NAMESPACE.copy()
    digest.update(name.encode("utf-8"))
    h = digest.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def _coding_guid(annotation_id: str) -> str:
    """``uuid5(NAMESPACE_URL, "urn:annotator:coding:" + id)``, from a SHA-1 already fed the common prefix.

    ``uuid.uuid5`` builds two UUID objects per call, which cost more than the rest of a coding's XML; the
    version and variant are set on the hex digits (``_VARIANT``: the top two bits of digit 16 become ``10``).
    """
    digest = _CODING_NAMESPACE.copy()
    digest.update(annotation_id.encode("utf-8"))
    h = digest.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def _timestamp(value: str) -> str | None:
    """Our ISO timestamps as xsd:dateTime (they already are, when set)."""
    return value or None


def _attribute(value: str) -> str:
    """An attribute value escaped as ``xml.etree.ElementTree`` escapes it (the tests compare the two): what
    ``xml.sax.saxutils.escape`` with the four entities does, without importing it (it imports urllib.request)."""
    return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;"))


def _text(value: str) -> str:
    """Character data escaped as ``xml.etree.ElementTree`` escapes it."""
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _tag(tag: str, **attributes: str | None) -> str:
    """A start tag's inside: the name and the attributes that are set, in order."""
    return tag + "".join(f' {k}="{_attribute(v)}"' for k, v in attributes.items() if v is not None)


def _indent(depth: int) -> str:
    return "\n" + "  " * depth


def _element(inside: str, depth: int, children: list[str] | None = None, text: str | None = None) -> str:
    """An element as ``ElementTree.indent`` + ``tostring`` write it at ``depth`` (children already written one deeper)."""
    name = inside.split(" ", 1)[0]
    if children:
        inner = _indent(depth + 1)
        return f"<{inside}>{inner}{inner.join(children)}{_indent(depth)}</{name}>"
    if text:
        return f"<{inside}>{_text(text)}</{name}>"
    return f"<{inside} />"


LEAN = ("id", "start", "end", "label_id", "quote", "annotator", "layer", "note", "created_at", "updated_at")
"""The annotation columns this export reads (``ExportJob.document_rows``): not prefix, suffix or entity, nor the
attributes, whose count is taken in SQL (``ExportJob.left_out``)."""

_SEPARATOR = "\x00"


def _attributes(values: list[str]) -> list[str]:
    """``_attribute`` of each value, by one escape of their join: escaping 500,000 values one call at a time
    cost more than the rest of the XML. A value holding the separator itself falls back to one call each;
    values with nothing to escape (ids, times) are returned as they are after one look for each character."""
    joined = _SEPARATOR.join(values)
    if not any(character in joined for character in _ESCAPED):
        return values
    escaped = _attribute(joined).split(_SEPARATOR)
    return escaped if len(escaped) == len(values) else [_attribute(v) for v in values]


_ESCAPED = '&<>"\r\n\t'
"""What ``_attribute`` replaces. Seven ``in`` tests (a memchr each) find them fifty times faster than one
regular expression's character class, which read the 12 kB of a document's ids and times character by
character."""


def _selections(rows: list[tuple], users: dict[str, str]) -> list[str]:
    """A document's annotation rows (``LEAN`` after ``document_id``) as ``PlainTextSelection`` elements, each
    with its ``Coding``, as ``_element(_tag(...))`` would write them at depth 3.

    One comprehension over the rows, the coding GUIDs (``_coding_guid``) computed inline: a Python call per
    row cost as much as its XML."""
    n = len(rows)
    values = _attributes([r[1] for r in rows] + [r[4] for r in rows] + [r[9] for r in rows] + [r[10] for r in rows])
    ids, label_ids, created, modified = (values[i * n:(i + 1) * n] for i in range(4))
    names = _attributes([r[5][:100] for r in rows])  # quotes: most documents have one to escape; ids hardly ever
    for key in {GOLD_USER if r[7] == "gold" else r[6] for r in rows} - users.keys():
        users[key] = user_guid(key)
    depth3, depth4, depth5 = _indent(3), _indent(4), _indent(5)
    new_digest, variant = _CODING_NAMESPACE.copy, _VARIANT
    out = []
    for (_, id_, start, end, _l, _q, annotator, layer, note, _c, _m), guid, name, label_id, c, m in zip(
            rows, ids, names, label_ids, created, modified):
        user = users[GOLD_USER if layer == "gold" else annotator]
        created_at = f' creationDateTime="{c}"' if c else ""
        modified_at = f' modifiedDateTime="{m}"' if m else ""
        description = f"<Description>{_text(note)}</Description>{depth4}" if note else ""
        digest = new_digest()
        digest.update(id_.encode())
        h = digest.hexdigest()
        out.append(
            f'<PlainTextSelection guid="{guid}" name="{name}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{user}"{created_at} modifyingUser="{user}"{modified_at}>'
            f'{depth4}{description}<Coding guid="{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant[h[16]]}{h[17:20]}-{h[20:32]}" '
            f'creatingUser="{user}"{created_at}>{depth5}'
            f'<CodeRef targetGUID="{label_id}" />{depth4}</Coding>{depth3}</PlainTextSelection>')
    return out


DESCRIBED = ("outlet", "author", "url", "published", "language")
"""The document fields a ``TextSource``'s ``Description`` lists, in order."""


def source_chunk(document_id: str, title: str, described: Sequence[Any], imported_at: str, rows: list[tuple],
                 users: dict[str, str]) -> bytes:
    """A document's ``TextSource`` at depth 2 after its line break, in UTF-8 (``described``: the ``DESCRIBED``
    fields' values; rows: ``LEAN`` after the document id, in text order). Adds to ``users`` any reviewer it lacks.

    One join: the selections of a document with an emoji are four bytes a character, and each copy counted."""
    children: list[str] = []
    lines = [f"{key}: {value}" for key, value in zip(DESCRIBED, described) if value]
    if lines:
        children.append(_element("Description", 3, text="\n".join(lines)))
    children += _selections(rows, users)
    inside = _tag("TextSource", guid=document_id, name=title or document_id, plainTextPath=f"internal://{document_id}.txt",
                  creationDateTime=_timestamp(imported_at))
    depth2, depth3 = _indent(2), _indent(3)
    source = (depth2, "<", inside, ">", depth3, depth3.join(children), depth2, "</TextSource>") \
        if children else (depth2, "<", inside, " />")
    return "".join(source).encode("utf-8")


def run_part(task: dict[str, Any], store: Any) -> dict[str, Any]:
    """The second process's work: its documents' ``TextSource`` chunks (UTF-8), in order, and the reviewers its rows
    name that ``task["users"]`` lacked. Not the texts: the exporting process writes every source itself, first."""
    documents = task["documents"]  # (id, title, described, imported_at)
    users = dict(task["users"])
    chunks = []
    conn = store.connect(task["path"])
    try:
        grouped = store.rows_within(conn, LEAN, task["where"], task["params"], [d[0] for d in documents])
        for document_id, title, described, imported_at in documents:
            chunks.append(source_chunk(document_id, title, described, imported_at, grouped.pop(document_id, []), users))
    finally:
        conn.close()
    return {"chunks": chunks, "users": sorted(set(users) - set(task["users"]))}
