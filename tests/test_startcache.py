"""startcache: a compile taken from the cache is the compile Python makes; a bad file is only a miss."""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import builtins
import dataclasses
import marshal
import re
import textwrap
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import startcache
from startcache import COMPILE, StartCache

ANNOTATIONS = 0x1000000  # CO_FUTURE_ANNOTATIONS

# Varied patterns: scripts, emoji, combining marks, classes, groups (named, numbered, conditional),
# look-arounds, flags inline and passed, bytes, verbose.
PATTERNS: list[tuple[str | bytes, int]] = [
    ("a+b", 0), ("", 0), (r"(?P<year>\d{4})-(?P<month>\d\d)", 0), (r"(a)?(?(1)b|c)", 0),
    (r"(?<=\bالسوري)\w+", 0), ("👩‍⚕️+|🇸🇾", 0), ("e\u0301|é", re.IGNORECASE), (r"[\u0600-\u06ff\U0001F300-\U0001FAFF]+", 0),
    (r"^\s*#.*$", re.MULTILINE), (r"(?i)straße", 0), (r"(?x) a  # a comment\n  b+", 0), (rb"[\x80-\xff]", 0),
    (rb"(?P<k>\w+)=(?P<v>[^;]*)", 0), (r"\S(?:[^\n]*?(?:[.!?…]+[\"'”’)\]]*(?=\s)|(?=\n)|\Z))", 0),
    (r"(?s:.*\.py)\Z", 0), (r"(?a)\w+", 0), (r"[^\W\d_]+", re.UNICODE | re.DOTALL), ("x{2,5}?y*+", 0),
]


def plain(pattern: str | bytes, flags: int) -> re.Pattern:
    return re._compiler.compile(pattern, flags)  # type: ignore[attr-defined]


def same(a: re.Pattern, b: re.Pattern) -> bool:
    """Pattern equality compares the pattern, the flags and the compiled code; the groups too."""
    return a == b and a.groupindex == b.groupindex and a.groups == b.groups and a.flags == b.flags


def through_cache(path: Path, patterns: list[tuple[str | bytes, int]]) -> tuple[list[re.Pattern], StartCache]:
    cache = StartCache(str(path)).install()
    try:
        compiled = [re._compiler.compile(p, f) for p, f in patterns]  # type: ignore[attr-defined]
    finally:
        cache.close()
    return compiled, cache


def test_a_pattern_from_the_cache_is_the_pattern_re_makes(tmp_path) -> None:
    path = tmp_path / "cache.marshal"
    first, cache = through_cache(path, PATTERNS)
    assert cache.new == len(PATTERNS) and cache.hits == 0
    again, cache = through_cache(path, PATTERNS)
    assert cache.hits == len(PATTERNS) and cache.new == 0
    for (pattern, flags), a, b in zip(PATTERNS, first, again):
        fresh = plain(pattern, flags)
        assert same(a, fresh) and same(b, fresh), pattern
        probe = "Über 1,200 السوريون 👩‍⚕️ é e\u0301 straße 2025-03 ab"
        subject = probe.encode() if isinstance(pattern, bytes) else probe
        assert [m.span() for m in b.finditer(subject)] == [m.span() for m in fresh.finditer(subject)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=4), st.sampled_from([0, re.I, re.M | re.S, re.X]))
def test_any_pattern_replays_exactly(tmp_path_factory, words, flags) -> None:
    pattern = "|".join(f"(?:{re.escape(w)})+" for w in words) + r"(?P<tail>\w*)"
    path = tmp_path_factory.mktemp("c") / "cache.marshal"
    through_cache(path, [(pattern, flags)])
    (again,), cache = through_cache(path, [(pattern, flags)])
    assert cache.hits == 1
    assert same(again, plain(pattern, flags))


