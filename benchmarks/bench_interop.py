"""Interoperability benchmarks, each figure beside a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_interop.py [--contacts 100000] [--keep DIR]

builds a demo hub with `oursociety demo --contacts N` and prints:

- duplicate scan of every contact (target < 30 s for 100,000 on 2 cores) beside reading the same names, emails
  and phones with sqlite3 alone;
- vCard 3.0 export and CSV export beside sqlite3 SELECT of the same rows written out as JSON lines;
- vCard import and CSV import of those files into an empty hub (parse, check, duplicate lookup, one
  transaction) beside sqlite3 executemany of the same rows into an empty hub.

`run(data_dir, work_dir)` measures an existing hub.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import Row, build_hub, print_table  # noqa: E402
from oursociety_desktop.formats import csv_io, csv_mapping, csv_write, vcard  # noqa: E402
from oursociety_desktop.models.database import Database  # noqa: E402
from oursociety_desktop.models.duplicates import find_duplicates  # noqa: E402
from oursociety_desktop.paths import database_path  # noqa: E402
from oursociety_desktop.services.people_import import ImportOptions, run_import  # noqa: E402


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _read_people_baseline(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    count = 0
    for _row in conn.execute("SELECT id, given_name, family_name, display_name, organisation, emails FROM contact "
                             "WHERE deleted = 0"):
        count += 1
    for _row in conn.execute("SELECT contact_id, e164 FROM contact_phone"):
        pass
    conn.close()
    return count


def _select_dump_baseline(db_path: Path, out: Path) -> int:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for row in conn.execute("SELECT * FROM contact WHERE deleted = 0"):
            fh.write(json.dumps(dict(row), ensure_ascii=False) + "\n")
            count += 1
    conn.close()
    return count


def _executemany_baseline(source: Path, empty: Path) -> int:
    src = sqlite3.connect(source)
    cursor = src.execute("SELECT * FROM contact")
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    src.close()
    dst = sqlite3.connect(empty)
    with dst:
        dst.executemany(f"INSERT INTO contact ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
    dst.close()
    return len(rows)


def run(data_dir: Path, work: Path) -> list[Row]:
    """Measure the interop operations on the hub in `data_dir`; files and scratch hubs go in `work`."""
    rows: list[Row] = []
    db_path = database_path(data_dir)
    db = Database.open(data_dir)
    try:
        base, count = _timed(lambda: _read_people_baseline(db_path))

        def scan() -> int:
            with db.read() as session:
                return len(find_duplicates(session.connection()))

        took, pairs = _timed(scan)
        rows.append(Row(f"duplicate scan, {count:,} contacts ({pairs:,} pairs found)", took, took, took, base,
                        "< 30 s"))

        base, _ = _timed(lambda: _select_dump_baseline(db_path, work / "baseline.jsonl"))
        vcf = work / "all.vcf"

        def export_vcard() -> int:
            with db.read() as session:
                contacts = csv_write.live_contacts(session.connection())
            with vcf.open("wb") as fh:
                for chunk in vcard.write_vcards(contacts, "3.0"):
                    fh.write(chunk)
            return len(contacts)

        took, _ = _timed(export_vcard)
        rows.append(Row(f"vCard 3.0 export, {count:,} contacts ({vcf.stat().st_size / 1e6:.0f} MB)", took, took,
                        took, base))
        csv_path = work / "all.csv"

        def export_csv() -> int:
            with db.read() as session:
                return csv_write.export_csv(session.connection(), csv_path)

        took, _ = _timed(export_csv)
        rows.append(Row(f"CSV export, {count:,} contacts", took, took, took, base))
    finally:
        db.close()

    for label, path in (("vCard", vcf), ("CSV", csv_path)):
        empty_base = work / f"empty-base-{label}"
        Database.create(empty_base, "Baseline").close()
        base, _ = _timed(lambda: _executemany_baseline(db_path, database_path(empty_base)))  # noqa: B023
        target = Database.create(work / f"empty-{label}", "Import target")
        try:
            def do_import() -> int:
                if path.suffix == ".vcf":  # noqa: B023
                    parsed = vcard.read_vcard_file(path)  # noqa: B023
                else:
                    table = csv_io.read_csv_file(path)  # noqa: B023
                    parsed = csv_mapping.table_to_rows(table, csv_mapping.suggest_mapping(table.headers))
                return run_import(target, parsed, ImportOptions(on_duplicate="add")).added  # noqa: B023

            took, added = _timed(do_import)
        finally:
            target.close()
        rows.append(Row(f"{label} import into an empty hub, {added:,} contacts", took, took, took, base))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the hub and files in DIR and keep them")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="oursociety-bench-interop-"))
    work.mkdir(parents=True, exist_ok=True)
    hub, generated = build_hub(args.contacts, folder=work)
    print(f"demo hub of {args.contacts:,} contacts built in {generated:.1f} s")
    print_table("Interoperability (vCard, CSV, duplicates)", run(hub, work))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
