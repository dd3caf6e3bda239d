"""The tables derived from the records, what each should hold, and how far it is from that.

Derived, local and rebuilt from the records alone: the contacts' search rows (`contact_search`: folded text, place
in the list), their phone index (`contact_phone`: E.164 numbers), the full-text index over the search rows
(`contact_fts`), and the same for lessons (`lesson_search`, `lesson_fts`). `measure_drift` compares each with what
the records give (the same functions the writers use: `search.search_row`, `lessons.lesson_search_body`);
`check` reports the drift (models/health.py) and `check --repair` rewrites exactly the rows that drifted
(models/repair.py). The records themselves are the truth that travels between hubs: nothing here writes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DatabaseError

from oursociety_desktop.models.database import DEFAULT_SETTINGS
from oursociety_desktop.models.lessons import TEXT_FIELDS, lesson_search_body
from oursociety_desktop.models.search import search_row

# What `search_row` reads of a contact; the four JSON columns are decoded as the ORM would.
_CONTACT_COLUMNS = ("id", "deleted", "erased", "sort_key", "given_name", "family_name", "display_name",
                    "organisation", "role", "locality", "region", "postcode", "tags", "languages", "phones", "emails")
_JSON_COLUMNS = ("tags", "languages", "phones", "emails")
_LESSON_COLUMNS = ("id", "stamp", *TEXT_FIELDS, "kind", "themes")

# A search row of a contact: (text, live sort key, the contact's rowid); a lesson's: (stamp, text).
ContactIndexRow = tuple[str, str | None, int]
LessonIndexRow = tuple[str, str]


@dataclass
class Drift:
    """How many rows of each derived table differ from what the records give (all zero: in step)."""

    search_missing: int = 0  # contacts without a search row
    search_stray: int = 0  # search rows of contacts this hub does not have
    search_text: int = 0  # search rows whose text is not their contact's
    search_place: int = 0  # search rows whose live sort key or contact rowid is not their contact's
    phone_missing: int = 0  # E.164 numbers of a contact missing from the phone index
    phone_stray: int = 0  # phone index entries no contact's phones give
    contact_fts_missing: int = 0  # search rows the full-text index does not hold
    contact_fts_stray: int = 0  # full-text entries without a search row
    lesson_stray: int = 0  # lesson search rows of lessons this hub does not have
    lesson_text: int = 0  # lesson search rows made from the lesson's current version, with other text
    lesson_fts_missing: int = 0
    lesson_fts_stray: int = 0

    @property
    def total(self) -> int:
        """Every row out of step, all tables together."""
        return sum(getattr(self, f.name) for f in fields(self))


@dataclass
class Expected:
    """What the derived tables of contacts and lessons should hold, computed from the records."""

    contacts: dict[str, ContactIndexRow]
    phones: set[tuple[str, str]]
    lessons: dict[str, LessonIndexRow]


def default_region(conn: Connection) -> str:
    """The hub's default phone region (the setting, or its default), which the search rows' numbers follow."""
    stored = conn.exec_driver_sql("SELECT value FROM setting WHERE key = 'default_region'").scalar()
    value = json.loads(stored) if isinstance(stored, str) else stored
    return str(value if value is not None else DEFAULT_SETTINGS["default_region"])


def expected_rows(conn: Connection) -> Expected:
    """Every contact's search row and phone numbers, and every lesson's search row, as the writers make them."""
    region = default_region(conn)
    contacts: dict[str, ContactIndexRow] = {}
    phones: set[tuple[str, str]] = set()
    columns = ", ".join(_CONTACT_COLUMNS)
    for row in conn.exec_driver_sql(f"SELECT rowid, {columns} FROM contact"):  # noqa: S608
        values: dict[str, Any] = dict(zip(_CONTACT_COLUMNS, row[1:], strict=True))
        for name in _JSON_COLUMNS:
            values[name] = json.loads(values[name]) if isinstance(values[name], str) else values[name]
        cid, body, e164s, key = search_row(values, region)
        contacts[cid] = (body, key, int(row[0]))
        phones.update((cid, e164) for e164 in e164s)
    lessons: dict[str, LessonIndexRow] = {}
    for row in conn.exec_driver_sql(f"SELECT {', '.join(_LESSON_COLUMNS)} FROM lesson"):  # noqa: S608
        values = dict(zip(_LESSON_COLUMNS, row, strict=True))
        values["themes"] = json.loads(values["themes"]) if isinstance(values["themes"], str) else values["themes"]
        lessons[values["id"]] = (values["stamp"], lesson_search_body(values))
    return Expected(contacts, phones, lessons)


def contact_search_rows(conn: Connection) -> dict[str, ContactIndexRow]:
    """The search rows as stored, by contact id."""
    return {cid: (body, key, rowid) for cid, body, key, rowid in conn.exec_driver_sql(
        "SELECT contact_id, body, live_sort_key, contact_rowid FROM contact_search")}


def phone_rows(conn: Connection) -> set[tuple[str, str]]:
    """The phone index as stored."""
    return {(cid, e164) for cid, e164 in conn.exec_driver_sql("SELECT contact_id, e164 FROM contact_phone")}


def lesson_search_rows(conn: Connection) -> dict[str, LessonIndexRow]:
    """The lesson search rows as stored, by lesson id."""
    return {lid: (stamp, body) for lid, stamp, body in conn.exec_driver_sql(
        "SELECT lesson_id, stamp, body FROM lesson_search")}


def fts_drift(conn: Connection, fts: str, content: str) -> tuple[int, int]:
    """(rows of `content` the FTS5 index `fts` does not hold, entries it holds without a row), read from its
    docsize table: one entry per indexed row. (A COUNT(*) of an external-content index counts the content table,
    so it cannot tell.)"""
    missing = conn.exec_driver_sql(
        f"SELECT COUNT(*) FROM {content} s WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {fts}_docsize d WHERE d.id = s.rowid)").scalar_one()
    stray = conn.exec_driver_sql(
        f"SELECT COUNT(*) FROM {fts}_docsize d WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {content} s WHERE s.rowid = d.id)").scalar_one()
    return int(missing), int(stray)


def measure_drift(conn: Connection, expected: Expected | None = None) -> Drift:
    """Compare every derived table with what the records give. A lesson's search row made from an older version
    of it is not drift: the Learning list refreshes those rows before it reads them (`refresh_lesson_index`)."""
    want = expected if expected is not None else expected_rows(conn)
    drift = Drift()
    have = contact_search_rows(conn)
    drift.search_missing = sum(1 for cid in want.contacts if cid not in have)
    drift.search_stray = sum(1 for cid in have if cid not in want.contacts)
    for cid, (body, key, rowid) in have.items():
        wanted = want.contacts.get(cid)
        if wanted is not None:
            drift.search_text += body != wanted[0]
            drift.search_place += (key, rowid) != wanted[1:]
    stored_phones = phone_rows(conn)
    drift.phone_missing = len(want.phones - stored_phones)
    drift.phone_stray = len(stored_phones - want.phones)
    drift.contact_fts_missing, drift.contact_fts_stray = fts_drift(conn, "contact_fts", "contact_search")
    lessons = lesson_search_rows(conn)
    drift.lesson_stray = sum(1 for lid in lessons if lid not in want.lessons)
    drift.lesson_text = sum(1 for lid, (stamp, body) in lessons.items()
                            if lid in want.lessons and want.lessons[lid][0] == stamp and want.lessons[lid][1] != body)
    drift.lesson_fts_missing, drift.lesson_fts_stray = fts_drift(conn, "lesson_fts", "lesson_search")
    return drift


def fts_in_step(conn: Connection, fts: str) -> bool:
    """FTS5's own check of an index against its content table, token by token (in a write transaction: the check
    is an INSERT). It finds what the docsize comparison cannot: an entry indexed with other text than its row's."""
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")  # noqa: S608
    except DatabaseError:
        return False
    return True


@contextmanager
def triggers_off(conn: Connection, table: str) -> Iterator[None]:
    """Inside a write transaction: the triggers on `table` dropped for the block and created again after it (DDL is
    part of the transaction, so a rollback puts them back too). While an FTS5 index is out of step its triggers
    must not run: deleting an entry it does not hold damages it further."""
    original = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY rowid", (table,)).all()
    for name, _sql in original:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in original:
        conn.exec_driver_sql(sql)
