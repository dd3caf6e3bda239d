"""The members of one group as a table model, fetched lazily page by page (a group may have thousands)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from sqlmodel import Session

from oursociety_desktop.models.groups import MemberRow, members_of
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.groups.labels import role_labels
from oursociety_desktop.ui.widgets.paged_model import PagedTableModel
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE

COL_NAME, COL_ROLE, COL_SINCE = range(3)
MEMBER_ROW_ROLE = ROW_ROLE


class MemberTableModel(PagedTableModel):
    """Members of the group set with `show_group`: coordinators first, then by name."""

    PAGE = 500

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, (self.tr("Name"), self.tr("Role"), self.tr("Member since")), parent)
        self.group_id = ""
        self._roles = role_labels()

    def show_group(self, group_id: str) -> None:
        """Show the first page of this group's members ('' shows nothing)."""
        self.group_id = group_id
        if group_id:
            self.reload(first_page=True)
        else:
            self.clear()

    def fetch(self, session: Session, limit: int, offset: int) -> list[MemberRow]:
        if not self.group_id:
            return []
        return members_of(session, self.group_id, limit=limit, offset=offset)

    def cell(self, row: Any, column: int) -> str:
        return str((row.name, self._roles.get(row.role, row.role), row.since)[column])

    def row_of(self, contact_id: str) -> int:
        """The row showing this contact, or -1."""
        return next((i for i, r in enumerate(self.rows) if r.contact_id == contact_id), -1)
