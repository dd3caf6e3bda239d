"""The contact list's columns and its rows as the view shows them: the text of each cell, decoded from SQLite's row
the first time the view asks for it, and the consent column's icon."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from oursociety_desktop.models.contact_list import RawContactRow, contact_row

# The consent column sits beside the name, so it is on screen at any window size.
COL_NAME, COL_SHARING, COL_ORGANISATION, COL_PHONE, COL_EMAIL, COL_LOCALITY, COL_TAGS = range(7)
COLUMN_COUNT = 7
# What a click on each column's header sorts by (a key of query.SORT_KEYS).
COLUMN_SORT = {COL_NAME: "name", COL_SHARING: "consent", COL_ORGANISATION: "organisation", COL_PHONE: "phone",
               COL_EMAIL: "email", COL_LOCALITY: "locality", COL_TAGS: "tags"}
CONTACT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# The roles a cell answers, as plain integers. The view asks seven roles of every cell it paints (font, colours,
# alignment, check state...); the ones left to the view are turned away before any other work.
DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
DECORATION_ROLE = int(Qt.ItemDataRole.DecorationRole)
ANSWERED_ROLES = frozenset({DISPLAY_ROLE, DECORATION_ROLE, int(Qt.ItemDataRole.ToolTipRole),
                       int(Qt.ItemDataRole.AccessibleTextRole), int(CONTACT_ID_ROLE)})
ISOLATED_COLUMNS = (COL_PHONE, COL_EMAIL)  # in an Urdu or Arabic window a number keeps its order


class ShownRow:
    """A row as the list shows it, decoded from SQLite's row the first time the view asks for it (a page holds
    50 rows, a screen shows about 25): the contact id and the text of each cell, by column."""

    __slots__ = ("id", "cells", "share", "directory")

    def __init__(self, raw: RawContactRow, no_name: str) -> None:
        record = contact_row(raw)
        self.id = record.id
        self.cells: tuple[str | None, ...] = (record.name or no_name, None, record.organisation, record.phone,
                                              record.email, record.locality, record.tags)
        self.share, self.directory = record.share, record.directory


# A page of the list: rows as SQLite gave them until shown (None: a contact deleted since the order was read).
PageEntry = RawContactRow | ShownRow | None


def entry_id(entry: PageEntry) -> str | None:
    if entry is None:
        return None
    return entry.id if isinstance(entry, ShownRow) else str(entry[0])


@cache
def consent_icon(share: bool, directory: bool, size: int = 16) -> QIcon:
    """A round mark for sharing and a square one for the directory: filled when given, outlined when not."""
    pixmap = QPixmap(size * 2 + 4, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for x, given, colour, round_mark in ((1, share, QColor("#1f6fb2"), True),
                                         (size + 3, directory, QColor("#2e7d32"), False)):
        painter.setPen(QPen(colour, 2))
        painter.setBrush(colour if given else Qt.GlobalColor.transparent)
        box = QRectF(x + 1, 2, size - 4, size - 4)
        if round_mark:
            painter.drawEllipse(box)
        else:
            painter.drawRect(box)
    painter.end()
    return QIcon(pixmap)
