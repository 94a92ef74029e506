"""Every command of the window in one table: menus, shortcuts and the shortcut help are built from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    menu: str
    shortcuts: tuple[str, ...] = ()
    tip: str = ""
    checkable: bool = False


MENUS = ("&File", "&Edit", "&Annotation", "&Document", "&View", "&Review", "&Team", "&Help")

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new_project", "&New Project…", "&File", ("Ctrl+N",), "Create an empty project file"),
    ActionSpec("open_project", "&Open Project…", "&File", ("Ctrl+O",), "Open another project file"),
    ActionSpec("import_documents", "&Import Documents…", "&File", ("Ctrl+I",),
               "Import .txt .md .html .docx .pdf .jsonl files"),
    ActionSpec("import_dataset", "Import &Labelled Dataset…", "&File", ("Ctrl+Shift+I",),
               "Import jsonl, doccano, brat or W3C annotations"),
    ActionSpec("export_dataset", "&Export Dataset…", "&File", ("Ctrl+Shift+X",),
               "Export jsonl, doccano, brat, CoNLL, spaCy, W3C or CSV"),
    ActionSpec("browse_in_datasette", "Browse in &Datasette…", "&File", (),
               "Write the Datasette metadata beside the project (annotator datasette) and start Datasette on it"),
    ActionSpec("clear_recent", "Clear Missing from Open &Recent", "&File", (),
               "Drop the projects that no longer exist from File ▸ Open Recent"),
    ActionSpec("restore_backup", "&Restore…", "&File", (), "Bring back a snapshot of this project (daily, before merges, large imports)"),
    ActionSpec("quit", "&Quit", "&File", ("Ctrl+Q",)),
    ActionSpec("undo", "&Undo", "&Edit", ("Ctrl+Z",)),
    ActionSpec("redo", "&Redo", "&Edit", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("delete", "&Delete Annotation", "&Edit", ("Delete",), "Delete the selected annotation"),
    ActionSpec("relabel", "Re&label…", "&Edit", ("Ctrl+L",), "Choose another label for the selected annotation"),
    ActionSpec("find_in_pane", "&Find in Document…", "&Edit", ("Ctrl+F",), "Find text in the current pane"),
    ActionSpec("find_next", "Find Next", "&Edit", ("F3",)),
    ActionSpec("find_previous", "Find Previous", "&Edit", ("Shift+F3",)),
    ActionSpec("next_annotation", "&Next Annotation", "&Edit", ("F8",), "Also Tab in the text"),
    ActionSpec("previous_annotation", "&Previous Annotation", "&Edit", ("Shift+F8",), "Also Shift+Tab in the text"),
    ActionSpec("widen_end", "Extend End by a Word", "&Annotation", ("Alt+Right",)),
    ActionSpec("narrow_end", "Shrink End by a Word", "&Annotation", ("Alt+Left",)),
    ActionSpec("widen_start", "Extend Start by a Word", "&Annotation", ("Alt+Shift+Left",)),
    ActionSpec("narrow_start", "Shrink Start by a Word", "&Annotation", ("Alt+Shift+Right",)),
    ActionSpec("link", "Lin&k Annotation…", "&Annotation", ("Ctrl+K",),
               "Attribute to an actor, or link to the same claim in another article"),
    ActionSpec("link_entity", "Link to &Entity…", "&Annotation", ("Ctrl+E",), "Link an actor to a canonical entity"),
    ActionSpec("new_entity", "New Entity from Actor", "&Annotation", ("Ctrl+Shift+E",),
               "Make the selected actor a new entity and link it, in one keystroke"),
    ActionSpec("annotate_all", "Annotate &All Occurrences…", "&Annotation", ("Ctrl+T",),
               "Tag every occurrence of the selected text, after a preview in which each can be unticked"),
    ActionSpec("show_suggestions", "Show S&uggestions", "&Annotation", ("Ctrl+G",),
               "Figures and actors the project suggests (dashed): Enter accepts, Backspace rejects, Ctrl+Enter accepts all, "
               "F4 steps", True),
    ActionSpec("find_same_claim", "Find Same &Claim Elsewhere…", "&Annotation", ("Ctrl+Shift+K",),
               "For the selected claim, sentences of other documents that may restate or contradict it; link them by key"),
    ActionSpec("snap", "&Snap Selections to Words", "&Annotation", (), "Grow selections to whole words", True),
    ActionSpec("edit_labels", "Edit &Labels…", "&Annotation", ("Ctrl+Shift+L",), "Add, rename, recolour labels"),
    ActionSpec("status_not_started", "Mark &Not Started", "&Document", ("Ctrl+Alt+N",)),
    ActionSpec("status_in_progress", "Mark &In Progress", "&Document", ("Ctrl+Alt+P",)),
    ActionSpec("status_done", "Mark &Done", "&Document", ("Ctrl+Alt+D",)),
    ActionSpec("document_properties", "&Properties…", "&Document", ("Ctrl+Alt+Return",),
               "Edit the current document's title, outlet, author, date, URL and assignee"),
    ActionSpec("assign_document", "&Assign to…", "&Document", (), "Assign the current document to a reviewer"),
    ActionSpec("delete_document", "De&lete Document…", "&Document", (), "Delete the current document with its annotations"),
    ActionSpec("close_pane", "&Close Pane", "&View", ("Ctrl+W",)),
    ActionSpec("next_pane", "Next Pane", "&View", ("Ctrl+PgDown",)),
    ActionSpec("previous_pane", "Previous Pane", "&View", ("Ctrl+PgUp",)),
    ActionSpec("move_pane_left", "Move Pane Left", "&View", ("Ctrl+Shift+PgUp",)),
    ActionSpec("move_pane_right", "Move Pane Right", "&View", ("Ctrl+Shift+PgDown",)),
    ActionSpec("next_layer", "Show Next &Layer", "&View", ("Ctrl+Alt+L",),
               "Show the next layer: all, yours, each reviewer's, gold (also View ▸ Show and the toolbar)"),
    ActionSpec("show_figures", "&Figures Across Documents", "&View", ("Ctrl+Shift+F",),
               "Every figure in every document, grouped by what is counted"),
    ActionSpec("show_claims", "&Claims Across Documents", "&View", ("Ctrl+Shift+C",),
               "Clusters of linked claims and which articles assert, support or contradict them"),
    ActionSpec("show_timeline", "Figure &Timeline", "&View", ("Ctrl+Alt+T",),
               "Each figure for one counted thing as a low–best–high bar by date and outlet, coloured by source"),
    ActionSpec("show_entities", "&Entities", "&View", ("Ctrl+Shift+N",), "Canonical actors and their mentions"),
    ActionSpec("show_connectors", "Show &Connectors Between Panes", "&View", ("Ctrl+Alt+K",),
               "Lines between linked annotations in side-by-side panes (same claim, supports, contradicts, entity)", True),
    ActionSpec("zoom_in", "Zoom &In", "&View", ("Ctrl+=", "Ctrl++"), "Larger text in the panes (kept for next time)"),
    ActionSpec("zoom_out", "Zoom &Out", "&View", ("Ctrl+-",), "Smaller text in the panes"),
    ActionSpec("zoom_reset", "&Actual Size", "&View", ("Ctrl+0",), "The text's normal size"),
    ActionSpec("focus_note", "Go to &Note", "&View", ("Ctrl+Alt+O",),
               "Type a note on the selected annotation (saved as you type; Tab leaves)"),
    ActionSpec("focus_inspector", "Go to &Inspector", "&View", ("Ctrl+Alt+I",), "Edit the selected annotation's fields"),
    ActionSpec("focus_documents", "Go to Document List", "&View", ("Ctrl+D",)),
    ActionSpec("search_documents", "&Search All Documents…", "&View", ("Ctrl+Alt+F",),
               "Full-text, exact or regex search across every document, with the words around each hit"),
    ActionSpec("find_documents", "Filter Documents", "&View", ("Ctrl+Shift+D",), "Filter the document list by title"),
    ActionSpec("compare_reviewers", "&Compare Reviewers…", "&Review", ("Ctrl+Alt+C",),
               "See where reviewers differ on this document and adjudicate a gold standard"),
    ActionSpec("agreement", "&Agreement…", "&Review", ("Ctrl+Alt+A",), "Agreement per label and reviewer pair"),
    ActionSpec("merge_project", "&Merge Another Reviewer's Project…", "&Review", ("Ctrl+Alt+M",),
               "Bring in annotations from another project file (matched by text)"),
    ActionSpec("switch_reviewer", "Switch &Reviewer…", "&Review", ("Ctrl+R",), "Annotate under another name"),
    ActionSpec("team_sync", "&Sync", "&Team", ("F9",),
               "Push your changes to the team server and pull everyone else's (in the background)"),
    ActionSpec("team_settings", "Server &Settings…", "&Team", (), "The team server's URL and your login (no password is stored)"),
    ActionSpec("team_periodic", "Sync &Every 5 Minutes", "&Team", (), "Sync in the background at a regular interval", True),
    ActionSpec("shortcuts", "&Keyboard Shortcuts", "&Help", ("F1",)),
    ActionSpec("about", "&About Annotator", "&Help"),
)


def build_actions(window: QMainWindow, handlers: dict[str, Callable[[], None]]) -> dict[str, QAction]:
    """Create each action with its shortcuts, put it in its menu and connect it to its handler."""
    menus: dict[str, QMenu] = {name: window.menuBar().addMenu(name) for name in MENUS}
    # Kept on the window: QAction.menu() on a menu bar action is not reliable across PySide6 releases
    # (6.8 hands back a wrapper whose C++ object is already gone).
    window.menus_ = menus  # type: ignore[attr-defined]
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        # QAction(parent) and setText, addActions(list): the overloads QAction(text, parent) and
        # addAction(action) would make PySide6 create QIcon and QPixmap (an icon overload is tried)
        # before the first frame.
        action = QAction(window)
        action.setText(spec.text)
        action.setObjectName(spec.id)
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setCheckable(spec.checkable)
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        handler = handlers[spec.id]
        action.triggered.connect(lambda checked=False, h=handler: h())
        actions[spec.id] = action
    for name, menu in menus.items():  # in ACTIONS' order: one call per menu, one for the window's shortcuts
        menu.addActions([actions[spec.id] for spec in ACTIONS if spec.menu == name])
    window.addActions(list(actions.values()))
    return actions


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(menu, command, keys) for the help table, including the keys that are not menu items."""
    rows = [(s.menu.replace("&", ""), s.text.replace("&", "").rstrip("…"), ", ".join(s.shortcuts)) for s in ACTIONS if s.shortcuts]
    rows += [
        ("Annotation", "Apply label 1–9 to the selection", "1 … 9"),
        ("Annotation", "Relabel the selected annotation", "Ctrl+1 … Ctrl+9"),
        ("Annotation", "Step through annotations", "Tab, Shift+Tab"),
        ("Annotation", "Select a word", "double-click"),
        ("Annotation", "Accept / reject the current suggestion", "Enter, Backspace"),
        ("Annotation", "Accept every suggestion in the document", "Ctrl+Enter"),
        ("Annotation", "Next / previous suggestion", "F4, Shift+F4"),
    ]
    return rows
