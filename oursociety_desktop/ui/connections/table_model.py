"""Connections as a table model: one SQL query per page resolves every name; fetched lazily."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt

from oursociety_desktop.models.connections import ConnectionRow, count_connections, list_connections
from oursociety_desktop.ui.context import AppContext

COL_DATE, COL_KIND, COL_A, COL_B, COL_BY, COL_NOTE, COL_FOLLOW_UP = range(7)
CONNECTION_ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 200

_Index = QModelIndex | QPersistentModelIndex


def kind_labels() -> dict[str, str]:
    """Stored connection kind -> label."""
    t = QCoreApplication.translate
    return {"introduced": t("Connections", "introduced"), "knows": t("Connections", "knows"),
            "mentors": t("Connections", "mentors"), "works with": t("Connections", "works with")}


class ConnectionTableModel(QAbstractTableModel):
    """Live connections, newest first; `person_id` narrows them to one person's."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = ""
        self.rows: list[ConnectionRow] = []
        self.total = 0
        self._headers = (self.tr("Date"), self.tr("Kind"), self.tr("Person"), self.tr("Connected with"),
                         self.tr("Introduced by"), self.tr("Why"), self.tr("Follow-up"))
        self._kinds = kind_labels()

    def set_person(self, person_id: str) -> None:
        """Show everyone's connections ('') or one person's."""
        self.person_id = person_id
        self.reload(first_page=True)

    def reload(self, first_page: bool = False) -> None:
        """Read again, keeping as many rows as were loaded unless `first_page`."""
        limit = PAGE if first_page else max(PAGE, len(self.rows))
        with self.ctx.db.read() as session:
            total = count_connections(session, self.person_id)
            rows = list_connections(session, self.person_id, limit=limit)
        self.beginResetModel()
        self.total, self.rows = total, rows
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        with self.ctx.db.read() as session:
            more = list_connections(session, self.person_id, limit=PAGE, offset=len(self.rows))
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

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            note = row.note.splitlines()[0] if row.note else ""
            return (row.date, self._kinds.get(row.kind, row.kind), row.person_a, row.person_b, row.introduced_by,
                    note, row.follow_up)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_NOTE and row.note:
            return row.note
        if role == CONNECTION_ROW_ROLE:
            return row
        return None

    def row_of(self, connection_id: str) -> int:
        """The loaded row showing this connection, or -1."""
        return next((i for i, r in enumerate(self.rows) if r.id == connection_id), -1)