def test_the_support_modules_bytecode_is_taken_only_for_the_same_source(tmp_path) -> None:
    path = str(tmp_path / "cache.marshal")
    source = b"X = [c for c in 'e\\u0301\xd8\xa7']\ndef f():\n    return len(X)\n"
    cache = StartCache(path).install()
    first = builtins.compile(source, "shibokensupport/x.py", "exec")
    other = builtins.compile(b"Y = 1\n", "elsewhere.py", "exec")  # not PySide6's: never cached
    cache.close()
    assert cache.new == 1 and ("code", "elsewhere.py", 0) not in {k[:3] for k in cache.used}
    cache = StartCache(path).install()
    again = builtins.compile(source, "shibokensupport/x.py", "exec")
    changed = builtins.compile(source + b"Z = 2\n", "shibokensupport/x.py", "exec")
    cache.close()
    assert again == first and again.co_filename == "shibokensupport/x.py"
    assert cache.hits == 1 and "Z" in changed.co_names  # a changed source is compiled, not replayed
    namespace: dict = {}
    exec(again, namespace)
    assert namespace["f"]() == 3
    assert other.co_filename == "elsewhere.py"


@pytest.mark.parametrize("content", [b"", b"garbage", marshal.dumps((("other", 1), {}))[:-3], marshal.dumps(((0, "2.7", 1), {})),
                                     marshal.dumps([1, 2])])
def test_a_damaged_or_foreign_file_is_a_miss_and_is_rewritten(tmp_path, content) -> None:
    path = tmp_path / "cache.marshal"
    path.write_bytes(content)
    compiled, cache = through_cache(path, PATTERNS[:3])
    assert cache.hits == 0 and all(same(c, plain(p, f)) for c, (p, f) in zip(compiled, PATTERNS[:3]))
    _, cache = through_cache(path, PATTERNS[:3])
    assert cache.hits == 3


def startcache_entries(path: Path) -> tuple[tuple, dict]:
    """The file's header and entries, through its checksummed envelope."""
    head, crc, payload = marshal.loads(path.read_bytes())
    assert zlib.crc32(payload) == crc
    return head, marshal.loads(payload)


def test_a_stray_byte_in_the_entries_is_a_miss_not_a_crash(tmp_path) -> None:
    """A code object damaged on disk could crash the interpreter when run: the CRC-32 over the entries refuses it."""
    path = tmp_path / "cache.marshal"
    through_cache(path, PATTERNS[:3])
    head, crc, payload = marshal.loads(path.read_bytes())
    middle = len(payload) // 2
    damaged = payload[:middle] + bytes([payload[middle] ^ 0x01]) + payload[middle + 1:]
    path.write_bytes(marshal.dumps((head, crc, damaged)))
    compiled, cache = through_cache(path, PATTERNS[:3])
    assert cache.hits == 0 and all(same(c, plain(p, f)) for c, (p, f) in zip(compiled, PATTERNS[:3]))
    assert startcache_entries(path)[1]  # written again, whole


def test_other_starts_entries_are_kept_up_to_the_limit(tmp_path, monkeypatch) -> None:
    path = tmp_path / "cache.marshal"
    through_cache(path, PATTERNS[:5])
    _, cache = through_cache(path, PATTERNS[3:6])
    assert (cache.hits, cache.new) == (2, 1)
    written = path.read_bytes()
    _, cache = through_cache(path, PATTERNS[:6])
    assert (cache.hits, cache.new) == (6, 0) and path.read_bytes() == written  # nothing new: not rewritten
    monkeypatch.setattr(startcache, "LIMIT", 7)
    through_cache(path, PATTERNS[6:9])  # 9 entries: past the limit, only this start's are kept
    _, cache = through_cache(path, PATTERNS[:9])
    assert (cache.hits, cache.new) == (3, 6)


def test_close_puts_everything_back_and_an_unwritable_folder_is_no_error(tmp_path) -> None:
    before = builtins.compile, re._compiler.compile, re._compiler._sre  # type: ignore[attr-defined]
    blocked = tmp_path / "file"
    blocked.write_text("")
    _, cache = through_cache(blocked / "cache.marshal", PATTERNS[:2])
    assert (builtins.compile, re._compiler.compile, re._compiler._sre) == before  # type: ignore[attr-defined]
    assert re._compiler._sre is _sre  # type: ignore[attr-defined]
    assert cache.new == 2 and not (blocked / "cache.marshal").exists()


def test_turned_off_wraps_nothing(monkeypatch) -> None:
    monkeypatch.setenv("ANNOTATOR_START_CACHE", "off")
    before = builtins.compile, re._compiler.compile  # type: ignore[attr-defined]
    cache = startcache.install()
    assert (builtins.compile, re._compiler.compile) == before  # type: ignore[attr-defined]
    cache.close()


