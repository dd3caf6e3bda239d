"""Connections as a table model: one SQL query per page resolves every name; fetched lazily."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt
from sqlmodel import Session

from oursociety_desktop.models.connections import ConnectionRow, count_connections, list_connections
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.paged_model import PagedTableModel
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE

COL_DATE, COL_KIND, COL_A, COL_B, COL_BY, COL_NOTE, COL_FOLLOW_UP = range(7)
CONNECTION_ROW_ROLE = ROW_ROLE


def _t(text: str) -> str:
    """`text` in the user's language (a name Babel extracts, unlike an alias of `translate`)."""
    return QCoreApplication.translate("Connections", text)


def kind_labels() -> dict[str, str]:
    """Stored connection kind -> label."""
    return {"introduced": _t("introduced"), "knows": _t("knows"),
            "mentors": _t("mentors"), "works with": _t("works with")}


class ConnectionTableModel(PagedTableModel):
    """Live connections, newest first; `person_id` narrows them to one person's."""

    SORT_KEYS: ClassVar[dict[int, str]] = {COL_DATE: "date", COL_KIND: "kind", COL_NOTE: "note"}

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, (self.tr("Date"), self.tr("Kind"), self.tr("Person"), self.tr("Connected with"),
                               self.tr("Introduced by"), self.tr("Why"), self.tr("Follow-up")), parent)
        self.person_id = ""
        self._kinds = kind_labels()

    def set_person(self, person_id: str) -> None:
        """Show everyone's connections ('') or one person's."""
        self.person_id = person_id
        self.reload(first_page=True)

    def count(self, session: Session) -> int:
        return count_connections(session, self.person_id)

    def fetch(self, session: Session, limit: int, offset: int) -> list[ConnectionRow]:
        return list_connections(session, self.person_id, limit=limit, offset=offset, order=self.order)

    def cell(self, row: Any, column: int) -> str:
        note = row.note.splitlines()[0] if row.note else ""
        return str((row.date, self._kinds.get(row.kind, row.kind), row.person_a, row.person_b, row.introduced_by,
                    note, row.follow_up)[column])

    def cell_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_NOTE and row.note:
            return row.note  # the whole note, not its first line
        return None
