"""The whole benchmark suite in one command (issue 8): `bash dev.sh bench` or `python -m benchmarks`.

Builds the reference hub (100,000 contacts, 500 groups, 200,000 memberships, 50,000 actions) and a 10,000-contact
one in a temporary folder, runs every benchmark module in a fresh process on its own copy of the hub, repeating
single-shot modules so each figure is a median, min and max over at least `--runs` runs, and prints one Markdown
table: each operation with its baseline from the same run, the ratio and the target, then how each figure grows
from 10k to 100k contacts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Row, build_hub, fmt, print_table
from benchmarks.floors import index_pass_row, storing_floor
from benchmarks.worker import MARKER

# (module, repeat it this many times, run it at 10k too for growth). Modules that take many samples inside one
# run (search latency over 200 queries, five timed runs of a directory...) run once.
MODULES: list[tuple[str, int | None, bool]] = [
    ("bench_core", 1, True),
    ("bench_exchange", None, True),
    ("bench_interop", None, True),
    ("bench_gui", None, True),
    ("bench_ui_lists", 1, False),
    ("bench_print", 1, False),
    ("bench_session", 1, False),
    ("bench_folder", 1, False),
    ("bench_matching", 1, False),
    ("bench_network", 1, False),
]


def copy_hub(source: Path, target: Path) -> Path:
    """A copy of the reference hub that goes on as the same hub: the copy's identity question (a hub opened in
    another folder is asked whether it is a new hub or replaces the old one) answered "keep", as an organiser
    moving to a new laptop would, so imports and exports on the copy run."""
    from oursociety_desktop.models.database import Database
    from oursociety_desktop.models.hub_identity import identity_question, keep_identity

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups"))
    with Database.open(target) as db:
        if identity_question(db) is not None:
            keep_identity(db)
    return target


def run_module(name: str, hub: Path, work: Path) -> list[dict[str, Any]]:
    """One run of one module, in a fresh process on a fresh copy of the hub."""
    copy = copy_hub(hub, work / f"{name}-hub")
    scratch = work / f"{name}-work"
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    proc = subprocess.run([sys.executable, "-m", "benchmarks.worker", name, str(copy), str(scratch)],
                          capture_output=True, text=True, env=env)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    for line in proc.stdout.splitlines():
        if line.startswith(MARKER):
            return list(json.loads(line[len(MARKER):]))
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    print(f"  {name}: failed ({tail})", file=sys.stderr)
    return []


def aggregate(runs: list[list[dict[str, Any]]]) -> list[Row]:
    """Rows of several runs of one module, matched by position, as median / min / max over the runs."""
    if not runs:
        return []
    if len(runs) == 1:
        return [Row(**r) for r in runs[0]]
    rows = []
    for index, first in enumerate(runs[0]):
        same = [r[index] for r in runs if index < len(r)]
        medians = [r["median"] for r in same]
        baselines = [r["baseline"] for r in same if r.get("baseline") is not None]
        rows.append(Row(first["operation"], statistics.median(medians), min(r["low"] for r in same),
                        max(r["high"] for r in same), statistics.median(baselines) if baselines else None,
                        first.get("target", ""), first.get("unit", "s"), len(same)))
    return rows


def shape(operation: str) -> str:
    """An operation's name with its numbers blanked, to match the 10k and 100k rows."""
    return re.sub(r"\d[\d,.]*", "#", operation)


def suite(hub: Path, work: Path, runs: int, only: set[str], growth_only: bool) -> list[Row]:
    rows: list[Row] = []
    for name, repeat, at_small in MODULES:
        if (only and name not in only) or (growth_only and not at_small):
            continue
        started = time.perf_counter()
        results = [r for r in (run_module(name, hub, work) for _ in range(repeat or runs)) if r]
        print(f"  {name}: {len(results)} run(s) in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        rows.extend(aggregate(results))
    return rows


def growth_table(big: list[Row], small: list[Row], big_n: int, small_n: int) -> None:
    by_shape = {shape(r.operation): r for r in small if r.unit == "s"}
    factor = big_n / small_n
    print(f"\n### Growth from {small_n:,} to {big_n:,} contacts ({factor:g}x the data)\n")
    print(f"| operation | at {small_n:,} | at {big_n:,} | growth | |")
    print("|---|---|---|---|---|")
    for row in big:
        other = by_shape.get(shape(row.operation))
        if other is None or row.unit != "s" or not other.median:
            continue
        growth = row.median / other.median
        verdict = "sub-linear" if growth < factor * 0.8 else "near-linear" if growth <= factor * 1.3 else \
            "**worse than linear**"
        print(f"| {row.operation} | {fmt(other.median, 's')} | {fmt(row.median, 's')} | {growth:.1f}x | {verdict} |")


def demo_beside_import_baseline(rows: list[Row]) -> None:
    """Demo generation is measured beside the bundle import's baseline (issue 20: ≤ 8× it)."""
    base = next((r.baseline for r in rows if r.operation.startswith("import into an empty hub")), None)
    if base:
        rows[0].baseline = rows[1].baseline = rows[2].baseline = base
        rows[0].target = "≤ 8× the bundle-import baseline (its JSON lines executemany'd into one table)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000, help="the smaller hub for growth (0: skip)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", action="append", default=[], help="run only this module (repeatable)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="oursociety-bench-"))
    try:
        print(f"## Benchmarks, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
        print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{platform.platform()}. Command: `bash dev.sh bench` (`python -m benchmarks`).")
        hub, generation = build_hub(args.contacts, folder=work)
        print(f"  reference hub built in {generation:.1f} s", file=sys.stderr)
        rows = [Row(f"demo generation, {args.contacts:,} contacts (whole command)", generation, generation,
                    generation, None, "< 60 s")]
        stored = storing_floor(hub, work)
        rows.append(Row("demo generation's floor: SQLite storing the rows it stored", stored.seconds, stored.seconds,
                        stored.seconds, None, "(benchmarks/floors.py: no Python per record)"))
        rows.append(index_pass_row("demo generation's floor", stored, None))
        rows += suite(hub, work, args.runs, set(args.only), growth_only=False)
        demo_beside_import_baseline(rows)
        print_table(f"{args.contacts:,} contacts, 500 groups, 200,000 memberships, 50,000 actions", rows)
        if args.small:
            small_hub, small_generation = build_hub(args.small, folder=work)
            small_rows = [Row(f"demo generation, {args.small:,} contacts (whole command)", small_generation,
                              small_generation, small_generation)]
            small_rows += suite(small_hub, work, args.runs, set(args.only), growth_only=True)
            growth_table(rows, small_rows, args.contacts, args.small)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
