"""A large HTML import's second process (annotator.importers.html_worker) gives the same documents as one process."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator import second_core
from annotator.errors import Cancelled, ImportFileError
from annotator.importers import html_worker, read_paths

WORDS = ["the", "monitor", "said", "at", "least", "973", "civilians", "were", "killed", "in", "Latakia",
         "\U0001F469\u200d\U0001F469\u200d\U0001F467", "\u0642\u062a\u0644 \u0645\u062f\u0646\u064a\u0627",
         "e\u0301te\u0301", "forces", "\u00e9t\u00e9", "\u4e2d\u6587", "\U0001F1F8\U0001F1FE", "1,200"]


def page(rng: random.Random, number: int) -> str:
    paragraphs = "".join(f"<p>{' '.join(rng.choice(WORDS) for _ in range(rng.randint(20, 90)))}.</p>"
                         for _ in range(rng.randint(2, 8)))
    return (f"<html><head><title>Report {number} \u2014 \u062a\u0642\u0631\u064a\u0631</title>"
            f"<meta property='og:site_name' content='Wire {number % 3}'><meta name='author' content='A. Writer'>"
            f"<meta name='date' content='2025-03-{number % 28 + 1:02d}'></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>Report {number}</h1>{paragraphs}</article><footer>Copyright</footer></body></html>")


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """Varied pages: emoji, Arabic, combining marks, a cp1252 page (a decoding warning), a thin one (a warning),
    a duplicate, one without article text and a PNG named .html (errors), a sidecar, an .htm, a .txt among them."""
    rng = random.Random(7)
    folder = tmp_path / "pages"
    folder.mkdir()
    for number in range(40):
        (folder / f"p{number:03d}.html").write_text(page(rng, number), encoding="utf-8")
    latin = page(rng, 5).replace("\u2014 \u062a\u0642\u0631\u064a\u0631", "").replace("<p>", "<p>Caf\u00e9 ")
    (folder / "p005.html").write_bytes(latin.encode("ascii", "ignore").replace(b"Caf ", b"Caf\xe9 "))
    (folder / "p010.html").write_text("<html><body><article><p>Only a caption here.</p></article></body></html>")
    (folder / "p011.html").write_text((folder / "p012.html").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "p020.html").write_text("<html><head><title>Nothing</title><script>var x;</script></head><body></body></html>")
    (folder / "p021.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "p022.meta.json").write_text('{"outlet": "From the sidecar"}', encoding="utf-8")
    (folder / "p030.htm").write_text(page(rng, 30), encoding="utf-8")
    (folder / "p031.txt").write_text("A plain text among the pages.\n\nIts body.", encoding="utf-8")
    if sys.platform != "win32":  # a name with a line break and a byte that is not UTF-8
        (folder / os.fsdecode(b"p032 \xff\n.html")).write_text(page(rng, 32), encoding="utf-8")
    return folder


def outcome(folder: Path, **options: Any) -> tuple[list[tuple[str, str, dict]], list[str], list[str]]:
    pending, problems = read_paths([folder], **options)
    documents = [(str(d.path), d.text or "", d.metadata) for d in pending.documents]
    return documents, pending.warnings, [str(p) for p in problems]


@pytest.fixture
def child_pages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Use the second process for any import of 2+ pages; counts the pages it extracted, and holds this process at
    its first page until the child has answered one (else this process could read every small test page first)."""
    monkeypatch.setattr(html_worker, "THRESHOLD", 2)
    monkeypatch.setattr(html_worker, "usable", lambda: True)
    counted = [0]
    take = html_worker.Ahead.take

    def counting(self: html_worker.Ahead, path: Path) -> Any:
        while counted == [0] and not self._done and self._process is not None:
            self._receive(wait=True)
        documents = take(self, path)
        counted[0] += documents is not None
        return documents

    monkeypatch.setattr(html_worker.Ahead, "take", counting)
    return counted


