"""Hub exchange benchmarks, each figure beside a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_exchange.py [--contacts 100000] [--keep DIR]

builds a demo hub with `oursociety demo --contacts N` in a temporary folder and prints:

- full bundle export (target ≤ 5 s) beside sqlite3 SELECT of the same rows + json.dumps;
- import into an empty hub (target ≤ 8 s and ≤ 4× baseline) beside sqlite3 executemany of the same rows;
- re-import of the same bundle, nothing changes (target ≤ 4 s);
- delta export for a peer after 100 edits (no target in §8; beside the full export).

`run(data_dir)` measures an existing hub (it edits 100 of its contacts and sets a peer watermark).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oursociety_desktop.models.contacts import update_contact  # noqa: E402
from oursociety_desktop.models.database import Database  # noqa: E402
from oursociety_desktop.models.registry import REGISTRY  # noqa: E402
from oursociety_desktop.paths import database_path  # noqa: E402
from oursociety_desktop.services.exchange import export_bundle, import_bundle  # noqa: E402

Row = dict[str, Any]


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


def _executemany_copy(source: Path, empty: Path) -> int:
    """Baseline for import: sqlite3 executemany of the same rows into an empty hub's tables."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(empty)
    count = 0
    with dst:
        for record_type in REGISTRY:
            name = record_type.table_name
            rows = src.execute(f"SELECT * FROM {name}").fetchall()  # noqa: S608
            if rows:
                marks = ",".join("?" * len(rows[0]))
                dst.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)  # noqa: S608
                count += len(rows)
    src.close()
    dst.close()
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
        rows.append({"operation": "full bundle export", "seconds": full_s, "target": "≤ 5 s",
                     "baseline": "sqlite3 SELECT + json.dumps", "baseline_seconds": base_s,
                     "records": result.manifest.total_records, "ok": full_s <= 5})

        empty_dir = work / "empty"
        Database.create(empty_dir, "Empty").close()
        baseline_dir = work / "baseline"
        Database.create(baseline_dir, "Baseline").close()
        base_s, _ = _timed(_executemany_copy, db.path, database_path(baseline_dir))
        target = Database.open(empty_dir)
        try:
            import_s, imported = _timed(import_bundle, target, bundle, backup=False, trust_new_hub=True)
            rows.append({"operation": "import into an empty hub", "seconds": import_s, "target": "≤ 8 s, ≤ 4×",
                         "baseline": "sqlite3 executemany", "baseline_seconds": base_s,
                         "records": imported.changes, "ok": import_s <= 8 and import_s <= 4 * base_s})
            again_s, again = _timed(import_bundle, target, bundle, backup=False, trust_new_hub=True)
            rows.append({"operation": "re-import, no change", "seconds": again_s, "target": "≤ 4 s",
                         "baseline": "import into an empty hub", "baseline_seconds": import_s,
                         "records": again.changes, "ok": again_s <= 4 and again.changes == 0})
            peer = target.hub_id
        finally:
            target.close()

        export_bundle(db, work / "first-for-peer.oursociety", for_hub=peer)
        with db.read() as session:
            ids = [r[0] for r in session.connection().exec_driver_sql(
                "SELECT id FROM contact WHERE deleted = 0 AND share_with_hubs = 1 ORDER BY id LIMIT 100")]
        with db.write() as tx:
            for n, contact_id in enumerate(ids):
                update_contact(tx, contact_id, {"notes": f"benchmark edit {n} at {time.time()}"})
        delta_s, delta = _timed(export_bundle, db, work / "delta.oursociety", for_hub=peer)
        rows.append({"operation": "delta export after 100 edits", "seconds": delta_s, "target": "(none)",
                     "baseline": "full bundle export", "baseline_seconds": full_s,
                     "records": delta.manifest.total_records, "ok": delta.manifest.counts["contact"] == len(ids)})
    finally:
        db.close()
    return rows


def print_table(rows: list[Row]) -> None:
    """The figures as a plain table."""
    print(f"{'operation':<30} {'seconds':>8}  {'target':<12} {'baseline':<30} {'base s':>7} {'ratio':>6} "
          f"{'records':>8}  ok")
    for r in rows:
        ratio = r["seconds"] / r["baseline_seconds"] if r["baseline_seconds"] else float("nan")
        print(f"{r['operation']:<30} {r['seconds']:>8.2f}  {r['target']:<12} {r['baseline']:<30} "
              f"{r['baseline_seconds']:>7.2f} {ratio:>6.2f} {r['records']:>8}  {'yes' if r['ok'] else 'NO'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--hub", type=Path, help="measure this existing hub instead of building one")
    args = parser.parse_args()
    if args.hub:
        print_table(run(args.hub))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        hub = Path(tmp) / "hub"
        cli = [sys.executable, "-m", "oursociety_desktop", "--data-dir", str(hub)]
        subprocess.run([*cli, "init", "--hub-name", "Benchmark"], check=True, cwd=ROOT)
        subprocess.run([*cli, "demo", "--contacts", str(args.contacts)], check=True, cwd=ROOT)
        print_table(run(hub))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
