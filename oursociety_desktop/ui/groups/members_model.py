"""The members of one group as a table model, fetched lazily page by page (a group may have thousands)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from oursociety_desktop.models.groups import MemberRow, members_of
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.groups.labels import role_labels

COL_NAME, COL_ROLE, COL_SINCE = range(3)
MEMBER_ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 500

_Index = QModelIndex | QPersistentModelIndex


class MemberTableModel(QAbstractTableModel):
    """Members of the group set with `show_group`: coordinators first, then by name."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group_id = ""
        self.rows: list[MemberRow] = []
        self._more = False
        self._headers = (self.tr("Name"), self.tr("Role"), self.tr("Member since"))
        self._roles = role_labels()

    def show_group(self, group_id: str) -> None:
        """Show the first page of this group's members ('' shows nothing)."""
        self.beginResetModel()
        self.group_id = group_id
        self.rows = self._page(0) if group_id else []
        self._more = len(self.rows) == PAGE
        self.endResetModel()

    def reload(self) -> None:
        """Read again after a change, keeping as many rows as were loaded."""
        wanted = max(PAGE, len(self.rows))
        self.beginResetModel()
        self.rows = self._page(0, wanted) if self.group_id else []
        self._more = len(self.rows) == wanted
        self.endResetModel()

    def _page(self, offset: int, limit: int = PAGE) -> list[MemberRow]:
        with self.ctx.db.read() as session:
            return members_of(session, self.group_id, limit=limit, offset=offset)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        more = self._page(len(self.rows))
        self._more = len(more) == PAGE
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
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
            return (row.name, self._roles.get(row.role, row.role), row.since)[index.column()]
        if role == MEMBER_ROW_ROLE:
            return row
        return None

    def row_of(self, contact_id: str) -> int:
        """The row showing this contact, or -1."""
        return next((i for i, r in enumerate(self.rows) if r.contact_id == contact_id), -1)
