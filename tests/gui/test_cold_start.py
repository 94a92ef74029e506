"""Starting fast: the first frame comes before the restored panes and the modules it does not need."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator import Project
from ui.recent import recent_projects

ROOT = Path(__file__).resolve().parents[2]

# Run main.py as a user does, and at the first frame (a 0 ms timer after the window shows, as
# benchmarks/first_frame.py) print what is loaded and open; then once more after the panes came.
PROBE = textwrap.dedent("""
    import gc, runpy, sys
    import PySide6.QtWidgets, PySide6.QtGui, PySide6.QtCore
    from PySide6.QtCore import QTimer
    import ui.app, ui.input_pause

    original = ui.app.open_window

    def wrapped(*args, **kwargs):
        window = original(*args, **kwargs)

        def first_frame():
            print("MODULES", " ".join(sorted(sys.modules)), flush=True)
            print("PANES", len(window.panes.panes()), window.panes.hint.text(), flush=True)
            print("QT", " ".join(sorted(vars(PySide6.QtWidgets))), flush=True)
            print("QTGUI", " ".join(sorted([*vars(PySide6.QtGui), *vars(PySide6.QtCore)])), flush=True)
            print("COLLECTING", gc.isenabled(), ui.input_pause._watch is not None, flush=True)
            QTimer.singleShot(0, lambda: QTimer.singleShot(0, later))

        def later():
            print("LATER", len(window.panes.panes()), flush=True)
            print("AFTER", gc.isenabled(), ui.input_pause._watch is not None, flush=True)
            sys.stdout.flush()
            import os
            os._exit(0)

        QTimer.singleShot(0, first_frame)
        return window

    ui.app.open_window = wrapped
    sys.argv = ["main.py", *sys.argv[1:]]
    runpy.run_path("main.py", run_name="__main__")
