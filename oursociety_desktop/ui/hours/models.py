"""Table models of the Time given workspace: the sign-in sheet being entered, and the totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt

from oursociety_desktop.models.hours import SheetPerson
from oursociety_desktop.ui.widgets.rows_model import Index, RowsTableModel
from oursociety_desktop.ui.wording import hours_text

COL_CAME, COL_NAME, COL_HOURS = range(3)
TOTAL_KEY, TOTAL_GIVEN, TOTAL_PLEDGED = range(3)


@dataclass
class SheetRow:
    """One line of the sheet: who, whether they came, and their hours."""

    contact_id: str
    name: str
    came: bool
    hours: float


class SignInSheetModel(RowsTableModel):
    """The people of a sign-in sheet with a tick for who came and the hours each gave (filled in for all, then
    changed for anyone who stayed longer or left early)."""

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Came"), self.tr("Name"), self.tr("Hours"))

    def set_people(self, people: list[SheetPerson], hours: float) -> None:
        """A fresh sheet: everyone unticked, `hours` each."""
        self.set_rows([SheetRow(p.contact_id, p.name, False, hours) for p in people])

    def add_person(self, contact_id: str, name: str, hours: float) -> None:
        """Someone who wrote their name in a blank row: added ticked (or ticked, if already listed)."""
        for row, line in enumerate(self.rows):
            if line.contact_id == contact_id:
                line.came = True
                self.dataChanged.emit(self.index(row, COL_CAME), self.index(row, COL_CAME))
                return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(SheetRow(contact_id, name, True, hours))
        self.endInsertRows()

    def fill_hours(self, hours: float) -> None:
        """The same hours for everyone."""
        for line in self.rows:
            line.hours = hours
        if self.rows:
            self.dataChanged.emit(self.index(0, COL_HOURS), self.index(len(self.rows) - 1, COL_HOURS))

    def tick_all(self, came: bool) -> None:
        """Tick (or untick) everyone."""
        for line in self.rows:
            line.came = came
        if self.rows:
            self.dataChanged.emit(self.index(0, COL_CAME), self.index(len(self.rows) - 1, COL_CAME))

    def ticked(self) -> dict[str, float]:
        """Hours by person, for everyone ticked."""
        return {line.contact_id: line.hours for line in self.rows if line.came}

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_CAME:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == COL_HOURS:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        line = self.rows[index.row()]
        column = index.column()
        if column == COL_CAME and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if line.came else Qt.CheckState.Unchecked
        if column == COL_CAME and role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("came") if line.came else self.tr("did not come")
        if column == COL_NAME and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return line.name
        if column == COL_HOURS and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return hours_text(line.hours) if role == Qt.ItemDataRole.DisplayRole else line.hours
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= len(self.rows):
            return False
        line = self.rows[index.row()]
        if index.column() == COL_CAME and role == Qt.ItemDataRole.CheckStateRole:
            line.came = Qt.CheckState(value) == Qt.CheckState.Checked
        elif index.column() == COL_HOURS and role == Qt.ItemDataRole.EditRole:
            try:
                line.hours = float(str(value).replace(",", "."))
            except ValueError:
                return False
            line.came = True  # hours typed for someone: they came
            self.dataChanged.emit(self.index(index.row(), COL_CAME), self.index(index.row(), COL_CAME))
        else:
            return False
        self.dataChanged.emit(index, index)
        return True


class HoursTotalsModel(RowsTableModel):
    """Hours given and pledged by person, group, theme or month."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key_header = self.tr("Person")

    def headers(self) -> tuple[str, ...]:
        return (self.key_header, self.tr("Hours given"), self.tr("Hours pledged"))

    def set_rows(self, rows: list[Any], key_header: str | None = None) -> None:
        """Show new totals, under a new heading for the key column if given."""
        if key_header is not None:
            self.key_header = key_header
            self.titles_changed()
        super().set_rows(rows)

    def cell(self, row: Any, column: int) -> str:
        return str((row.shown_key, hours_text(row.given), hours_text(row.pledged))[column])

    def cell_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column != TOTAL_KEY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
