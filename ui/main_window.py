"""The main window: document list, panes side by side, palette, annotation table, inspector."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

import annotator
from annotator import Project
from annotator.errors import AnnotatorError, Cancelled, ConflictError, WriteError
from annotator.history import Change, Origin
from annotator.words import narrow, widen
from ui import input_pause
from ui.actions import ACTIONS, build_actions, shortcut_rows
from ui.daily_backup import start_daily_backups
from ui.document_list import DocumentList
from ui.layer_view import LayerControl
from ui.palette import LabelPalette, palette_keys
from ui.pane_area import MAX_PANES, PaneArea
from ui.placeholder import ANNOTATIONS, ENTITIES, Placeholder
from ui.session import Session
from ui.team_sync import TeamSync

if TYPE_CHECKING:  # the events only annotate handlers: PySide6 makes each class when it is imported
    from PySide6.QtCore import QProcess
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QHideEvent, QMoveEvent, QResizeEvent, QShowEvent
    from PySide6.QtWidgets import QMessageBox

    from ui.annotation_table import AnnotationTable
    from ui.claims_dock import ClaimsDock
    from ui.compare_window import CompareWindow
    from ui.document_pane import DocumentPane
    from ui.entities_dock import EntitiesDock
    from ui.figures_dock import FiguresDock
    from ui.inspector import Inspector
    from ui.search_dock import SearchDock

# Dialogs, importers, merging, agreement and comparison are imported where they are used, not here:
# together they cost more than the window itself at start-up (trafilatura, numpy, krippendorff).
# Qt's dialogs too: PySide6 makes a Qt class's enums when the class is first imported.

IMPORT_FILTER = "Documents (*.txt *.md *.html *.htm *.docx *.pdf *.jsonl);;All files (*)"


LOCK_WAIT_SECONDS = 0.25
LAYOUT_SAVE_MS = 800


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0
MINIMUM_SIZE = QSize(760, 480)  # well under a 1280x720 laptop screen


def default_size(available: QSize) -> QSize:
    """The first window: roomy on a large screen, never larger than the screen it opens on."""
    frame = 40  # the title bar and borders the window manager adds around it
    return QSize(min(1500, available.width()), min(920, available.height() - frame)).expandedTo(MINIMUM_SIZE)


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a scroll area that only scrolls vertically: its height never pushes the window."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumHeight(120)
    return area


PANE_ACTIONS = frozenset({"undo", "redo", "delete", "next_annotation", "previous_annotation", "widen_end", "narrow_end",
                          "widen_start", "narrow_start", "find_next", "find_previous", "zoom_in", "zoom_out", "zoom_reset"})
"""Actions a reviewer presses in bursts in a pane, which change only what the pane paints at once:
the docks follow them when input pauses. Every other action first brings the docks up to date."""


CHECKPOINT_NOW_ROWS = 500
"""A change this large (an import, a merge, annotate-all) checkpoints the WAL at once, inside the wait it
already makes the reviewer sit through; a key press's few rows wait for a pause (``_checkpoint_when_paused``)."""


class Dock(QDockWidget):
    """A dock that calls ``moved`` when it is resized, shown or hidden (the layout is saved, debounced).
    Typed handlers, not an event filter on each dock: the first event a Python filter is handed makes
    PySide6 create the type of every QEvent subclass (~50) to find its most derived one, ~7 ms before
    the first frame."""

    def __init__(self, title: str, parent: QWidget, moved: Callable[[], None]) -> None:
        super().__init__(title, parent)
        self._moved = moved

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._moved()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._moved()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._moved()


