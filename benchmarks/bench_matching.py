"""Matching benchmark (issue 18): suggestions for 20,000 needs among 20,000 offers on the 100,000-contact hub,
beside the same-run baseline of plain FTS5 queries (one query per need, OR of its words, over an FTS5 index of the
offers' text built for the baseline).

    python -m benchmarks.bench_matching [--contacts 100000] [--offers 20000] [--needs 20000] [--hub DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from benchmarks.common import Row, build_hub, measure, print_table
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.matching import content_words, find_matches
from oursociety_desktop.models.text import fold

SKILLS = [
    "bike repair", "gardening", "allotment digging", "english conversation", "arabic lessons", "van for moving",
    "church hall", "benefits forms", "tax returns", "cooking for events", "laptop repair", "sewing machine",
    "cv writing", "job interviews", "childcare", "dog walking", "plumbing", "electrics", "painting walls",
    "shopping for neighbours", "lifts to hospital", "maths tutoring", "reading with children", "guitar lessons",
    "first aid", "knitting", "carpentry", "website building", "photography", "translation polish",
    "translation urdu", "legal advice", "housing advice", "mental health listening", "football coaching",
    "youth club", "food bank", "community fridge", "litter picking", "tree planting",
]
THEMES = ["cycling", "growing", "language", "transport", "space", "money", "food", "digital", "making", "work",
          "care", "housing", "health", "sport", "environment"]
PLACES = ["Hulme", "Moss Side", "Levenshulme", "Gorton", "Rusholme", "Ardwick", "Longsight", "Chorlton",
          "Didsbury", "Withington", "Fallowfield", "Ancoats"]
WHEN = ["weekends", "evenings", "mornings", "saturdays", "weekdays", "afternoons"]
OFFER_FRAMES = ["I can help with {s}", "Offering {s} for free", "{s}, happy to teach", "Experienced in {s}"]
NEED_FRAMES = ["Looking for help with {s}", "Need someone for {s}", "Our group needs {s}", "{s} wanted please"]


def add_offers_and_needs(hub: Path, offers: int, needs: int, seed: int = 18) -> float:
    """Insert offers and needs of random demo contacts in bulk (SQLAlchemy Core); returns the seconds taken."""
    rng = random.Random(seed)
    start = time.perf_counter()
    db = Database.open(hub)
    with db.write() as tx:
        conn = tx.session.connection()
        people = [r[0] for r in conn.execute(text("SELECT id FROM contact WHERE deleted = 0"))]
        stamp = tx.stamp()
        for table, count, frames in (("offer", offers, OFFER_FRAMES), ("need", needs, NEED_FRAMES)):
            rows = []
            for index in range(count):
                skill = rng.choice(SKILLS)
                rows.append({
                    "id": f"{table}-{index:06d}-{rng.getrandbits(32):08x}", "base_stamp": stamp, "stamps": "{}",
                    "deleted": 0, "extra": "{}",
                    "contact_id": rng.choice(people), "kind": "skill" if table == "offer" else "help",
                    "text": rng.choice(frames).format(s=skill),
                    "themes": json.dumps(rng.sample(THEMES, rng.randrange(0, 3))),
                    "locality": rng.choice(PLACES), "availability": rng.choice(WHEN), "until": ""})
            columns = list(rows[0])
            conn.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                              f"VALUES ({', '.join(':' + c for c in columns)})"), rows)
    db.close()
    return time.perf_counter() - start


def fts_baseline(hub: Path) -> float:
    """Seconds for the plain FTS5 queries: one per need (OR of its content words), top 3 offers by rank."""
    conn = sqlite3.connect(hub / "oursociety.sqlite3")
    conn.execute("CREATE VIRTUAL TABLE temp.bench_offer_fts USING fts5(oid UNINDEXED, body)")
    conn.executemany("INSERT INTO temp.bench_offer_fts (oid, body) VALUES (?, ?)",
                     [(r[0], fold(r[1])) for r in conn.execute("SELECT id, text FROM offer WHERE deleted = 0")])
    needs = [fold(r[0]) for r in conn.execute("SELECT text FROM need WHERE deleted = 0")]
    start = time.perf_counter()
    for body in needs:
        words = content_words(body)
        if words:
            query = " OR ".join(f'"{w}"' for w in words)
            conn.execute("SELECT oid FROM temp.bench_offer_fts WHERE bench_offer_fts MATCH ? ORDER BY rank LIMIT 3",
                         (query,)).fetchall()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run(hub: Path, offers: int = 20_000, needs: int = 20_000, runs: int = 3) -> list[Row]:
    """Measure matching on an existing hub (offers and needs are added to it first)."""
    generation = add_offers_and_needs(hub, offers, needs)
    db = Database.open(hub)
    found: list[int] = []

    def match_all() -> None:
        with db.read() as session:
            found.append(len(find_matches(session.connection(), db.hub_id)))

    median, low, high, _ = measure(match_all, runs)
    explained: list[int] = []

    def match_and_explain() -> None:
        # What `oursociety matches` does: every suggestion's reasons written out (a window works out only those
        # of the rows it shows).
        with db.read() as session:
            explained.append(sum(len(m.reason) > 0 for m in find_matches(session.connection(), db.hub_id)))

    e_median, e_low, e_high, _ = measure(match_and_explain, runs)
    db.close()
    baseline = fts_baseline(hub)
    with sqlite3.connect(hub / "oursociety.sqlite3") as conn:
        contacts = conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0]
    return [
        Row(f"offers and needs inserted ({offers:,} + {needs:,})", generation, generation, generation, None, ""),
        Row(f"matching, {needs:,} needs x {offers:,} offers, {contacts:,} contacts ({found[-1]:,} suggestions)",
            median, low, high, baseline, "≤ 5 s", runs=runs),
        Row(f"the same with every suggestion's reasons written out ({explained[-1]:,} with reasons)",
            e_median, e_low, e_high, baseline, "", runs=runs),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--hub", type=Path, help="use an existing demo hub instead of building one")
    args = parser.parse_args()
    hub = args.hub or build_hub(args.contacts)[0]
    print_table("Matching (baseline: one plain FTS5 query per need over the offers' text)",
                run(hub, args.offers, args.needs))


if __name__ == "__main__":
    main()
