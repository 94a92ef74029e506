"""The whole-window benchmark: every target from the performance issue, each against a floor or peer measured in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run.py [--quick] [--case NAME] [--json OUT.json]

Each case runs in its own subprocess (so its peak RSS is its own and a hung case can be killed):
first a build step (projects are cached in a temp folder between cases and runs), then the
measurement. A case that outruns its time budget is reported as SKIPPED with the time it reached
and the rows it had finished. The GUI cases drive ``ui.main_window.MainWindow`` through
``ui.app.open_window`` with every dock shown, and press keys through ``QTest.keyClick`` on the
window handle; a key's latency is until the event is processed and painted (processEvents +
repaint of the current pane). ``--quick`` runs small sizes only (CI smoke, under 2 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE = Path(os.environ.get("ANNOTATOR_BENCH_CACHE", Path(tempfile.gettempdir()) / "annotator-bench-cache"))
WORDS = ["the", "monitor", "said", "at", "least", "973", "civilians", "were", "killed", "in", "Latakia", "and",
         "Tartus", "over", "1,200", "Alawites", "reported", "\U0001F469\u200d\U0001F469\u200d\U0001F467", "families",
         "fled", "\u0642\u062a\u0644", "\u0645\u062f\u0646\u064a\u0627", "e\u0301te\u0301", "forces", "government"]


# -- rows -----------------------------------------------------------------------------------------

@dataclass
class Row:
    """One line of the table. Times in ms; ``limit`` is the target as a ratio (``ratio <= limit``) or an absolute value."""

    case: str
    figure: float | None
    floor_name: str = ""
    floor: float | None = None
    p50: float | None = None
    p95: float | None = None
    target: str = ""
    verdict: str = ""
    rss_mib: float | None = None
    unit: str = "ms"

    @property
    def ratio(self) -> float | None:
        return self.figure / self.floor if self.figure is not None and self.floor else None


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(row: Row) -> None:
    """Workers print rows as they finish, so a case killed for its budget keeps what it measured."""
    row.rss_mib = peak_rss_mib()
    print("ROW " + json.dumps(asdict(row)), flush=True)


def repeats(mode: str) -> int:
    """Median of 3 in the full run; the quick run is a smoke test and measures once."""
    return 1 if mode == "quick" else 3


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def ratio_row(case: str, figure: float, floor_name: str, floor: float, limit: float | None, unit: str = "ms") -> Row:
    row = Row(case, figure, floor_name, floor, unit=unit)
    if limit is not None:
        row.target, row.verdict = f"<= {limit:g}x", verdict(figure / floor <= limit)
    return row


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def written(action: Callable[[], object]) -> float:
    """``timed`` for an action that writes files: the writes of the one before are on the disk first.

    An export makes its files durable (``annotator.atomic``: fsync, or one ``syncfs`` of the file system),
    which also writes out whatever other files wait in the page cache. Without this, an export paid for
    the floor's 20-50 MB written just before it, unsynced: 0.4 s of an XMI export's 2 s, and its ratio
    2.2x or 4.2x in the same minute depending on what ran before."""
    os.sync()
    return timed(action)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


# -- data -----------------------------------------------------------------------------------------

def make_text(size: int, rng: random.Random) -> str:
    parts, length = [], 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))) + ". "
        if rng.random() < 0.25:
            sentence += "\n"
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:size]


def random_spans(text: str, count: int, rng: random.Random, labels=("Claim", "Actor"), annotators=("ana", "ben")):
    from annotator.importers.base import ImportedSpan

    spans = []
    for _ in range(count):
        start = rng.randrange(0, max(1, len(text) - 130))
        spans.append(ImportedSpan(start, min(len(text), start + rng.randint(3, 120)), rng.choice(labels),
                                  annotator=rng.choice(annotators)))
    return spans


def cached(name: str, build: Callable[[Path], None]) -> Path:
    """A project built once per cache folder and schema version (a project cached before a migration would be
    migrated on open, or refused as a reviewer's copy); built under a temporary name so a killed build leaves nothing."""
    from annotator.store.schema import SCHEMA_VERSION

    path = CACHE / f"{name}-schema{SCHEMA_VERSION}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = CACHE / f"{name}.partial.db"
        for leftover in CACHE.glob(f"{name}.partial.db*"):
            leftover.unlink()
        build(partial)
        partial.rename(path)
    return path


def copy_project(path: Path, folder: Path) -> Path:
    target = folder / path.name
    shutil.copy(path, target)
    return target


def document_project(chars: int, spans: int) -> Path:
    """A tiny start document and one long document with ``spans`` overlapping spans."""
    def build(path: Path) -> None:
        from annotator import Project
        from annotator.importers.base import ImportedDocument

        rng = random.Random(chars + spans)
        text = make_text(chars, rng)
        with Project.create(path) as project:
            project.import_documents([
                ImportedDocument("A short note to start from.", {"title": "start"}),
                ImportedDocument(text, {"title": f"{chars:,} characters"}, random_spans(text, spans, rng)),
            ])
    return cached(f"doc-{chars}-{spans}", build)


def two_documents(chars: int, spans: int) -> Path:
    def build(path: Path) -> None:
        from annotator import Project
        from annotator.importers.base import ImportedDocument

        rng = random.Random(spans)
        docs = []
        for number in range(2):
            text = make_text(chars, rng)
            docs.append(ImportedDocument(text, {"title": f"Report {number}"}, random_spans(text, spans, rng)))
        with Project.create(path) as project:
            project.import_documents(docs)
    return cached(f"two-{chars}-{spans}", build)


def figures_project(chars: int, spans: int, figures: int) -> Path:
    """One long annotated document plus ``figures`` Figure spans over 100-sentence wire reports."""
    def build(path: Path) -> None:
        from annotator import Project
        from annotator.importers.base import ImportedDocument, ImportedSpan

        rng = random.Random(figures)
        text = make_text(chars, rng)
        docs = [ImportedDocument(text, {"title": "Long report"}, random_spans(text, spans, rng))]
        for number in range(max(1, figures // 100)):
            parts, found, at = [], [], 0
            for _ in range(min(100, figures)):
                value = f"{rng.randint(2, 5000):,}"
                sentence = f"Officials said at least {value} civilians were killed. "
                start = at + sentence.index("at least")
                found.append(ImportedSpan(start, start + len(f"at least {value} civilians"), "Figure", annotator="ana"))
                parts.append(sentence)
                at += len(sentence)
            docs.append(ImportedDocument("".join(parts), {"title": f"Wire {number}", "outlet": f"Outlet {number % 9}"}, found))
        with Project.create(path) as project:
            project.import_documents(docs)
    return cached(f"figures-{chars}-{spans}-{figures}", build)


def many_documents(count: int) -> Path:
    def build(path: Path) -> None:
        from annotator import Project
        from annotator.importers.base import ImportedDocument

        rng = random.Random(count)
        docs = [ImportedDocument(make_text(500, rng) + f" ({number})", {"title": f"Report {number}", "outlet": f"Outlet {number % 13}",
                                                                        "published": f"2025-{number % 12 + 1:02d}-{number % 28 + 1:02d}"})
                for number in range(count)]
        with Project.create(path) as project:
            project.import_documents(docs)
    return cached(f"many-{count}", build)


def reviewers_project(documents: int, reviewers: int, annotations: int, chars: int = 1500) -> Path:
    """``documents`` texts, each annotated by every reviewer; ``annotations`` in all. Reviewers mostly agree."""
    def build(path: Path) -> None:
        from annotator import Project
        from annotator.importers.base import ImportedDocument, ImportedSpan

        rng = random.Random(documents * reviewers)
        names = [f"reviewer{n:02d}" for n in range(reviewers)]
        per = max(1, annotations // (documents * reviewers))
        docs = []
        for number in range(documents):
            text = make_text(chars, rng) + f" ({number})"
            base = [(s.start, s.end, s.label) for s in random_spans(text, per, rng, labels=("Claim", "Actor", "Figure"))]
            spans = []
            for name in names:
                for start, end, label in base:
                    shift = rng.choice((0, 0, 0, 1, -1))
                    spans.append(ImportedSpan(max(0, start + shift), end, label if rng.random() > 0.1 else "Claim", annotator=name))
            docs.append(ImportedDocument(text, {"title": f"Report {number}"}, spans))
        with Project.create(path) as project:
            project.import_documents(docs)
    return cached(f"reviewers-{documents}-{reviewers}-{annotations}", build)


def html_pages(count: int) -> Path:
    folder = CACHE / f"html-{count}"
    if not folder.exists():
        rng = random.Random(count)
        partial = CACHE / f"html-{count}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for number in range(count):
            paragraphs = "".join(f"<p>{make_text(rng.randint(300, 900), rng)}</p>" for _ in range(rng.randint(4, 12)))
            (partial / f"page{number:05d}.html").write_text(
                f"<html><head><title>Report {number}</title><meta property='og:site_name' content='Wire {number % 7}'>"
                f"<meta name='date' content='2025-03-{number % 28 + 1:02d}'></head><body><nav><a href='/'>Home</a>"
                f"<a href='/world'>World</a></nav><article><h1>Report {number}</h1>{paragraphs}</article>"
                f"<footer>Copyright Wire</footer></body></html>", encoding="utf-8")
        partial.rename(folder)
    return folder


# -- GUI helpers ----------------------------------------------------------------------------------

def app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtTest import QTest  # noqa: F401  # press() sends keys with it: loaded here, not inside the first timed press

    from ui.app import application

    return application()


def whole_window(path: Path, open_ids: list[str] | None):
    """The main window as the app opens it, every dock shown, focus in the first pane."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDockWidget

    from ui.app import open_window

    settings = QSettings(str(CACHE / f"settings-{os.getpid()}.ini"), QSettings.Format.IniFormat)
    window = open_window(path, "ana", open_ids, settings)
    for dock in window.findChildren(QDockWidget):
        dock.show()
    window.activateWindow()
    settle(window)
    return window


def settle(window=None, rounds: int = 3) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(rounds):
        QApplication.processEvents()
    if window is not None:
        window.repaint()


def loaded(window, timeout: float = 120.0) -> None:
    """Until every open pane is read and painted to its end and the annotation table holds every row:
    the steady state the latency cases measure (the rest of a long document loads in idle-time steps,
    which pause while keys are pressed; a press during that loading is not what these cases time)."""
    from PySide6.QtWidgets import QApplication

    model = window.table.model
    until = time.perf_counter() + timeout
    while time.perf_counter() < until:
        panes = list(window.panes.panes())
        for pane in panes:
            pane.view.complete()
        table_done = model.loaded_until is None
        if all(pane.view.fully_painted for pane in panes) and table_done:
            break
        QApplication.processEvents()
        time.sleep(0.002)
    settle(window)


def painted(window) -> None:
    """Until the event is processed and painted: pending events, then the current pane's viewport."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    pane = window.panes.current or next(iter(window.panes.panes()), None)
    if pane is not None:
        pane.view.viewport().repaint()


def press(window, key, modifiers=None) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(window.windowHandle(), key, modifiers or Qt.KeyboardModifier.NoModifier)


def bare_editor(text: str):
    from PySide6.QtWidgets import QPlainTextEdit

    view = QPlainTextEdit()
    view.resize(900, 1000)
    view.show()
    return view


def utf16_offsets(text: str) -> list[int]:
    """Code point -> UTF-16 position, as every Qt peer must map offsets too."""
    table, at = [], 0
    for char in text:
        table.append(at)
        at += 2 if ord(char) > 0xFFFF else 1
    table.append(at)
    return table


def floor_bare(text: str) -> float:
    view = bare_editor(text)
    elapsed = timed(lambda: (view.setPlainText(text), view.viewport().repaint()))
    view.close()
    view.deleteLater()
    return elapsed


def peer_cursor_loop(text: str, spans: list[tuple[int, int]]) -> float:
    """A naive highlighter: one QTextCursor.mergeCharFormat per span over the whole text, then paint."""
    from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor

    view = bare_editor(text)
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(255, 220, 120, 120))

    def run() -> None:
        view.setPlainText(text)
        table = utf16_offsets(text)
        cursor = QTextCursor(view.document())
        for start, end in spans:
            cursor.setPosition(table[start])
            cursor.setPosition(table[end], QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        view.viewport().repaint()
    elapsed = timed(run)
    view.close()
    view.deleteLater()
    return elapsed


def extra_selections(view, text: str, spans: list[tuple[int, int]], table: list[int]) -> list:
    from PySide6.QtGui import QColor, QTextCursor
    from PySide6.QtWidgets import QTextEdit

    selections = []
    for start, end in spans:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(view.document())
        cursor.setPosition(table[start])
        cursor.setPosition(table[end], QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format.setBackground(QColor(255, 220, 120, 120))
        selections.append(selection)
    return selections


def peer_extra_selections(text: str, spans: list[tuple[int, int]]) -> float:
    view = bare_editor(text)

    def run() -> None:
        view.setPlainText(text)
        view.setExtraSelections(extra_selections(view, text, spans, utf16_offsets(text)))
        view.viewport().repaint()
    elapsed = timed(run)
    view.close()
    view.deleteLater()
    return elapsed


# -- cases ----------------------------------------------------------------------------------------

OPEN_SIZES = {"quick": [(10_000, 1_000)], "full": [(10_000, 1_000), (100_000, 10_000), (1_000_000, 10_000),
                                                  (1_000_000, 100_000), (5_000_000, 100_000)]}
OPEN_LIMITS = {(1_000_000, 10_000): 3.0, (1_000_000, 100_000): 5.0}


def sizes_label(chars: int, spans: int) -> str:
    def short(n: int) -> str:
        return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"
    return f"{short(chars)}/{short(spans)}"


def build_open(mode: str) -> None:
    for chars, spans in OPEN_SIZES[mode]:
        document_project(chars, spans)


def case_open(mode: str) -> Iterator[Row]:
    """Open the long document in a window already showing every dock: until its first paint."""
    from annotator import Project

    app()
    for chars, spans in OPEN_SIZES[mode]:
        path = document_project(chars, spans)
        with Project.open(path) as project:
            start, big = (d.id for d in project.documents(with_text=False))
            text = project.document_text(big)
            ranges = [(a.start, a.end) for a in project.annotations(big)]
        window = whole_window(path, [start])
        loads, bares = [], []
        for _ in range(repeats(mode)):
            bares.append(floor_bare(text))
            settle()

            def open_it(window=window, big: str = big) -> None:
                window.open_document(big)
                painted(window)
            loads.append(timed(open_it))
            window.panes.close_pane(window.panes.pane_for(big))
            settle()
        window.close()
        window.project.close()
        label = sizes_label(chars, spans)
        load, bare = statistics.median(loads), statistics.median(bares)
        yield ratio_row(f"open {label} (first paint)", load, "bare QPlainTextEdit", bare, OPEN_LIMITS.get((chars, spans)))
        yield Row(f"open {label} vs peer", load, "cursor-loop highlighter", peer_cursor_loop(text, ranges))
        yield Row(f"open {label} vs peer", load, "setExtraSelections", peer_extra_selections(text, ranges))


def switch_sizes(mode: str) -> tuple[int, int]:
    return (10_000, 1_000) if mode == "quick" else (100_000, 10_000)


def case_switch(mode: str) -> Iterator[Row]:
    """Ctrl+PgDown between two open documents of 10k spans each."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QHBoxLayout, QWidget

    from annotator import Project

    app()
    chars, spans = switch_sizes(mode)
    path = two_documents(chars, spans)
    with Project.open(path) as project:
        ids = [d.id for d in project.documents(with_text=False)]
        text = project.document_text(ids[0])
    window = whole_window(path, ids)
    loaded(window)
    times = []
    moved = 0
    for _ in range(6 if mode == "quick" else 20):
        before = window.panes.current
        times.append(timed(lambda: (press(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier), painted(window))))
        moved += window.panes.current is not before
    window.close()
    window.project.close()
    # the floor: a bare window with two plain editors, focus moved between them and painted
    holder = QWidget()
    layout = QHBoxLayout(holder)
    editors = [bare_editor(text) for _ in range(2)]
    for editor in editors:
        editor.setPlainText(text)
        layout.addWidget(editor)
    holder.resize(1500, 900)
    holder.show()
    settle()
    floors = []
    for i in range(len(times)):
        editor = editors[i % 2]
        floors.append(timed(lambda e=editor: (e.setFocus(), settle(rounds=1), e.viewport().repaint())))
    holder.close()
    row = Row(f"switch pane Ctrl+PgDown {sizes_label(chars, spans)}", statistics.median(times), "two bare editors, setFocus",
              statistics.median(floors), statistics.median(times), p95(times), "p95 <= 50 ms", verdict(p95(times) <= 50))
    if moved != len(times):
        row.verdict += f" ({len(times) - moved} presses did not switch)"
    yield row


def edit_sizes(mode: str) -> tuple[int, int, int]:
    return (10_000, 1_000, 1_000) if mode == "quick" else (100_000, 10_000, 10_000)


def case_edit(mode: str) -> Iterator[Row]:
    """Select, then press 1 (add), Delete, Ctrl+Z (undo the delete) and Ctrl+Z again, every dock shown."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    from annotator import Project

    app()
    chars, spans, figures = edit_sizes(mode)
    path = figures_project(chars, spans, figures)
    work = Path(tempfile.mkdtemp(dir=CACHE))
    path = copy_project(path, work)
    with Project.open(path) as project:
        long_id = project.documents(with_text=False)[0].id
    window = whole_window(path, [long_id])
    window.do_show_figures()
    settle(window)
    shown = window.figures.table.model().rowCount()
    pane = window.panes.panes()[0]
    loaded(window)
    pane.view.setFocus()
    rng = random.Random(3)
    adds, deletes, undos = [], [], []
    count = lambda: window.project.counts()["annotations"]  # noqa: E731
    before, broken = count(), 0
    length = len(pane.view.toPlainText())
    for _ in range(2 if mode == "quick" else 25):
        start = rng.randrange(0, min(length - 40, 4000))
        cursor = pane.view.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(start + 12, QTextCursor.MoveMode.KeepAnchor)
        pane.view.setTextCursor(cursor)
        settle()
        adds.append(timed(lambda: (press(window, Qt.Key.Key_1), painted(window))))
        broken += count() != before + 1
        deletes.append(timed(lambda: (press(window, Qt.Key.Key_Delete), painted(window))))
        broken += count() != before
        undos.append(timed(lambda: (press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier), painted(window))))
        broken += count() != before + 1
        undos.append(timed(lambda: (press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier), painted(window))))
        broken += count() != before
        settle()
    window.close()
    window.project.close()
    shutil.rmtree(work, ignore_errors=True)
    floor = floor_edit(length)
    for name, times in (("add (key 1)", adds), ("delete (Delete)", deletes), ("undo (Ctrl+Z)", undos)):
        ok = p95(times) <= 16 and not broken
        yield Row(f"{name} {sizes_label(chars, spans)}, {shown:,} figures", statistics.median(times),
                  "SQLite INSERT+commit, setExtraSelections", floor, statistics.median(times), p95(times), "p95 <= 16 ms",
                  verdict(ok) + ("" if not broken else f" ({broken} presses did nothing)"))


def floor_edit(chars: int) -> float:
    """What a minimal app must do for one added span: one committed INSERT and one more extra selection, painted."""
    rng = random.Random(1)
    text = make_text(chars, rng)
    view = bare_editor(text)
    view.setPlainText(text)
    table = utf16_offsets(text)
    conn = sqlite3.connect(CACHE / f"floor-{os.getpid()}.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS spans (id INTEGER PRIMARY KEY, start INT, end INT, label TEXT)")
    spans: list[tuple[int, int]] = []
    times = []
    for _ in range(25):
        start = rng.randrange(0, 4000)

        def add(start: int = start) -> None:
            with conn:
                conn.execute("INSERT INTO spans (start, end, label) VALUES (?, ?, 'Claim')", (start, start + 12))
            spans.append((start, start + 12))
            view.setExtraSelections(extra_selections(view, text, spans, table))
            view.viewport().repaint()
        times.append(timed(add))
    conn.close()
    (CACHE / f"floor-{os.getpid()}.db").unlink(missing_ok=True)
    view.close()
    return statistics.median(times)


def list_size(mode: str) -> int:
    return 1_000 if mode == "quick" else 10_000


def case_list(mode: str) -> Iterator[Row]:
    """The Documents dock over N documents against a QStandardItemModel + QTableView of the same rows."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from annotator import Project
    from ui.document_list import DocumentList
    from ui.session import Session

    app()
    count = list_size(mode)
    path = many_documents(count)
    lists, bares, windows = [], [], []
    for _ in range(repeats(mode)):
        project = Project.open(path)
        session = Session(project, "ana")

        def show_list(session: Session = session) -> None:
            widget = DocumentList(session)
            widget.resize(470, 900)
            widget.show()
            widget.repaint()
            show_list.widget = widget  # type: ignore[attr-defined]
        lists.append(timed(show_list))
        show_list.widget.close()  # type: ignore[attr-defined]
        project.close()
        settle()

        def bare() -> None:
            conn = sqlite3.connect(path)
            rows = conn.execute("SELECT title, outlet, published, status FROM documents ORDER BY rowid").fetchall()
            conn.close()
            model = QStandardItemModel(len(rows), 4)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    model.setItem(r, c, QStandardItem("" if value is None else str(value)))
            view = QTableView()
            view.setModel(model)
            view.resize(470, 900)
            view.show()
            view.repaint()
            bare.view = view  # type: ignore[attr-defined]
        bares.append(timed(bare))
        bare.view.close()  # type: ignore[attr-defined]
        settle()
        windows.append(timed(lambda: windows.append(whole_window(path, []))))
        window = windows.pop(-2)
        window.close()
        window.project.close()
        settle()
    yield ratio_row(f"document list {count:,} documents", statistics.median(lists), "QStandardItemModel+QTableView",
                    statistics.median(bares), 2.0)
    yield Row(f"window with {count:,}-document list", statistics.median(windows), "QStandardItemModel+QTableView", statistics.median(bares))


def cold_project(mode: str) -> Path:
    chars, spans = switch_sizes(mode)
    return two_documents(chars, spans)


def case_cold(mode: str) -> Iterator[Row]:
    """``python main.py PROJECT`` to the first frame, in a fresh process, against a bare QMainWindow."""
    path = cold_project(mode)
    probe = str(ROOT / "benchmarks" / "first_frame.py")
    home = Path(tempfile.mkdtemp(dir=CACHE))
    # A fresh process, as a user starts the app, but with the bytecode an installed app has: pip compiles
    # it at install, and an editable checkout writes it on first run, unless PYTHONDONTWRITEBYTECODE is set
    # (as on this machine), which would time Python's compiler on every start. One unmeasured start of each
    # writes it.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update({"XDG_CONFIG_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)})

    def spawn(*args: str) -> tuple[float, float]:
        started = time.perf_counter()
        out = subprocess.run([sys.executable, probe, *args], env=env, capture_output=True, text=True, timeout=120)
        elapsed = (time.perf_counter() - started) * 1000
        line = next((x for x in out.stdout.splitlines() if x.startswith("FIRSTFRAME")), None)
        if line is None:
            raise RuntimeError(f"no first frame: {out.stderr.strip()[-300:]}")
        return elapsed, float(line.split()[1])
    spawn("bare"), spawn("app", str(path), "--reviewer", "ana")  # warm-up: bytecode written, not measured
    apps, bares = [], []
    for _ in range(repeats(mode)):
        bares.append(spawn("bare"))
        apps.append(spawn("app", str(path), "--reviewer", "ana"))
    shutil.rmtree(home, ignore_errors=True)
    app_ms, bare_ms = statistics.median(a for a, _ in apps), statistics.median(b for b, _ in bares)
    app_rss, bare_rss = statistics.median(a for _, a in apps), statistics.median(b for _, b in bares)
    yield ratio_row("cold start main.py to first frame", app_ms, "bare QMainWindow", bare_ms, 2.0)
    yield Row("resident memory after start", app_rss, "bare QMainWindow", bare_rss, target="<= +60 MiB",
              verdict=verdict(app_rss - bare_rss <= 60), unit="MiB")


AGREEMENT: dict[str, list[tuple[int, int, int, float | None]]] = {
    "quick": [(100, 3, 3_000, None)], "full": [(1000, 3, 30_000, 2.0), (4000, 50, 200_000, 30.0)]}


def case_agreement(mode: str) -> Iterator[Row]:
    """``project_agreement`` over every reviewer; the target is absolute (no floor)."""
    from annotator import Project
    from annotator.project_agreement import project_agreement

    for documents, reviewers, total, limit in AGREEMENT[mode]:
        path = reviewers_project(documents, reviewers, total)
        with Project.open(path) as project:
            seconds = timed(lambda project=project: project_agreement(project)) / 1000
        rss = peak_rss_mib()
        row = Row(f"agreement {documents:,} docs x {reviewers} reviewers, {total // 1000}k annotations", seconds, unit="s")
        if limit is not None:
            row.target = f"<= {limit:g} s" + (", 1 GB" if reviewers >= 50 else "")
            row.verdict = verdict(seconds <= limit and (reviewers < 50 or rss <= 1024))
        yield row


def merge_size(mode: str) -> tuple[int, int]:
    return (100, 3_000) if mode == "quick" else (1000, 30_000)


def their_copy(mode: str) -> Path:
    """A reviewer's copy of the project: the same documents, plus one new reviewer's annotations on each."""
    documents, annotations = merge_size(mode)
    ours = reviewers_project(documents, 3, annotations)

    def build(path: Path) -> None:
        from annotator import Project
        from annotator.history import RowChange

        shutil.copy(ours, path)
        rng = random.Random(5)
        with Project.open(path) as project:
            labels = [label.name for label in project.labels()]
            rows = []
            for document in project.documents(with_text=False):
                length = len(project.document_text(document.id))
                for _ in range(annotations // documents // 3):
                    start = rng.randrange(0, length - 50)
                    rows.append(RowChange("annotations", None, project.annotation_row(
                        document.id, start, start + rng.randint(3, 40), rng.choice(labels), annotator="omar", propose=False)))
            project.register_annotator("omar")
            project._commit("omar's work", rows)
    return cached(f"theirs-{documents}-{annotations}", build)


def case_merge(mode: str) -> Iterator[Row]:
    """``merge_project`` of a reviewer's copy against the floor: ATTACH it and INSERT OR IGNORE every table."""
    from annotator import Project
    from annotator.merge import merge_project

    documents, annotations = merge_size(mode)
    ours, theirs = reviewers_project(documents, 3, annotations), their_copy(mode)
    merges, floors = [], []
    for _ in range(repeats(mode)):
        work = Path(tempfile.mkdtemp(dir=CACHE))
        with Project.open(copy_project(ours, work)) as project:
            merges.append(timed(lambda project=project: merge_project(project, theirs)))
            added = project.counts()["annotations"]
        shutil.rmtree(work)
        work = Path(tempfile.mkdtemp(dir=CACHE))
        conn = sqlite3.connect(copy_project(ours, work))
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite%'")]

        def attach(conn: sqlite3.Connection = conn, tables: list[str] = tables) -> None:
            conn.execute("ATTACH ? AS other", (str(theirs),))
            with conn:
                for table in tables:
                    conn.execute(f'INSERT OR IGNORE INTO main."{table}" SELECT * FROM other."{table}"')
            conn.execute("DETACH other")
        floors.append(timed(attach))
        floor_count = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
        conn.close()
        shutil.rmtree(work)
    row = ratio_row(f"merge {documents:,} docs, +{annotations // 3:,} annotations", statistics.median(merges), "ATTACH+INSERT",
                    statistics.median(floors), 2.0)
    if added != floor_count:
        row.verdict += f" (merged {added:,} annotations, floor {floor_count:,})"
    yield row


def export_size(mode: str) -> tuple[int, int]:
    return (100, 30) if mode == "quick" else (1000, 100)


def export_project(mode: str) -> Path:
    documents, per = export_size(mode)
    return reviewers_project(documents, 2, documents * per, chars=3000)


def rated_project(mode: str) -> Path:
    """``export_project`` with every claim rated, the words of ``defaults.CLAIM_RATINGS`` in turn: what ClaimReview
    writes. Unrated, its export wrote ``[]`` against a floor of every claim, and measured nothing."""
    from annotator.defaults import CLAIM_RATINGS
    from annotator.store.schema import SCHEMA_VERSION

    source = export_project(mode)

    def build(path: Path) -> None:
        shutil.copyfile(source, path)
        conn = sqlite3.connect(path)
        words = json.dumps(list(CLAIM_RATINGS))
        conn.execute(f"UPDATE annotations SET attributes = json_object('rating', json_extract(?, '$[' || (rowid % "
                     f"{len(CLAIM_RATINGS)}) || ']')) WHERE label_id IN (SELECT id FROM labels WHERE role = 'claim')",
                     [words])
        conn.commit()
        conn.close()
    return cached(f"rated-{source.stem.removesuffix(f'-schema{SCHEMA_VERSION}')}", build)


EXPORT_PROJECTS = {"claimreview": rated_project}
"""Formats whose case exports a project of their own (``export_project`` for the others)."""


def case_export(mode: str) -> Iterator[Row]:
    """Every export format against its floor: json.dumps or csv.writer of the same fields (benchmarks/export_floors.py)."""
    from annotator import Project
    from annotator.exporters import FORMATS, export
    from benchmarks.export_floors import FLOORS, write_floor

    documents, per = export_size(mode)
    shared = export_project(mode)
    work = Path(tempfile.mkdtemp(dir=CACHE))
    with Project.open(shared) as opened:
        for name in FORMATS:
            # spaCy has no floor of its own (its DocBin serialisation dominates): shown against jsonl's, no target
            floor, limit = (FLOORS[name], 1.5) if name in FLOORS else (FLOORS["jsonl"], None)
            path = EXPORT_PROJECTS[name](mode) if name in EXPORT_PROJECTS else shared
            project = opened if path == shared else Project.open(path)
            floor_times, times = [], []
            try:
                for attempt in range(export_repeats(mode)):  # floor and export alternate: both see the same minutes
                    floor_times.append(written(lambda a=attempt, f=floor, name=name, path=path:
                                               write_floor(path, work / f"floor-{name}-{a}", f)))
                    times.append(written(lambda a=attempt, name=name, project=project:
                                         export(project, name, work / f"{name}-{a}")))
            except Exception as error:  # spaCy not installed: say so and go on
                yield Row(f"export {name}", None, target="<= 1.5x", verdict=f"SKIPPED ({str(error).splitlines()[0][:60]})")
                continue
            finally:
                if project is not opened:
                    project.close()
            yield ratio_row(f"export {name} {documents * per // 1000}k annotations", statistics.median(times),
                            f"{floor.writer} writer, same fields", statistics.median(floor_times), limit)
    shutil.rmtree(work, ignore_errors=True)


def export_repeats(mode: str) -> int:
    """Pairs of floor and export: five in the full run. Three of each, floors first, swung a format's ratio from
    1.0x to 1.8x between idle runs of the same code (the host's speed drifts within a minute)."""
    return 1 if mode == "quick" else 5


def html_count(mode: str) -> int:
    return 40 if mode == "quick" else 1000


def case_html(mode: str) -> Iterator[Row]:
    """Importing N HTML pages (read, extract, write) against trafilatura's extraction of the same pages alone."""
    import trafilatura

    from annotator import Project
    from annotator.importers import read_paths

    count = html_count(mode)
    folder = html_pages(count)
    files = sorted(folder.glob("*.html"))

    def alone() -> None:
        for file in files:
            trafilatura.bare_extraction(file.read_text(encoding="utf-8"), with_metadata=True, include_comments=False,
                                        include_tables=True)  # the app's options (annotator/importers/html.py)
    # trafilatura's one-time set-up (imports, compiled patterns) on one page first, so neither side pays it;
    # then the two alternate, median of repeats (one run of each swung 0.99x-1.5x on an idle machine).
    trafilatura.bare_extraction(files[0].read_text(encoding="utf-8"), with_metadata=True)
    floors, imports = [], []
    for _ in range(repeats(mode)):
        floors.append(timed(alone))
        work = Path(tempfile.mkdtemp(dir=CACHE))
        with Project.create(work / "import.db") as project:
            imports.append(timed(lambda project=project: project.import_documents(read_paths([folder])[0])))
            documents = project.counts()["documents"]
        shutil.rmtree(work, ignore_errors=True)
    floor, imported = statistics.median(floors), statistics.median(imports)
    row = ratio_row(f"import {count:,} HTML pages", imported, "trafilatura alone", floor, 1.2)
    if documents != count:
        row.verdict += f" ({documents} of {count} imported)"
    yield row


@dataclass
class Case:
    run: Callable[[str], Iterator[Row]]
    build: Callable[[str], object]
    budget: dict[str, float]  # seconds, by mode


CASES: dict[str, Case] = {
    "open": Case(case_open, build_open, {"quick": 60, "full": 300}),
    "switch": Case(case_switch, lambda m: two_documents(*switch_sizes(m)), {"quick": 60, "full": 150}),
    "edit": Case(case_edit, lambda m: figures_project(*edit_sizes(m)), {"quick": 90, "full": 180}),
    "list": Case(case_list, lambda m: many_documents(list_size(m)), {"quick": 60, "full": 120}),
    "cold": Case(case_cold, cold_project, {"quick": 60, "full": 120}),
    "agreement": Case(case_agreement, lambda m: [reviewers_project(*a[:3]) for a in AGREEMENT[m]], {"quick": 60, "full": 240}),
    "merge": Case(case_merge, their_copy, {"quick": 60, "full": 120}),
    "export": Case(case_export, export_project, {"quick": 60, "full": 600}),
    "html": Case(case_html, lambda m: html_pages(html_count(m)), {"quick": 60, "full": 180}),
}


# -- the runner -----------------------------------------------------------------------------------

def worker(name: str, mode: str, phase: str) -> None:
    case = CASES[name]
    if phase == "build":
        case.build(mode)
        return
    for row in case.run(mode):
        emit(row)
    sys.stdout.flush()
    os._exit(0)  # measured: skip Qt's teardown of windows and caches, which is not part of any case


def run_case(name: str, mode: str) -> list[Row]:
    """Build, then measure, each in a subprocess killed at the case's budget; a killed case is SKIPPED, not hung."""
    budget = CASES[name].budget[mode]
    home = CACHE / "home"  # the app's settings and daily backups go here, never to the user's folders
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "ANNOTATOR_BENCH_CACHE": str(CACHE),
           **{f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("CONFIG", "DATA", "CACHE", "STATE")}}
    rows: list[Row] = []
    for phase in ("build", "run"):
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, __file__, "--worker", name, "--mode", mode, "--phase", phase],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            out, err = process.communicate(timeout=budget)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            rows += parse_rows(out)
            reached = time.perf_counter() - started
            rows.append(Row(f"{name} ({phase})", None, verdict=f"SKIPPED (too slow: stopped at {reached:.0f} s)"))
            return rows
        rows += parse_rows(out)
        (CACHE / f"settings-{process.pid}.ini").unlink(missing_ok=True)  # whole_window's, one per worker
        if process.returncode != 0:
            last = (err.strip().splitlines() or ["no output"])[-1]
            rows.append(Row(f"{name} ({phase})", None, verdict=f"ERROR {last[:100]}"))
            return rows
    return rows


def parse_rows(out: str) -> list[Row]:
    return [Row(**json.loads(line[4:])) for line in out.splitlines() if line.startswith("ROW ")]


def number(value: float | None, unit: str = "ms") -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:.1f}" if value < 1000 else f"{value:,.0f}"


