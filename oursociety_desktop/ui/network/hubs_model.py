"""The hubs known, as a table: what each has shared and the last exchange with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from oursociety_desktop.models.hub_summary import HubSummary
from oursociety_desktop.ui.widgets.rows_model import Index

COL_HUB, COL_PEOPLE, COL_LESSONS, COL_OFFERS, COL_NEEDS, COL_HOURS, COL_RECEIVED, COL_SENT = range(8)
HUB_ROLE = Qt.ItemDataRole.UserRole + 1


class HubTableModel(QAbstractTableModel):
    """One row per hub, this hub first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hubs: list[HubSummary] = []
        self._headers = (self.tr("Hub"), self.tr("People"), self.tr("Lessons"), self.tr("Offers"),
                         self.tr("Needs"), self.tr("Hours given"), self.tr("Last received"), self.tr("Last sent"))

    def set_hubs(self, hubs: list[HubSummary]) -> None:
        """Show a new summary."""
        self.beginResetModel()
        self.hubs = hubs
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.hubs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def _text(self, hub: HubSummary, column: int) -> str:
        if column == COL_HUB:
            return self.tr("{0} (this hub)").format(hub.name) if hub.is_this_hub else hub.name
        if column == COL_PEOPLE:
            return (self.tr("{0} ({1} shared)").format(f"{hub.people:,}", f"{hub.people_shared:,}")
                    if hub.is_this_hub else f"{hub.people:,}")
        if column == COL_LESSONS:
            return (self.tr("{0} ({1} shared)").format(f"{hub.lessons:,}", f"{hub.lessons_shared:,}")
                    if hub.is_this_hub else f"{hub.lessons:,}")
        if column == COL_OFFERS:
            return f"{hub.offers:,}"
        if column == COL_NEEDS:
            return f"{hub.needs:,}"
        if column == COL_HOURS:
            return f"{hub.hours_given:g}"
        if hub.is_this_hub:
            return "—"
        when = hub.last_received if column == COL_RECEIVED else hub.last_sent
        return when[:16].replace("T", " ") if when else self.tr("never")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.hubs):
            return None
        hub = self.hubs[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(hub, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (COL_PEOPLE, COL_LESSONS, COL_OFFERS,
                                                                             COL_NEEDS, COL_HOURS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == HUB_ROLE:
            return hub
        return None
