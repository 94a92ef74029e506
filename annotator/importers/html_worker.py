"""A second process that extracts HTML pages from the end of an import while this one works from the start.

trafilatura is pure Python, so a thread cannot run it beside this process's own extraction (the GIL);
a second process can use the machine's second core. It is a plain child interpreter (``sys.executable``
running ``serve`` over pipes: paths in, JSON lines out), not ``multiprocessing``: nothing re-imports the
caller's main module (the GUI's), and it starts only for an import of ``THRESHOLD`` pages or more.

Behaviour does not change with it: the child runs the same ``read_html`` on the same file, and anything
unusual (an error, a page it cannot send back, a child that fails to start or dies) makes this process
read that page itself, so errors and their wording are this process's own. This process takes the
pages in order from the front, the child is sent them from the back, so each page is extracted once
and ``progress`` still runs in file order.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import orjson

from annotator import second_core
from annotator.importers.base import ImportedDocument, collecting_warnings, warn

THRESHOLD = 100
"""HTML pages in one import from which a second process is worth starting: about what this process
extracts in the ~0.5 s the child takes to start (Python, this package and trafilatura)."""

IN_FLIGHT = 4
"""Pages queued at the child: it extracts the next while this process is busy with one of its own."""

SUFFIXES = (".html", ".htm")
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding this ``annotator`` package
_AHEAD: ContextVar[Ahead | None] = ContextVar("html_ahead", default=None)
_REDO = object()  # the child did not extract this page: this process reads it itself


def command() -> list[str]:
    """How the child is started: this interpreter, importing this very copy of the package."""
    return [sys.executable, "-c",
            f"import sys; sys.path.insert(0, {_ROOT!r}); from annotator.importers.html_worker import serve; serve()"]


def usable() -> bool:
    """A second process can start and has a free core (``second_core.free``), on POSIX: ``select()`` needs its pipes."""
    return sys.platform != "win32" and second_core.free()


class Ahead:
    """The pages of one import: this process takes them from the front, the child is sent them from the back.

    No thread: this process reads the child's answers and sends it more pages each time it takes a page (a
    thread here would need the GIL for each answer, and on a loaded machine every such hand-over can wait
    for the thread to be scheduled while this one holds still)."""

    def __init__(self, pages: list[Path]) -> None:
        self._waiting: deque[Path] = deque(pages)
        self._claimed: set[Path] = set()  # taken by this process
        self._done: dict[Path, Any] = {}  # the child's answer, or _REDO
        self._busy: deque[Path] = deque()  # sent to the child, not answered yet (oldest first)
        self._partial = b""
        self._process: subprocess.Popen[bytes] | None = None
        try:
            self._process = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL)
            assert self._process.stdout is not None
            self._out = self._process.stdout.fileno()
            _widen(self._out)
            os.set_blocking(self._out, False)
            self._send()
        except Exception:  # no child: this process reads every page
            self._fail()

    def take(self, path: Path) -> list[ImportedDocument] | None:
        """``path``'s documents as the child read them (its warnings ``warn``ed again), or None: read it here."""
        self._receive(wait=False)
        while path in self._busy:
            self._receive(wait=True)
        reply = self._done.get(path)
        if reply is None:
            if path not in self._claimed:
                self._claimed.add(path)
                if self._waiting and self._waiting[0] == path:
                    self._waiting.popleft()
                elif path in self._waiting:
                    self._waiting.remove(path)
            self._send()
            return None
        self._send()
        if reply is _REDO:
            return None
        for message in reply["warnings"]:
            warn(message)
        return [ImportedDocument(reply["text"], dict(reply["metadata"]), source=path)]

    def close(self) -> None:
        """Stop the child (a page it is reading is not waited for)."""
        self._waiting.clear()
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - killed above; never seen
            pass

    def _send(self) -> None:
        """Keep IN_FLIGHT pages queued at the child, taken from the back, so it never waits for this process."""
        if self._process is None or len(self._busy) >= IN_FLIGHT or not self._waiting:
            return
        lines = []
        while len(self._busy) < IN_FLIGHT and self._waiting:
            path = self._waiting.pop()
            self._busy.append(path)
            lines.append(os.fsencode(path).hex().encode("ascii") + b"\n")  # any file name, undecodable bytes too
        try:
            assert self._process.stdin is not None
            self._process.stdin.write(b"".join(lines))
            self._process.stdin.flush()
        except Exception:  # the child is gone: its pages come back to this process
            self._fail()

    def _receive(self, wait: bool) -> None:
        """Read what the child has answered (``wait``: block until at least one answer or the child's end)."""
        if self._process is None:
            return
        try:
            while self._busy:
                if wait:
                    select.select([self._out], [], [])
                try:
                    data = os.read(self._out, 1 << 20)
                except BlockingIOError:
                    return
                if not data:
                    raise EOFError("the HTML worker stopped")
                *lines, self._partial = (self._partial + data).split(b"\n")
                for line in lines:
                    self._done[self._busy.popleft()] = _checked(orjson.loads(line))
                if lines:
                    wait = False
        except Exception:  # the child died or answered nonsense: this process reads the rest
            self._fail()

    def _fail(self) -> None:
        """Give every page still with the child back to this process, and stop the child."""
        for path in self._busy:
            self._done[path] = _REDO
        self._busy.clear()
        pages = list(self._waiting)
        self.close()
        self._waiting.extend(pages)


def _widen(fd: int) -> None:
    """A larger pipe (Linux), so the child need not wait for this process to read a few long answers."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (OSError, ImportError):
        pass


def _checked(reply: Any) -> Any:
    """The child's reply if it has the expected shape, else _REDO."""
    if (isinstance(reply, dict) and isinstance(reply.get("text"), str) and isinstance(reply.get("metadata"), dict)
            and isinstance(reply.get("warnings"), list)):
        return reply
    return _REDO


@contextmanager
def extracting(files: Iterable[Path]) -> Iterator[None]:
    """While the block runs, ``read_html`` takes pages the child extracted (when there are enough of them)."""
    pages = list(dict.fromkeys(f for f in files if f.suffix.lower() in SUFFIXES))
    if len(pages) < THRESHOLD or _AHEAD.get() is not None or not usable():
        yield
        return
    ahead = Ahead(pages)
    token = _AHEAD.set(ahead)
    try:
        yield
    finally:
        _AHEAD.reset(token)
        ahead.close()


def taken(path: Path) -> list[ImportedDocument] | None:
    """What the child extracted for ``path`` during ``extracting``; None: read it in this process."""
    ahead = _AHEAD.get()
    return None if ahead is None else ahead.take(path)


def serve() -> None:
    """The child: read a path per line from stdin (its bytes in hex), answer one JSON line each (``null``: read it yourself)."""
    from annotator.importers.html import read_html

    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # nothing a library prints, from C too, can reach the answers
    sys.stdout = sys.stderr
    for line in sys.stdin.buffer:
        try:
            path = Path(os.fsdecode(bytes.fromhex(line.decode("ascii"))))
            with collecting_warnings() as warnings:
                documents = read_html(path)
            if len(documents) != 1:
                raise ValueError("one document per page")
            document = documents[0]
            answer = orjson.dumps({"text": document.text, "metadata": document.metadata, "warnings": warnings})
        except Exception:  # the parent reads this page itself and reports what is wrong
            answer = b"null"
        out.write(answer + b"\n")
        out.flush()
