"""An empty table or tree says what to do next: a centred, muted line in its viewport.

One call per view (``show_when_empty(view, "No figures yet: ...")``); the hint follows the
model's rows by itself, so the docks never have to remember to show or hide it.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QAbstractItemModel, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QLabel, QLayout, QVBoxLayout, QWidget

Text = str | Callable[[], str]
"""A fixed hint, or one read when the rows change (it may quote the filter's text); "" shows none."""

MODEL_SIGNALS = ("rowsInserted", "rowsRemoved", "modelReset", "layoutChanged")

# What each dock says when it has nothing to show (docs/guide.md quotes them).
ANNOTATIONS = "No annotations in this document yet: select text and press 1–9"
NO_DOCUMENT = "Open a document to see its annotations"
ANNOTATIONS_FILTERED = "No annotation matches these filters"
FIGURES = "No figures yet: tag a number with the Figure label (3), or press Ctrl+G for suggestions"
FIGURES_FILTERED = "No figure matches this filter"
CLAIMS = "No linked claims: select a claim, Ctrl+K links it (same claim, supports, contradicts) and it gathers here"
ENTITIES = "No entities: link an Actor (Ctrl+E) or add one (Ctrl+Shift+E)"
SEARCH = 'Type a word, a "phrase" or a prefix*'
DOCUMENTS = "No documents yet: File ▸ Import Documents… (Ctrl+I)"


def matching(what: str, text: str) -> str:
    """"No document matches “…”": the filter's own words, so a typo is seen at once."""
    return f"No {what} matches “{text}”" if text.strip() else f"No {what} matches this filter"


def annotations_hint(document_id: str | None, reading: bool) -> str:
    """Nothing while the document's later slices are still being read (they may hold rows)."""
    return "" if reading else (ANNOTATIONS if document_id else NO_DOCUMENT)


def own_viewport(view: QAbstractScrollArea) -> QWidget:
    """Give ``view`` a viewport made here, set up as Qt makes its own (name, filled with Base).

    Why: the first widget made by Qt that Python is handed (``view.viewport()``) makes PySide6
    create the Python type and enums of every QWidget subclass (dialogs, wizards: ~70 classes,
    ~50 ms) to find its most derived type. A viewport made in Python is known already, so the
    app's first frame comes without that; the views behave the same (tests/gui/test_empty_states.py)."""
    viewport = QWidget()
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    view.setViewport(viewport)
    return viewport


class EmptyHint(QObject):
    """A label over ``view``'s viewport, shown exactly when the view's model has no rows.

    With a filter proxy, ``filtered`` is said instead when the rows exist but the filter hides them
    all: "No document matches ..." is more use than "No documents yet" then.
    """

    def __init__(self, view: QAbstractItemView, hint: Text, filtered: Text | None = None) -> None:
        super().__init__(view)
        self.view = view
        self._hint = hint
        self._filtered = filtered
        viewport = own_viewport(view)
        self.label = QLabel(viewport)
        self.label.setObjectName("EmptyHint")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        muted = self.label.palette()
        muted.setColor(QPalette.ColorRole.WindowText, muted.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        self.label.setPalette(muted)
        # The viewport's layout keeps the hint over it as it is resized. Not an event filter: the
        # first event a Python filter is handed makes PySide6 create the type of every QEvent
        # subclass (~50) to find its most derived one, ~7 ms before the first frame.
        layout = QVBoxLayout(viewport)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(self.label)
        self._models: list[QAbstractItemModel] = []
        self._follow(view.model())
        self.update()

    def _follow(self, model: QAbstractItemModel | None) -> None:
        """Listen to the view's model and, behind a proxy, to its source (its rows pick the wording)."""
        while model is not None:
            self._models.append(model)
            for name in MODEL_SIGNALS:
                getattr(model, name).connect(self.update)
            model = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else None

    def _text(self) -> str:
        model = self.view.model()
        if model is None or model.rowCount() > 0:
            return ""
        hidden = len(self._models) > 1 and self._models[-1].rowCount() > 0
        wanted = self._filtered if hidden and self._filtered is not None else self._hint
        return wanted() if callable(wanted) else wanted

    def update(self, *_args: object) -> None:
        """Show or hide the hint for the rows there are now, with its current wording."""
        if not shiboken6.isValid(self.view) or not shiboken6.isValid(self.label):
            return  # the view is being destroyed and its model empties itself on the way out
        text = self._text()
        self.label.setText(text)
        self.label.setVisible(bool(text))
        if text:
            self.label.setGeometry(self.view.viewport().rect().adjusted(12, 12, -12, -12))

    def hint_visible(self) -> bool:
        return not self.label.isHidden()

    def text(self) -> str:
        """The hint shown, "" when the view has rows."""
        return self.label.text() if self.hint_visible() else ""


def show_when_empty(view: QAbstractItemView, hint: Text, filtered: Text | None = None) -> EmptyHint:
    """Install the hint on ``view`` (after its model is set); kept as ``view.empty_hint`` for tests."""
    empty = EmptyHint(view, hint, filtered)
    view.empty_hint = empty  # type: ignore[attr-defined]
    return empty
