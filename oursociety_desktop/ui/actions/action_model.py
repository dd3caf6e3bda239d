"""The action list as a table model: filtered and ordered in SQL, fetched a page at a time."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont
from sqlmodel import Session

from oursociety_desktop.models.actions import TO_DO, ActionFilter, ActionRow, count_actions, list_actions
from oursociety_desktop.ui.actions.labels import kind_labels, status_labels
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.paged_model import PagedTableModel
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE

COL_WHEN, COL_TITLE, COL_KIND, COL_STATUS, COL_GROUP, COL_OWNERS = range(6)
ACTION_ROW_ROLE = ROW_ROLE


class ActionTableModel(PagedTableModel):
    """Actions matching `flt`: dated ones by date (overdue ones in bold), then undated ones."""

    SORT_KEYS: ClassVar[dict[int, str]] = {COL_WHEN: "when", COL_TITLE: "title", COL_KIND: "kind",
                                           COL_STATUS: "status"}

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, (self.tr("Date"), self.tr("Title"), self.tr("Kind"), self.tr("Status"),
                               self.tr("Group"), self.tr("Owners")), parent)
        self.flt = ActionFilter(status=TO_DO)
        self._kinds, self._statuses = kind_labels(), status_labels()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_filter(self, flt: ActionFilter) -> None:
        """Show the first page for a new filter."""
        self.flt = flt
        self.reload(first_page=True)

    def count(self, session: Session) -> int:
        return count_actions(session, self.flt)

    def fetch(self, session: Session, limit: int, offset: int) -> list[ActionRow]:
        return list_actions(session, self.flt, limit=limit, offset=offset, order=self.order)

    def is_overdue(self, row: ActionRow) -> bool:
        """Still to do and dated before the filter's today."""
        return row.status in ("open", "doing") and bool(row.when) and row.when < self.flt.today.isoformat()

    def cell(self, row: Any, column: int) -> str:
        return str((row.when, row.title, self._kinds.get(row.kind, row.kind),
                    self._statuses.get(row.status, row.status), row.group_name, row.owners)[column])

    def cell_data(self, row: Any, column: int, role: int) -> Any:
        if column != COL_WHEN or not self.is_overdue(row):
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Overdue")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("{0}, overdue").format(row.when)
        return None