def table(rows: list[Row]) -> str:
    """A Markdown table: readable in the terminal and pasted as is into docs/performance.md."""
    head = ["case", "figure (ms)", "floor / peer", "floor (ms)", "ratio", "p50", "p95", "peak RSS", "target", "result"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows:
        cells = [row.case, number(row.figure, row.unit), row.floor_name or "—", number(row.floor, row.unit),
                 f"{row.ratio:.2f}x" if row.ratio is not None else "—", number(row.p50), number(row.p95),
                 f"{row.rss_mib:.0f} MiB" if row.rss_mib else "—", row.target or "—", row.verdict or "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (CI smoke, under 2 minutes)")
    parser.add_argument("--case", choices=sorted(CASES), action="append", help="run only this case (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the rows here (benchmarks/plot.py reads them)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="full", help=argparse.SUPPRESS)
    parser.add_argument("--phase", default="run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.mode, args.phase)
        return
    mode = "quick" if args.quick else "full"
    rows: list[Row] = []
    started = time.perf_counter()
    for name in args.case or list(CASES):
        print(f"running {name} ({mode}, budget {CASES[name].budget[mode]:.0f} s)…", file=sys.stderr, flush=True)
        rows += run_case(name, mode)
    print(table(rows))
    print(f"\n{mode} run, {time.perf_counter() - started:.0f} s, {os.cpu_count()} cores, cache {CACHE}")
    if args.json:
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=1))


if __name__ == "__main__":
    main()
