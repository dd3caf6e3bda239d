"""Hub exchange benchmarks, each figure beside a baseline measured in the same run.

    .venv/bin/python -m benchmarks.bench_exchange [--contacts 100000] [--hub DIR]

builds a demo hub with `oursociety demo --contacts N` in a temporary folder (or measures `--hub`) and prints:

- full bundle export (target ≤ 5 s) beside sqlite3 SELECT of the same rows + json.dumps;
- import into an empty hub (issue 20: ≤ 5× the baseline) beside the bundle's JSON lines read from the ZIP and
  `executemany`d into one plain table of an empty SQLite file, in one transaction;
- the import's floor: `json.loads` of every line plus SQLite storing the rows the import stored, with no Python per
  record (`benchmarks/floors.py`), beside the same baseline;
- re-import of the same bundle, nothing changes (≤ 1× that baseline);
- the database file of the hub the import made beside the same records as JSON Lines (the bundle unzipped,
  ≤ 1.2×), and the import's peak resident memory (≤ 400 MB; the import runs in a fresh process);
- delta export for the hub the import made, after its bundle back and 100 edits (no target; beside the full
  export).

`run(data_dir)` measures an existing hub (it imports the peer's bundle back and edits 100 of its contacts).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import Row, print_table  # noqa: E402
from benchmarks.floors import derived_floor, index_pass_row, json_floor, storing_floor  # noqa: E402
from benchmarks.peak import measured  # noqa: E402
from oursociety_desktop.models.contacts import update_contact  # noqa: E402
from oursociety_desktop.models.database import Database  # noqa: E402
from oursociety_desktop.models.registry import REGISTRY  # noqa: E402
from oursociety_desktop.paths import database_path  # noqa: E402
from oursociety_desktop.services.exchange import export_bundle, import_bundle  # noqa: E402


def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def _select_and_dump(db_path: Path) -> int:
    """Baseline for export: read every synchronised row with sqlite3 and json.dumps it."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    size = 0
    for record_type in REGISTRY:
        for row in conn.execute(f"SELECT * FROM {record_type.table_name}"):  # noqa: S608
            size += len(json.dumps(dict(row), ensure_ascii=False))
    conn.close()
    return size


def jsonl_bytes(bundle: Path) -> int:
    """The bundle's records as JSON Lines, unzipped: their size in bytes."""
    with zipfile.ZipFile(bundle) as zf:
        return sum(info.file_size for info in zf.infolist() if info.filename.endswith(".jsonl"))


def jsonl_executemany(bundle: Path, target: Path) -> int:
    """Baseline for import (issue 20): the bundle's JSON lines, inflated from the ZIP, `executemany`d into one
    plain table (record type, line) of an empty SQLite file in one transaction. Returns how many lines."""
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE line (member TEXT NOT NULL, body TEXT NOT NULL)")
    count = 0
    with conn, zipfile.ZipFile(bundle) as zf:
        for info in zf.infolist():
            if info.filename.endswith(".jsonl"):
                lines = zf.read(info).decode("utf-8").splitlines()
                conn.executemany("INSERT INTO line VALUES (?, ?)", ((info.filename, line) for line in lines))
                count += len(lines)
    conn.close()
    return count


def run(data_dir: Path) -> list[Row]:
    """Measure exchange on the hub in `data_dir` (ideally 100k demo contacts). Returns one row per figure."""
    data_dir = Path(data_dir)
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    db = Database.open(data_dir)
    try:
        bundle = work / "full.oursociety"
        base_s, _ = _timed(_select_and_dump, db.path)
        full_s, result = _timed(export_bundle, db, bundle)
        rows.append(Row("full bundle export", full_s, full_s, full_s, base_s, "≤ 5 s"))

        records = result.manifest.total_records
        base_s, _ = _timed(jsonl_executemany, bundle, work / "baseline.sqlite3")
        empty_dir = work / "empty"
        Database.create(empty_dir, "Empty").close()
        got = measured("bundle", empty_dir, bundle)
        rows.append(Row(f"import into an empty hub ({records:,} records)", got["seconds"], got["seconds"],
                        got["seconds"], base_s, "≤ 5× (baseline: its JSON lines executemany'd into one table)"))
        stored = storing_floor(empty_dir, work)
        floor_s = json_floor(bundle) + stored.seconds
        rows.append(Row("bundle import's floor: json.loads of every line + SQLite storing its rows", floor_s, floor_s,
                        floor_s, base_s, "(benchmarks/floors.py: no Python per record)"))
        rows.append(index_pass_row("bundle import's floor", stored, base_s))
        floor_s += derived_floor(empty_dir, checked=False)
        rows.append(Row("bundle import's floor with the derived values: + every contact's search row (phonenumbers, "
                        "folding)", floor_s, floor_s, floor_s, base_s, "(benchmarks/floors.py)"))
        rows.append(Row("re-import, no change", got["again_seconds"], got["again_seconds"], got["again_seconds"],
                        base_s, "≤ 1× (the same baseline)"))
        rows.append(Row("import into an empty hub, peak resident memory (fresh process)", got["peak_mb"],
                        got["peak_mb"], got["peak_mb"], None, "≤ 400 MB", unit="MB"))
        size_mb = database_path(empty_dir).stat().st_size / 1e6
        rows.append(Row("database file the import made (baseline: the same records as JSON Lines)", size_mb,
                        size_mb, size_mb, jsonl_bytes(bundle) / 1e6, "≤ 1.2×", unit="MB"))
        with Database.open(empty_dir) as target:
            peer = target.hub_id
            # The peer's bundle back carries what it holds: only then is the next bundle for it a delta.
            export_bundle(target, work / "back.oursociety", for_hub=db.hub_id)
        import_bundle(db, work / "back.oursociety", backup=False, trust_new_hub=True)

        with db.read() as session:
            ids = [r[0] for r in session.connection().exec_driver_sql(
                "SELECT id FROM contact WHERE deleted = 0 AND share_with_hubs = 1 ORDER BY id LIMIT 100")]
        with db.write() as tx:
            for n, contact_id in enumerate(ids):
                update_contact(tx, contact_id, {"notes": f"benchmark edit {n} at {time.time()}"})
        delta_s, delta = _timed(export_bundle, db, work / "delta.oursociety", for_hub=peer)
        rows.append(Row(f"delta export after 100 edits ({delta.manifest.total_records:,} records)", delta_s, delta_s,
                        delta_s, full_s, "(none)"))
    finally:
        db.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--hub", type=Path, help="measure this existing hub instead of building one")
    args = parser.parse_args()
    if args.hub:
        print_table("Exchange", run(args.hub))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        hub = Path(tmp) / "hub"
        cli = [sys.executable, "-m", "oursociety_desktop", "--data-dir", str(hub)]
        subprocess.run([*cli, "init", "--hub-name", "Benchmark"], check=True, cwd=ROOT)
        subprocess.run([*cli, "demo", "--contacts", str(args.contacts)], check=True, cwd=ROOT)
        print_table("Exchange", run(hub))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
