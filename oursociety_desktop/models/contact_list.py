"""The contacts list as a query, shared by the window and the command line: filters, FTS search, sort orders
and pages by LIMIT/OFFSET.

Without search text the list walks the (deleted, sort_key) index, so any page of 100,000 contacts is a short
index range. With search text the FTS5 index (the same MATCH expression as `search_contact_ids`) drives the
join and the matches are listed by name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.models.names import name_to_show, withdrawn_by_name_sql
from oursociety_desktop.models.search import MATCHED_CONTACTS, MATCHED_SEARCH_ROWS, build_match_query

# Consent filters: key -> SQL condition on the contact row `c`.
FLAG_FILTERS: dict[str, str] = {
    "share": "c.share_with_hubs = 1",
    "no_share": "c.share_with_hubs = 0",
    "directory": "c.include_in_directory = 1",
    "no_directory": "c.include_in_directory = 0",
    "do_not_phone": "c.do_not_phone = 1",
    "do_not_email": "c.do_not_email = 1",
    "do_not_mail": "c.do_not_mail = 1",
    "do_not_sms": "c.do_not_sms = 1",
}

COLUMNS = ("c.id, c.given_name, c.family_name, c.display_name, c.organisation, c.phones, c.emails, c.locality, "
           f"c.tags, c.share_with_hubs, c.include_in_directory, {withdrawn_by_name_sql('c')}")

# List order: by name, ties by rowid. The (deleted, sort_key) index holds the rowid, so it serves this order
# alone, and a deep page's OFFSET walks only index entries: the last page of 100,000 takes 5 ms. Ties broken by
# `c.id` needed a temporary B-tree over every row before the page (377 ms for the last page: a scrolling stall).
ORDER = "c.sort_key, c.rowid"

# The other orders a column header click asks for: (SQL expression, whether empty values go last). Sorting happens
# in SQLite, page by page, so 100,000 contacts are never read into Python to be sorted.
SORT_KEYS: dict[str, tuple[str, bool]] = {
    "name": ("c.sort_key", False),
    "consent": ("(c.share_with_hubs * 2 + c.include_in_directory)", False),
    "organisation": ("c.organisation COLLATE NOCASE", True),
    "phone": ("json_extract(c.phones, '$[0].value')", True),
    "email": ("json_extract(c.emails, '$[0].value') COLLATE NOCASE", True),
    "locality": ("c.locality COLLATE NOCASE", True),
    "tags": ("json_extract(c.tags, '$[0]') COLLATE NOCASE", True),
}


# A search matching at least this many contacts is listed by walking the name index (`ContactQuery._broad`);
# fewer are sorted. Measured at 100,000 contacts: "z" (3,461 matches, most of them family names at the end of the
# name order) lists faster sorted, "n" (7,770) and "v" (9,989) twice as fast walked, "e" (91,469) 12x.
BROAD_SEARCH = 5000
# A broad search matching at least this share of the contacts (one common letter: "e" matches 91,469 of 100,000)
# is walked with one look-up in the FTS index per contact walked, instead of first reading every match into a
# temporary index: the page is found within a few hundred contacts, and the look-ups cost 3-9 ms against 11-25 ms.
# Below it the look-ups are the slower way ("cl", 17% of the contacts: 5 ms against 80 ms).
DENSE_SEARCH_SHARE = 0.5

# How a walk keeps the contacts its search matches: the matches read once into a temporary index, or (a dense
# search) one look-up in the FTS index per contact walked. Both are conditions on the contact row `c`.
_AMONG_MATCHES = ("(SELECT s.rowid FROM contact_search s WHERE s.contact_id = c.id) IN "
                  "(SELECT rowid FROM contact_fts WHERE contact_fts MATCH :match)")
_EACH_A_MATCH = ("EXISTS (SELECT 1 FROM contact_search s CROSS JOIN contact_fts f ON f.rowid = s.rowid "
                 "WHERE s.contact_id = c.id AND f.contact_fts MATCH :match)")

# A page of a search's matches in name order. Each match's search row holds its contact's sort key (None once
# deleted; a trigger keeps it in step) and rowid, so the matches are sorted in `ORDER` without reading their
# contacts, and only the page's contacts are read. Joining every match to its contact first cost 17-22 ms for "Pa"
# (4,189 matches at 100,000 contacts).
_SEARCH_PAGE = (
    f"SELECT {COLUMNS} FROM (SELECT s.contact_rowid AS r, s.live_sort_key AS k FROM {MATCHED_SEARCH_ROWS} "
    "WHERE contact_fts MATCH :match AND s.live_sort_key IS NOT NULL ORDER BY k, r LIMIT :limit OFFSET :offset) m "
    "CROSS JOIN contact c ON c.rowid = m.r WHERE +c.deleted = 0 ORDER BY m.k, m.r"
)


def order_by(sort: str, descending: bool) -> str:
    """The ORDER BY terms for a sort key; ties by name, then rowid, so pages never overlap."""
    if sort == "name" and not descending:
        return ORDER
    expression, empties_last = SORT_KEYS.get(sort, SORT_KEYS["name"])
    direction = " DESC" if descending else ""
    terms = []
    if empties_last:
        bare = expression.split(" COLLATE ")[0]
        terms.append(f"(COALESCE({bare}, '') = '')")
    terms.append(expression + direction)
    terms += ["c.sort_key" + direction, "c.rowid" + direction]
    return ", ".join(terms)


@dataclass(frozen=True)
class ContactRow:
    """One line of the list, decoded."""

    id: str
    name: str
    organisation: str
    phone: str
    email: str
    locality: str
    tags: str
    share: bool
    directory: bool


# How broad a search is (`ContactQuery.probe`).
_NARROW, _BROAD, _DENSE = range(3)
Probe = tuple[int, float]  # (how broad, the share of the contacts matched)

# A list row as SQLite gives it: the columns of COLUMNS, in that order (the contact id first).
RawContactRow = Sequence[Any]


@dataclass(frozen=True)
class ContactQuery:
    """What the list shows: search text and filters. Equal queries give equal results."""

    search: str = ""
    group_id: str = ""
    tag: str = ""
    flags: tuple[str, ...] = field(default_factory=tuple)
    sort: str = "name"  # a key of SORT_KEYS
    descending: bool = False

    @property
    def order(self) -> str:
        """The ORDER BY terms of this query."""
        return order_by(self.sort, self.descending)

    def _where(self, walk: bool = False, dense: bool = False) -> tuple[str, str, dict[str, Any]]:
        """(FROM clause, WHERE conditions, parameters). `walk`: for a broad search in name order, walk the name
        index and keep the contacts among the matches (one set of rowids read from the FTS index; `dense`: one
        look-up in the FTS index per contact walked)."""
        params: dict[str, Any] = {}
        conditions = ["c.deleted = 0"]
        match = build_match_query(self.search) if self.search.strip() else None
        if match is not None and walk:
            source = "contact c"
            conditions.append(_EACH_A_MATCH if dense else _AMONG_MATCHES)
            params["match"] = match
        elif match is not None:
            source = MATCHED_CONTACTS
            conditions.append("contact_fts MATCH :match")
            params["match"] = match
        else:
            source = "contact c"
        if self.group_id:
            conditions.append("c.id IN (SELECT m.contact_id FROM membership m WHERE m.group_id = :group_id "
                              "AND m.deleted = 0)")
            params["group_id"] = self.group_id
        if self.tag:
            conditions.append("EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE t.value = :tag)")
            params["tag"] = self.tag
        for flag in self.flags:
            conditions.append(FLAG_FILTERS[flag])
        return source, " AND ".join(conditions), params

    @property
    def searching(self) -> bool:
        """True when the search text gives an FTS query."""
        return bool(self.search.strip()) and build_match_query(self.search) is not None

    @property
    def filtered(self) -> bool:
        """True when search text or any filter narrows the list (its COUNT is then not a cheap index count)."""
        return bool(self.search.strip() or self.group_id or self.tag or self.flags)

    @property
    def _filtered_beyond_search(self) -> bool:
        return bool(self.group_id or self.tag or self.flags)

    @property
    def matches_nothing(self) -> bool:
        """Typed text with nothing searchable in it (only punctuation) matches no contact."""
        return bool(self.search.strip()) and build_match_query(self.search) is None

    def count(self, conn: Connection) -> int:
        """How many contacts the list holds."""
        if self.matches_nothing:
            return 0
        source, where, params = self._where()
        return int(conn.execute(text(f"SELECT COUNT(*) FROM {source} WHERE {where}"), params).scalar_one())

    def page(self, conn: Connection, offset: int, limit: int) -> list[ContactRow]:
        """Rows `offset` to `offset + limit` in list order."""
        return [contact_row(row) for row in self.page_rows(conn, offset, limit)]

    def page_rows(self, conn: Connection, offset: int, limit: int) -> list[RawContactRow]:
        """`page` as SQLite gives it, undecoded (`contact_row` decodes one): a list view decodes only the rows it
        shows, a screenful of a page."""
        if self.matches_nothing:
            return []
        breadth = self.probe(conn)[0] if self.order == ORDER else _NARROW
        if breadth == _NARROW and self.order == ORDER and self.searching and not self._filtered_beyond_search:
            return list(conn.exec_driver_sql(_SEARCH_PAGE, {
                "match": build_match_query(self.search), "limit": limit, "offset": offset}).all())
        source, where, params = self._where(walk=breadth != _NARROW, dense=breadth == _DENSE)
        # Matches are listed by name, like the whole list: predictable, and half the cost of ranking every match
        # by bm25 (every typed word must match as a prefix anyway).
        sql = f"SELECT {COLUMNS} FROM {source} WHERE {where} ORDER BY {self.order} LIMIT :limit OFFSET :offset"
        # Straight to the driver: a text() construct is compiled by SQLAlchemy on every keystroke.
        return list(conn.exec_driver_sql(sql, {**params, "limit": limit, "offset": offset}).all())

    def _broad(self, conn: Connection) -> bool:
        """Whether a search in name order matches so many contacts that walking the name index finds a page
        sooner than sorting every match (one letter at 100,000 contacts: 10-25 ms against 35-500 ms)."""
        return self.order == ORDER and self.probe(conn)[0] != _NARROW

    def narrow_search(self, conn: Connection, probe: Probe | None = None) -> bool:
        """Whether this is a search matching fewer than BROAD_SEARCH contacts, whose matches SQLite sorts in any
        order in a few milliseconds (so a list sorted by another column need not sort them on a worker thread).
        `probe`: this query's `probe`, when the caller has it already."""
        return self.searching and (probe or self.probe(conn))[0] == _NARROW

    def probe(self, conn: Connection) -> Probe:
        """(_NARROW, _BROAD or _DENSE; the share of the contacts the search matches, at most DENSE_SEARCH_SHARE).
        Asked of the FTS index with a bound: well under a millisecond for a narrow search, 2-5 ms for the broadest
        at 100,000 contacts (a caller that needs it twice keeps it)."""
        if not self.searching:
            return _NARROW, 0.0
        highest = max(1, int(conn.exec_driver_sql("SELECT COALESCE(MAX(rowid), 0) FROM contact").scalar_one()))
        dense = max(BROAD_SEARCH, int(highest * DENSE_SEARCH_SHARE))  # deleted contacts count: errs on "broad"
        found = int(conn.exec_driver_sql(
            "SELECT COUNT(*) FROM (SELECT rowid FROM contact_fts WHERE contact_fts MATCH :match LIMIT :n)",
            {"match": build_match_query(self.search), "n": dense}).scalar_one())
        breadth = _NARROW if found < BROAD_SEARCH else _DENSE if found >= dense else _BROAD
        return breadth, min(1.0, found / highest)

    def walk_order(self, conn: Connection, order: Sequence[int], start: int, wanted: int,
                   probe: Probe | None = None) -> tuple[list[int], int | None]:
        """The next `wanted` contacts matching this query's search in `order`, the rowids of the same query without
        its search text in its order (sorted once), read from position `start`; and the position to go on from
        (None: `order` was read to its end). A broad search in another order than by name is listed this way: the
        contacts are taken in that order a chunk at a time and the FTS index keeps those that match, so a page
        costs a few chunks instead of a sort of every match (one letter at 100,000 contacts: 0.4-1.2 s)."""
        match = build_match_query(self.search)
        if match is None:
            return [], None
        # The unary plus keeps each term a test: `+c.deleted`, so the contacts are read by rowid, not through the
        # (deleted, sort_key) index; `+s.rowid`, so SQLite does not look each contact's search row up once for
        # every match of the search (5 s for one letter).
        breadth, share = probe or self.probe(conn)
        among = ("EXISTS (SELECT 1 FROM contact_fts f WHERE f.rowid = s.rowid AND f.contact_fts MATCH :match)"
                 if breadth == _DENSE else
                 "+s.rowid IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH :match)")
        found: list[int] = []
        # A first chunk that holds `wanted` matches if they are spread evenly (each chunk reads the matches again).
        chunk = max(wanted, min(int(wanted / max(share, 0.01) * 1.25) + 10, 20_000))
        while start < len(order):
            part = [int(r) for r in order[start:start + chunk]]
            marks = ", ".join(map(str, part))  # integers from SQLite itself: safe to inline
            matched = {int(r[0]) for r in conn.exec_driver_sql(
                "SELECT c.rowid FROM contact c CROSS JOIN contact_search s ON s.contact_id = c.id "
                f"WHERE c.rowid IN ({marks}) AND +c.deleted = 0 AND {among}", {"match": match})}
            for offset, rowid in enumerate(part):
                if rowid in matched:
                    found.append(rowid)
                    if len(found) == wanted:
                        after = start + offset + 1
                        return found, after if after < len(order) else None
            start += len(part)
            chunk *= 2  # a sparse search: fewer, larger chunks
        return found, None

    def matched_rowids(self, conn: Connection) -> list[int]:
        """The rowids of the live contacts this query's search text matches, in no order, read from the search rows
        alone (the other filters are not applied: a caller keeps those in the list it orders them by)."""
        match = build_match_query(self.search) if self.search.strip() else None
        if match is None:
            return []
        # One row of text rather than a row per match: "Pa" (4,189 matches at 100,000 contacts) 6.5 ms against 12.
        listed = conn.exec_driver_sql(
            f"SELECT group_concat(s.contact_rowid) FROM {MATCHED_SEARCH_ROWS} "
            "WHERE contact_fts MATCH ? AND s.live_sort_key IS NOT NULL",
            (match,)).scalar()
        return [int(r) for r in listed.split(",")] if listed else []

    def ordered_rowids(self, conn: Connection) -> list[int]:
        """Every matching contact's rowid in this query's order: SQLite sorts once, the list pages through it."""
        if self.matches_nothing:
            return []
        source, where, params = self._where()
        return [int(r[0]) for r in conn.execute(
            text(f"SELECT c.rowid FROM {source} WHERE {where} ORDER BY {self.order}"), params)]

    def ids(self, conn: Connection) -> list[str]:
        """Every contact id the list holds, in list order (for "select all" then a bulk action)."""
        if self.matches_nothing:
            return []
        source, where, params = self._where()
        return [str(r[0]) for r in conn.execute(
            text(f"SELECT c.id FROM {source} WHERE {where} ORDER BY {self.order}"), params)]

    def position(self, conn: Connection, contact_id: str) -> int | None:
        """The row a contact is on in name order (None when it is not in the list)."""
        if self.matches_nothing:
            return None
        source, where, params = self._where()
        if self.order != ORDER:
            # Another order: number the rows in SQL (one sort of the matches, done once after an edit).
            ranked = conn.execute(text(
                f"SELECT rn FROM (SELECT c.id AS cid, ROW_NUMBER() OVER (ORDER BY {self.order}) - 1 AS rn "
                f"FROM {source} WHERE {where}) WHERE cid = :cid"), {**params, "cid": contact_id}).first()
            return None if ranked is None else int(ranked[0])
        found = conn.execute(text(f"SELECT c.sort_key, c.rowid FROM {source} WHERE {where} AND c.id = :cid"),
                             {**params, "cid": contact_id}).first()
        if found is None:
            return None
        before = conn.execute(
            text(f"SELECT COUNT(*) FROM {source} WHERE {where} AND (c.sort_key < :sk OR "
                 "(c.sort_key = :sk AND c.rowid < :rid))"),
            {**params, "sk": found[0], "rid": found[1]},
        ).scalar_one()
        return int(before)


