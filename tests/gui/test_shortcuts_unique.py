"""No two menu actions share a shortcut: Qt would fire neither ("Ambiguous shortcut overload") and say nothing."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtGui import QKeySequence

from ui.actions import ACTIONS


def test_every_shortcut_belongs_to_one_action() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for spec in ACTIONS:
        for shortcut in spec.shortcuts:
            owners[QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.PortableText)].append(spec.id)
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert not shared
