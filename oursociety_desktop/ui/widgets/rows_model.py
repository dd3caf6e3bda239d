"""The one table model of the window: rows held in a list, each shown through `cell(row, column)`.

`ROW_ROLE` gives a row's object to the view's owner. A short list (a preview, the conflicts inbox, an action's
people) sets its rows at once with `set_rows`; a long one is a `PagedTableModel` (`paged_model.py`), which is
this model reading its rows from SQL a page at a time. Only the contacts list, which must page through 100,000
rows by position, keeps its own model.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from oursociety_desktop.i18n import _
from oursociety_desktop.ui.wording import isolated

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole)


class RowsTableModel(QAbstractTableModel):
    """Rows of any type; subclasses give the column titles (`HEADERS`, marked with `N_` and translated when shown,
    or `headers()`)
    and the text of a cell (`cell`), and may add other roles (`cell_data`: alignment, colour)."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self._titles: tuple[str, ...] | None = None

    # ---- what a subclass provides ----

    def headers(self) -> tuple[str, ...]:
        """The column titles in the user's language."""
        return tuple(_(title) for title in self.HEADERS)

    def cell(self, row: Any, column: int) -> Any:
        """The text of one cell."""
        raise NotImplementedError

    def cell_data(self, row: Any, column: int, role: int) -> Any:
        """A role of a cell that differs from its text (a bold font, a longer tooltip, an accessible text that says
        more); None: the text (for display, tooltip and accessible text) or nothing (other roles)."""
        return None

    # ---- rows ----

    def set_rows(self, rows: list[Any]) -> None:
        """Show these rows instead of the ones shown."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def titles_changed(self) -> None:
        """Ask `headers()` again (a subclass whose column titles depend on what it shows)."""
        self._titles = None
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def row_at(self, index: Index) -> Any | None:
        """The row object behind an index, or None."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.rows[index.row()]

    def row_of(self, record_id: str) -> int:
        """The shown row whose `id` is `record_id`, or -1."""
        return next((i for i, r in enumerate(self.rows) if getattr(r, "id", None) == record_id), -1)

    # ---- Qt's side ----

    def _column_titles(self) -> tuple[str, ...]:
        if self._titles is None:
            self._titles = self.headers()
        return self._titles

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._column_titles())

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._column_titles()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        special = self.cell_data(row, index.column(), role)
        if special is not None:
            return special
        if role not in _TEXT_ROLES:
            return None
        value = self.cell(row, index.column())
        return isolated(value) if role == Qt.ItemDataRole.DisplayRole and isinstance(value, str) else value
