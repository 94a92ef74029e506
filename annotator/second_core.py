"""Whether work is worth handing to a second process: an interpreter to start and a core free to run it.

Python work holds one GIL, so a large export or import uses the machine's other core only through a
second process (``exporters/second_process.py``, ``importers/html_worker.py``). On a busy machine the
child takes its CPU from this process (schedulers share by user or container) and its start is lost:
an HTML import took 8.5-8.9 s with a child under load against 6.6-7.5 s without one.
"""

from __future__ import annotations

import os
import sys

BUSY_PRESSURE = 25.0
"""Percent of the last 10 s in which some task waited for a CPU above which no core counts as free."""


def startable() -> bool:
    """A plain interpreter to start the child with (not a frozen app, ``sys.executable`` known)."""
    return not getattr(sys, "frozen", False) and bool(sys.executable)


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def cpu_pressure() -> float | None:
    """Percent of the last 10 s in which some task waited for a CPU (``/proc/pressure/cpu``), None if unknown."""
    try:
        with open("/proc/pressure/cpu", encoding="ascii") as file:
            return float(file.readline().split()[1].removeprefix("avg10="))
    except (OSError, ValueError, IndexError):
        return None


def free() -> bool:
    """A child can start and has a core of its own: two cores or more, and not busy. Busy: some task waited for
    a CPU more than ``BUSY_PRESSURE`` percent of the last 10 s (Linux's pressure stall information), or where
    that is unknown, the last minute's load average (this process counts in it) leaves under half a core."""
    if not startable():
        return False
    count = cores()
    if count < 2:
        return False
    waiting = cpu_pressure()
    if waiting is not None:
        return waiting <= BUSY_PRESSURE
    try:
        return os.getloadavg()[0] <= count - 0.5
    except (AttributeError, OSError):
        return True
