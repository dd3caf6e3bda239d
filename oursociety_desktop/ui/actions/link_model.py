"""The contacts linked to one action (owner, attendee, about) as a small table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from oursociety_desktop.models.actions import LinkRow, links_of
from oursociety_desktop.ui.actions.labels import role_labels
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE, RowsTableModel

COL_NAME, COL_ROLE = range(2)
LINK_ROW_ROLE = ROW_ROLE


class LinkTableModel(RowsTableModel):
    """Owners first, then attendees, then the people the action is about."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.action_id = ""
        self._roles = role_labels()

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Contact"), self.tr("Role"))

    def show_action(self, action_id: str) -> None:
        """Read the links of this action ('' shows none)."""
        self.action_id = action_id
        rows: list[LinkRow] = []
        if action_id:
            with self.ctx.db.read() as session:
                rows = links_of(session, action_id)
        self.set_rows(rows)

    def cell(self, row: Any, column: int) -> str:
        return str((row.name, self._roles.get(row.role, row.role))[column])

    def owners(self) -> list[str]:
        """Names of the owners shown."""
        return [r.name for r in self.rows if r.role == "owner"]