""")

# Built after the first frame (or when first used), never before it.
LAZY = ["ui.figures_dock", "ui.claims_dock", "ui.search_dock", "ui.annotation_table", "ui.inspector", "ui.entities_dock",
        "ui.lazy", "ui.document_pane", "ui.document_view", "ui.highlighter", "ui.find_bar", "ui.span_index",
        "rapidfuzz", "psycopg", "annotator.importers", "uuid", "platform", "hashlib", "html", "getpass",
        "annotator.merge", "annotator.agreement", "trafilatura", "numpy", "annotator.figures", "platformdirs",
        "ui.restore_dialog", "annotator.backups"]
# Qt classes PySide6 has not made yet (making one makes its enums, ~1 ms each): the dialogs, and the
# style (app.setStyle hands Python a QStyle; the app passes -style to QApplication instead).
LAZY_QT = ["QFileDialog", "QMessageBox", "QInputDialog", "QProgressDialog", "QDialogButtonBox",
           "QStyle", "QWizard", "QSpinBox", "QFormLayout", "QTextEdit", "QPlainTextEdit"]


def test_first_frame_paints_before_the_restored_panes_and_without_the_lazy_modules(project_path, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(project_path), "--reviewer", "ana"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in out.stdout.splitlines() if " " in line}
    assert "MODULES" in lines, out.stderr
    loaded = set(lines["MODULES"].split())
    assert "ui.main_window" in loaded
    assert [name for name in LAZY if name in loaded] == []
    made = set(lines["QT"].split())
    assert "QMainWindow" in made and "QDockWidget" in made
    assert [name for name in LAZY_QT if name in made] == []
    made_gui = set(lines["QTGUI"].split())
    assert "QColor" in made_gui
    # QIcon and QPixmap: an icon overload tried (QAction(text, parent), addAction(action)); the painting
    # classes: the connectors draw nothing at start
    later_gui = ("QTextCursor", "QTextCharFormat", "QProcess", "QIcon", "QPixmap", "QPainter", "QRegion", "QCursor")
    assert [name for name in later_gui if name in made_gui] == []
    # No Python handler is handed a bare QEvent before the first frame (event filters, changeEvent):
    # the first one makes PySide6 create every QEvent subclass (~50 types) to find its most derived one.
    storm = ("QWindowStateChangeEvent", "QWheelEvent", "QTabletEvent", "QStatusTipEvent", "QChildEvent")
    assert [name for name in storm if name in made_gui] == []
    assert [name for name in made if name.startswith("QGraphicsScene")] == []
    # no garbage collection and no application-wide input filter until after the first frame
    assert lines["COLLECTING"] == "False False"
    assert lines["AFTER"] == "True True"
    assert lines["PANES"].startswith("0 Opening the documents you had open")
    assert lines["LATER"] == "2"  # the first start shows the project's first two documents


def test_the_app_start_restores_the_panes_after_the_first_frame(qtbot, project_path, settings):
    from ui.app import open_window

    window = open_window(project_path, "ana", None, settings, first_frame_first=True)
    qtbot.addWidget(window)
    assert window.panes.panes() == []
    qtbot.waitExposed(window)
    window.activateWindow()
    with Project.open(project_path) as project:
        first_two = [d.id for d in project.documents(with_text=False)][:2]
    qtbot.waitUntil(lambda: [p.document_id for p in window.panes.panes()] == first_two)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.panes.panes()[0].view)
    # File ▸ Open Recent learns the project after the first frame too
    qtbot.waitUntil(lambda: project_path.resolve() in [p.resolve() for p in recent_projects()])
    window.close()
    window.project.close()


def test_a_window_closed_before_its_panes_came_opens_none(qtbot, project_path, settings):
    from ui.app import open_window

    window = open_window(project_path, "ana", None, settings, first_frame_first=True)
    window.close()
    window.project.close()
    qtbot.wait(50)  # the deferred opening runs and must not read the closed project
    assert window.panes.panes() == []


def test_the_side_docks_come_after_the_first_frame_without_moving_anything(qtbot, project_path, settings):
    from ui.main_window import MainWindow
    from ui.placeholder import Placeholder

    window = open_window_at_start(project_path, settings)
    qtbot.addWidget(window)
    first: dict[str, object] = {}

    def first_frame() -> None:  # as benchmarks/first_frame.py: a 0 ms timer after the window shows
        first["placeholders"] = [type(dock.widget()) for dock in (window.annotations_dock, window.entities_dock)]
        first["side"] = window._side
        first["geometries"] = geometries(window)

    QTimer.singleShot(0, first_frame)
    qtbot.waitUntil(lambda: "side" in first)
    assert first["side"] is None
    assert first["placeholders"] == [Placeholder, Placeholder]
    before = first["geometries"]
    qtbot.waitUntil(lambda: window._side is not None and len(window.panes.panes()) == 2)
    QApplication.processEvents()
    assert window.annotations_dock.widget() is window.table
    assert window.entities_dock.widget() is window.entities
    assert window.inspector_dock.widget().widget() is window.inspector
    assert window.table.model.document_id == window.panes.current.document_id
    # the panes went in where the first frame had them: the same sizes for every dock and the panes
    after = geometries(window)
    assert after == before
    assert isinstance(window, MainWindow)
    window.close()
    window.project.close()


def test_placeholders_answer_their_contents_size_hints(qtbot, project_path):
    from ui.annotation_table import AnnotationTable
    from ui.entities_dock import EntitiesDock
    from ui.placeholder import ANNOTATIONS, ENTITIES
    from ui.session import Session

    with Project.open(project_path) as project:
        session = Session(project, "ana")
        for kind, hints in ((AnnotationTable, ANNOTATIONS), (EntitiesDock, ENTITIES)):
            widget = kind(session)
            qtbot.addWidget(widget)
            answered = (widget.sizeHint().toTuple(), widget.minimumSizeHint().toTuple())
            assert answered == hints, kind.__name__


def test_the_side_docks_are_built_when_a_script_asks_for_them(qtbot, project_path, settings):
    window = open_window_at_start(project_path, settings)
    qtbot.addWidget(window)
    assert window._side is None
    assert window.table.model is not None  # built on first use, in place
    assert window.annotations_dock.widget() is window.table
    window.close()
    window.project.close()


def open_window_at_start(project_path, settings):
    from ui.app import open_window

    return open_window(project_path, "ana", None, settings, first_frame_first=True)


def geometries(window) -> list[tuple[int, int, int, int]]:
    return [w.geometry().getRect() for w in [window.panes, *window.docks] if w.isVisible()]


def test_a_start_like_the_last_one_does_not_rewrite_the_settings_file(settings, tmp_path):
    """Same project, same reviewer: nothing to write (Qt would rewrite and fdatasync the file twice
    in the first pass of the event loop, before the first frame); a different one is written."""
    from ui.app import set_if_changed

    set_if_changed(settings, "reviewer", "ana")
    settings.sync()
    path = Path(settings.fileName())
    written = path.stat().st_mtime_ns, path.read_text()
    path.write_text(written[1])  # the same text, an mtime of its own: a rewrite would change it
    before = path.stat().st_mtime_ns
    set_if_changed(settings, "reviewer", "ana")
    settings.sync()
    assert path.stat().st_mtime_ns == before
    set_if_changed(settings, "reviewer", "ben")
    settings.sync()
    assert "ben" in path.read_text()
    assert settings.value("reviewer") == "ben"
