"""``SecondProcess`` reads its child's result as it comes: a child whose result is larger than a pipe holds
finishes (and exits) while this process is still busy, instead of blocking until ``finish()`` is called."""

from __future__ import annotations

import time
from pathlib import Path

from annotator.exporters.second_process import SecondProcess

CHILD = """
def run_part(task, store):
    return {"blob": b"x" * task["size"], "echo": task["echo"]}
"""
"""A lean module as ``store/export_part.py`` serves one (``SecondProcess.spawn``)."""


def test_a_result_larger_than_the_pipe_is_read_before_finish(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    part = SecondProcess.start(str(script), {"size": 3_000_000, "echo": "é👩‍👩‍👧"}, first=5)
    assert part is not None
    try:
        deadline = time.monotonic() + 30
        while part.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # this process "busy": finish() not called yet
        assert part.process.poll() == 0, "the child stayed blocked on a full pipe"
        result = part.finish()
        assert result == {"blob": b"x" * 3_000_000, "echo": "é👩‍👩‍👧"}
        assert part.first == 5
    finally:
        part.stop()


def test_a_child_that_fails_after_writing_gives_none(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text("""
import marshal, os, sys
def run_part(task, store):
    sys.stdout.buffer.write(marshal.dumps({"blob": b"x", "echo": ""}))
    sys.stdout.flush()
    os._exit(3)
""", encoding="utf-8")
    part = SecondProcess.start(str(script), {"size": 10, "echo": ""}, first=0)
    assert part is not None
    try:
        assert part.finish() is None
    finally:
        part.stop()