class MainWindow(QMainWindow):
    label_bar: LabelPalette  # the toolbar of label buttons (not ``palette``: that would hide QWidget.palette())
    menus_: dict[str, QMenu]  # set by ui/actions.build_actions
    datasette_process: QProcess | None = None  # File ▸ Browse in Datasette's server (ui/datasette_launch.py)

    def __init__(self, project: Project, reviewer: str, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.session = Session(project, reviewer)
        self.project = project
        self._show_title()
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(default_size(self.screen().availableGeometry().size()))
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        self.docks: list[QDockWidget] = []
        self.panes = PaneArea(self.session)
        self.setCentralWidget(self.panes)
        self.documents = DocumentList(self.session)
        left = self._dock("Documents", self.documents, Qt.DockWidgetArea.LeftDockWidgetArea)
        # The annotation table, the inspector and the entities are built after the first frame (or
        # when first used: see _build_side_docks); until then each dock holds a placeholder with
        # their size hints, so the first frame's layout is final and the panes do not rewrap.
        self._side: tuple[AnnotationTable, Inspector, EntitiesDock] | None = None
        # A long form (a Figure's seven attributes) scrolls inside the dock instead of growing the window.
        right = self._dock("Inspector", scrolling(QWidget()), Qt.DockWidgetArea.RightDockWidgetArea)
        self.inspector_dock = right
        annotations_dock = self._dock("Annotations", Placeholder(ANNOTATIONS), Qt.DockWidgetArea.RightDockWidgetArea)
        entities_dock = self._dock("Entities", Placeholder(ENTITIES), Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(annotations_dock, entities_dock)
        annotations_dock.raise_()
        self.entities_dock = entities_dock
        # The bottom docks start hidden: their contents (and the cross-source code they import) are
        # built after the first frame, or at once when shown or asked for (see _build_bottom_docks).
        self._bottom: tuple[FiguresDock, ClaimsDock, SearchDock] | None = None
        self.figures_dock = self._dock("Figures", QWidget(), Qt.DockWidgetArea.BottomDockWidgetArea)
        self.claims_dock = self._dock("Claims", QWidget(), Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.figures_dock, self.claims_dock)
        self.figures_dock.hide()
        self.claims_dock.hide()
        self.search_dock = self._dock("Search", QWidget(), Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.figures_dock, self.search_dock)
        self.search_dock.hide()
        for dock in (self.figures_dock, self.claims_dock, self.search_dock):
            dock.visibilityChanged.connect(lambda visible: self._build_bottom_docks() if visible else None)
        # two passes of the event loop: the first shows the first frame
        QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self._build_side_docks_later))
        QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self._build_bottom_docks_later))
        self.linked_ids: set[str] = set()
        self.documents_dock = left
        self.annotations_dock = annotations_dock
        self.default_docks()

        self.label_bar = LabelPalette()
        self.label_bar.label_chosen.connect(self.apply_label)
        self.layers = LayerControl(self.session, self)
        self.view_filter = self.layers.combo
        toolbar = QToolBar("Labels")
        toolbar.setObjectName("LabelsToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.label_bar)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy())
        toolbar.addWidget(spacer)
        toolbar.addWidget(QLabel("Show: "))
        toolbar.addWidget(self.view_filter)
        toolbar.addWidget(self.layers.legend)
        self.addToolBar(toolbar)

        self.reviewer_label = QLabel()
        self.reviewer_label.setObjectName("Reviewer")
        self.reviewer_label.setToolTip("Switch reviewer: Ctrl+R")
        self.counts_label = QLabel()
        self.saved_label = QLabel("All changes saved")
        self.saved_label.setObjectName("Saved")
        self._saved_timer = QTimer(self)  # owned by the window: never fires after it is gone
        self._saved_timer.setSingleShot(True)
        self._saved_timer.setInterval(1500)
        self._saved_timer.timeout.connect(lambda: self.saved_label.setText("All changes saved"))
        self.statusBar().addWidget(self.reviewer_label)
        self.statusBar().addWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.panes.connectors.legend_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self._daily_timer = start_daily_backups(self)

        self.actions_ = build_actions(self, {spec.id: self._handler(spec.id) for spec in ACTIONS})
        self.label_actions: list[QAction] = []
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("OpenRecent")
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        file_menu = self.menus_["&File"]
        file_menu.insertMenu(self.actions_["import_documents"], self.recent_menu)
        view_menu = self.menus_["&View"]
        view_menu.insertMenu(self.actions_["next_layer"], self.layers.menu)
        self.layers.colors_changed = self._layer_colors_changed
        # filled when it opens (aboutToShow), and once after the first frame: reading the list waits
        QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self.fill_recent_menu))
        self.setAcceptDrops(True)  # files dropped on the window are imported like File ▸ Import
        self.panes.set_zoom(_int(self.settings.value("zoom", 0)))
        # The dock layout and each pane's place in its text are saved as they change (debounced),
        # not only on a clean close: a crash or a killed session keeps them.
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(LAYOUT_SAVE_MS)
        self._layout_timer.timeout.connect(self.save_layout)
        # the docks made above (findChildren would hand Python every Qt-made child of the window,
        # and PySide6 would make every QObject class to type them, before the first frame)
        for dock in self.docks:
            dock.dockLocationChanged.connect(self._layout_changed)
            dock.topLevelChanged.connect(self._layout_changed)
        self._tops: dict[str, int] = {}  # document id -> where its pane was last, kept when the pane closes
        self.panes.scrolled.connect(self._pane_scrolled)
        self.actions_["snap"].setChecked(self.session.snap_to_words)
        connectors_on = str(self.settings.value("connectors", True)).lower() not in ("false", "0")
        self.actions_["show_connectors"].setChecked(connectors_on)
        self.panes.connectors.set_enabled(connectors_on)
        self.session.snap_changed.connect(self.actions_["snap"].setChecked)

        self.documents.open_requested.connect(self.open_document)
        self.documents.jump_requested.connect(self.open_at)
        self.panes.current_changed.connect(self._current_pane_changed)
        self.panes.panes_changed.connect(self._layout_changed)  # saved with the layout: no file written in an open's first frame
        self.session.changed.connect(self._on_change)
        self.session.reviewer_changed.connect(self._on_reviewer_changed)
        self.session.selection_changed.connect(lambda _: self._update_actions())
        self._refresh_labels()  # the Show layers were filled by LayerControl above
        self._update_status()
        self._update_actions()

        # Other writers (a second window, the CLI, sqlite3): look every second and on focus. A
        # write waits at most a quarter of a second for another program's lock, then says so.
        self.project.set_busy_timeout(LOCK_WAIT_SECONDS)
        # SQLite's WAL checkpoint runs in this timer once input pauses, not inside a key press's commit.
        self.project.checkpoint_when_asked()
        self._logged = False  # written since the last checkpoint?
        self._watch = QTimer(self)
        self._watch.setInterval(1000)
        self._watch.timeout.connect(self.check_other_writers)
        self._watch.timeout.connect(self._checkpoint_when_paused)
        self._watch.start()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusWindowChanged.connect(self._focus_moved)  # disconnected when the window goes
        self._error_box: QMessageBox | None = None
        self.team = TeamSync(self)  # Team ▸ Sync off the GUI thread, and its status-bar indicator
        self.statusBar().addPermanentWidget(self.team.indicator)

    def _build_side_docks(self) -> tuple[AnnotationTable, Inspector, EntitiesDock]:
        """The Annotations, Inspector and Entities docks' contents, built once in place of their
        placeholders (the docks keep their sizes), then brought up to the window's state."""
        if self._side is None:
            from ui.annotation_table import AnnotationTable
            from ui.entities_dock import EntitiesDock
            from ui.inspector import Inspector

            table, inspector, entities = AnnotationTable(self.session), Inspector(self.session), EntitiesDock(self.session)
            self._side = (table, inspector, entities)
            area = self.inspector_dock.widget()
            assert isinstance(area, QScrollArea)
            area.takeWidget().deleteLater()
            area.setWidget(inspector)
            for dock, widget in ((self.annotations_dock, table), (self.entities_dock, entities)):
                placeholder = dock.widget()
                dock.setWidget(widget)
                placeholder.deleteLater()
            table.jump_requested.connect(self.jump_to)
            inspector.error.connect(lambda message: self.statusBar().showMessage(message, 6000))
            inspector.link_requested.connect(self.do_link)
            inspector.entity_requested.connect(self.do_link_entity)
            inspector.jump_requested.connect(self.reveal)
            entities.mentions_highlighted.connect(self._highlight_mentions)
            entities.mention_activated.connect(self.reveal)
            # what the window shows already: the current pane's rows, the selected annotation
            if self.panes.current is not None:
                table.show_document(self.panes.current.document_id)
            if self.session.selected is not None:
                inspector.show_annotation(self.session.selected)
        return self._side

    def _build_side_docks_later(self) -> None:
        """After the first frame, unless the window was closed (and its project with it) meanwhile."""
        if not self.project.closed:
            self._build_side_docks()

    @property
    def table(self) -> AnnotationTable:
        return self._build_side_docks()[0]

    @property
    def inspector(self) -> Inspector:
        return self._build_side_docks()[1]

    @property
    def entities(self) -> EntitiesDock:
        return self._build_side_docks()[2]

    def _build_bottom_docks(self) -> tuple[FiguresDock, ClaimsDock, SearchDock]:
        """The Figures, Claims and Search docks' contents, built once (they follow changes from then on)."""
        if self._bottom is None:
            from ui.claims_dock import ClaimsDock
            from ui.figures_dock import FiguresDock
            from ui.search_dock import SearchDock

            figures, claims, search = FiguresDock(self.session), ClaimsDock(self.session), SearchDock(self.session)
            self._bottom = (figures, claims, search)
            for dock, widget in ((self.figures_dock, figures), (self.claims_dock, claims), (self.search_dock, search)):
                placeholder = dock.widget()
                dock.setWidget(widget)
                placeholder.deleteLater()
            figures.jump_requested.connect(self.reveal)
            claims.jump_requested.connect(self.reveal)
            search.hit_activated.connect(self.open_at)
        return self._bottom

    def _build_bottom_docks_later(self) -> None:
        """After the first frame, unless the window was closed (and its project with it) meanwhile."""
        if self.isVisible() and not self.project.closed:
            self._build_bottom_docks()

    @property
    def figures(self) -> FiguresDock:
        return self._build_bottom_docks()[0]

    @property
    def claims(self) -> ClaimsDock:
        return self._build_bottom_docks()[1]

    @property
    def search(self) -> SearchDock:
        return self._build_bottom_docks()[2]

    def check_other_writers(self) -> None:
        """Bring every view up to date with what other programs wrote to the project file."""
        try:
            change = self.project.poll_external()
        except AnnotatorError as error:
            self.statusBar().showMessage(str(error), 6000)
            return
        if change is not None:
            self.statusBar().showMessage(f"Updated: {len(change.rows)} change(s) made by another program", 4000)

    def _checkpoint_when_paused(self) -> None:
        """Copy the WAL into the file while the reviewer is not typing (a few pages each time)."""
        if self._logged and input_pause.wait_ms() == 0:
            self._logged = False
            self.project.checkpoint()

    def _focus_moved(self) -> None:
        """The app's focus window changed: when it is now this window, look for other writers' rows at
        once. A signal, not ``changeEvent``: the first event a Python handler is handed as a bare
        QEvent makes PySide6 create the type of every QEvent subclass (~50), ~7 ms before the first frame."""
        if self.isActiveWindow() and not self.project.closed:
            self.check_other_writers()

    def report_error(self, error: AnnotatorError, what: str = "") -> None:
        """One place for errors of the user's own actions: a write that was not stored is never
        silent (a dialog that does not block), anything else a status message."""
        from PySide6.QtWidgets import QMessageBox

        message = f"{what}: {error}" if what else str(error)
        self.statusBar().showMessage(message, 8000)
        if isinstance(error, WriteError | ConflictError):
            if self._error_box is None:
                self._error_box = QMessageBox(QMessageBox.Icon.Warning, "Not stored", "", QMessageBox.StandardButton.Ok, self)
                self._error_box.setWindowModality(Qt.WindowModality.NonModal)
                # shown without taking the keyboard: the reviewer can retry with the same key
                self._error_box.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            self._error_box.setText(message)
            self._show_saved(False)
            focus = QApplication.focusWidget()
            self._error_box.show()
            self.activateWindow()
            if focus is not None:
                focus.setFocus()
            self._update_actions()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = Dock(title, self, self._dock_moved)
        self.docks.append(dock)
        dock.setObjectName(f"{title}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    # -- layout, zoom, recent projects, dropped files ----------------------------------------------

    def _dock_moved(self) -> None:
        if hasattr(self, "_layout_timer"):  # not while the window is being built
            self._layout_changed()

    def _layout_changed(self, *_: object) -> None:
        self._layout_timer.start()

    def _pane_scrolled(self) -> None:
        """Note each pane's place now: a pane closed before the debounced save still keeps it."""
        for pane in self.panes.panes():
            self._tops[pane.document_id] = pane.top_offset()
        self._layout_changed()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if hasattr(self, "_layout_timer"):
            self._layout_changed()

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        if hasattr(self, "_layout_timer"):
            self._layout_changed()

    def save_layout(self) -> None:
        """Window geometry, docks, open panes and where each pane is in its text."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self._save_panes()
        for pane in self.panes.panes():
            self._tops[pane.document_id] = pane.top_offset()
        for document_id, top in self._tops.items():
            self.settings.setValue(self._scroll_key(document_id), top)
        self.settings.sync()

    def _scroll_key(self, document_id: str) -> str:
        return self._panes_key() + "/scroll/" + document_id

    def _restore_scroll(self, pane: DocumentPane) -> None:
        offset = self._tops.get(pane.document_id, self.settings.value(self._scroll_key(pane.document_id)))
        if offset is not None and _int(offset) > 0 and shiboken6.isValid(pane) and pane.view.verticalScrollBar().value() == 0:
            pane.scroll_to_offset(_int(offset))  # unless it was scrolled meanwhile (a jump to an annotation); 0: already there

    def _zoom(self, steps: int | None) -> None:
        self.panes.set_zoom(0 if steps is None else self.panes.zoom + steps)
        self.settings.setValue("zoom", self.panes.zoom)

    def do_zoom_in(self) -> None:
        self._zoom(1)

    def do_zoom_out(self) -> None:
        self._zoom(-1)

    def do_zoom_reset(self) -> None:
        self._zoom(None)

    def do_focus_note(self) -> None:
        if self.inspector.annotation is None:
            self.statusBar().showMessage("Select an annotation first (click it, or Tab to it)", 4000)
            return
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.inspector.note.setFocus()

    def do_focus_inspector(self) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        target = self.inspector.label if self.inspector.annotation is not None else self.inspector
        target.setFocus()

    def fill_recent_menu(self) -> None:
        """The projects opened last; one that no longer exists is listed greyed out."""
        from ui.recent import recent_projects
        self.recent_menu.clear()
        current = Path(self.project.path).resolve()
        paths = [p for p in recent_projects() if p != current]
        for number, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{number % 10}  {path.name}  —  {path.parent}")
            action.setData(str(path))
            if path.exists():
                action.triggered.connect(lambda _=False, p=str(path): self._switch_project(p))
            else:
                action.setEnabled(False)
                action.setText(action.text() + "  (missing)")
        if not paths:
            self.recent_menu.addAction("No other projects opened yet").setEnabled(False)
        self.recent_menu.addSeparator()
        self.recent_menu.addAction(self.actions_["clear_recent"])

    def do_clear_recent(self) -> None:
        from ui.recent import forget_missing
        forget_missing()
        self.fill_recent_menu()

    @staticmethod
    def _dropped_files(event: QDropEvent | QDragEnterEvent) -> list[str]:
        mime = event.mimeData()
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Files dropped on the window go through File ▸ Import (same reading, warnings, one undo step)."""
        paths = self._dropped_files(event)
        if not paths:
            return super().dropEvent(event)
        event.acceptProposedAction()
        QTimer.singleShot(0, lambda: self.import_paths(paths))  # not inside the drag: the source is waiting

    def default_docks(self) -> None:
        """Dock sizes that leave the text most of the window: the lists a quarter each side, the
        inspector over the annotation table, the bottom tables tall enough for several rows."""
        width, height = self.width(), self.height()
        self.resizeDocks([self.documents_dock, self.inspector_dock], [max(220, width * 20 // 100), max(280, width * 24 // 100)],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.inspector_dock, self.annotations_dock], [height * 55 // 100, height * 30 // 100],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.figures_dock], [max(220, height * 35 // 100)], Qt.Orientation.Vertical)

    # -- state -----------------------------------------------------------------------------------

    def restore(self, open_ids: list[str] | None = None) -> None:
        """Open the documents asked for, else restore the last session's layout and panes."""
        self.restore_layout()
        self.open_panes(open_ids)

    def restore_layout(self) -> None:
        """The last session's geometry and docks: before the window shows, so it never jumps."""
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if not (isinstance(state, QByteArray) and self.restoreState(state)):
            self.default_docks()

    def open_panes_after_first_frame(self) -> None:
        """At start-up the window paints first and the last session's documents open on the next
        pass of the event loop: their text and highlighting cost more than the rest of the window."""
        self.panes.hint.setText("Opening the documents you had open…")

        def later() -> None:
            if self.project.closed or self.panes.panes():  # closed, or a document opened by hand meanwhile
                return
            self.open_panes(None)
            if not self.panes.panes():
                self.panes._show_hint()

        QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, later))

    def open_panes(self, open_ids: list[str] | None = None) -> None:
        """Open the documents asked for, else the last session's panes (the first two on a first start)."""
        restoring = open_ids is None
        # read before opening: each pane opened saves itself as the current one (in a shown window)
        last = self.settings.value(self._panes_key() + "/current") if restoring else None
        if open_ids is None:
            documents = [d.id for d in self.project.documents(with_text=False)]
            if not self.settings.contains(self._panes_key()):  # first time with this project: show some at once
                open_ids = documents[:2]
            else:
                saved = self.settings.value(self._panes_key(), [])
                open_ids = [i for i in (saved if isinstance(saved, list) else [saved]) if i in set(documents)]
        for document_id in open_ids[:MAX_PANES]:
            pane = self.panes.open(self.project.resolve_document(document_id), focus=False)
            if pane is not None and restoring:
                QTimer.singleShot(0, lambda p=pane: self._restore_scroll(p))  # once laid out at its width
        panes = self.panes.panes()
        if panes:
            first = panes[0]
            if restoring:  # the document worked on last comes back focused
                first = next((p for p in panes if p.document_id == last), first)
            self.panes.set_current(first)
            first.view.setFocus()
            first.view.moveCursor(first.view.textCursor().MoveOperation.Start)

    def _panes_key(self) -> str:
        """Per project file; resolved once (it is asked on every pane switch, and resolving reads the disk)."""
        key = getattr(self, "_panes_key_cached", None)
        if key is None:
            key = self._panes_key_cached = "panes/" + str(Path(self.project.path).resolve()).replace("/", "|")
        return key

    def _save_panes(self) -> None:
        self.settings.setValue(self._panes_key(), [p.document_id for p in self.panes.panes()])
        if self.panes.current is not None:
            self.settings.setValue(self._panes_key() + "/current", self.panes.current.document_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._watch.stop()
        self.team.shutdown()
        self._layout_timer.stop()
        if self._side is not None:
            self._side[1].show_annotation(None)  # saves a note being typed
        self.save_layout()
        self.settings.setValue("reviewer", self.session.reviewer)
        self.settings.sync()
        # Background work (spans read in idle steps, table slices, polling) stops with the window: the
        # project is closed next, and a timer firing after that would read a closed database.
        for timer in self.findChildren(QTimer):
            timer.stop()
        self.session.close()  # its dock queue and project subscription are not the window's children: nothing reaches a closed project
        super().closeEvent(event)

    # -- keeping views current ---------------------------------------------------------------

    def _on_reviewer_changed(self, _reviewer: str) -> None:
        self._fill_view_filter()
        self._update_status()

    def _handler(self, name: str) -> Callable[[], None]:
        """An action's handler; those that may read a dock first let the docks catch up with the pane
        (ui/dock_updates.py), the pane's own keys do not wait for them."""
        handler = getattr(self, f"do_{name}")
        if name in PANE_ACTIONS:
            return handler

        def after_docks() -> None:
            self.session.docks.flush()
            handler()
        return after_docks

    def _on_change(self, change: Change) -> None:
        if change.of("labels"):
            self._refresh_labels()
        # a new reviewer or the first gold annotation: the Show control (ui/layer_view.py) sees to it
        self._update_status()
        self._update_actions()
        if change.origin is not Origin.EXTERNAL:
            self._show_saved(True)
            self._logged = True
            if len(change.rows) >= CHECKPOINT_NOW_ROWS:  # an import, a merge: its wait, as before, not the next pause's
                self._logged = False
                self.project.checkpoint()

    def _show_saved(self, saved: bool) -> None:
        """The status bar's promise: "All changes saved" only when the last write was stored."""
        text = "Saved ✓" if saved else "⚠ Last change not stored"
        if self.saved_label.text() != text or self.saved_label.property("failed") != (not saved):  # restyled per key press otherwise
            self.saved_label.setProperty("failed", not saved)
            self.saved_label.setText(text)
            self.saved_label.style().unpolish(self.saved_label)
            self.saved_label.style().polish(self.saved_label)
        if saved:
            self._saved_timer.start()
        else:
            self._saved_timer.stop()

    def _current_pane_changed(self, pane: DocumentPane | None) -> None:
        if pane is not None:
            self._layout_changed()  # the current pane is saved with the open ones (save_layout)
        self.table.show_document(pane.document_id if pane else None)
        self._update_status()
        self._update_actions()

    def _refresh_labels(self) -> None:
        labels = self.project.labels()
        self.label_bar.set_labels(labels)
        for action in self.label_actions:
            self.removeAction(action)
        self.label_actions = []
        for key, label in palette_keys(labels).items():
            for sequence, handler in ((key, self.apply_label), (f"Ctrl+{key}", self.relabel_to)):
                action = QAction(self)
                action.setShortcut(QKeySequence(sequence))
                action.triggered.connect(lambda _=False, h=handler, i=label.id: h(i))
                self.addActions([action])  # not addAction(action): see ui.actions
                self.label_actions.append(action)

    def _fill_view_filter(self) -> None:
        self.layers.fill()

    def _layer_colors_changed(self) -> None:
        """A new reviewer (or the first gold) recoloured the layers: repaint the marks."""
        for pane in self.panes.panes():
            pane.view.highlighter.set_owner_colors(self.session.owner_colors if self.session.several_layers else None)
            pane.view.highlighter.rehighlight()

    def do_next_layer(self) -> None:
        self.layers.next_layer()

    def _show_title(self) -> None:
        """The file's name first (what a task bar has room for), then where it lives."""
        path = Path(self.project.path).resolve()
        home = Path.home()
        folder = "~/" + str(path.parent.relative_to(home)) if path.parent.is_relative_to(home) else str(path.parent)
        self.setWindowTitle(f"{path.name} ({folder}) — Annotator")
        self.setWindowFilePath(str(path))

    def _update_status(self) -> None:
        self.reviewer_label.setText(f"  Reviewer: <b>{self.session.reviewer}</b>  ")
        pane = self.panes.current
        counts = self.project.counts()
        here = ""
        if pane is not None and pane.view.spans_complete:
            here = f"{pane.count()} in this document · "
        elif pane is not None:  # counted once the spans left for idle time are read, not by reading them now
            pane.view.completed.connect(self._update_status, Qt.ConnectionType.SingleShotConnection)
        self.counts_label.setText(f"  {here}{counts['annotations']} annotations in {counts['documents']} documents  ")

    def _update_actions(self) -> None:
        history = self.project.history
        self.actions_["undo"].setEnabled(history.undo_text is not None)
        self.actions_["undo"].setText(f"&Undo {history.undo_text}" if history.undo_text else "&Undo")
        self.actions_["redo"].setEnabled(history.redo_text is not None)
        self.actions_["redo"].setText(f"&Redo {history.redo_text}" if history.redo_text else "&Redo")
        selected = self.session.selected is not None
        for name in ("delete", "relabel", "widen_end", "narrow_end", "widen_start", "narrow_start", "link",
                     "link_entity", "new_entity", "find_same_claim"):
            self.actions_[name].setEnabled(selected)
        has_pane = self.panes.current is not None
        for name in ("close_pane", "next_pane", "previous_pane", "move_pane_left", "move_pane_right",
                     "status_not_started", "status_in_progress", "status_done", "next_annotation",
                     "previous_annotation"):
            self.actions_[name].setEnabled(has_pane)

    # -- annotating -------------------------------------------------------------------------------

    def open_document(self, document_id: str) -> None:
        """Open a document in a pane; opened again, it comes back where it was read last."""
        new = self.panes.pane_for(document_id) is None
        pane = self.panes.open(document_id)
        if pane is None:
            self.statusBar().showMessage(f"At most {MAX_PANES} panes: close one first (Ctrl+W)", 5000)
        elif new:
            QTimer.singleShot(0, lambda: self._restore_scroll(pane))  # once laid out at its width

    def open_at(self, document_id: str, start: int, end: int) -> None:
        """Open a document (or go to its pane) with a span of its text selected and in view."""
        pane = self.panes.open(document_id)
        if pane is None:
            self.statusBar().showMessage(f"At most {MAX_PANES} panes: close one first (Ctrl+W)", 5000)
            return
        self.panes.set_current(pane)
        pane.view.complete()
        pane.view.select_text(start, end)
        pane.view.centerCursor()
        pane.view.paint_visible()
        pane.view.setFocus()

    def jump_to(self, annotation_id: str) -> None:
        self.session.select(annotation_id)
        pane = self.panes.current
        if pane is not None:
            pane.set_selected(annotation_id, scroll=True)

    def reveal(self, annotation_id: str) -> None:
        """Show an annotation wherever it is: open its document in a pane if needed, select it, scroll."""
        try:
            annotation = self.project.annotation(annotation_id)
        except AnnotatorError:
            return
        pane = self.panes.open(annotation.document_id, focus=False)
        if pane is None:
            self.statusBar().showMessage(f"At most {MAX_PANES} panes: close one first (Ctrl+W)", 5000)
            return
        pane.set_linked(self.linked_ids)
        self.session.select(annotation_id)
        pane.set_selected(annotation_id, scroll=True)

    def _highlight_mentions(self, ids: set[str]) -> None:
        self.linked_ids = set(ids)
        for pane in self.panes.panes():
            pane.set_linked(self.linked_ids)

    def apply_label(self, label_id: str) -> None:
        """Annotate the current pane's selection with a label (keys 1–9 or a palette click)."""
        pane = self.panes.current
        if pane is None:
            self.statusBar().showMessage("Open a document first", 4000)
            return
        span = pane.view.selected_span(self.session.snap_to_words)
        if span is None:
            self.statusBar().showMessage("Select some text first (drag, Shift+arrows, or double-click a word)", 4000)
            return
        with self.panes.painting_once():
            try:
                annotation = self.project.add_annotation(pane.document_id, span[0], span[1], label_id,
                                                         annotator=self.session.reviewer)
            except AnnotatorError as error:
                self.report_error(error, "The annotation was not stored")
                return
            pane.view.show_position(span[1])
            pane.view.setFocus()
            self.session.select(annotation.id)

    def relabel_to(self, label_id: str) -> None:
        if self.session.selected:
            self.project.update_annotation(self.session.selected, label=label_id)

    def _resize(self, how: str, side: str) -> None:
        if not self.session.selected:
            return
        a = self.project.annotation(self.session.selected)
        text = self.project.document_text(a.document_id)
        start, end = (widen if how == "widen" else narrow)(text, a.start, a.end, side)
        if (start, end) != (a.start, a.end):
            self.project.update_annotation(a.id, start=start, end=end)

    # -- action handlers (names follow ui/actions.py) --------------------------------------------

    def do_new_project(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path.home() / "project.db"), "Projects (*.db)")
        if path:
            try:
                Project.create(path).close()
            except AnnotatorError as error:
                QMessageBox.warning(self, "New project", str(error))
                return
            self._switch_project(path)

    def do_open_project(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(Path.home()), "Projects (*.db);;All files (*)")
        if path:
            self._switch_project(path)

    def _switch_project(self, path: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ui.app import open_window

        try:
            open_window(Path(path), self.session.reviewer, settings=self.settings)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Open project", str(error))
            return
        self.close()

    def do_import_documents(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        paths, _ = QFileDialog.getOpenFileNames(self, "Import documents", str(Path.home()), IMPORT_FILTER)
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[str]) -> None:
        """Read every file (with progress), then add them all in one undoable step."""
        from PySide6.QtWidgets import QMessageBox, QProgressDialog

        from annotator.importers import read_paths
        progress = QProgressDialog("Reading files…", "Cancel", 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def step(done: int, total: int, path: Path) -> None:
            if progress.wasCanceled():
                raise Cancelled("import cancelled")
            progress.setMaximum(total)
            progress.setValue(done)
            progress.setLabelText(f"Reading {path.name}")

        try:
            documents, problems = read_paths(paths, skip_bad=True, progress=step)
        except Cancelled:
            return
        except AnnotatorError as error:
            QMessageBox.warning(self, "Import", str(error))
            return
        finally:
            progress.close()
        if problems:
            answer = QMessageBox.question(
                self, "Import", "These files cannot be read:\n\n" + "\n".join(map(str, problems[:10])) +
                ("\n…" if len(problems) > 10 else "") + "\n\nImport the others?")
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            report = self.project.import_documents(documents, annotator=self.session.reviewer)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Import", str(error))
            return
        message = f"Imported {len(report.added)} document(s)"
        if report.skipped:
            message += f"; skipped {len(report.skipped)} already in the project"
        self.statusBar().showMessage(message, 8000)
        warnings = documents.warnings
        if warnings:
            QMessageBox.warning(self, "Import", "Imported, but check these files:\n\n" + "\n".join(warnings[:10]) +
                                ("\n…" if len(warnings) > 10 else ""))

    def do_restore_backup(self) -> None:
        from ui.restore_dialog import ask_and_restore
        ask_and_restore(self)

    def do_export_dataset(self) -> None:
        from ui.export_dialog import ExportDialog
        selected = self.documents.selected_ids() or [p.document_id for p in self.panes.panes()]
        ExportDialog(self.project, selected, self, reviewer=self.session.reviewer, settings=self.settings).exec()

    def do_browse_in_datasette(self) -> None:
        from ui.datasette_launch import browse_in_datasette
        browse_in_datasette(self)

    def do_import_dataset(self) -> None:
        from ui.import_flow import choose_and_import
        choose_and_import(self)

    def do_team_sync(self) -> None:
        self.team.sync_now()

    def do_team_settings(self) -> None:
        self.team.edit_settings()

    def do_team_periodic(self) -> None:
        self.team.set_periodic(self.actions_["team_periodic"].isChecked())

    def do_quit(self) -> None:
        self.close()

    def do_undo(self) -> None:
        try:
            with self.panes.painting_once():
                change = self.project.undo()
        except AnnotatorError as error:
            self.report_error(error)
            return
        if change is not None:
            self.statusBar().showMessage(f"Undid: {change.description}", 4000)

    def do_redo(self) -> None:
        try:
            with self.panes.painting_once():
                change = self.project.redo()
        except AnnotatorError as error:
            self.report_error(error)
            return
        if change is not None:
            self.statusBar().showMessage(f"Redid: {change.description}", 4000)

    def do_delete(self) -> None:
        if self.session.selected:
            with self.panes.painting_once():
                self.project.delete_annotation(self.session.selected)

    def do_relabel(self) -> None:
        if not self.session.selected:
            return
        menu = QMenu(self)
        for key, label in palette_keys(self.project.labels()).items():
            menu.addAction(f"&{key}  {label.name}", lambda i=label.id: self.relabel_to(i))  # type: ignore[misc]  # mypy cannot type a lambda's default; it binds this label
        from PySide6.QtGui import QCursor

        menu.exec(QCursor.pos())

    def do_next_annotation(self) -> None:
        if self.panes.current:
            self.panes.current.step(1)

    def do_previous_annotation(self) -> None:
        if self.panes.current:
            self.panes.current.step(-1)

    def do_widen_end(self) -> None:
        self._resize("widen", "end")

    def do_narrow_end(self) -> None:
        self._resize("narrow", "end")

    def do_widen_start(self) -> None:
        self._resize("widen", "start")

    def do_narrow_start(self) -> None:
        self._resize("narrow", "start")

    def _selected_annotation(self):
        if not self.session.selected:
            self.statusBar().showMessage("Select an annotation first (click it, or Tab to it)", 4000)
            return None
        return self.project.annotation(self.session.selected)

    def do_link(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ui.link_dialog import LinkDialog
        source = self._selected_annotation()
        if source is None:
            return
        dialog = LinkDialog(self.project, source, [p.document_id for p in self.panes.panes()], self)
        if dialog.exec() and (choice := dialog.choice()):
            kind, target = choice
            try:
                self.project.add_relation(source.id, target, kind, annotator=self.session.reviewer)
            except AnnotatorError as error:
                QMessageBox.warning(self, "Link", str(error))

    def _document_ids(self) -> list[str]:
        """The current pane's document, else the documents selected in the list."""
        if self.panes.current is not None:
            return [self.panes.current.document_id]
        return self.documents.selected_ids()

    def do_document_properties(self) -> None:
        if ids := self._document_ids():
            self.documents.properties(ids[0])

    def do_assign_document(self) -> None:
        self.documents.assign(self._document_ids())

    def do_delete_document(self) -> None:
        self.documents.delete(self._document_ids())

    def do_link_entity(self) -> None:
        from annotator.crosssource import link_actor
        from ui.entity_dialog import EntityDialog
        annotation = self._selected_annotation()
        if annotation is None:
            return
        dialog = EntityDialog(self.project, annotation, self)
        if dialog.exec() and dialog.result_:
            action, entity_id, kind = dialog.result_
            if action == "link":
                link_actor(self.project, annotation.id, entity_id=entity_id)
            else:
                link_actor(self.project, annotation.id, name=dialog.name.text(), type=kind)
            self._show_entity_of(annotation.id)

    def do_new_entity(self) -> None:
        from annotator.crosssource import link_actor
        annotation = self._selected_annotation()
        if annotation is not None:
            link_actor(self.project, annotation.id)
            self._show_entity_of(annotation.id)

    def _show_entity_of(self, annotation_id: str) -> None:
        entity_id = self.project.annotation(annotation_id).entity_id
        if entity_id:
            self.entities.select_entity(entity_id)

    def do_annotate_all(self) -> None:
        from ui.annotate_all_dialog import AnnotateAllDialog

        pane = self.panes.current
        span = pane.view.selected_span(False) if pane else None
        text = pane.view.text[span[0]:span[1]] if pane and span else ""
        dialog = AnnotateAllDialog(self.session, text, pane.document_id if pane else None, self.palette_label(), self)
        self.annotate_all_dialog = dialog
        accepted = dialog.exec()
        if pane is not None:
            pane.view.setFocus()
        if accepted and dialog.added:
            self.statusBar().showMessage(f"Tagged {len(dialog.added)} occurrence(s): Ctrl+Z undoes them all", 6000)

    def palette_label(self) -> str | None:
        """The label a selected annotation carries, to offer first."""
        if self.session.selected:
            try:
                return self.project.annotation(self.session.selected).label_id
            except AnnotatorError:
                return None
        return None

    def do_show_suggestions(self) -> None:
        from ui.suggestions import SuggestionLayer

        if getattr(self, "suggestions", None) is None:
            self.suggestions = SuggestionLayer(self)
        self.suggestions.set_enabled(self.actions_["show_suggestions"].isChecked())

    def do_find_same_claim(self) -> None:
        from ui.suggestions import SameClaimDialog

        claim = self._selected_annotation()
        if claim is None:
            return
        if self.project.label(claim.label_id).role != "claim":
            self.statusBar().showMessage("Select a claim first: this finds sentences elsewhere that restate it", 5000)
            return
        self.same_claim_dialog = SameClaimDialog(self, claim.id)
        self.same_claim_dialog.show()

    def do_snap(self) -> None:
        self.session.set_snap(self.actions_["snap"].isChecked())
        self.settings.setValue("snap", self.session.snap_to_words)

    def do_edit_labels(self) -> None:
        from ui.schema_editor import SchemaEditor
        SchemaEditor(self.project, self).exec()

    def _set_status(self, status: str) -> None:
        if self.panes.current:
            self.project.set_document_status(self.panes.current.document_id, status)

    def do_status_not_started(self) -> None:
        self._set_status("not started")

    def do_status_in_progress(self) -> None:
        self._set_status("in progress")

    def do_status_done(self) -> None:
        self._set_status("done")

    def do_close_pane(self) -> None:
        self.panes.close_pane()

    def do_next_pane(self) -> None:
        self.panes.cycle(1)

    def do_previous_pane(self) -> None:
        self.panes.cycle(-1)

    def do_move_pane_left(self) -> None:
        self.panes.shift(None, -1)

    def do_move_pane_right(self) -> None:
        self.panes.shift(None, 1)

    def _show_dock(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()
        dock.widget().setFocus()

    def do_show_figures(self) -> None:
        self._show_dock(self.figures_dock)

    def do_show_claims(self) -> None:
        self._show_dock(self.claims_dock)

    def do_show_connectors(self) -> None:
        on = self.actions_["show_connectors"].isChecked()
        self.panes.connectors.set_enabled(on)
        self.settings.setValue("connectors", on)

    def do_show_entities(self) -> None:
        self._show_dock(self.entities_dock)

    def do_search_documents(self) -> None:
        self._show_dock(self.search_dock)
        self.search.query.setFocus()
        self.search.query.selectAll()

    def do_focus_documents(self) -> None:
        self.documents.table.setFocus()

    def do_find_in_pane(self) -> None:
        if self.panes.current:
            self.panes.current.find_bar.open_bar()

    def do_find_next(self) -> None:
        if self.panes.current:
            self.panes.current.find_bar.step(1)

    def do_find_previous(self) -> None:
        if self.panes.current:
            self.panes.current.find_bar.step(-1)

    def do_find_documents(self) -> None:
        self.documents.filter.setFocus()
        self.documents.filter.selectAll()

    def choose_reviewers(self, document_id: str | None) -> list[str] | None:
        """Ask which reviewers to compare (all who annotated the document are ticked)."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

        from annotator.project_agreement import reviewers
        from ui.export_dialog import checked, checklist
        everyone = reviewers(self.project)
        here = set(reviewers(self.project, document_id)) if document_id else set(everyone)
        if len(everyone) < 2:
            QMessageBox.information(self, "Compare reviewers", "Comparing needs annotations from at least two reviewers: "
                                    "merge their projects first (Review ▸ Merge).")
            return None
        dialog = QDialog(self)
        dialog.setWindowTitle("Compare reviewers")
        box = checklist([(name, name) for name in everyone], height=200)
        for i in range(box.count()):
            if box.item(i).text() in here:
                box.item(i).setCheckState(Qt.CheckState.Checked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel("Reviewers to compare (two or more):"))
        layout.addWidget(box)
        layout.addWidget(buttons)
        if not dialog.exec():
            return None
        names = checked(box)
        return names if len(names) >= 2 else None

    def do_compare_reviewers(self) -> None:
        pane = self.panes.current
        document_id = pane.document_id if pane else next(iter(self.documents.selected_ids()), None)
        if document_id is None:
            self.statusBar().showMessage("Open or select a document first", 4000)
            return
        names = self.choose_reviewers(document_id)
        if names:
            self.open_compare(document_id, names)

    def open_compare(self, document_id: str, names: list[str]) -> CompareWindow:
        from ui.compare_window import CompareWindow
        window = CompareWindow(self.session, document_id, names, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        self.compare_window = window
        return window

    def do_show_timeline(self) -> None:
        from ui.timeline_window import TimelineWindow
        window = getattr(self, "timeline_window", None)
        if window is None:
            window = TimelineWindow(self.session, self)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda *_: setattr(self, "timeline_window", None))
            self.timeline_window = window
        window.show()
        window.raise_()

    def do_agreement(self) -> None:
        from ui.agreement_window import AgreementWindow
        names = self.choose_reviewers(None)
        if names:
            window = AgreementWindow(self.session, names, self)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.compare_requested.connect(lambda document_id: self.open_compare(document_id, names))
            window.show()
            self.agreement_window = window

    def do_merge_project(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Merge another reviewer's project", str(Path.home()),
                                              "Projects (*.db);;All files (*)")
        if path:
            self.merge_from(path)

    def merge_from(self, path: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from annotator.merge import conflict_summary, merge_project
        try:
            report = merge_project(self.project, path)
        except AnnotatorError as error:
            QMessageBox.warning(self, "Merge", str(error))
            return
        counts = [f"{n} {table}" for table, n in report.added.items() if n]
        if report.rejections_added:
            counts.append(f"{report.rejections_added} rejected suggestion(s)")
        added = ", ".join(counts) or "nothing new"
        message = f"Merged {Path(path).name}: {added}."
        if report.conflicts:
            message += (f"\n\n{len(report.conflicts)} conflict(s) were kept as they are here, not overwritten:\n"
                        + "\n".join(conflict_summary(c) for c in report.conflicts[:10]))
        QMessageBox.information(self, "Merge", message)
        self._fill_view_filter()

    def do_switch_reviewer(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        names = sorted(set(self.project.annotators()) | {self.session.reviewer})
        name, ok = QInputDialog.getItem(self, "Switch reviewer", "Annotate as:", names,
                                        names.index(self.session.reviewer), True)
        if ok and name.strip():
            self.session.set_reviewer(name)
            self.settings.setValue("reviewer", self.session.reviewer)

    def do_shortcuts(self) -> None:
        from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem

        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows()
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(value))
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        dialog.resize(620, 560)
        dialog.exec()

    def do_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, "About Annotator",
                          f"<b>Annotator {annotator.__version__}</b><p>Close reading of news coverage: claims, actors "
                          "and figures across sources and reviewers.</p>"
                          f"<p>Project file: {self.project.path}</p>")