def in_one_process(folder: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(html_worker, "usable", lambda: False)
        return outcome(folder, **options)


def test_same_documents_warnings_and_problems(pages: Path, child_pages: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    alone = in_one_process(pages, monkeypatch, skip_bad=True)
    assert outcome(pages, skip_bad=True) == alone
    assert child_pages[0] >= 1  # the child did extract pages
    documents, warnings, problems = alone
    assert len(documents) == 40 + (sys.platform != "win32") and len(problems) == 2  # 42-43 files, two refused
    assert any("p005.html" in w for w in warnings)  # read as another encoding than UTF-8
    assert any("characters of article text" in w for w in warnings)
    assert any(meta.get("outlet") == "From the sidecar" for _, _, meta in documents)


def test_the_first_bad_page_stops_the_import_the_same_way(pages: Path, child_pages: list[int],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImportFileError) as alone:
        in_one_process(pages, monkeypatch)
    with pytest.raises(ImportFileError) as shared:
        outcome(pages)
    assert str(shared.value) == str(alone.value) and shared.value.path == pages / "p020.html"


@pytest.mark.parametrize("script", [
    "import sys; sys.exit(3)",  # fails at once
    "import sys\nfor line in sys.stdin: print('[1]', flush=True)",  # answers nonsense
    "import sys\nfor line in sys.stdin: print('null', flush=True)",  # reads nothing
    "import sys\nsys.stdin.readline(); sys.stdin.readline(); print('null', flush=True); sys.exit(1)",  # dies mid-way
])
def test_a_failing_child_leaves_the_pages_to_this_process(pages: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = in_one_process(pages, monkeypatch, skip_bad=True)
    monkeypatch.setattr(html_worker, "THRESHOLD", 2)
    monkeypatch.setattr(html_worker, "usable", lambda: True)
    monkeypatch.setattr(html_worker, "command", lambda: [sys.executable, "-c", script])
    assert outcome(pages, skip_bad=True) == alone


def test_cancelling_stops_the_child(pages: Path, child_pages: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[html_worker.Ahead] = []
    children: list[subprocess.Popen] = []
    popen = subprocess.Popen

    def started(*args: Any, **kwargs: Any) -> subprocess.Popen:
        children.append(popen(*args, **kwargs))
        return children[-1]

    monkeypatch.setattr(html_worker.subprocess, "Popen", started)

    def stop_at_third(done: int, total: int, path: Path) -> None:
        seen.append(html_worker._AHEAD.get())  # type: ignore[arg-type]
        if done == 2:
            raise Cancelled("stop")

    with pytest.raises(Cancelled):
        read_paths([pages], progress=stop_at_third)
    ahead = seen[-1]
    assert ahead is not None and ahead._process is None and html_worker._AHEAD.get() is None
    assert [p.poll() is not None for p in children] == [True]


def test_small_imports_stay_in_one_process(pages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_worker, "usable", lambda: True)
    started: list[object] = []
    monkeypatch.setattr(html_worker.Ahead, "__init__", lambda self, pages: started.append(pages))
    read_paths([pages], skip_bad=True)
    assert started == []  # 42-43 files, under THRESHOLD
    monkeypatch.setattr(html_worker, "THRESHOLD", 40)
    with pytest.raises(AttributeError):  # the stub above starts nothing, so closing it fails: it was used
        read_paths([pages], skip_bad=True)
    assert len(started) == 1 and len(started[0]) == 41 + (sys.platform != "win32")  # type: ignore[arg-type]


@pytest.mark.skipif(sys.platform == "win32", reason="the second process is POSIX only")
def test_started_only_with_a_free_core(monkeypatch: pytest.MonkeyPatch) -> None:
    def machine(cores: int, load: float, pressure: float | None = None) -> bool:
        monkeypatch.setattr(second_core.os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
        monkeypatch.setattr(second_core.os, "getloadavg", lambda: (load, load, load))
        monkeypatch.setattr(second_core, "cpu_pressure", lambda: pressure)
        return html_worker.usable()

    assert machine(2, 0.3) and machine(2, 1.4) and machine(8, 6.0)
    assert not machine(1, 0.0) and not machine(2, 1.6) and not machine(4, 3.9)
    assert machine(2, 3.0, pressure=2.5) and not machine(2, 0.2, pressure=40.0)  # the pressure, where known, decides
    monkeypatch.setattr(second_core.sys, "frozen", True, raising=False)
    assert not machine(8, 0.0)


def test_cpu_pressure_reads_linux_psi() -> None:
    value = second_core.cpu_pressure()
    if Path("/proc/pressure/cpu").is_file():
        assert value is not None and 0.0 <= value <= 100.0
    else:
        assert value is None


def test_a_busy_machine_is_told_from_this_process_s_own_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """When this process was busy since it last asked (its last export's threads and second process) and the others
    used little of the machine meanwhile, the pressure it made itself does not refuse a child; else the pressure
    decides, as before."""
    monkeypatch.setattr(second_core.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    samples: list[tuple[float, float, float] | None] = []
    monkeypatch.setattr(second_core, "_sample", lambda: samples.pop(0))
    monkeypatch.setattr(second_core, "_last", None)

    def asked(sample: tuple[float, float, float] | None, pressure: float) -> bool:
        samples.append(sample)
        monkeypatch.setattr(second_core, "cpu_pressure", lambda: pressure)
        return second_core.free()

    assert not asked((100.0, 50.0, 10.0), pressure=40.0)  # the first question: the pressure decides
    # 2 s later: this process used 1.8 s of CPU, the machine 2.2 s: the others 0.2 core -> free despite the pressure
    assert asked((102.0, 52.2, 11.8), pressure=40.0)
    assert samples == []
    # 2 s later: this process used 1.0 s, the machine 3.4 s: the others 1.2 cores -> the pressure decides
    assert not asked((104.0, 55.6, 12.8), pressure=40.0)
    assert asked((106.0, 59.0, 13.8), pressure=2.0)
    # 2 s later, this process idle (0.1 s), the others too: the pressure decides
    assert not asked((108.0, 59.2, 13.9), pressure=40.0)
    # too soon (0.1 s) or too late (2 minutes) after the last question: the pressure
    assert not asked((108.1, 59.3, 14.0), pressure=40.0) and not asked((228.1, 100.0, 100.0), pressure=40.0)
    assert not asked(None, pressure=40.0) and asked(None, pressure=2.0)  # no /proc/stat


def test_the_machine_s_cpu_is_read_where_linux_has_it() -> None:
    sample = second_core._sample()
    if Path("/proc/stat").is_file():
        assert sample is not None and sample[1] > 0 and sample[2] > 0
    else:
        assert sample is None
