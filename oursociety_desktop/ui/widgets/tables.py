"""The list view every workspace shows its records in: one row per record, selected whole, read left to right."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def record_table(parent: QWidget, model: QAbstractItemModel, accessible_name: str, stretch_column: int) -> QTableView:
    """A table view for a list of records: single whole-row selection, no tab trap, compact rows, left-aligned
    headers, user-resizable columns with `stretch_column` taking the spare width. Column widths are the caller's:
    they come from labels, never from measuring rows (lists hold up to 100,000)."""
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(accessible_name)
    view.setAccessibleDescription(QCoreApplication.translate("Tables", "A list: arrow keys move from row to row"))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setTabKeyNavigation(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(parent.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    if getattr(model, "SORT_KEYS", None):  # a click on a sortable heading sorts; the list starts in its own order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
        header.setSortIndicatorClearable(True)
    return view


def size_columns(view: QTableView, chars: Mapping[int, int]) -> None:
    """Column widths in characters of the view's current font, and rows as tall as its text. Called again after a
    text-size change (a workspace's `fit_columns`), so Larger text does not cut what fitted before."""
    char = view.fontMetrics().horizontalAdvance("0")
    header = view.horizontalHeader()
    for column, count in chars.items():
        header.resizeSection(column, count * char + 16)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)


def select_row_quietly(view: QAbstractItemView, row: int, column: int = 0) -> None:
    """Make `row` the view's current, selected row (`row` < 0: select nothing) without telling the view's
    listeners: the caller is putting the selection back where its record is, not choosing a record."""
    selection = view.selectionModel()
    selection.blockSignals(True)
    if row >= 0:
        selection.setCurrentIndex(view.model().index(row, column),
                                  QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | QItemSelectionModel.SelectionFlag.Rows)
    else:
        selection.clearSelection()
    selection.blockSignals(False)
    view.viewport().update()
