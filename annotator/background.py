"""One piece of work started in its own thread, for a caller that collects it with ``result()``.

For work that overlaps SQLite's (which runs without the GIL): a merge's snapshot and its figure parses
beside its inserts."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def started(work: Callable[[], T], name: str) -> Future[T]:
    """``work()`` running in a thread named ``name``; the thread ends with it (nothing to shut down)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    try:
        return executor.submit(work)
    finally:
        executor.shutdown(wait=False)
