"""The contact list's columns: sortable headers, widths that fit what they hold with the names taking what is left,
and the user's own widths remembered for the hub."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView

from oursociety_desktop.models.database import set_setting
from oursociety_desktop.ui.contacts.contact_model import (
    COL_EMAIL,
    COL_LOCALITY,
    COL_NAME,
    COL_ORGANISATION,
    COL_PHONE,
    COL_SHARING,
    COL_TAGS,
    ContactTableModel,
)
from oursociety_desktop.ui.context import AppContext

HEADER_SETTING = "contacts_columns"  # the list's column widths, as the user left them


class ContactColumns(QObject):
    """Sizes and remembers the columns of the contact list `table` showing `model`."""

    def __init__(self, ctx: AppContext, table: QTableView, model: ContactTableModel) -> None:
        super().__init__(table)
        self.ctx, self.table, self.model = ctx, table, model

    def set_up(self) -> None:
        """Sortable headers (sorted in SQLite), widths that fit what the columns hold, the names taking what is
        left (never less than about 14 characters: a narrow window scrolls sideways instead of cutting names),
        and the user's own widths remembered for the hub."""
        self._fitting = False
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SHARING, QHeaderView.ResizeMode.Fixed)
        header.setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setIconSize(QSize(36, 16))
        self.fit()
        saved = self.ctx.db.setting(HEADER_SETTING)
        if isinstance(saved, str) and saved:
            header.restoreState(QByteArray.fromBase64(saved.encode("ascii")))
        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(800)
        self._header_timer.timeout.connect(self.remember)
        header.sectionResized.connect(self._section_resized)
        self.table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._fit_name)  # once the viewport has its new size
        return super().eventFilter(watched, event)

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if not self._fitting and section != COL_NAME:
            self._header_timer.start()  # the user dragged a column: keep it
            self._fit_name()

    def _fit_name(self) -> None:
        """The name column takes the room the other columns leave, and at least about 14 characters."""
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(self.model.columnCount()) if c != COL_NAME)
        wanted = max(self.table.viewport().width() - others, self.table.fontMetrics().averageCharWidth() * 14 + 16)
        if header.sectionSize(COL_NAME) != wanted:
            self._fitting = True
            header.resizeSection(COL_NAME, wanted)
            self._fitting = False

    def fit(self) -> None:
        """Column widths for the current text size: enough for a typical value (a UK mobile, a short email);
        longer values are elided and the tooltip has them."""
        self._fitting = True
        char = self.table.fontMetrics().averageCharWidth()
        caption = str(self.model.headerData(COL_SHARING, Qt.Orientation.Horizontal) or "")
        self.table.setColumnWidth(COL_SHARING, max(36 + 16, self.table.fontMetrics().horizontalAdvance(caption) + 28))
        for column, chars in ((COL_ORGANISATION, 11), (COL_PHONE, 12), (COL_EMAIL, 14), (COL_LOCALITY, 8),
                              (COL_TAGS, 8)):
            self.table.setColumnWidth(column, char * chars + 12)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self._fitting = False
        self._fit_name()

    def remember(self) -> None:
        """Keep the user's column widths (and sort) for the next start."""
        state = bytes(self.table.horizontalHeader().saveState().toBase64().data()).decode("ascii")
        if state != self.ctx.db.setting(HEADER_SETTING):
            with self.ctx.db.write() as tx:
                set_setting(tx.session, HEADER_SETTING, state)