def rows_by_rowid(conn: Connection, rowids: list[int]) -> list[ContactRow | None]:
    """The list rows of these contacts, in the order given (None for a contact deleted since)."""
    return [None if row is None else contact_row(row) for row in raw_rows_by_rowid(conn, rowids)]


def raw_rows_by_rowid(conn: Connection, rowids: list[int]) -> list[RawContactRow | None]:
    """`rows_by_rowid` undecoded (see `ContactQuery.page_rows`)."""
    if not rowids:
        return []
    marks = ", ".join(str(int(r)) for r in rowids)  # integers from SQLite itself: safe to inline, no variable cap
    # `+c.deleted`: left to itself SQLite read these rows through the (deleted, sort_key) index, all 100,000 of its
    # entries, instead of by rowid (22 ms against 1.3 ms for a page of 200 at 100k).
    found = {int(r[-1]): tuple(r[:-1]) for r in conn.exec_driver_sql(
        f"SELECT {COLUMNS}, c.rowid FROM contact c WHERE c.rowid IN ({marks}) AND +c.deleted = 0")}
    return [found.get(r) for r in rowids]


def rowid_of(conn: Connection, contact_id: str) -> int | None:
    """The rowid of a contact (None when unknown)."""
    found = conn.execute(text("SELECT rowid FROM contact WHERE id = :cid"), {"cid": contact_id}).first()
    return None if found is None else int(found[0])


