"""Copies (``annotator.copies``) found on a pool thread, so the window never freezes for them.

The texts are read on the GUI thread (the project's SQLite connection belongs to it) and the
worker computes from them alone. It reports progress through ``progress(done, total)``, whose
False return stops the core loop (``Cancelled``) when the user cancels or the widget that asked
goes away. A result is delivered only if the project still lists the same documents; otherwise it
is discarded (the asker may start again)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from annotator.copies import Progress, texts
from annotator.errors import Cancelled
from annotator.project import Project

Compute = Callable[[list[tuple[str, str]], Progress], Any]


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(str)
    over = Signal()  # last of all: the job may be let go


_RUNNING: set[_Job] = set()  # a job outlives the task that started it until its thread is done with it


class _Job(QRunnable):
    def __init__(self, compute: Compute, documents: list[tuple[str, str]]) -> None:
        super().__init__()
        self.compute, self.documents = compute, documents
        self.stop = threading.Event()
        self.signals = _Signals()
        self.setAutoDelete(False)  # the task keeps it until its signals have been delivered

    def _progress(self, done: int, total: int) -> bool:
        if self.stop.is_set():
            return False
        self.signals.progress.emit(done, total)
        return True

    def run(self) -> None:
        try:
            result = self.compute(self.documents, self._progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as error:  # a bug: still one line in the window, never a silent thread
            self.signals.failed.emit(f"looking for copies failed: {type(error).__name__}: {error}")
        else:
            self.signals.finished.emit(result)
        finally:
            self.signals.over.emit()


def _document_ids(project: Project) -> list[str] | None:
    try:
        return [d.id for d in project.documents(with_text=False)]
    except Exception:  # the project was closed meanwhile
        return None


class CopiesTask(QObject):
    """One computation over the project's texts on a worker thread; owned by the widget that asked.

    ``finished`` carries the result (only if the documents are unchanged), ``cancelled`` follows
    ``cancel()`` (or a change of documents: ``stale`` is then True), ``failed`` a one-line message."""

    progress = Signal(int, int)
    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, project: Project, compute: Compute, parent: QObject) -> None:
        super().__init__(parent)
        self.project = project
        documents = texts(project)
        self.document_ids = [document_id for document_id, _ in documents]
        self.running, self.stale = True, False
        self.job = _Job(compute, documents)
        self.job.signals.progress.connect(self.progress)
        self.job.signals.finished.connect(self._finished)
        self.job.signals.cancelled.connect(self._cancelled)
        self.job.signals.failed.connect(self._failed)
        stop = self.job.stop
        self.destroyed.connect(lambda *_: stop.set())  # the asker is gone: stop the loop, deliver nothing
        job = self.job
        if not _RUNNING:
            _stop_all_at_exit()
        _RUNNING.add(job)
        job.signals.over.connect(lambda: _RUNNING.discard(job))
        QThreadPool.globalInstance().start(job)

    def cancel(self) -> None:
        """Stop the core loop at its next progress report; ``cancelled`` follows."""
        self.job.stop.set()

    def _finished(self, result: object) -> None:
        self.running = False
        if self.job.stop.is_set():
            self.cancelled.emit()
        elif _document_ids(self.project) != self.document_ids:
            self.stale = True
            self.cancelled.emit()
        else:
            self.finished.emit(result)

    def _cancelled(self) -> None:
        self.running = False
        self.cancelled.emit()

    def _failed(self, message: str) -> None:
        self.running = False
        self.failed.emit(message)


_CONNECTED: list[bool] = []


def _stop_running() -> None:
    for job in list(_RUNNING):
        job.stop.set()


def _stop_all_at_exit() -> None:
    """Quitting the application stops every search (the pool waits for its threads on the way out)."""
    app = QCoreApplication.instance()
    if app is not None and not _CONNECTED:
        app.aboutToQuit.connect(_stop_running)
        _CONNECTED.append(True)

