"""The table of likely duplicate pairs (score, the two names, why)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from oursociety_desktop.models.duplicates import DuplicatePair

COL_SCORE, COL_A, COL_B, COL_REASONS = range(4)
PAIR_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class DuplicatePairModel(QAbstractTableModel):
    """Pairs from `find_duplicates`, best first; `PAIR_ROLE` returns the DuplicatePair."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pairs: list[DuplicatePair] = []

    def set_pairs(self, pairs: list[DuplicatePair]) -> None:
        """Show a new list of pairs."""
        self.beginResetModel()
        self.pairs = list(pairs)
        self.endResetModel()

    def remove_pair(self, a: str, b: str) -> None:
        """Drop one pair (after "not a duplicate")."""
        self.set_pairs([p for p in self.pairs if {p.a, p.b} != {a, b}])

    def remove_contact(self, contact_id: str) -> None:
        """Drop every pair naming a contact (after it was merged away)."""
        self.set_pairs([p for p in self.pairs if contact_id not in (p.a, p.b)])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.pairs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Score"), self.tr("Contact A"), self.tr("Contact B"), self.tr("Why"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.pairs):
            return None
        pair = self.pairs[index.row()]
        if role == PAIR_ROLE:
            return pair
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (str(pair.score), pair.a_name, pair.b_name, "; ".join(pair.reasons))[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
