"""Contact search: the folded text each contact is indexed by, and FTS5 queries over it.

The index covers names, organisation, role, emails, tags, languages, place and postcode, folded by `text.fold`
(case, accents, ł→l, Greek tonos), and each phone number as digits: as typed, in E.164, and every ending of three
or more digits, so "0123", "900 123" and "+44 7700 900123" all find the same person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import Connection, text

from oursociety_desktop.models.bulk import reporting_during_statements
from oursociety_desktop.models.phones import e164_of
from oursociety_desktop.models.text import digits_only, fold

MIN_PHONE_SUFFIX = 3
_PHONEISH = re.compile(r"^\+?[\d\s().\-/٠-٩۰-۹]+$")
_TOKEN = re.compile(r"\w+")
# CJK ideographs, kana and hangul: indexed one character per token, so any part of a name matches.
_CJK = re.compile(r"([\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f])")


def _split_cjk(folded: str) -> str:
    return folded if folded.isascii() else _CJK.sub(r" \1 ", folded)


def phone_tokens(typed: str, e164: str | None) -> list[str]:
    """Digit tokens for one phone number: the typed digits and the E.164 digits, each with all its endings of
    three or more digits (a prefix query on an ending finds a number by the last digits typed)."""
    return list(_phone_tokens(typed, e164))


@lru_cache(maxsize=4096)  # an import indexes the same numbers again and again (a household, an office)
def _phone_tokens(typed: str, e164: str | None) -> tuple[str, ...]:
    tokens: list[str] = []
    for digits in (digits_only(typed), (e164 or "").lstrip("+")):
        tokens.extend(digits[i:] for i in range(0, len(digits) - MIN_PHONE_SUFFIX + 1))
    return tuple(dict.fromkeys(tokens))


def search_body(values: Mapping[str, Any], region: str) -> tuple[str, list[str]]:
    """The folded text to index for a contact, and its phone numbers in E.164 (for duplicate detection)."""
    parts: list[str] = [
        str(values.get(name) or "")
        for name in ("given_name", "family_name", "display_name", "organisation", "role", "locality", "region")
    ]
    postcode = str(values.get("postcode") or "")
    parts.extend([postcode, postcode.replace(" ", "")])
    parts.extend(str(t) for t in values.get("tags") or [])
    parts.extend(str(t) for t in values.get("languages") or [])
    e164s: list[str] = []
    digit_parts: list[str] = []
    for phone in values.get("phones") or []:
        typed = str(phone.get("value", ""))
        e164 = e164_of(typed, region)
        if e164:
            e164s.append(e164)
        digit_parts.extend(phone_tokens(typed, e164))
    for email in values.get("emails") or []:
        address = str(email.get("value", ""))
        parts.append(address)
    # Folding works character by character and keeps the spaces between parts, so folding each part on its own
    # gives the text folded whole; the parts that need the slow path (accents, other scripts) are remembered, as
    # names, towns and tags recur on row after row.
    body = " ".join([folded for folded in map(_folded_part, filter(None, parts)) if folded])
    return " ".join([body, *digit_parts]).strip(), list(dict.fromkeys(e164s))


# A contact's row of the search index: (contact id, folded text, phone numbers in E.164, its sort key while it is
# live, None once deleted: the list finds a search's first page by sorting these rows, see models/contact_list.py).
SearchRow = tuple[str, str, list[str], str | None]


def search_row(contact: Mapping[str, Any], region: str) -> SearchRow:
    """The search row of a contact given as its fields (a row, or a record's `model_dump()`): id, deleted,
    erased, sort_key and what `search_body` reads. An erased contact's row holds nothing."""
    key = None if contact["deleted"] else contact["sort_key"]
    if contact["erased"]:
        return contact["id"], "", [], key
    body, e164s = search_body(contact, region)
    return contact["id"], body, e164s, key


def _folded_part(text: str) -> str:
    return fold(text) if text.isascii() else _folded_letters(text)


@lru_cache(maxsize=16_384)
def _folded_letters(text: str) -> str:
    return _split_cjk(fold(text))


def build_match_query(typed: str) -> str | None:
    """An FTS5 MATCH expression for what the user typed: every word as a prefix, all required.

    Returns None when there is nothing to search for. Input is never passed to FTS5 unquoted, so quotes,
    operators and brackets in it are just text.
    """
    raw = typed.strip()
    if not raw:
        return None
    digits = digits_only(raw)
    if _PHONEISH.match(raw) and len(digits) >= MIN_PHONE_SUFFIX:
        if raw.startswith("00"):
            digits = digits[2:]
        return f'"{digits}"*'
    tokens = _TOKEN.findall(_split_cjk(fold(raw)))
    if not tokens:
        return None
    return " ".join(f'"{token}"*' for token in tokens)


# The search rows and the contacts an FTS query matches, as FROM clauses (`contact_fts MATCH` goes in the WHERE
# clause): the index
# drives (CROSS JOIN fixes the join order; left to itself SQLite may walk every contact and test MATCH row by row,
# 100x slower), and each match reaches its contact by the rowid its search row keeps (by id, the contact's id index
# was read once more per match: the count of "e", 91,469 matches at 100,000 contacts, 128 ms against 31 ms).
MATCHED_SEARCH_ROWS = "contact_fts CROSS JOIN contact_search s ON s.rowid = contact_fts.rowid"
MATCHED_CONTACTS = f"{MATCHED_SEARCH_ROWS} CROSS JOIN contact c ON c.rowid = s.contact_rowid"


def search_contact_ids(conn: Connection, typed: str, limit: int = 200, offset: int = 0,
                       include_deleted: bool = False) -> list[str]:
    """Ids of contacts matching `typed`, best match first (bm25), then by name."""
    query = build_match_query(typed)
    if query is None:
        return []
    deleted_clause = "" if include_deleted else "AND c.deleted = 0"
    rows = conn.execute(
        text(
            f"SELECT c.id FROM {MATCHED_CONTACTS} WHERE contact_fts MATCH :q {deleted_clause} "
            "ORDER BY contact_fts.rank, c.sort_key LIMIT :limit OFFSET :offset"
        ),
        {"q": query, "limit": limit, "offset": offset},
    )
    return [row[0] for row in rows]


def count_matches(conn: Connection, typed: str) -> int:
    """How many live contacts match `typed`."""
    query = build_match_query(typed)
    if query is None:
        return 0
    return int(
        conn.execute(
            text(
                f"SELECT COUNT(*) FROM {MATCHED_CONTACTS} WHERE contact_fts MATCH :q AND c.deleted = 0"
            ),
            {"q": query},
        ).scalar_one()
    )


_INSERT_SEARCH_ROW = ("INSERT INTO contact_search (contact_id, body, live_sort_key, contact_rowid) "
                      "VALUES (?, ?, ?, (SELECT rowid FROM contact WHERE id = ?))")


def write_search_rows(conn: Connection, rows: Iterable[SearchRow]) -> None:
    """Upsert `SearchRow`s into the search and phone index tables, in bulk (tuples at the driver level:
    SQLAlchemy's per-row parameter processing cost more than the statements). The contact row must be written
    first: a search row's sort key is the contact's as written (a trigger keeps it in step with later edits)."""
    batch = list(rows)
    if not batch:
        return
    conn.exec_driver_sql(
        f"{_INSERT_SEARCH_ROW} ON CONFLICT(contact_id) DO UPDATE SET body = excluded.body, "
        "live_sort_key = excluded.live_sort_key, contact_rowid = excluded.contact_rowid WHERE body != excluded.body "
        "OR live_sort_key IS NOT excluded.live_sort_key OR contact_rowid IS NOT excluded.contact_rowid",
        [(cid, body, key, cid) for cid, body, _, key in batch],
    )
    conn.exec_driver_sql("DELETE FROM contact_phone WHERE contact_id = ?", [(cid,) for cid, *_ in batch])
    phone_rows = [(cid, e) for cid, _, e164s, _ in batch for e in e164s]
    if phone_rows:
        conn.exec_driver_sql("INSERT OR IGNORE INTO contact_phone (contact_id, e164) VALUES (?, ?)", phone_rows)


def add_search_rows(conn: Connection, rows: Iterable[SearchRow]) -> None:
    """`write_search_rows` for contacts inserted in this transaction (a bulk import), which have no search or
    phone rows yet: plain inserts, written as tuples."""
    batch = list(rows)
    if not batch:
        return
    conn.exec_driver_sql(_INSERT_SEARCH_ROW, [(cid, body, key, cid) for cid, body, _, key in batch])
    phone_rows = [(cid, e) for cid, _, e164s, _ in batch for e in e164s]
    if phone_rows:
        conn.exec_driver_sql("INSERT OR IGNORE INTO contact_phone (contact_id, e164) VALUES (?, ?)", phone_rows)


def purge_deleted_index_entries(conn: Connection) -> None:
    """Rewrite the full-text index without the entries of replaced search rows.

    FTS5 only marks replaced entries as deleted; their tokens (names, phone digits) stay in the index's segments
    until a merge. After an erasure they must go, so that after VACUUM the person is nowhere in the file.
    """
    conn.execute(text("INSERT INTO contact_fts(contact_fts) VALUES ('optimize')"))


# Rows indexed per statement at the end of a bulk block, so progress and Cancel are answered in between.
INDEX_CHUNK = 20_000


@contextmanager
def search_index_at_end(conn: Connection, between: Callable[[int, int], None] | None = None,
                        chunk: int = INDEX_CHUNK) -> Iterator[None]:
    """Inside a write transaction: search rows inserted within the block are added to the FTS5 index in one pass
    when it ends, not row by row through the trigger (a bulk import of 100,000 contacts spent most of its time
    there). Rows that were there before keep their triggers, so an edit or delete of one still updates the index.

    The triggers are swapped with DDL inside the same transaction, so a crash or a rollback (a bad record, a
    cancel) leaves the schema, the rows and the index exactly as they were. `between(done, total)` is called
    between chunks of the final pass of `chunk` rows each (a progress report; raising from it cancels)."""
    before = int(conn.exec_driver_sql("SELECT COALESCE(MAX(rowid), 0) FROM contact_search").scalar_one())
    original: dict[str, str] = dict(conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contact_search'").all())
    for name, sql in original.items():
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        conn.exec_driver_sql(_only_rows_up_to(sql, before))
    yield
    last = int(conn.exec_driver_sql("SELECT COALESCE(MAX(rowid), 0) FROM contact_search").scalar_one())
    for start in range(before, last, chunk):
        done = start - before
        if between is not None:
            between(done, last - before)
        # FTS5 writes out what it holds at the end of every statement, so fewer, larger statements index faster
        # (100,000 rows: 5.9 s in statements of 1,000, 3.7 s of 10,000); progress is told during each one.
        during = nullcontext() if between is None else reporting_during_statements(
            conn, partial(between, done, last - before))
        with during:
            conn.exec_driver_sql("INSERT INTO contact_fts(rowid, body) SELECT rowid, body FROM contact_search "
                                 "WHERE rowid > ? AND rowid <= ?", (start, start + chunk))
    if between is not None and last > before:
        between(last - before, last - before)  # after the last chunk too: what follows is the commit
    for name, sql in original.items():
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        conn.exec_driver_sql(sql)


def _only_rows_up_to(trigger_sql: str, rowid: int) -> str:
    """The same trigger, firing only for rows whose rowid is at most `rowid` (the rows already indexed)."""
    head, body = trigger_sql.split(" BEGIN ", 1)
    row = "old" if " DELETE " in head or " UPDATE " in head else "new"
    return f"{head} WHEN {row}.rowid <= {int(rowid)} BEGIN {body}"
