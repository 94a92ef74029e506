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


def test_large_byte_strings_come_after_the_rest_as_they_are(tmp_path: Path) -> None:
    """``serve`` sends byte strings of ``RAW_FROM`` bytes or more after the marshalled rest; ``finish`` puts them back
    in their places, whatever else the result holds."""
    script = tmp_path / "child.py"
    script.write_text("""
def run_part(task, store):
    return {"a": b"a" * 70_000, "small": b"s", "b": bytes(range(256)) * 400, "rest": [1, "é", None], "c": b""}
""", encoding="utf-8")
    part = SecondProcess.start(str(script), {}, first=0)
    assert part is not None
    try:
        assert part.finish() == {"a": b"a" * 70_000, "small": b"s", "b": bytes(range(256)) * 400,
                                 "rest": [1, "é", None], "c": b""}
    finally:
        part.stop()


def test_an_output_shorter_or_longer_than_it_says_gives_none(tmp_path: Path) -> None:
    import marshal

    from annotator.store import export_part

    head = marshal.dumps({"n": 7, export_part.RAW: [("blob", 3)]})
    whole = len(head).to_bytes(8, "little") + head + b"abc"
    assert export_part.result_of(whole) == {"n": 7, "blob": b"abc"}
    for output in (whole[:-1], whole + b"x", whole[:12], b""):
        try:
            export_part.result_of(output)
        except (ValueError, EOFError, TypeError):
            continue
        raise AssertionError(f"{output!r} was read")
