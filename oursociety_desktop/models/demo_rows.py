"""The demo's plumbing: draws from its seeded stream, record ids, and rows written as tuples.

A demo of 100,000 people makes about two million random draws and half a million rows. `random.Random.choice`
and `randrange` spend most of their time in argument checks and two Python frames around one `getrandbits`; the
draws here take the same bits from the same stream (so a seed gives the same people as before), with one frame.
Rows are built as tuples in a fixed column order, not as dicts that a writer then takes apart again.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import JSON, Connection
from sqlmodel import SQLModel

from oursociety_desktop.models.bulk import json_text

T = TypeVar("T")

_VERSION_CLEARED = ~(0xF000 << 64) & ~(0xC000 << 48)
_VERSION_4 = (4 << 76) | (0x8000 << 48)


class Draws:
    """Draws from `rng` that take exactly the bits `random.Random`'s own methods take (Python 3.11's
    `_randbelow_with_getrandbits`), so a stream reads the same whichever is used."""

    def __init__(self, rng: random.Random) -> None:
        getrandbits = rng.getrandbits
        self.rng = rng
        self.random: Callable[[], float] = rng.random
        self.getrandbits: Callable[[int], int] = getrandbits

        def below(n: int) -> int:
            k = n.bit_length()
            r = getrandbits(k)
            while r >= n:
                r = getrandbits(k)
            return r

        self.below: Callable[[int], int] = below

    def choice(self, seq: Sequence[T]) -> T:
        """`rng.choice(seq)`."""
        return seq[self.below(len(seq))]

    def sample_few(self, population: Sequence[T], k: int) -> list[T]:
        """`rng.sample(population, k)` for a population of at most 21 (the pool method of `random.sample`)."""
        n = len(population)
        if n > 21 or not 0 <= k <= n:
            return self.rng.sample(population, k)
        pool = list(population)
        result = []
        below = self.below
        for i in range(k):
            j = below(n - i)
            result.append(pool[j])
            pool[j] = pool[n - i - 1]
        return result

    def uuid4(self) -> str:
        """`str(uuid.UUID(int=rng.getrandbits(128), version=4))`, without the UUID object."""
        return uuid4_text(self.getrandbits(128))


def uuid4_text(bits: int) -> str:
    """The canonical text of the version-4 UUID `uuid.UUID(int=bits, version=4)`."""
    h = f"{bits & _VERSION_CLEARED | _VERSION_4:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class RowWriter:
    """Writes rows given as tuples of `names`' values, in that order, into `cls`'s table with one executemany. The
    table's other stored columns take the class's defaults (JSON ones as `json_text` writes them), as
    `bulk.insert_rows` gives them; `origin_hub` and `stamp` are SQLite's to derive. JSON values in the tuples are
    given already as their JSON text."""

    def __init__(self, cls: type[SQLModel], names: Sequence[str]) -> None:
        table = cls.__table__  # type: ignore[attr-defined]
        stored = [c for c in table.columns if c.computed is None]
        unknown = set(names) - {c.name for c in stored}
        if unknown:
            raise ValueError(f"not stored columns of {table.name}: {sorted(unknown)}")
        blank = cls()
        rest = [c for c in stored if c.name not in names]
        for column in rest:
            if column.primary_key:
                raise ValueError(f"{table.name}.{column.name} has no default: give it")
        self.tail: tuple[Any, ...] = tuple(
            json_text(getattr(blank, c.name)) if isinstance(c.type, JSON) else getattr(blank, c.name) for c in rest)
        columns = [*names, *(c.name for c in rest)]
        marks = ", ".join("?" * len(columns))
        self.sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        self.width = len(names)

    def write(self, conn: Connection, rows: Sequence[tuple[Any, ...]]) -> int:
        """Insert `rows`; returns how many."""
        if rows:
            tail = self.tail
            conn.exec_driver_sql(self.sql, [row + tail for row in rows] if tail else list(rows))
        return len(rows)


@contextmanager
def secondary_indexes_at_end(conn: Connection, tables: Sequence[str]) -> Iterator[None]:
    """Inside a write transaction: `tables`' own indexes (not their primary keys or unique constraints) are
    dropped for the block and made again when it ends, in one sorted pass each instead of a B-tree insert at a
    random place per row. The DDL is part of the transaction: a rollback (a cancel, a crash) leaves them as they
    were."""
    marks = ", ".join("?" * len(tables))
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
        f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks})", tuple(tables)).all()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)
