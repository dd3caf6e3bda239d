"""Interoperability benchmarks, each figure beside a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_interop.py [--contacts 100000] [--keep DIR]

builds a demo hub with `oursociety demo --contacts N` and prints:

- duplicate scan of every contact (target < 30 s for 100,000 on 2 cores) beside reading the same names, emails
  and phones with sqlite3 alone;
- vCard 3.0 export and CSV export beside sqlite3 SELECT of the same rows written out as JSON lines;
- vCard import of that file into an empty hub (parse, check, one transaction) beside vobject parsing the same
  file with nothing stored (issue 20: ≤ 0.33×), and CSV import beside `csv.reader` + `executemany` of the same
  file into one plain table (≤ 6×); each import runs in a fresh process, which reports its peak memory, the
  longest wait between two progress reports (≤ 0.5 s), and, in a second run cancelled while the search index is
  built, how long the Cancel took to be answered with everything rolled back (≤ 1 s).

`run(data_dir, work_dir)` measures an existing hub.
"""

from __future__ import annotations

import argparse
import csv
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
from benchmarks.floors import derived_floor, index_pass_row, storing_floor  # noqa: E402
from benchmarks.peak import measured  # noqa: E402
from oursociety_desktop.formats import csv_write, vcard  # noqa: E402
from oursociety_desktop.models.database import Database  # noqa: E402
from oursociety_desktop.models.duplicates import find_duplicates  # noqa: E402
from oursociety_desktop.paths import database_path  # noqa: E402


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


def _vobject_baseline(path: Path) -> int:
    """Baseline for the vCard import (issue 20): vobject parsing the same file, nothing stored."""
    import vobject

    with path.open(encoding="utf-8") as fh:
        return sum(1 for _card in vobject.readComponents(fh))


def _csv_baseline(path: Path, target: Path) -> int:
    """Baseline for the CSV import (issue 20): `csv.reader` of the same file and `executemany` of its rows into
    one plain table of an empty SQLite file, in one transaction."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        headers = next(reader)
        conn = sqlite3.connect(target)
        columns = ", ".join(f"c{i} TEXT" for i in range(len(headers)))
        conn.execute(f"CREATE TABLE line ({columns})")
        marks = ", ".join("?" * len(headers))
        with conn:
            conn.executemany(f"INSERT INTO line VALUES ({marks})", reader)  # noqa: S608
        count = int(conn.execute("SELECT COUNT(*) FROM line").fetchone()[0])
        conn.close()
    return count


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
        if label == "vCard":
            base, _ = _timed(lambda: _vobject_baseline(vcf))
            target = "≤ 0.33× (baseline: vobject parsing the file, nothing stored)"
        else:
            base, _ = _timed(lambda: _csv_baseline(csv_path, work / "csv-baseline.sqlite3"))
            target = "≤ 6× (baseline: csv.reader + executemany into one table)"
        empty = work / f"empty-{label}"
        Database.create(empty, "Import target").close()
        got = measured(label.lower(), empty, path)
        took = got["seconds"]
        rows.append(Row(f"{label} import into an empty hub, {got['changes']:,} contacts", took, took, took, base,
                        target))
        took = got["read_seconds"]
        rows.append(Row(f"of the {label} import: reading the file into rows (nothing checked or stored)", took, took,
                        took, base))
        stored = storing_floor(empty, work)
        floor = stored.seconds
        rows.append(Row(f"{label} import's floor: SQLite storing the rows it stored", floor, floor, floor, base,
                        "(benchmarks/floors.py: no Python per row)"))
        rows.append(index_pass_row(f"{label} import's floor", stored, base))
        floor += derived_floor(empty, checked=True)
        rows.append(Row(f"{label} import's floor with the derived values: + every contact's search row and each "
                        "number checked (phonenumbers, folding)", floor, floor, floor, base, "(benchmarks/floors.py)"))
        rows.append(Row(f"{label} import, peak resident memory (fresh process)", got["peak_mb"], got["peak_mb"],
                        got["peak_mb"], None, "≤ 400 MB", unit="MB"))
        rows.append(Row(f"{label} import, longest wait between progress reports (before '{got['gap_before']}')",
                        got["max_gap"], got["max_gap"], got["max_gap"], None, "≤ 0.5 s"))
        scratch = work / f"cancelled-{label}"
        Database.create(scratch, "Import target").close()
        stopped = measured(f"{label.lower()}-cancel", scratch, path)
        rows.append(Row(f"{label} import, Cancel while the search index is built: answered "
                        f"({stopped['rows_after']} contacts left)", stopped["cancel_seconds"],
                        stopped["cancel_seconds"], stopped["cancel_seconds"], None, "≤ 1 s"))
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
