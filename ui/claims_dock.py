"""Clusters of linked claims across documents: which articles assert, support or contradict each."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.crosssource import ClaimCluster, claim_clusters
from annotator.history import Change
from ui import empty_state
from ui.lazy import RefreshWhenShown
from ui.qt_items import children, top_item, top_items
from ui.session import Session
from ui.view import follow

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
        self.hint.hide()  # the empty tree says it (empty_state.CLAIMS); kept for the snapshot's shape
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Claim", "Stance", "Document", "Outlet", "Layer"])
        self.owner: str | None = None  # one layer's claims (a reviewer's name or "gold"), or every layer's
        self.layer = QComboBox()
        self.layer.setObjectName("ClaimsLayer")
        self.layer.setToolTip("One layer's claims: a reviewer's own, or gold")
        self.layer.activated.connect(lambda i: self.set_owner(self.layer.itemData(i) or None))
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._jump)
        self.tree.itemClicked.connect(self._jump)
        self.empty = empty_state.show_when_empty(self.tree, empty_state.CLAIMS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.hint)
        layout.addWidget(self.layer)
        layout.addWidget(self.tree)
        self._shown: list[tuple] = []  # a description of each cluster shown, to replace only those that changed
        self._claims: set[str] = set()
        self._documents: set[str] = set()
        follow(session, self)
        self.changed()  # filled when first shown: nothing to do at start-up while hidden

    def refresh(self) -> None:
        """Recompute the clusters; replace only the top-level items whose cluster changed."""
        every = claim_clusters(self.session.project)
        self._fill_layers(every)
        clusters = [c for c in every if self.owner is None or any(claim.owner == self.owner for claim in c.claims)]
        wanted = [self._describe(cluster) for cluster in clusters]
        # a claim shown, or any linked annotation (relabelled to a claim, it may join a cluster)
        self._claims = {claim.annotation_id for cluster in clusters for claim in cluster.claims}
        self._claims.update(end for r in self.session.project.relations() for end in (r.source_id, r.target_id))
        self._documents = {claim.document_id for cluster in clusters for claim in cluster.claims}
        for at, (cluster, description) in enumerate(zip(clusters, wanted, strict=True)):
            if at < len(self._shown) and self._shown[at] == description:
                continue
            if at < len(self._shown):
                self.tree.takeTopLevelItem(at)
            self.tree.insertTopLevelItem(at, self._item(cluster))
            top_item(self.tree, at).setExpanded(True)
        while self.tree.topLevelItemCount() > len(clusters):
            self.tree.takeTopLevelItem(len(clusters))
        self._shown = wanted

    def set_owner(self, owner: str | None) -> None:
        """Show one layer's claims (a reviewer's name or "gold"), or every layer's (``None``)."""
        self.owner = owner
        self.layer.setCurrentIndex(max(0, self.layer.findData(owner or "")))
        self._shown = []
        self.tree.clear()
        self.refresh()

    def _fill_layers(self, clusters: list[ClaimCluster]) -> None:
        owners = sorted({c.owner for cluster in clusters for c in cluster.claims}, key=lambda n: (n == "gold", n.casefold()))
        wanted = [("All layers", ""), *((name, name) for name in owners)]
        if [(self.layer.itemText(i), self.layer.itemData(i)) for i in range(self.layer.count())] != wanted:
            self.layer.clear()
            for text, value in wanted:
                self.layer.addItem(text, value)
            self.layer.setCurrentIndex(max(0, self.layer.findData(self.owner or "")))
        self.layer.setVisible(len(owners) > 1 or self.owner is not None)

    def _describe(self, cluster: ClaimCluster) -> tuple:
        return (tuple((d.stance, d.outlet, d.document_title) for d in cluster.documents),
                tuple((c.annotation_id, c.quote, c.stance, c.document_title, c.outlet, c.owner) for c in cluster.claims
                      if self.owner is None or c.owner == self.owner))

    def _item(self, cluster: ClaimCluster) -> QTreeWidgetItem:
        stances = ", ".join(f"{d.stance}: {d.outlet or d.document_title}" for d in cluster.documents)
        top = QTreeWidgetItem([f"“{' '.join(cluster.anchor.quote.split())}”", "", f"{len(cluster.documents)} documents",
                               stances])
        top.setData(0, Qt.ItemDataRole.UserRole, cluster.anchor.annotation_id)
        top.setToolTip(3, stances)
        for claim in cluster.claims:
            if self.owner is not None and claim.owner != self.owner:
                continue
            child = QTreeWidgetItem([f"“{' '.join(claim.quote.split())}”", claim.stance, claim.document_title,
                                     claim.outlet or "", claim.owner])
            child.setData(0, Qt.ItemDataRole.UserRole, claim.annotation_id)
            child.setForeground(1, QBrush(QColor(STANCE_COLORS.get(claim.stance, "#374151"))))
            top.addChild(child)
        return top

    def _jump(self, item: QTreeWidgetItem) -> None:
        annotation_id = item.data(0, Qt.ItemDataRole.UserRole)
        if annotation_id:
            self.jump_requested.emit(annotation_id)

    def apply_change(self, change: Change) -> None:
        """Clusters change only through links, a claim shown, a document shown or the labels."""
        relevant = (change.of("relations") or change.of("labels") or change.touched_annotations() & self._claims
                    or change.of("documents").ids & self._documents)
        if not relevant:
            return
        if not self.isVisible():
            self.changed()  # hidden: no work until shown
        elif self._stale:
            self.ensure_fresh()
        else:
            self.refresh()

    def snapshot(self) -> object:
        """Each cluster's row and its claims' rows, as shown."""
        def texts(item: QTreeWidgetItem) -> tuple[str, ...]:
            return tuple(item.text(c) for c in range(self.tree.columnCount()))

        return (not self.hint.isHidden(),
                tuple((texts(top), tuple(texts(child) for child in children(top))) for top in top_items(self.tree)))
