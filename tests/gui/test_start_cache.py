"""The app's start takes what it compiles from the last start (startcache.py), and replays it exactly."""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import builtins
import marshal
import os
import re
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import startcache

ROOT = Path(__file__).resolve().parents[2]

# main.py as a user runs it; at the first frame (a 0 ms timer after the window shows, as
# benchmarks/first_frame.py) print what the start took from the cache and what it compiled.
PROBE = textwrap.dedent("""
    import builtins, importlib.abc, importlib.util, os, re, runpy, sys, _sre

    def first_frame():
        import startcache
        cache = startcache.installed
        unwrapped = builtins.compile.__module__ == "builtins" and re._compiler._sre is _sre
        print("CACHE", cache.hits, cache.new, unwrapped, flush=True)
        os._exit(0)

    class WrapOnImport(importlib.abc.MetaPathFinder):  # as benchmarks/first_frame.py: nothing of Qt before main.py
        def find_spec(self, name, path, target=None):
            if name != "ui.app":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                original = module.open_window

                def wrapped(*args, **kwargs):
                    from PySide6.QtCore import QTimer
                    window = original(*args, **kwargs)
                    QTimer.singleShot(0, first_frame)
                    return window

                module.open_window = wrapped

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, WrapOnImport())
    sys.argv = ["main.py", *sys.argv[1:]]
    runpy.run_path("main.py", run_name="__main__")
""")



def start(project_path: Path, tmp_path: Path, cache: Path) -> tuple[int, int, bool]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path),
           "ANNOTATOR_START_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(project_path), "--reviewer", "ana"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    line = next((x for x in out.stdout.splitlines() if x.startswith("CACHE ")), None)
    assert line is not None, out.stderr
    hits, new, unwrapped = line.split()[1:]
    return int(hits), int(new), unwrapped == "True"


def test_a_second_start_compiles_nothing_and_replays_exactly_what_python_makes(project_path, tmp_path) -> None:
    cache = tmp_path / "start.marshal"
    hits, new, unwrapped = start(project_path, tmp_path, cache)
    # PySide6's ~14 support modules, ~30 regexes, ~75 methods (one text made twice is a hit already)
    assert new > 100 and hits < 10 and unwrapped
    written = cache.read_bytes()
    hits, new, unwrapped = start(project_path, tmp_path, cache)
    assert new == 0 and hits >= len(marshal.loads(marshal.loads(written)[2])) and unwrapped
    assert cache.read_bytes() == written  # nothing new: not rewritten
    head, crc, payload = marshal.loads(written)
    assert zlib.crc32(payload) == crc
    entries = marshal.loads(payload)
    assert head == startcache.header()
    kinds = {key[0] for key in entries}
    assert kinds == {"code", "exec", "re"}
    assert any(key[1].startswith("shibokensupport/signature/") for key in entries if key[0] == "code")
    for key, (source, value) in entries.items():
        if key[0] == "code":  # compiled with the caller's __future__ flags (key[2])
            assert value == builtins.compile(source, key[1], "exec", flags=key[2], dont_inherit=True), key[1]
        elif key[0] == "exec":  # a method dataclasses generated, compiled as exec() compiles it
            assert value == builtins.compile(source, "<string>", "exec", flags=key[1], dont_inherit=True), source
        else:
            fresh = re._compiler.compile(source, key[1])  # type: ignore[attr-defined]
            replayed = _sre.compile(source, *value)
            assert replayed == fresh and replayed.groupindex == fresh.groupindex, source
