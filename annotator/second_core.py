"""Whether work is worth handing to a second process: an interpreter to start and a core free to run it.

Python work holds one GIL, so a large export or import uses the machine's other core only through a
second process (``exporters/second_process.py``, ``importers/html_worker.py``). On a busy machine the
child takes its CPU from this process (schedulers share by user or container) and its start is lost:
an HTML import took 8.5-8.9 s with a child under load against 6.6-7.5 s without one.
"""

from __future__ import annotations

import os
import sys
import time

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
    that is unknown, the last minute's load average (this process counts in it) leaves under half a core; unless
    this process was busy itself since it last asked and other programs used at most ``OTHERS_AT_MOST`` of the
    cores meanwhile (``others_busy``): then the waiting was mostly its own."""
    if not startable():
        return False
    count = cores()
    if count < 2:
        return False
    others = others_busy()
    if others is not None and others <= count - 2 + OTHERS_AT_MOST:
        return True
    waiting = cpu_pressure()
    if waiting is not None:
        return waiting <= BUSY_PRESSURE
    try:
        return os.getloadavg()[0] <= count - 0.5
    except (AttributeError, OSError):
        return True


OTHERS_AT_MOST = 0.5
"""Cores other programs may have used on average (beyond any above two) for a second process to count as worth it."""
OWN_SHARE = 0.2
"""The share of the time since the last question this process (and its children) must have used a CPU for its own
work to have made the pressure: below it, the pressure is the others' and decides."""

_last: tuple[float, float, float] | None = None
"""(monotonic time, CPU seconds every program used, CPU seconds this process and its ended children used) at the
last ``others_busy``."""


def _sample() -> tuple[float, float, float] | None:
    """Now, the CPU seconds used on the machine (``/proc/stat``: all but idle and I/O wait), and this process's."""
    try:
        with open("/proc/stat", encoding="ascii") as file:
            fields = file.readline().split()
        ticks = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None
    if len(fields) < 9 or fields[0] != "cpu" or ticks <= 0:
        return None
    try:
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[1:9])
    except ValueError:
        return None
    used = os.times()
    return (time.monotonic(), (user + nice + system + irq + softirq + steal) / ticks,
            used.user + used.system + used.children_user + used.children_system)


def others_busy() -> float | None:
    """Cores other programs used on average since this process last asked (0.2-60 s ago), when this process was
    busy itself meanwhile (``OWN_SHARE``); else None. (The kernel's writing out of this process's files counts as
    the others': 0.3-0.4 core over back-to-back exports.)

    The pressure counts every waiting task, this process's own too: back-to-back exports (a benchmark's, or a
    user's) made each one's threads and second process the pressure the next one saw, and from the second on the
    export ran in one process on an idle machine (pressure 6, 9, 13, 19, 21, 23% over six exports, most of it
    theirs). What the machine used less what this process used is what the others left. It only ever adds a child
    the pressure refused: used alone, it refused more than the pressure did on a shared host (1 export in 8 with a
    child against 5-6), the kernel's work for this process counted as the others'."""
    global _last
    now = _sample()
    before, _last = _last, now
    if now is None or before is None:
        return None
    elapsed = now[0] - before[0]
    if not 0.2 <= elapsed <= 60.0:
        return None
    own = now[2] - before[2]
    if own < OWN_SHARE * elapsed:
        return None
    return max(0.0, (now[1] - before[1] - own) / elapsed)
