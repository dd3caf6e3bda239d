"""Core benchmark (issue 2): demo generation, search latency beside the raw FTS5 query, stats, database size.

    python -m benchmarks.bench_core [--contacts 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from pathlib import Path

from benchmarks.common import Row, build_hub, measure, oursociety, percentile, print_table
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.search import build_match_query, search_contact_ids


def prefix_queries(hub: Path, count: int, seed: int = 7) -> list[str]:
    """Realistic typed prefixes: 2-5 letters of names (any script), some with a second word, some phone endings."""
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    names = conn.execute("SELECT given_name, family_name, phones FROM contact ORDER BY id LIMIT 5000").fetchall()
    conn.close()
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        given, family, phones = rng.choice(names)
        kind = rng.random()
        if kind < 0.1 and phones != "[]":
            digits = "".join(ch for ch in phones if ch.isdigit())
            queries.append(digits[-4:])
        elif kind < 0.3:
            queries.append(f"{given} {family[: rng.randrange(1, 4)]}")
        else:
            word = rng.choice((given, family))
            queries.append(word[: rng.randrange(2, 6)])
    return queries


def run(hub: Path, queries: int = 200, runs: int = 5) -> list[Row]:
    """Measure search, stats and size on an existing hub."""
    typed = prefix_queries(hub, queries)
    db = Database.open(hub)
    ours: list[float] = []
    with db.read() as session:
        conn = session.connection()
        for q in typed[:10]:
            search_contact_ids(conn, q)  # warm the page cache
        for q in typed:
            start = time.perf_counter()
            search_contact_ids(conn, q, limit=200)
            ours.append(time.perf_counter() - start)
    db.close()
    raw_conn = sqlite3.connect(hub / "oursociety.sqlite3")
    raw: list[float] = []
    for q in typed:
        match = build_match_query(q)
        start = time.perf_counter()
        raw_conn.execute("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? ORDER BY rank LIMIT 200",
                         (match,)).fetchall()
        raw.append(time.perf_counter() - start)
    raw_conn.close()
    stats = measure(lambda: oursociety("--data-dir", str(hub), "stats", "--json"), runs)
    empty = measure(lambda: oursociety("--version"), runs)
    size_mb = (hub / "oursociety.sqlite3").stat().st_size / 1e6
    return [
        Row(f"search, keystroke to ids (median of {len(ours)})", percentile(ours, 50), min(ours), max(ours),
            percentile(raw, 50), "≤ 30 ms", runs=len(ours)),
        Row("search p95", percentile(ours, 95), min(ours), max(ours), percentile(raw, 95), "", runs=len(ours)),
        Row("`oursociety stats` (process)", stats[0], stats[1], stats[2], empty[0], "", runs=runs),
        Row("database file size", size_mb, size_mb, size_mb, None, "", unit="MB"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--hub", type=Path, help="use an existing demo hub instead of building one")
    args = parser.parse_args()
    if args.hub:
        hub, generation = args.hub, None
    else:
        hub, generation = build_hub(args.contacts)
    rows = []
    if generation is not None:
        rows.append(Row(f"demo generation, {args.contacts:,} contacts (process)", generation, generation, generation,
                        None, "< 60 s"))
    rows.extend(run(hub, args.queries))
    print_table(f"Core, {args.contacts:,} contacts (baseline: the raw FTS5 query alone / `oursociety --version`)",
                rows)



if __name__ == "__main__":
    main()
