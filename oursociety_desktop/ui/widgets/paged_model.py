"""The one way a long list is read: a table model fetched a page at a time.

Subclasses say how to count and read rows in SQL; this class keeps what was loaded, lets Qt's view ask for more
as it scrolls, and reloads after a change without losing the rows already scrolled into view.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QObject, Qt
from sqlmodel import Session

from oursociety_desktop.models.list_order import ListOrder
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.widgets.rows_model import Index, RowsTableModel


class PagedTableModel(RowsTableModel):
    """Rows read `PAGE` at a time; `total` is the number of rows there are, or None when `count` cannot say."""

    PAGE = 200
    # The columns a click on the heading sorts by: column -> a sort key the core's list query knows (in SQL, so a
    # list of 100,000 rows is sorted before its first page is read). Empty: the list keeps its own order.
    SORT_KEYS: ClassVar[dict[int, str]] = {}

    def __init__(self, ctx: AppContext, headers: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.total: int = 0
        self._headers = headers
        self._more = False
        self.order: ListOrder | None = None  # the order chosen by a click on a heading; None: the list's own

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's view asks for an order (a click on a heading): a sortable column reads the first page again in
        that order; any other (-1 included) goes back to the list's own order."""
        key = self.SORT_KEYS.get(column, "")
        chosen = ListOrder(key, order == Qt.SortOrder.DescendingOrder) if key else None
        if chosen == self.order:
            return
        self.order = chosen
        self.reload(first_page=True)

    def headers(self) -> tuple[str, ...]:
        return self._headers

    # ---- what a subclass provides ----

    def count(self, session: Session) -> int | None:
        """How many rows the current query has (None: unknown, then a short page means the end)."""
        return None

    def fetch(self, session: Session, limit: int, offset: int) -> list[Any]:
        """One page of rows of the current query."""
        raise NotImplementedError

    # ---- loading ----

    def reload(self, first_page: bool = False) -> None:
        """Read again (after a change or a new filter), keeping as many rows as were loaded unless `first_page`."""
        limit = self.PAGE if first_page else max(self.PAGE, len(self.rows))
        with self.ctx.db.read() as session:
            total = self.count(session)
            rows = self.fetch(session, limit, 0)
        self.beginResetModel()
        self.rows = rows
        self.total = len(rows) if total is None else total
        self._more = len(rows) == limit if total is None else len(rows) < total
        self.endResetModel()

    def clear(self) -> None:
        """Show nothing."""
        self.beginResetModel()
        self.rows, self.total, self._more = [], 0, False
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        with self.ctx.db.read() as session:
            more = self.fetch(session, self.PAGE, len(self.rows))
        self._more = len(more) == self.PAGE
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.total = max(self.total, len(self.rows))
        self.endInsertRows()
