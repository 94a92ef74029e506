"""What Python redoes on every start of the app, kept from one start to the next.

Two costs of a start are the same work every time and nothing on disk keeps them:

* PySide6 runs its signature support (``shibokensupport``, ~14 modules) from sources embedded in
  ``libshiboken`` and compiles them with ``compile()`` on every import: ~45 ms, in every PySide6
  program, because they have no ``.pyc``.
* ``re`` parses and compiles every pattern the start-up uses (PySide6's three verbose signature
  patterns alone ~30 ms; argparse, json, locale, gettext and the app's own): ~50 ms.

``install()`` wraps ``builtins.compile`` (for shibokensupport's files only) and
``re._compiler.compile`` until ``StartCache.close()``. A compile that was made before is taken from
the cache file: the code object of exactly the same source (compared in full, not by a hash), or
the arguments ``re`` handed ``_sre.compile`` for the same pattern and flags, so the pattern is
the one ``re`` makes (a test compares them). Anything else goes to Python as before. ``save()``
writes the file (atomically) only when this start compiled something the file did not have; it
keeps what other starts (another window, a first start's dialog) put there, up to ``LIMIT``
entries, past which it keeps only this start's.

The file is tied to this Python (``sys.version``, ``_sre.MAGIC``, ``-O``); a file of another Python, or
a damaged or unreadable one (its entries carry a CRC-32), is ignored and rewritten: it is a cache, never needed. Where it lives:
``$ANNOTATOR_START_CACHE`` if set (``off`` turns the cache off), else the user's cache folder.
The modules this imports are the few Python itself loads at start (no ``hashlib``, ``pathlib``).
"""

from __future__ import annotations
import __future__

import _sre  # type: ignore[import-not-found]  # re's engine: no stubs
import _thread
import builtins
import marshal
import os
import re
import sys
import zlib

TYPE_CHECKING = False  # typing is not loaded this early in a start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

FORMAT = 1
LIMIT = 2000  # entries the file keeps from all starts before it keeps only the last start's
SUPPORT_FILES = ("signature_bootstrap.py", "shibokensupport/")
SKIP = object()
COMPILE = builtins.compile  # the builtin, before install() wraps it
# The __future__ flags a compile() or exec() inherits from the code that calls it (PyCF_MASK)
FUTURE = 0
for _feature in __future__.all_feature_names:
    FUTURE |= getattr(__future__, _feature).compiler_flag & ~0xFFFF  # not the obsolete CO_NESTED


