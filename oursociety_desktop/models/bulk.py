"""Writing many new rows at once, at the driver level.

SQLAlchemy Core's `insert(table)` with a list of dicts processes every parameter of every row in Python (type
coercion, JSON encoding, defaults); for 100,000 contacts that costs more than SQLite's own work. Here each row
becomes one tuple, JSON columns are encoded as SQLAlchemy's JSON type encodes them (`json.dumps`), missing
columns take the table class's defaults, and one `executemany` writes them.

Most JSON values of a contact are empty, a list of words or a list of {label, value} texts: those are written here
directly, to the very text `json.dumps` gives (ASCII-escaped strings, ", " and ": " separators), at a fraction of
its cost per call; anything else goes to `json.dumps`.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from json.encoder import encode_basestring_ascii
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from oursociety_desktop.models.tables import edit_stamp_of


@cache
def _layout(cls: type[SQLModel]) -> tuple[str, tuple[str, ...], frozenset[str], tuple[tuple[str, Any], ...]]:
    table = cls.__table__  # type: ignore[attr-defined]
    columns = tuple(c.name for c in table.columns if c.computed is None)
    json_columns = frozenset(c.name for c in table.columns if isinstance(c.type, JSON))
    blank = cls()
    # A key column has no default: a row without its id fails loudly instead of taking a shared one.
    defaults = tuple((name, None if table.c[name].primary_key else getattr(blank, name, None)) for name in columns)
    marks = ", ".join("?" * len(columns))
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    return sql, columns, json_columns, defaults


def json_text(value: Any) -> str:
    """`value` as `json.dumps(value)` writes it, faster for the shapes contact rows hold."""
    kind = type(value)
    if kind is list:
        if not value:
            return "[]"
        first = type(value[0])
        if first is str:
            if all(type(v) is str for v in value):
                return "[" + ", ".join(map(encode_basestring_ascii, value)) + "]"
        elif first is dict:
            parts = []
            for item in value:
                if type(item) is not dict:
                    return json.dumps(value)
                for key, text in item.items():
                    if type(key) is not str or type(text) is not str:
                        return json.dumps(value)
                parts.append("{" + ", ".join(f"{encode_basestring_ascii(k)}: {encode_basestring_ascii(t)}"
                                             for k, t in item.items()) + "}")
            return "[" + ", ".join(parts) + "]"
    elif kind is dict and not value:
        return "{}"
    return json.dumps(value)


def insert_rows(conn: Connection, cls: type[SQLModel], rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert rows (column values by name; a missing column takes its default) into `cls`'s table in one
    executemany. Returns how many. A record's `origin_hub` and `stamp` are SQLite's to derive, never written: a
    row's `stamp`, when it is not its base stamp, is stored as `edit_stamp`."""
    sql, columns, json_columns, defaults = _layout(cls)
    blank = dict(defaults)
    pick = itemgetter(*columns)  # every table has an id and the stamp columns: several, so a tuple
    encode = json_text
    at = [i for i, name in enumerate(columns) if name in json_columns]
    edit_at = columns.index("edit_stamp") if "edit_stamp" in columns else -1
    base_at = columns.index("base_stamp") if edit_at >= 0 else -1
    params: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(pick({**blank, **row}))
        for i in at:
            values[i] = encode(values[i])
        if edit_at >= 0:
            values[edit_at] = edit_stamp_of(values[base_at], row.get("stamp", values[base_at]))
        params.append(tuple(values))
    if params:
        conn.exec_driver_sql(sql, params)
    return len(params)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Inside the block Python's cycle collector does not run. An import of 100,000 people holds over a million
    objects: every automatic full collection walked all of them (half a second each, several times a step),
    stalling progress and Cancel and costing a fifth of the reading. The rows hold no cycles (reference counting
    frees them).

    At the block's end what it made is put where no young collection walks it (one on the window's thread would
    stall it), without walking it: a full collection used to, and took 0.35-0.55 s at 100k, the longest wait
    between two progress reports and most of the time to answer a Cancel.
    - With nothing frozen (the command line): `gc.freeze()` then `gc.unfreeze()`, two list splices, leave every
      object in the oldest generation.
    - When the window has frozen its long-lived objects (`ui/heap.py`), unfreezing would give them back to every
      full collection, so what the block made joins them (`gc.freeze()` alone) and is given back with them when
      the window closes. Objects that die by reference counting are freed as usual.
    Cyclic garbage made in the block waits for the next full collection, or for the window to close. Nested
    blocks act once, at the outermost (also when the block is left by an exception, a Cancel)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        window_froze = gc.get_freeze_count() > 0
        gc.freeze()
        if not window_froze:
            gc.unfreeze()
        gc.enable()


# SQLite's page cache for one bulk write, in KiB. The default (2,000 KiB) holds a sliver of a 100,000-contact hub:
# rows land at random places of every index (ids are random), so pages were read back again and again, and the
# transaction's dirty pages spilled to the write-ahead log before its end. 32 MiB took 10-15 % off an import of
# 100,000 people's bundle; it is given back when the write ends.
BULK_PAGE_CACHE_KIB = 32 * 1024
# The vCard and CSV import's: their rows are all held during the write, and with 32 MiB the CSV import of 100,000
# rows peaked at 401 MB (limit 400); with 16 MiB, 383 MB, and its I/O 3.5 GB -> 0.7 GB written.
PEOPLE_IMPORT_PAGE_CACHE_KIB = 16 * 1024


@contextmanager
def larger_page_cache(conn: Connection, kib: int = BULK_PAGE_CACHE_KIB) -> Iterator[None]:
    """Give this connection a page cache of `kib` KiB inside the block, and its own size back after it."""
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


@contextmanager
def reporting_during_statements(conn: Connection, report: Callable[[], None], every: float | None = None
                                ) -> Iterator[None]:
    """Inside the block, a long statement on `conn` calls `report()` about every `every` seconds (default
    `REPORT_SECONDS`), through SQLite's progress handler, which looks at the clock every `VM_STEPS` steps of
    SQLite's virtual machine: one statement over 20,000 rows still gives progress and answers Cancel.
    An exception `report` raises (Cancelled) interrupts the statement (SQLite then rolls the whole transaction
    back) and is raised from the block in place of SQLite's "interrupted"."""
    raw = conn.connection.driver_connection
    seconds = REPORT_SECONDS if every is None else every
    raised: list[BaseException] = []
    last = [time.monotonic()]

    def handler() -> int:
        now = time.monotonic()
        if now - last[0] < seconds:
            return 0
        last[0] = now
        try:
            report()
        except BaseException as exc:  # noqa: BLE001 - handed back to the block below, never lost
            raised.append(exc)
            return 1  # interrupt the statement
        return 0

    raw.set_progress_handler(handler, VM_STEPS)  # type: ignore[union-attr]
    try:
        yield
    except DBAPIError:
        if raised:
            raise raised[0] from None
        raise
    finally:
        raw.set_progress_handler(None, 0)  # type: ignore[union-attr]


REPORT_SECONDS = 0.2  # between two reports from inside a statement (progress is due every 0.5 s)
VM_STEPS = 20_000  # steps of SQLite's virtual machine between two looks at the clock: well under a millisecond
