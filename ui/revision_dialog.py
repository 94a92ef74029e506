"""A version diff (``annotator.revisions.diff``): the new version with insertions and deletions marked,
how the figures changed, and the annotations left for review."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from annotator.revisions import diff, figure_changes, previous_version, unplaced
from ui.session import Session


class RevisionDialog(QDialog):
    def __init__(self, session: Session, document_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        project = session.project
        previous = previous_version(project, document_id)
        if previous is None:
            raise ValueError("no previous version")  # callers offer the dialog only for a revised document
        self.setWindowTitle(f"Changes in “{project.document(document_id).title}”")
        self.resize(760, 560)
        old, new = project.document_text(previous), project.document_text(document_id)
        self.hunks = diff(old, new)
        parts, at = [], 0
        for h in self.hunks:
            parts.append(html.escape(new[at:h.new_start]))
            if h.old_text:
                parts.append(f'<del style="background:#fdd">{html.escape(h.old_text)}</del>')
            if h.new_text:
                parts.append(f'<ins style="background:#dfd">{html.escape(h.new_text)}</ins>')
            at = h.new_end
        parts.append(html.escape(new[at:]))
        body = "".join(parts).replace("\n", "<br>")
        figures = "".join(
            f"<li>{c.change}: {html.escape(c.old.quote) if c.old else '—'} → {html.escape(c.new.quote) if c.new else '—'}</li>"
            for c in figure_changes(project, previous, document_id))
        left = "".join(f"<li>{html.escape(a.label)} “{html.escape(a.quote)}”: {html.escape(reason)}</li>"
                       for _, a, reason in unplaced(project, document_id))
        self.view = QTextBrowser()
        self.view.setHtml(f"<p>{body}</p>" + (f"<h4>Figures</h4><ul>{figures}</ul>" if figures else "")
                          + (f"<h4>Left for review on the previous version</h4><ul>{left}</ul>" if left else ""))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