def live_count_above(conn: Connection, limit: int) -> bool:
    """Whether the hub has more than `limit` live contacts; reads at most `limit + 1` index entries (the whole
    count took 5 ms at 100k)."""
    return int(conn.exec_driver_sql("SELECT COUNT(*) FROM (SELECT 1 FROM contact WHERE deleted = 0 LIMIT ?)",
                                    (limit + 1,)).scalar_one()) > limit


def _first_value(raw: Any) -> str:
    items = json.loads(raw) if isinstance(raw, str) else (raw or [])
    if not items:
        return ""
    first = str(items[0].get("value", ""))
    return first if len(items) == 1 else f"{first} (+{len(items) - 1})"


def contact_row(row: RawContactRow) -> ContactRow:
    """One row of `ContactQuery.page_rows` decoded (names shown, first phone and email, tags joined)."""
    cid, given, family, display, organisation, phones, emails, locality, tags, share, directory, withdrawn = row
    name = name_to_show(display or "", given or "", family or "", organisation or "", withdrawn_by=withdrawn or "")
    tag_list = json.loads(tags) if isinstance(tags, str) else (tags or [])
    return ContactRow(cid, name, organisation or "", _first_value(phones), _first_value(emails), locality or "",
                      ", ".join(tag_list), bool(share), bool(directory))
