"""Take screenshots of the main window on the sample corpus, for docs/ and the README.

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshot.py docs/screenshot-workspace.png
    ... scripts/screenshot.py docs/screenshot-figures.png figures
    ... scripts/screenshot.py docs/screenshot-compare.png compare
    ... scripts/screenshot.py docs/screenshot-1280x720.png workspace 1280x720   # the window at that size

Builds a throwaway project from seeds/, marks a few claims, actors and figures through the core
API (as a reviewer would with the keyboard), opens three articles side by side and grabs the window.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer

from annotator import Project
from annotator.importers import read_paths
from annotator.paths import SEEDS

DEMO = [
    # (document file prefix, quote, label)
    ("001", "at least 973 Alawite civilians", "Figure"),
    ("001", "Syrian Observatory for Human Rights", "Actor"),
    ("001", "Ahmad al-Sharaa", "Actor"),
    ("001", "Abu Mohammad al-Julani", "Actor"),
    ("001", "the military crackdown on Alawites that started in early March quickly descended into open massacres of civilians", "Claim"),
    ("002", "over 1,200 Alawites", "Figure"),
    ("002", "Ahmed al-Sharaa", "Actor"),
    ("002", "Syrian Observatory for Human Rights", "Actor"),
    ("002", "132 civilians", "Figure"),
    ("002", "entire families were slaughtered during the recent violence", "Claim"),
    ("003", "approximately 1,700 members of the religious minority", "Figure"),
    ("003", "at least 42 Alawites", "Figure"),
    ("003", "Abu Mohammad al-Julani", "Actor"),
    ("003", "Syrian Observatory for Human Rights", "Actor"),
    ("003", "the killings have not ceased", "Claim"),
    ("004", "over 740 civilian deaths", "Figure"),
]


def build(path: Path) -> tuple[Project, list[str]]:
    project = Project.create(path)
    documents, _ = read_paths([SEEDS])
    project.import_documents(documents)
    ids = {Path(d.source_path or "").name[:3]: d.id for d in project.documents(with_text=False)}
    for prefix, quote, label in DEMO:
        text = project.document_text(ids[prefix])
        start = text.find(quote)
        if start >= 0:
            project.add_annotation(ids[prefix], start, start + len(quote), label, annotator="maya")
    claims = {prefix: next(a for a in project.annotations(ids[prefix]) if a.label == "Claim") for prefix in ("001", "002")}
    figures = {prefix: next(a for a in project.annotations(ids[prefix]) if a.label == "Figure") for prefix in ("001", "002")}
    project.add_relation(claims["001"].id, claims["002"].id, "same-claim", annotator="maya")
    project.add_relation(figures["002"].id, figures["001"].id, "contradicts", annotator="maya")
    return project, [ids["001"], ids["002"], ids["003"]]


def second_reviewer(project: Project, ids: list[str]) -> None:
    """A second reviewer who agrees on some spans and differs on others, for the compare view."""
    for annotation in project.annotations(ids[0], annotator="maya"):
        if annotation.label == "Actor":
            project.add_annotation(ids[0], annotation.start, annotation.end, "Actor", annotator="omar")
        elif annotation.label == "Figure":
            project.add_annotation(ids[0], annotation.start, annotation.end - 9, "Figure", annotator="omar")
        else:
            project.add_annotation(ids[0], annotation.start, annotation.end, "Figure", annotator="omar", propose=False)


def main(out: str, view: str = "workspace", size: str = "1600x960") -> None:
    from ui.app import application, open_window

    app = application()
    folder = Path(tempfile.mkdtemp())
    project, open_ids = build(folder / "demo.db")
    second_reviewer(project, open_ids)
    project.close()
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = open_window(folder / "demo.db", "maya", open_ids, settings)
    width, height = (int(n) for n in size.split("x"))
    window.resize(width, height)
    pane = window.panes.panes()[1]
    figure = next(a for a in window.project.annotations(pane.document_id) if a.label == "Figure")
    window.panes.set_current(pane)
    pane.view.setFocus()  # as a click would: the window gives the keyboard to it when it becomes active, not to the first pane
    window.jump_to(figure.id)
    target = window
    if view == "figures":
        window.do_show_figures()
        window.resizeDocks([window.figures_dock], [300], Qt.Orientation.Vertical)
    elif view == "compare":
        target = window.open_compare(open_ids[0], ["maya", "omar"])
        target.resize(width, height)
        target.step(1)

    def grab() -> None:
        target.grab().save(out)
        print(f"wrote {out}")
        app.quit()

    QTimer.singleShot(800, grab)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot-workspace.png", *sys.argv[2:4])
