"""The hubs known, as a table: what each has shared and the last exchange with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from oursociety_desktop.models.hub_summary import HubSummary
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE, RowsTableModel
from oursociety_desktop.ui.wording import hours_text

COL_HUB, COL_PEOPLE, COL_LESSONS, COL_OFFERS, COL_NEEDS, COL_HOURS, COL_RECEIVED, COL_SENT = range(8)
HUB_ROLE = ROW_ROLE


class HubTableModel(RowsTableModel):
    """One row per hub, this hub first."""

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Hub"), self.tr("People"), self.tr("Lessons"), self.tr("Offers"), self.tr("Needs"),
                self.tr("Hours given"), self.tr("Last received"), self.tr("Last sent"))

    @property
    def hubs(self) -> list[HubSummary]:
        """The hubs shown."""
        return self.rows

    def set_hubs(self, hubs: list[HubSummary]) -> None:
        """Show a new summary."""
        self.set_rows(hubs)

    def cell(self, hub: Any, column: int) -> str:
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
            return hours_text(hub.hours_given)
        if hub.is_this_hub:
            return "—"
        when = hub.last_received if column == COL_RECEIVED else hub.last_sent
        return when[:16].replace("T", " ") if when else self.tr("never")

    def cell_data(self, hub: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_PEOPLE, COL_LESSONS, COL_OFFERS, COL_NEEDS,
                                                                     COL_HOURS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
