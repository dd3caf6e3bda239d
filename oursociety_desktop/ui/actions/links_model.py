"""The contacts linked to one action (owner, attendee, about) as a small table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from oursociety_desktop.models.actions import LinkRow, links_of
from oursociety_desktop.ui.actions.labels import role_labels
from oursociety_desktop.ui.context import AppContext

COL_NAME, COL_ROLE = range(2)
LINK_ROW_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class LinkTableModel(QAbstractTableModel):
    """Owners first, then attendees, then the people the action is about."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.action_id = ""
        self.rows: list[LinkRow] = []
        self._headers = (self.tr("Contact"), self.tr("Role"))
        self._roles = role_labels()

    def show_action(self, action_id: str) -> None:
        """Read the links of this action ('' shows none)."""
        self.beginResetModel()
        self.action_id = action_id
        if action_id:
            with self.ctx.db.read() as session:
                self.rows = links_of(session, action_id)
        else:
            self.rows = []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.name, self._roles.get(row.role, row.role))[index.column()]
        if role == LINK_ROW_ROLE:
            return row
        return None

    def owners(self) -> list[str]:
        """Names of the owners shown."""
        return [r.name for r in self.rows if r.role == "owner"]
