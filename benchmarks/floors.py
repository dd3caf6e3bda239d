"""The floor under an import's target (issue 20): what storing its result costs SQLite alone, on this machine, in
the same run as the import and its baseline.

`storing_floor(filled, work)` takes the rows an import (or the demo) left in the hub at `filled`, reads them into
memory first, then times writing them into a new empty hub as the bulk paths write: tuples `executemany`d 1,000
at a time in one transaction with the bulk page cache, the search index built in one pass at the end
(`search_index_at_end`), and the commit. Nothing is read, checked, folded, stamped or derived per row: it is the
part of an import no change of its Python can take away. Its `index_seconds` is the search index's pass alone.
`json_floor(bundle)` is the other such part of a bundle import: `json.loads` of every line.

`derived_floor(filled, checked)` is what an import must work out per contact before it can store it, with the
libraries this project uses for it: each contact's search row (its text folded, each number read by
phonenumbers into E.164 and cut into its digit endings), and, for a vCard or CSV import (`checked`), each number's
check by phonenumbers for the warning an organiser gets about a number outside any assigned range. Every cache of
those readings is emptied first, as in the fresh process an import runs in. No schema or storage form takes this
away: the index is made from the contact's fields, and the bundle format carries numbers as typed.

    python -m benchmarks.floors HUB [BUNDLE]   # print the floors for a filled hub (and its bundle)
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.common import Row
from oursociety_desktop.models import phones, search, text
from oursociety_desktop.models.bulk import larger_page_cache
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.search import search_index_at_end, search_row
from oursociety_desktop.paths import database_path

_BATCH = 1000  # rows per executemany, as the bulk paths write them


def _stored_rows(filled: Path, empty: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """(INSERT statement, rows) for every table holding rows in the hub at `filled` and none in the new hub at
    `empty`: the import's own writes, not the hub's settings. Generated columns and FTS5's tables are left out
    (SQLite computes and the index pass writes them)."""
    source = sqlite3.connect(database_path(filled))
    fresh = sqlite3.connect(database_path(empty))
    out = []
    try:
        tables = [name for (name,) in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%fts_%' ORDER BY rowid")]
        for table in tables:
            if fresh.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]:  # noqa: S608
                continue
            columns = [row[1] for row in source.execute(f'PRAGMA table_xinfo("{table}")') if row[6] == 0]
            names = ", ".join(f'"{c}"' for c in columns)
            rows = source.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid').fetchall()  # noqa: S608
            if rows:
                marks = ", ".join("?" * len(columns))
                out.append((f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows))  # noqa: S608
    finally:
        source.close()
        fresh.close()
    return out


class Stored(NamedTuple):
    """What `storing_floor` measured: seconds in all, rows stored, and the seconds of the search index's pass."""

    seconds: float
    rows: int
    index_seconds: float


def storing_floor(filled: Path, work: Path) -> Stored:
    """Seconds to store, as the bulk paths store rows, everything an import left in the hub at `filled` (see the
    module's text), how many rows that is, and how long the search index's pass at the end took of it. Makes an
    empty hub under `work`."""
    empty = Path(tempfile.mkdtemp(prefix="floor-", dir=work))
    Database.create(empty, "Floor").close()
    writes = _stored_rows(filled, empty)
    db = Database.open(empty)
    try:
        start = time.perf_counter()
        with db.write() as tx:
            conn = tx.session.connection()
            with larger_page_cache(conn):
                with search_index_at_end(conn):
                    for sql, rows in writes:
                        for at in range(0, len(rows), _BATCH):
                            conn.exec_driver_sql(sql, rows[at:at + _BATCH])
                    written = time.perf_counter()
                indexed = time.perf_counter()
        took = time.perf_counter() - start
    finally:
        db.close()
    return Stored(took, sum(len(rows) for _sql, rows in writes), indexed - written)


def index_pass_row(floor: str, stored: Stored, baseline: float | None) -> Row:
    """The row of a benchmark's table for the search index's pass within the floor named `floor`."""
    took = stored.index_seconds
    return Row(f"of {floor}: the search index's pass alone (FTS5)", took, took, took, baseline,
               "(benchmarks/floors.py)")


_SEARCHED = ("id", "deleted", "erased", "sort_key", "given_name", "family_name", "display_name", "organisation",
             "role", "locality", "region", "postcode", "tags", "languages", "phones", "emails")


def derived_floor(filled: Path, checked: bool) -> float:
    """Seconds to work out the search row of every contact in the hub at `filled` from its fields, and with
    `checked` also to check each of its numbers as a vCard or CSV import does (see the module's text). The
    contacts are read and their JSON decoded before the clock starts."""
    db = Database.open(filled)
    try:
        region = str(db.setting("default_region"))
    finally:
        db.close()
    conn = sqlite3.connect(database_path(filled))
    try:
        contacts = []
        for row in conn.execute(f"SELECT {', '.join(_SEARCHED)} FROM contact"):  # noqa: S608
            values = dict(zip(_SEARCHED, row, strict=True))
            for name in ("tags", "languages", "phones", "emails"):
                values[name] = json.loads(values[name])
            contacts.append(values)
    finally:
        conn.close()
    for module in (phones, search, text):  # every reading remembered, forgotten: an import's process starts cold
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    start = time.perf_counter()
    for contact in contacts:
        search_row(contact, region)
        if checked:
            for phone in contact["phones"]:
                phones.normalise_phone(phone["value"], region)
    return time.perf_counter() - start



def json_floor(bundle: Path) -> float:
    """Seconds to `json.loads` every record line of a bundle, its ZIP inflated beforehand."""
    with zipfile.ZipFile(bundle) as zf:
        lines = [line for info in zf.infolist() if info.filename.endswith(".jsonl")
                 for line in zf.read(info).decode("utf-8").splitlines()]
    start = time.perf_counter()
    for line in lines:
        json.loads(line)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    work = Path(tempfile.mkdtemp(prefix="oursociety-floors-"))
    stored = storing_floor(Path(argv[0]), work)
    print(f"storing {stored.rows:,} rows: {stored.seconds:.2f} s, of which the search index's pass "
          f"{stored.index_seconds:.2f} s")
    print(f"every contact's search row: {derived_floor(Path(argv[0]), False):.2f} s; with each number checked: "
          f"{derived_floor(Path(argv[0]), True):.2f} s")
    if len(argv) > 1:
        print(f"json.loads of every line: {json_floor(Path(argv[1])):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
