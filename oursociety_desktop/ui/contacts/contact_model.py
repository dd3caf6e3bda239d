"""The contacts list as a Qt table model: rows are fetched from SQLite a page at a time, when first shown.

The model knows how many rows the query holds (one COUNT) and asks for the page a row falls in only when a
view paints it, so opening 100,000 contacts reads a few hundred rows. Pages are cached until the query or the
data changes; their rows are decoded one by one as the view first asks for them. In another order than by name,
the list without its search text is sorted once and each search walks it (issue 20: a keystroke stays under
40 ms at 100,000 contacts whichever column the list is sorted by).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal

from oursociety_desktop.models.contact_list import (
    ORDER,
    ContactQuery,
    Probe,
    live_count_above,
    raw_rows_by_rowid,
    rowid_of,
)
from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.background import read_in_background

# The list's columns and roles live with its rows; they are imported from here (`X as X`: re-exported).
from oursociety_desktop.ui.contacts.contact_rows import (
    ANSWERED_ROLES,
    DECORATION_ROLE,
    DISPLAY_ROLE,
    ISOLATED_COLUMNS,
    PageEntry,
    ShownRow,
    entry_id,
)
from oursociety_desktop.ui.contacts.contact_rows import COL_EMAIL as COL_EMAIL
from oursociety_desktop.ui.contacts.contact_rows import COL_LOCALITY as COL_LOCALITY
from oursociety_desktop.ui.contacts.contact_rows import COL_NAME as COL_NAME
from oursociety_desktop.ui.contacts.contact_rows import COL_ORGANISATION as COL_ORGANISATION
from oursociety_desktop.ui.contacts.contact_rows import COL_PHONE as COL_PHONE
from oursociety_desktop.ui.contacts.contact_rows import COL_SHARING as COL_SHARING
from oursociety_desktop.ui.contacts.contact_rows import COL_TAGS as COL_TAGS
from oursociety_desktop.ui.contacts.contact_rows import COLUMN_COUNT as COLUMN_COUNT
from oursociety_desktop.ui.contacts.contact_rows import COLUMN_SORT as COLUMN_SORT
from oursociety_desktop.ui.contacts.contact_rows import CONTACT_ID_ROLE as CONTACT_ID_ROLE
from oursociety_desktop.ui.contacts.contact_rows import consent_icon as consent_icon
from oursociety_desktop.ui.wording import isolated

# A page holds a screenful and more (about 22 rows at the default size, 40 on a tall screen). Each keystroke reads
# one: 50 rows cost less than 100 to read, and a broad search in a sorted list walks half as far (at 100,000
# contacts: the page 2.83 against 3.13 ms median, the walk 10.3 against 13.3 ms).
PAGE_SIZE = 50
MAX_CACHED_PAGES = 100
# Up to this many contacts a header click sorts at once; above it SQLite sorts on a worker thread (a sort of
# 100,000 rows by organisation takes 0.4-0.9 s) and the list changes order when it is done.
SYNC_SORT_LIMIT = 5000

AnyIndex = QModelIndex | QPersistentModelIndex


class ContactTableModel(QAbstractTableModel):
    """Live contacts matching a `ContactQuery`, in list order; `CONTACT_ID_ROLE` gives a row's contact id.

    A search or filter shows its first page at once; the full count of matches (a second pass over them) is
    taken just after, from the event loop, and the remaining rows are then added (`count_known` is emitted).
    """

    count_known = Signal(int)
    sorting = Signal(bool)  # True while a large list is being sorted on a worker thread

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        # In another order than by name, the list pages through the rowids SQLite sorted (see `_load_ordered`).
        self._order: list[int] | None = None
        self._order_query: ContactQuery | None = None
        self._order_index: dict[int, int] = {}
        self.query = ContactQuery()
        self._count = 0
        self._pages: OrderedDict[int, list[PageEntry]] = OrderedDict()
        self.pages_fetched = 0
        self.count_exact = True
        self._headers = [self.tr("Name"), self.tr("Consent"), self.tr("Organisation"), self.tr("Phone"),
                         self.tr("Email"), self.tr("Place"), self.tr("Tags")]
        self._sort = ("name", False)
        self._no_name = self.tr("(no name)")
        # The count of a search's matches starts once the event loop has painted the first page (posted events,
        # the paint among them, come before timers): started at once, its worker thread took the interpreter
        # from the GUI thread while the list was being painted (3-5 ms a keystroke at 100k).
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._count_after_paint)
        # The list without its search text in the chosen order (query, rowids, each rowid's position), sorted once
        # on a worker thread: a broad search in that order walks it (`ContactQuery.walk_order`; `_walk_from` is where
        # the walk goes on), a narrow one puts its matches in its order.
        self._base: tuple[ContactQuery, list[int], dict[int, int]] | None = None
        self._base_pending: tuple[ContactQuery, int] | None = None
        self._walk_from: int | None = None
        self._walk_probe: Probe | None = None  # the walked search's breadth, asked of the FTS index once
        self._data_generation = 0  # a base sorted before the data last changed is not used
        self._load()

    # ---- loading ----

    def set_query(self, query: ContactQuery) -> None:
        """Show the contacts matching `query` (resets the view), in the order the user chose by a header."""
        query = replace(query, sort=self._sort[0], descending=self._sort[1])
        if query == self.query:
            return
        self.query = query
        self._load()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: sort in SQLite by that column (ties by name)."""
        self._sort = (COLUMN_SORT.get(column, "name"), order == Qt.SortOrder.DescendingOrder)
        self.set_query(self.query)

    def reload(self) -> None:
        """Re-read the count and forget cached pages and orders (after the data changed)."""
        self._base = None
        self._data_generation += 1
        self._load()

    def _load(self) -> None:
        if self.query.order != ORDER:
            self._load_ordered()
            return
        self._order, self._order_query, self._walk_from = None, None, None
        self.beginResetModel()
        self._pages.clear()
        with self.db.read() as session:
            conn = session.connection()
            first = self.query.page_rows(conn, 0, PAGE_SIZE)
            # A short first page is the whole answer; the whole list's count is a quick index count.
            if len(first) < PAGE_SIZE:
                self._count, self.count_exact = len(first), True
            elif not self.query.filtered:
                self._count, self.count_exact = self.query.count(conn), True
            else:
                self._count, self.count_exact = len(first), False
        self._pages[0] = list[PageEntry](first)
        self.pages_fetched += 1
        self.endResetModel()
        self._announce_count()

    def _announce_count(self) -> None:
        """Say the count when it is known; else count every match once the list is painted."""
        if self.count_exact:
            self.count_known.emit(self._count)
        else:
            self._count_timer.start()

    def _load_ordered(self) -> None:
        """Another order. A small hub: SQLite sorts the matches at once. Otherwise the list without its search text
        is sorted once on a worker thread (the rows on show stay until it arrives); a broad search in that order
        walks it, a narrow one puts its few matches in its order (SQLite sorts them until it has arrived)."""
        query = self.query
        base_query = replace(query, search="")
        base = self._base if self._base is not None and self._base[0] == base_query else None
        with self.db.read() as session:
            conn = session.connection()
            probe = query.probe(conn)
            narrow = query.narrow_search(conn, probe)
            if narrow and base is not None:  # a few matches, put in the order of the list sorted once
                positions = base[2]
                found = [r for r in query.matched_rowids(conn) if r in positions]
                self._apply_order(query, sorted(found, key=positions.__getitem__))
                return
            # A small hub, or a search with few matches (typing in a list sorted by place): sorted at once.
            if narrow or not live_count_above(conn, SYNC_SORT_LIMIT):
                self._apply_order(query, query.ordered_rowids(conn))
                return
            if base is not None:
                if query == base_query:
                    self._apply_order(query, base[1], base[2])
                else:
                    self._walk_first_page(conn, query, base[1], probe)
                return
        self.sorting.emit(True)
        pending = (base_query, self._data_generation)
        if self._base_pending == pending:
            return  # already being sorted: its answer lists this query too
        self._base_pending = pending
        db = self.db

        def read() -> tuple[list[int], dict[int, int]]:
            with db.read() as session:
                rowids = base_query.ordered_rowids(session.connection())
            return rowids, {rowid: i for i, rowid in enumerate(rowids)}

        def failed(model: ContactTableModel) -> None:
            if model._base_pending == pending:
                model._base_pending = None
            if replace(model.query, search="") == base_query:
                model.sorting.emit(False)  # the list stays in its previous order

        read_in_background(self, read, lambda model, rowids: model._apply_base(pending, rowids), "contact-sort",
                           failed)

    def _apply_base(self, sorted_for: tuple[ContactQuery, int], base: tuple[list[int], dict[int, int]]) -> None:
        if self._base_pending == sorted_for:
            self._base_pending = None
        base_query, generation = sorted_for
        if generation != self._data_generation or replace(self.query, search="") != base_query:
            return  # the data changed, or the user chose another order or filter meanwhile
        self._base = (base_query, *base)
        self._load()  # lists the current query from the base, at once

    def _walk_first_page(self, conn: Any, query: ContactQuery, base: list[int], probe: Probe) -> None:
        found, self._walk_from = query.walk_order(conn, base, 0, PAGE_SIZE, probe)
        self._walk_probe = probe
        self.beginResetModel()
        self._pages.clear()
        self._order, self._order_query, self._order_index = found, query, {}
        self._count, self.count_exact = len(found), self._walk_from is None
        self.endResetModel()
        self.sorting.emit(False)
        self._announce_count()

    def _apply_order(self, query: ContactQuery, rowids: list[int], positions: dict[int, int] | None = None) -> None:
        """Show `rowids` in that order; `positions` maps each to its row when the caller has it already."""
        self.beginResetModel()
        self._pages.clear()
        self._order, self._order_query, self._walk_from = rowids, query, None
        self._order_index = positions or {}
        self._count, self.count_exact = len(rowids), True
        self.endResetModel()
        self.sorting.emit(False)
        self.count_known.emit(self._count)

    @property
    def current(self) -> bool:
        """Whether the rows on show are those of the current query (False while a worker sorts the list)."""
        return self.query.order == ORDER or self._order_query == self.query

    def _count_after_paint(self) -> None:
        if not self.count_exact:
            self._count_in_background(self.query)

    def _count_in_background(self, query: ContactQuery) -> None:
        # Counting every match of a broad search (one letter, at 100k) took 200-260 ms on the GUI thread; SQLite
        # releases the interpreter while it counts, so a worker thread keeps the window responsive.
        db = self.db

        def read() -> int:
            with db.read() as session:
                return query.count(session.connection())

        # The list stays as it is ("N or more") if the count fails; there is nothing to report.
        read_in_background(self, read, lambda model, total: model._apply_count(query, total), "contact-count")

    def _apply_count(self, query: object, total: int) -> None:
        if query == self.query and not self.count_exact:
            self._set_count(total)

    def complete_count(self, query: ContactQuery | None = None) -> int:
        """Count every match now and add the rows past the first page (no-op if the query changed since)."""
        if self.count_exact or (query is not None and query != self.query):
            return self._count
        with self.db.read() as session:
            total = self.query.count(session.connection())
        return self._set_count(total)

    def _set_count(self, total: int) -> int:
        self.count_exact = True
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()
        self.count_known.emit(self._count)
        return self._count

    def _entry(self, row: int) -> PageEntry:
        """What the list holds on a row, decoded or not (its page is read when first asked for)."""
        if not 0 <= row < self._count:
            return None
        number, within = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            with self.db.read() as session:
                if self._order is not None:
                    missing = (number + 1) * PAGE_SIZE - len(self._order)
                    if missing > 0 and self._walk_from is not None and self._base is not None:
                        more, self._walk_from = self.query.walk_order(session.connection(), self._base[1],
                                                                      self._walk_from, missing, self._walk_probe)
                        self._order.extend(more)
                        self._order_index = {}
                    chosen = self._order[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
                    page = list[PageEntry](raw_rows_by_rowid(session.connection(), chosen))
                else:
                    page = list[PageEntry](self.query.page_rows(session.connection(), number * PAGE_SIZE, PAGE_SIZE))
            self.pages_fetched += 1
            self._pages[number] = page
            while len(self._pages) > MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[within] if within < len(page) else None

    def _shown(self, row: int) -> ShownRow | None:
        """The row decoded for showing (once: the page keeps the decoded row)."""
        entry = self._entry(row)
        if entry is None or isinstance(entry, ShownRow):
            return entry
        shown = ShownRow(entry, self._no_name)
        page = self._pages[row // PAGE_SIZE]
        page[row % PAGE_SIZE] = shown
        return shown

    # ---- Qt model API ----

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if section == COL_SHARING and role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.tr("Consent: a round mark when shared with other hubs, a square one when in the printed "
                           "directory; outlined when not")
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY_ROLE) -> Any:
        # Called seven times for every cell painted: the cheapest tests first, no Qt enum looked up.
        if role not in ANSWERED_ROLES:
            return None
        column = index.column()
        if role == DECORATION_ROLE and column != COL_SHARING:
            return None
        shown = self._shown(index.row())
        if shown is None:
            return None
        if role == DISPLAY_ROLE:
            value = shown.cells[column]
            return isolated(value) if column in ISOLATED_COLUMNS and value else value
        if role == CONTACT_ID_ROLE:
            return shown.id
        if column == COL_SHARING:
            if role == DECORATION_ROLE:
                return consent_icon(shown.share, shown.directory)
            return self.consent_text(shown.share, shown.directory)  # the icon's words: tooltip, screen readers
        return shown.cells[column]

    def consent_text(self, share: bool, directory: bool) -> str:
        """The consent column in words (tooltip and screen readers)."""
        hubs = self.tr("shared with other hubs") if share else self.tr("not shared with other hubs")
        listed = self.tr("in the printed directory") if directory else self.tr("not in the printed directory")
        return self.tr("{0}; {1}").format(hubs, listed).capitalize()

    # ---- helpers for views ----

    def contact_id(self, row: int) -> str | None:
        """The contact id shown on a row."""
        return entry_id(self._entry(row))

    def all_ids(self) -> list[str]:
        """Every contact id in the list, in order, in one query."""
        with self.db.read() as session:
            return self.query.ids(session.connection())

    def row_of(self, contact_id: str, scan_limit: int = PAGE_SIZE) -> int | None:
        """The row a contact is on, or None when the list does not hold it.

        Rows already loaded are looked at first (after an edit the contact is almost always on screen). Within a
        search, a contact not among the loaded rows is not looked for: its position among tens of thousands of
        matches of a broad search cost 80-370 ms on the GUI thread at 100k."""
        for number, page in self._pages.items():
            for within, entry in enumerate(page):
                if entry_id(entry) == contact_id:
                    return number * PAGE_SIZE + within
        if self._order is not None:  # the sorted rowids are at hand: a dictionary lookup, no SQL sort
            if not self._order_index:
                self._order_index = {rowid: i for i, rowid in enumerate(self._order)}
            with self.db.read() as session:
                rowid = rowid_of(session.connection(), contact_id)
            return None if rowid is None else self._order_index.get(rowid)
        if self.query.searching:
            return None
        with self.db.read() as session:
            position = self.query.position(session.connection(), contact_id)
        if position is not None:
            return position if self.contact_id(position) == contact_id else None
        for row in range(min(self._count, scan_limit)):
            if self.contact_id(row) == contact_id:
                return row
        return None
