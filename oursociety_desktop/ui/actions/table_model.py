"""The action list as a table model: filtered and ordered in SQL, fetched a page at a time."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from oursociety_desktop.models.actions import TO_DO, ActionFilter, ActionRow, count_actions, list_actions
from oursociety_desktop.ui.actions.labels import kind_labels, status_labels
from oursociety_desktop.ui.context import AppContext

COL_WHEN, COL_TITLE, COL_KIND, COL_STATUS, COL_GROUP, COL_OWNERS = range(6)
ACTION_ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 200

_Index = QModelIndex | QPersistentModelIndex


class ActionTableModel(QAbstractTableModel):
    """Actions matching `flt`: dated ones by date (overdue ones in bold), then undated ones."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.flt = ActionFilter(status=TO_DO)
        self.rows: list[ActionRow] = []
        self.total = 0
        self._headers = (self.tr("Date"), self.tr("Title"), self.tr("Kind"), self.tr("Status"), self.tr("Group"),
                         self.tr("Owners"))
        self._kinds, self._statuses = kind_labels(), status_labels()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_filter(self, flt: ActionFilter) -> None:
        """Show the first page for a new filter."""
        self.flt = flt
        self._load(PAGE)

    def reload(self) -> None:
        """Read again after a change, keeping as many rows as were loaded."""
        self._load(max(PAGE, len(self.rows)))

    def _load(self, limit: int) -> None:
        with self.ctx.db.read() as session:
            total = count_actions(session, self.flt)
            rows = list_actions(session, self.flt, limit=limit)
        self.beginResetModel()
        self.total, self.rows = total, rows
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        with self.ctx.db.read() as session:
            more = list_actions(session, self.flt, limit=PAGE, offset=len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
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

    def is_overdue(self, row: ActionRow) -> bool:
        """Still to do and dated before the filter's today."""
        return row.status in ("open", "doing") and bool(row.when) and row.when < self.flt.today.isoformat()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.when, row.title, self._kinds.get(row.kind, row.kind),
                    self._statuses.get(row.status, row.status), row.group_name, row.owners)[column]
        if role == Qt.ItemDataRole.FontRole and column == COL_WHEN and self.is_overdue(row):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_WHEN and self.is_overdue(row):
            return self.tr("Overdue")
        if role == Qt.ItemDataRole.AccessibleTextRole and column == COL_WHEN and self.is_overdue(row):
            return self.tr("{0}, overdue").format(row.when)
        if role == ACTION_ROW_ROLE:
            return row
        return None

    def row_of(self, action_id: str) -> int:
        """The loaded row showing this action, or -1."""
        return next((i for i, r in enumerate(self.rows) if r.id == action_id), -1)

