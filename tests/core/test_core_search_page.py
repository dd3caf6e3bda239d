"""A search's page in name order is found by sorting the matches' search rows, which keep their contact's sort key
and rowid (models/contact_list.py, `_SEARCH_PAGE`): it must be exactly the page sorting every matching contact
gives, ties on a name included, and every way a contact is written must keep its search row in step (the health
check says so)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from oursociety_desktop.models.contact_list import ContactQuery
from oursociety_desktop.models.contacts import (
    create_contact,
    delete_contact,
    forget_contact,
    touch_all_search_rows,
    update_contact,
)
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.health import check_database

# Out of step: a search row whose key is not its contact's (live) or not None (deleted), or whose rowid is not.
ASTRAY = ("SELECT COUNT(*) FROM contact_search s JOIN contact c ON c.id = s.contact_id "
          "WHERE s.live_sort_key IS NOT (CASE WHEN c.deleted THEN NULL ELSE c.sort_key END) "
          "OR s.contact_rowid IS NOT c.rowid")


def sorted_page_ids(db: Database, query: ContactQuery, offset: int, limit: int) -> list[str]:
    """The page as sorting every match by (sort key, rowid) gives it: the reference."""
    with db.read() as session:
        conn = session.connection()
        rowids = query.ordered_rowids(conn)[offset:offset + limit]
        ids = {r: i for r, i in conn.exec_driver_sql(
            f"SELECT rowid, id FROM contact WHERE rowid IN ({', '.join(map(str, rowids)) or 0})")}
    return [ids[r] for r in rowids]


@pytest.fixture
def namesakes(db: Database) -> Database:
    """Runs of contacts of one name (ties across page boundaries), some deleted, some renamed after."""
    with db.write() as tx:
        made = [create_contact(tx, {"given_name": given, "family_name": family, "locality": "Leeds"}).id
                for family in ("Patel", "Parker", "Pask", "Smith") for given in ("Ann", "Paul", "Ann") * 12]
        for cid in made[3::11]:
            update_contact(tx, cid, {"family_name": "Pace"})
        for cid in made[5::7]:
            delete_contact(tx, cid)
    return db


@pytest.mark.parametrize("typed", ["pa", "ann pa", "leeds", "paul", "pace", "smith ann"])
def test_a_search_page_is_the_page_sorting_every_match_gives(namesakes: Database, typed: str) -> None:
    query = ContactQuery(search=typed)
    with namesakes.read() as session:
        conn = session.connection()
        assert query.narrow_search(conn)
        pages = [[row.id for row in query.page(conn, offset, 10)] for offset in range(0, 140, 10)]
    assert pages == [sorted_page_ids(namesakes, query, offset, 10) for offset in range(0, 140, 10)]
    assert pages[0]


def test_every_way_a_contact_is_written_keeps_its_search_row_in_step(db: Database) -> None:
    generate_demo(db, 60, seed=3)
    with db.write() as tx:
        ids = [r[0] for r in tx.session.connection().exec_driver_sql("SELECT id FROM contact LIMIT 6")]
        update_contact(tx, ids[0], {"family_name": "Zygmunt"})
        delete_contact(tx, ids[1])
        forget_contact(tx, ids[2])
        made = create_contact(tx, {"organisation": "Food Bank"})
        delete_contact(tx, ids[3])
        delete_contact(tx, ids[3], deleted=False)  # the undo of a delete
    with db.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql(ASTRAY).scalar_one() == 0
        keys = dict(conn.exec_driver_sql("SELECT contact_id, live_sort_key FROM contact_search").all())
        assert keys[ids[1]] is None and keys[ids[2]] is None and keys[ids[3]] is not None
        assert keys[made.id] == "food bank" and keys[ids[0]].startswith("zygmunt")
        assert check_database(conn).sound


def test_the_health_check_finds_a_search_row_out_of_step_and_a_rewrite_mends_it(db: Database) -> None:
    generate_demo(db, 20, seed=4)
    with db.write() as tx:
        conn = tx.session.connection()
        conn.execute(text("UPDATE contact_search SET live_sort_key = 'zzz' WHERE rowid = 1"))
        conn.execute(text("UPDATE contact_search SET contact_rowid = contact_rowid + 1 WHERE rowid = 5"))
    with db.read() as session:
        report = check_database(session.connection())
    assert "2 search rows out of step with their contacts' place in the list" in report.problems
    with db.write() as tx:
        touch_all_search_rows(tx)
    with db.read() as session:
        assert session.connection().exec_driver_sql(ASTRAY).scalar_one() == 0
        assert check_database(session.connection()).sound
