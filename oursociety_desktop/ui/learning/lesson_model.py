"""Lessons as a table model: the filtered list, a page at a time."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QObject
from sqlmodel import Session

from oursociety_desktop.models.lessons import LessonFilter, LessonRow, hub_names, list_lessons
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.paged_model import PagedTableModel
from oursociety_desktop.ui.widgets.rows_model import ROW_ROLE

COL_DATE, COL_KIND, COL_TITLE, COL_THEMES, COL_PLACE, COL_HUB = range(6)
LESSON_ROW_ROLE = ROW_ROLE  # the LessonRow behind a row


def _t(text: str) -> str:
    """`text` in the user's language (a name Babel extracts, unlike an alias of `translate`)."""
    return QCoreApplication.translate("Learning", text)


def lesson_kind_labels() -> dict[str, str]:
    """Stored lesson kind -> label."""
    return {"lesson learned": _t("lesson learned"), "story": _t("story"),
            "how-to": _t("how-to"), "warning": _t("warning")}


class LessonTableModel(PagedTableModel):
    """Live lessons matching `flt`, newest first."""

    SORT_KEYS: ClassVar[dict[int, str]] = {COL_DATE: "date", COL_KIND: "kind", COL_TITLE: "title", COL_PLACE: "place"}

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, (self.tr("Date"), self.tr("Kind"), self.tr("Title"), self.tr("Themes"),
                               self.tr("Place"), self.tr("Hub")), parent)
        self.flt = LessonFilter()
        self._kinds = lesson_kind_labels()
        self._hubs: dict[str, str] = {}

    def set_filter(self, flt: LessonFilter) -> None:
        """Show the lessons matching a new filter."""
        self.flt = flt
        self.reload(first_page=True)

    def fetch(self, session: Session, limit: int, offset: int) -> list[LessonRow]:
        self._hubs = hub_names(session)
        return list_lessons(session, self.flt, limit=limit, offset=offset, order=self.order)

    def cell(self, row: LessonRow, column: int) -> str:
        return (row.date, self._kinds.get(row.kind, row.kind), row.title, ", ".join(row.themes), row.place,
                self._hubs.get(row.hub_id, row.hub_id[:8]))[column]
