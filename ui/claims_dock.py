"""Clusters of linked claims across documents: which articles assert, support or contradict each."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.crosssource import claim_clusters
from annotator.history import Change
from ui.lazy import RefreshWhenShown
from ui.session import Session

STANCE_COLORS = {"asserts": "#2563EB", "supports": "#059669", "contradicts": "#DC2626"}


class ClaimsDock(RefreshWhenShown):
    jump_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.hint = QLabel("Link claims across articles (select a claim, Ctrl+K: same-claim, supports or "
                           "contradicts) and they gather here.")
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Claim", "Stance", "Document", "Outlet"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._jump)
        self.tree.itemClicked.connect(self._jump)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.hint)
        layout.addWidget(self.tree)
        session.changed.connect(self._on_change)
        self.changed()  # filled when first shown: nothing to do at start-up while hidden

    def refresh(self) -> None:
        clusters = claim_clusters(self.session.project)
        self.tree.clear()
        self.hint.setVisible(not clusters)
        for cluster in clusters:
            stances = ", ".join(f"{d.stance}: {d.outlet or d.document_title}" for d in cluster.documents)
            top = QTreeWidgetItem([f"“{' '.join(cluster.anchor.quote.split())}”", "", f"{len(cluster.documents)} documents",
                                   stances])
            top.setData(0, Qt.ItemDataRole.UserRole, cluster.anchor.annotation_id)
            top.setToolTip(3, stances)
            for claim in cluster.claims:
                child = QTreeWidgetItem([f"“{' '.join(claim.quote.split())}”", claim.stance, claim.document_title,
                                         claim.outlet or ""])
                child.setData(0, Qt.ItemDataRole.UserRole, claim.annotation_id)
                child.setForeground(1, QBrush(QColor(STANCE_COLORS.get(claim.stance, "#374151"))))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)

    def _jump(self, item: QTreeWidgetItem) -> None:
        annotation_id = item.data(0, Qt.ItemDataRole.UserRole)
        if annotation_id:
            self.jump_requested.emit(annotation_id)

    def _on_change(self, change: Change) -> None:
        if change.tables & {"annotations", "relations", "documents", "labels"}:
            self.changed()
