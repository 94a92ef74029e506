"""A second process building part of a large export: the machine's other core, for Python that holds one GIL.

An export's XML (xmi, qdpx) is Python per annotation; zlib, file writes and SQLite release the GIL, building
strings does not. Above a size, a writer hands the second half of its documents to a new interpreter
(``python -I -S store/export_part.py SCRIPT``: SCRIPT is a lean module of its format that imports the standard
library only, 40-60 ms to start, served by ``export_part.main``) and builds the first half meanwhile. Started
with ``subprocess`` (a new interpreter, never a fork: safe in the GUI and on macOS);
the task goes in and the result comes out ``marshal``led. Any failure (no interpreter to start, as in a
frozen app; a crash; a result that does not load) gives ``None`` and the writer builds those documents itself.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import subprocess
import sys
import threading
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from annotator import second_core
from annotator.store import export_part

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

    from annotator.exporters.common import ExportJob
    from annotator.models import Document

    Later = Callable[[dict[str, Any]], dict[str, Any] | None]


def worth_it(job: ExportJob, above: int) -> bool:
    """At least ``above`` selected annotations in two documents or more, in a project file a second process can
    open (and no write of ours under way in it, which another connection would not see), and a core free to run
    it (``second_core.free``: on a busy machine the process only adds ~15% CPU)."""
    return (job.selection.total >= above and len(job.selection.documents) >= 2
            and os.path.isfile(str(job.project.path)) and not job.project.db.conn.in_transaction
            and second_core.free())


class SecondProcess:
    """``script`` running on a task, the documents from ``first`` on; ``finish()`` gives its result."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process, self.first = process, 0
        self.output: bytes | None = None
        self.feeder: threading.Thread | None = None
        _widen(process.stdout)

    @classmethod
    def start(cls, script: str, task: dict[str, Any], first: int, later: Later | None = None) -> SecondProcess | None:
        """Started on ``task`` (``send``), or ``None`` when it cannot be."""
        started = cls.spawn(script)
        if started is not None:
            started.send(task, first, later)
        return started

    @classmethod
    def spawn(cls, script: str) -> SecondProcess | None:
        """``script`` (a lean module with a ``run_part``) served by ``store/export_part.py`` (``export_part.main``),
        started without its task (``send`` gives it), or ``None`` when it cannot be: the interpreter and its imports
        (40-60 ms) start while this process still works out the task."""
        try:
            process = subprocess.Popen([sys.executable, "-I", "-S", export_part.__file__, script], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                       creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        except (OSError, ValueError):
            return None
        return cls(process)

    def send(self, task: dict[str, Any], first: int, later: Later | None = None) -> None:
        """Hand the process its task, the documents from ``first`` on; ``later(task)`` gives what else it holds,
        worked out in the thread that writes it while this process builds its half (``None`` from it, or an error:
        the process is ended unused, and ``finish`` gives ``None``)."""
        self.first = first
        # the task may be more than a pipe holds: written by a thread while this process builds its half; the
        # same thread then reads the result as it comes (``_feed``)
        data = marshal.dumps(task) if later is None else None
        self.feeder = threading.Thread(target=self._feed, args=(data, task, later), daemon=True)
        self.feeder.start()

    def _feed(self, data: bytes | None, task: dict[str, Any], later: Later | None) -> None:
        """The task written (``data``, or ``task`` with what ``later`` adds), then the result read while this process
        still builds its half.

        A result of megabytes (CoNLL's: 5.5 MB) went through the 64 KiB pipe only once ``finish`` read it, a
        process switch per 64 KiB (10-30 ms after both halves were done); read here, with the pipe widened to
        ``PIPE_SIZE`` where the system allows it (Linux), it is in memory when ``finish`` asks for it."""
        assert self.process.stdin is not None and self.process.stdout is not None
        if later is not None:
            try:
                more = later(task)
            except Exception:
                more = None
            if more is None:
                self.process.kill()
                return
            data = marshal.dumps({**task, **more})
        assert data is not None  # given by ``send`` when there is no ``later``
        with contextlib.suppress(OSError):
            self.process.stdin.write(data)
            self.process.stdin.close()
        with contextlib.suppress(OSError, ValueError):
            self.output = self.process.stdout.read()

    def finish(self) -> dict[str, Any] | None:
        """The process's result once it is done; ``None`` if it failed."""
        if self.feeder is None:  # spawned, never given a task
            return None
        try:
            self.feeder.join()
            if self.process.wait() != 0 or self.output is None:
                return None
            result: dict[str, Any] = export_part.result_of(self.output)
            return result
        except Exception:
            return None

    def stop(self) -> None:
        """Ended and waited for (after a Cancel or an error: it must not write into a folder being removed)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.feeder is not None:
            self.feeder.join()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


PIPE_SIZE = 1 << 20
"""The result pipe's size asked for (Linux's ``F_SETPIPE_SZ``; 1 MiB is what an unprivileged process may ask by
default): 6 reads of CoNLL's 5.5 MB result instead of 85, each waiting for the GIL."""


def _widen(stream: Any) -> None:
    """``stream``'s pipe widened to ``PIPE_SIZE`` where the system can (elsewhere, or when refused: as it is)."""
    with contextlib.suppress(ImportError, AttributeError, OSError, ValueError):
        import fcntl

        fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)


def start_on_last(job: ExportJob, script: str, above: int, share: float,
                  describe: Callable[[Document], Any] = attrgetter("id"), later: Later | None = None,
                  also: dict[str, Any] | None = None) -> SecondProcess | None:
    """A second process running ``script`` on the last ``share`` of the selected documents (each as ``describe``
    gives it), when ``worth_it``; ``None``: too few annotations, no free core, or none could be started. ``later``:
    what else the task holds, worked out while the process starts (``SecondProcess.send``); ``also``: what else it
    holds now."""
    if not worth_it(job, above):
        return None
    documents = job.selection.documents
    first = len(documents) - round(len(documents) * share)
    task = {"path": str(job.project.path), "where": job.selection.where, "params": list(job.selection.params),
            "labels": {label.id: label.name for label in job.labels},
            "documents": [describe(d) for d in documents[first:]], **(also or {})}
    return SecondProcess.start(script, task, first, later)


def append_part(job: ExportJob, stream: TextIO, data: bytes) -> None:
    """The second process's part of a text file (``data``, encoded as ``stream`` writes) appended after this
    process's own lines, and the export's progress at its end."""
    stream.flush()
    stream.buffer.write(data)
    if job.progress:
        job.progress(len(job.selection.documents), len(job.selection.documents))