def default_path() -> str | None:
    """The cache file: ``$ANNOTATOR_START_CACHE``, else ``annotator/start-<python>.marshal`` in the
    user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``; Library/Caches on macOS; LOCALAPPDATA
    on Windows). None when turned off or when there is no home to put it in."""
    chosen = os.environ.get("ANNOTATOR_START_CACHE")
    if chosen:
        return None if chosen == "off" else chosen
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
    elif sys.platform == "darwin":
        base = os.path.join(os.path.expanduser("~"), "Library", "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not base or base.startswith("~"):
        return None
    return os.path.join(base, "annotator", f"start-{sys.implementation.cache_tag}.marshal")


def header() -> tuple[int, str, int, int]:
    """What the cached entries depend on: this module's format, this Python, its regex engine, and
    ``-O`` (compile() strips asserts and docstrings by it)."""
    return FORMAT, sys.version, _sre.MAGIC, sys.flags.optimize


class StartCache:
    """The cached compiles of one start: ``entries`` (read from the file), ``used`` (this start's)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.entries: dict[tuple, Any] = self._read()
        self.used: dict[tuple, Any] = {}
        self.new = 0  # compiles this start made (and the file did not have)
        self.hits = 0  # compiles this start took from the file
        self.saved = False
        self._recorded = _thread._local()
        self._installed: list[tuple[Any, str, Any]] = []

    def _read(self) -> dict[tuple, Any]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as file:
                outer = marshal.loads(file.read())
            # The entries are marshalled inside a checksummed envelope: a damaged code object could crash the
            # interpreter when run (marshal does not check what it loads), so a stray byte must be a miss.
            if not (isinstance(outer, tuple) and len(outer) == 3 and outer[0] == header()
                    and isinstance(outer[2], bytes) and zlib.crc32(outer[2]) == outer[1]):
                return {}
            data = marshal.loads(outer[2])
        except (OSError, EOFError, ValueError, TypeError):  # none yet, unreadable or damaged: start empty
            return {}
        return data if isinstance(data, dict) else {}

    def _take(self, key: tuple, source: object) -> Any:
        """The cached value for ``key`` if it was made from ``source``, else SKIP."""
        hit = self.entries.get(key)
        if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == source:
            self.used[key] = hit
            self.hits += 1
            return hit[1]
        return SKIP

    def _keep(self, key: tuple, source: object, value: Any) -> None:
        self.entries[key] = self.used[key] = (source, value)
        self.new += 1

    # -- compile() of PySide6's embedded support modules -------------------------------------------

    def compile(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def compile(source: Any, filename: Any, mode: str, flags: int = 0, dont_inherit: bool = False,
                    optimize: int = -1, **more: Any) -> Any:
            # compile() inherits the caller's __future__ flags; called from here it would inherit
            # this module's, so they are passed on explicitly, cached or not
            if not dont_inherit:
                flags |= sys._getframe(1).f_code.co_flags & FUTURE
            if (more or flags & ~FUTURE or optimize != -1 or mode != "exec" or type(source) is not bytes
                    or type(filename) is not str or not filename.startswith(SUPPORT_FILES)):
                return real(source, filename, mode, flags, True, optimize, **more)
            key = ("code", filename, flags)
            code = self._take(key, source)
            if code is SKIP:
                code = real(source, filename, mode, flags, True, optimize)
                self._keep(key, source, code)
            return code
        return compile

    # -- exec() of the methods dataclasses generates -------------------------------------------

    def exec(self, real: Callable[..., Any]) -> Callable[..., Any]:
        """``exec`` as ``dataclasses`` sees it (a name in its module): ``exec(text, globals, ns)``
        compiles each generated method's text, ~75 of them before the first frame."""
        def exec(source: Any, *namespaces: Any) -> Any:
            if type(source) is not str or len(namespaces) != 2:
                return real(source, *namespaces)
            flags = sys._getframe(1).f_code.co_flags & FUTURE  # what exec() would inherit
            key = ("exec", flags, source)
            code = self._take(key, source)
            if code is SKIP:
                code = COMPILE(source, "<string>", "exec", flags, True)
                self._keep(key, source, code)
            return real(code, *namespaces)
        return exec

    # -- re: the arguments of _sre.compile for a pattern and its flags -------------------------------

    def regex(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def compile(p: Any, flags: int = 0) -> Any:
            if type(p) not in (str, bytes) or flags & re.DEBUG:  # exact types: marshal keeps no subclass
                return real(p, flags)
            key = ("re", int(flags), type(p) is bytes, p)
            made = self._take(key, p)
            if made is not SKIP:
                return _sre.compile(p, *made)
            self._recorded.args = None
            pattern = real(p, flags)
            args = self._recorded.args
            if args is not None and args[0] is p:
                # flags may be a RegexFlag and the code holds re's named opcodes: marshal keeps plain ints
                _, final_flags, code, groups, groupindex, indexgroup = args
                self._keep(key, p, (int(final_flags), [int(c) for c in code], int(groups), dict(groupindex), tuple(indexgroup)))
            return pattern
        return compile

    def _record(self, *args: Any) -> Any:
        """``_sre.compile`` as ``re`` calls it: the arguments are what a later start replays."""
        self._recorded.args = args
        return _sre.compile(*args)

    # -- installing, saving ---------------------------------------------------------------------

    def install(self) -> StartCache:
        compiler = getattr(re, "_compiler", None)
        if self.path is None or compiler is None or getattr(compiler, "_sre", None) is not _sre:
            return self  # off, or an re whose internals are not these: nothing is wrapped
        import dataclasses  # the app's models need it anyway

        recorder = _SreRecorder(self._record)
        for owner, name, value in ((builtins, "compile", self.compile(builtins.compile)),
                                   (compiler, "compile", self.regex(compiler.compile)),
                                   (compiler, "_sre", recorder),
                                   (dataclasses, "exec", self.exec(builtins.exec))):
            self._installed.append((owner, name, vars(owner).get(name, SKIP)))
            setattr(owner, name, value)
        return self

    def uninstall(self) -> None:
        for owner, name, value in reversed(self._installed):
            if value is SKIP:
                delattr(owner, name)  # dataclasses' exec: the builtin again
            else:
                setattr(owner, name, value)
        self._installed.clear()

    def save(self) -> None:
        """Write the entries if this start compiled anything the file did not have. A failure to
        write costs the next start, nothing else."""
        if self.path is None or self.saved or self.new == 0:
            return
        kept = self.entries if len(self.entries) <= LIMIT else self.used
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(temporary, "wb") as file:
                payload = marshal.dumps(kept)
                marshal.dump((header(), zlib.crc32(payload), payload), file)
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return
        self.saved = True

    def close(self) -> None:
        """Start-up is over: unwrap, and keep what it compiled."""
        self.uninstall()
        self.save()


class _SreRecorder:
    """Stands in for ``_sre`` in ``re._compiler``: everything is ``_sre``'s, ``compile`` records."""

    def __init__(self, record: Callable[..., Any]) -> None:
        self.compile = record

    def __getattr__(self, name: str) -> Any:
        return getattr(_sre, name)


def install(path: object = SKIP) -> StartCache:
    """Wrap the compiles until ``close()``; ``path`` defaults to ``default_path()``."""
    global installed
    installed = StartCache(default_path() if path is SKIP else path if isinstance(path, str) else None).install()
    return installed


installed: StartCache | None = None  # the cache of this process's start (tests read its counts)