def test_the_file_goes_to_the_users_cache_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("ANNOTATOR_START_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if startcache.sys.platform.startswith("linux"):
        assert startcache.default_path() == str(tmp_path / "annotator" / f"start-{startcache.sys.implementation.cache_tag}.marshal")
    monkeypatch.setenv("ANNOTATOR_START_CACHE", str(tmp_path / "x"))
    assert startcache.default_path() == str(tmp_path / "x")


def test_compile_keeps_its_callers_future_flags(tmp_path) -> None:
    """compile() inherits the __future__ flags of the code calling it, not the wrapper's (startcache has
    ``annotations``): a caller without them gets annotations evaluated, cached or not."""
    path = str(tmp_path / "cache.marshal")
    source = b"def f(x: int) -> str:\n    return x\n"
    caller = COMPILE("code = compile(source, 'shibokensupport/t.py', 'exec')\nother = compile('a: int = 1', 'o.py', 'exec')",
                     "<caller>", "exec", dont_inherit=True)
    for _ in range(2):
        cache = StartCache(path).install()
        namespace: dict = {"source": source}
        exec(caller, namespace)
        cache.close()
        assert namespace["code"] == COMPILE(source, "shibokensupport/t.py", "exec", dont_inherit=True)
        assert not namespace["code"].co_flags & ANNOTATIONS and not namespace["other"].co_flags & ANNOTATIONS
        module: dict = {}
        exec(namespace["code"], module)
        assert module["f"].__annotations__ == {"x": int, "return": str}  # evaluated, not strings
    assert cache.hits == 1


def test_a_dataclass_made_through_the_cache_is_the_plain_one(tmp_path) -> None:
    source = textwrap.dedent('''
        from dataclasses import dataclass, field

        @dataclass(frozen=True, order=True)
        class Span:
            start: int
            end: int
            label: str = "Claim"
            notes: tuple = field(default_factory=tuple)
        ''')

    def make() -> type:
        namespace: dict = {}
        exec(COMPILE(source, "<spans>", "exec", dont_inherit=True), namespace)
        return namespace["Span"]

    plain_span = make()
    path = str(tmp_path / "cache.marshal")
    made = []
    for _ in range(2):
        cache = StartCache(path).install()
        made.append(make())
        cache.close()
    assert cache.hits > 0 and cache.new == 0
    assert "exec" not in vars(dataclasses)  # dataclasses calls the builtin again
    for span in made:
        for method in ("__init__", "__repr__", "__eq__", "__lt__", "__hash__", "__setattr__"):
            assert getattr(span, method).__code__ == getattr(plain_span, method).__code__, method
        a, b = span(1, 5, "Figure"), span(1, 5, "Figure")
        assert a == b and hash(a) == hash(b) and repr(a) == "Span(start=1, end=5, label='Figure', notes=())"
        assert span(0, 1) < a
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.start = 2  # type: ignore[misc]


def test_a_file_of_another_optimisation_level_is_not_used(tmp_path) -> None:
    """python -O compiles without asserts: its file and a plain run's are not each other's."""
    import os
    import subprocess
    import sys

    path = tmp_path / "cache.marshal"
    through_cache(path, PATTERNS[:2])
    code = (f"import re, startcache; c = startcache.install({str(path)!r}); re._compiler.compile('a+b', 0); c.close(); "
            "print(c.hits, c.new)")
    env = {**os.environ, "PYTHONPATH": str(Path(startcache.__file__).parent)}
    out = subprocess.run([sys.executable, "-O", "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "1"]
    assert startcache_entries(path)[0][3] == 1


def test_a_str_subclass_pattern_is_compiled_plainly_and_does_not_spoil_the_file(tmp_path) -> None:
    class Text(str):
        pass

    path = tmp_path / "cache.marshal"
    compiled, cache = through_cache(path, [(Text("a|b"), 0), ("c+", 0)])
    assert same(compiled[0], plain("a|b", 0)) and cache.new == 1
    _, cache = through_cache(path, [("c+", 0)])
    assert cache.hits == 1
