"""The import preview: one line per card or row, with what will happen to it and what is wrong with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from oursociety_desktop.exports.people_import import ImportRow

COL_WHERE, COL_NAME, COL_STATUS, COL_DETAIL = range(4)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def row_name(row: ImportRow) -> str:
    """The person's name as read from the file."""
    v = row.values
    joined = " ".join(p for p in (v.get("given_name"), v.get("family_name")) if p)
    return str(v.get("name") or v.get("display_name") or joined or v.get("organisation") or "")


class ImportPreviewModel(QAbstractTableModel):
    """Checked import rows (from `plan_import`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ImportRow] = []

    def set_rows(self, rows: list[ImportRow]) -> None:
        """Show these rows."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def counts(self) -> tuple[int, int, int]:
        """(new, duplicates, with problems)."""
        bad = sum(1 for r in self.rows if not r.ok)
        dups = sum(1 for r in self.rows if r.ok and r.match_id)
        return len(self.rows) - bad - dups, dups, bad

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Where"), self.tr("Name"), self.tr("Will be"), self.tr("Problems and warnings"))[section]

    def status(self, row: ImportRow) -> str:
        """New, a duplicate of someone, or not importable."""
        if not row.ok:
            return self.tr("Not importable")
        if row.kind == "group":
            return self.tr("Group")
        if row.kind == "empty":
            return self.tr("Nothing to import")
        if row.match_id:
            return self.tr("Duplicate of {0}").format(row.match_name)
        return self.tr("New")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            detail = "; ".join([*row.problems, *(w.text() for w in row.warnings)])
            return (row.where, row_name(row), self.status(row), detail)[index.column()]
        return None
