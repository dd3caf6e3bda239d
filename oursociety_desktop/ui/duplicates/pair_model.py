"""The table of likely duplicate pairs (score, the two names, why)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from oursociety_desktop.models.duplicates import DuplicatePair
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE, RowsTableModel

COL_SCORE, COL_A, COL_B, COL_REASONS = range(4)
PAIR_ROLE = ROW_ROLE


class DuplicatePairModel(RowsTableModel):
    """Pairs from `find_duplicates`, best first; `PAIR_ROLE` returns the DuplicatePair."""

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Score"), self.tr("Contact A"), self.tr("Contact B"), self.tr("Why"))

    @property
    def pairs(self) -> list[DuplicatePair]:
        """The pairs shown."""
        return self.rows

    def set_pairs(self, pairs: list[DuplicatePair]) -> None:
        """Show a new list of pairs."""
        self.set_rows(pairs)

    def remove_pair(self, a: str, b: str) -> None:
        """Drop one pair (after "not a duplicate")."""
        self.set_pairs([p for p in self.pairs if {p.a, p.b} != {a, b}])

    def remove_contact(self, contact_id: str) -> None:
        """Drop every pair naming a contact (after it was merged away)."""
        self.set_pairs([p for p in self.pairs if contact_id not in (p.a, p.b)])

    def cell(self, row: Any, column: int) -> str:
        return (str(row.score), row.a_name, row.b_name, "; ".join(row.reasons))[column]

    def cell_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
