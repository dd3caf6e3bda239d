"""The demo's fast paths give what the app's own code gives: every demo contact's search row is `search_row` of that
contact, every number the demo can make reads as phonenumbers reads it, its draws take the same bits from the
seeded stream as `random`'s methods, its ids are version-4 UUIDs, and the indexes it makes at the end are the
ones the hub had (also after a cancel)."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from oursociety_desktop.models.database import Database, set_setting
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.demo_rows import Draws, uuid4_text
from oursociety_desktop.models.errors import Cancelled
from oursociety_desktop.models.health import check_database
from oursociety_desktop.models.search import search_row
from oursociety_desktop.models.tables import Contact


def _search_rows_in_step(conn: Connection, region: str) -> int:
    """Assert every contact's search row and phone rows are what `search_row` gives for it; returns how many."""
    stored = {cid: (body, key) for cid, body, key in conn.exec_driver_sql(
        "SELECT contact_id, body, live_sort_key FROM contact_search")}
    phones: dict[str, set[str]] = {}
    for cid, e164 in conn.exec_driver_sql("SELECT contact_id, e164 FROM contact_phone"):
        phones.setdefault(cid, set()).add(e164)
    contacts = conn.execute(text("SELECT * FROM contact")).mappings().all()
    for row in contacts:
        record = Contact.model_validate({**row, **{name: json.loads(row[name]) for name in
                                                   ("phones", "emails", "languages", "tags", "stamps", "extra")}})
        cid, body, e164s, key = search_row(record.model_dump(), region)
        assert stored[cid] == (body, key), cid
        assert phones.get(cid, set()) == set(e164s), cid
    assert len(stored) == len(contacts)
    return len(contacts)


@pytest.mark.parametrize("region", ["GB", "PL"])
def test_every_demo_contact_has_the_search_row_of_its_fields(tmp_path: Path, region: str) -> None:
    db = Database.create(tmp_path / "hub", "Demo")
    with db.write() as tx:
        set_setting(tx.session, "default_region", region)
    generate_demo(db, 1500, seed=11, today=date(2026, 3, 1))
    with db.read() as session:
        conn = session.connection()
        assert _search_rows_in_step(conn, region) == 1500
        scripts = conn.exec_driver_sql("SELECT COUNT(*) FROM contact_search WHERE body GLOB '*[王李张陈]*'").scalar()
        assert scripts, "some bodies hold CJK names split into characters"
        assert check_database(conn).sound
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM contact UNION ALL SELECT id FROM action")]
    assert all(str(uuid.UUID(i)) == i and uuid.UUID(i).version == 4 for i in ids)
    db.close()


def test_draws_take_the_same_bits_as_random() -> None:
    pools = [tuple(range(n)) for n in (1, 2, 3, 5, 8, 15, 20, 21, 219, 1000)]
    ours, theirs = Draws(random.Random(5)), random.Random(5)
    for _ in range(3000):
        for pool in pools:
            assert ours.choice(pool) == theirs.choice(pool)
            assert ours.below(len(pool)) == theirs.randrange(len(pool))
            k = min(len(pool), 2)
            assert ours.sample_few(pool, k) == theirs.sample(pool, k)
        assert ours.uuid4() == str(uuid.UUID(int=theirs.getrandbits(128), version=4))
        assert ours.random() == theirs.random()
    assert ours.rng.getstate() == theirs.getstate()
    assert uuid4_text(0) == str(uuid.UUID(int=0, version=4))
    assert uuid4_text(2**128 - 1) == str(uuid.UUID(int=2**128 - 1, version=4))


def _indexes(db: Database) -> list[tuple[str, str]]:
    with db.read() as session:
        return sorted(session.connection().exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all())


def test_the_indexes_made_at_the_end_are_the_hubs_own(db: Database) -> None:
    before = _indexes(db)
    assert any(name == "ix_membership_contact_id" for name, _sql in before)

    def cancel_late(percent: int, _message: str) -> bool:
        return percent < 50

    with pytest.raises(Cancelled):
        generate_demo(db, 3000, seed=2, progress=cancel_late)
    assert _indexes(db) == before
    generate_demo(db, 300, seed=2)
    assert _indexes(db) == before
    with db.read() as session:
        conn = session.connection()
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM membership WHERE contact_id = 'x'"))
        assert "ix_membership_contact_id" in plan
        assert check_database(conn).sound


def test_a_second_demo_of_the_same_seed_is_refused_in_words_and_another_seed_adds_more(db: Database) -> None:
    from oursociety_desktop.models.errors import UserError
    from oursociety_desktop.models.health import record_counts

    generate_demo(db, 30, seed=4)
    with db.read() as session:
        before = record_counts(session.connection())
    with pytest.raises(UserError) as refused:
        generate_demo(db, 10, seed=4)
    assert str(refused.value) == "This hub already holds the demo data of seed 4; add more with another seed (--seed)."
    with db.read() as session:
        assert record_counts(session.connection()) == before
    generate_demo(db, 10, seed=5)
    with db.read() as session:
        assert record_counts(session.connection())["contact"]["live"] == 40
        assert check_database(session.connection()).sound
