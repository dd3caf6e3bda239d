"""Bulk paths index contacts in one pass at the end of their transaction (models/search.py
`search_index_at_end`): the index then holds exactly what row-by-row indexing would, and a rollback leaves the
schema's triggers and the index as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from oursociety_desktop.models.contacts import create_contact, delete_contact, update_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.models.search import search_contact_ids, search_index_at_end


def _triggers(conn: Connection) -> dict[str, str]:
    return dict(conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contact_search'").all())


def _index_agrees(conn: Connection) -> None:
    # FTS5's integrity check with rank 1 compares the index with the content table, row by row.
    conn.exec_driver_sql("INSERT INTO contact_fts(contact_fts, rank) VALUES ('integrity-check', 1)")


def test_edits_inside_and_outside_the_block_leave_a_consistent_index(db: Database) -> None:
    with db.write() as tx:
        old = create_contact(tx, {"given_name": "Olwen", "family_name": "Price"}).id
        gone = create_contact(tx, {"given_name": "Gwyn", "family_name": "Jones"}).id
    with db.read() as session:
        before = _triggers(session.connection())
    with db.write() as tx:
        conn = tx.session.connection()
        with search_index_at_end(conn):
            update_contact(tx, old, {"family_name": "Pryce"})  # a row indexed before: its trigger still fires
            delete_contact(tx, gone)
            new = create_contact(tx, {"given_name": "Nia", "family_name": "Evans"}).id
            update_contact(tx, new, {"family_name": "Ellis"})  # a new row changed before the index pass
            assert search_contact_ids(conn, "Nia") == []  # not indexed yet
    with db.read() as session:
        conn = session.connection()
        _index_agrees(conn)
        assert _triggers(conn) == before
        assert search_contact_ids(conn, "Pryce") == [old]
        assert search_contact_ids(conn, "Price") == []
        assert search_contact_ids(conn, "Ellis") == [new]
        assert search_contact_ids(conn, "Evans") == []


def test_a_rollback_keeps_the_triggers_and_the_index(db: Database) -> None:
    with db.write() as tx:
        kept = create_contact(tx, {"given_name": "Olwen", "family_name": "Price"}).id
    with db.read() as session:
        before = _triggers(session.connection())
    with pytest.raises(RuntimeError), db.write() as tx, search_index_at_end(tx.session.connection()):
        create_contact(tx, {"given_name": "Nia", "family_name": "Evans"})
        raise RuntimeError("cancelled")
    with db.read() as session:
        conn = session.connection()
        assert _triggers(conn) == before
        _index_agrees(conn)
        assert search_contact_ids(conn, "Nia") == []
    with db.write() as tx:  # the restored triggers index the next edit as usual
        update_contact(tx, kept, {"given_name": "Nia"})
    with db.read() as session:
        assert search_contact_ids(session.connection(), "Nia") == [kept]


def test_demo_data_is_indexed_in_one_pass(db: Database) -> None:
    generate_demo(db, 300, seed=3)
    with db.read() as session:
        conn = session.connection()
        _index_agrees(conn)
        family = conn.exec_driver_sql("SELECT family_name FROM contact WHERE family_name GLOB '[A-Z]*' "
                                      "LIMIT 1").scalar_one()
        assert search_contact_ids(conn, family)


def test_cancel_while_the_index_is_built_leaves_nothing(db: Database) -> None:
    from oursociety_desktop.formats.vcard import parse_vcards
    from oursociety_desktop.models.dump import iter_dump_lines
    from oursociety_desktop.models.errors import Cancelled
    from oursociety_desktop.services.people_import import ImportOptions, run_import

    text = "".join(f"BEGIN:VCARD\nVERSION:3.0\nN:P{i};Test;;;\nEND:VCARD\n" for i in range(300))
    with db.read() as session:
        before = list(iter_dump_lines(session.connection()))
        triggers = _triggers(session.connection())
    messages: list[str] = []

    def progress(_percent: int, message: str) -> bool:
        messages.append(message)
        return message != "Building the search index"

    with pytest.raises(Cancelled):
        run_import(db, parse_vcards(text.encode()), ImportOptions(), progress=progress)
    assert "Building the search index" in messages
    with db.read() as session:
        conn = session.connection()
        assert list(iter_dump_lines(conn)) == before
        assert _triggers(conn) == triggers
        _index_agrees(conn)


def test_a_bulk_write_gives_its_larger_page_cache_back(db: Database) -> None:
    from oursociety_desktop.models.bulk import BULK_PAGE_CACHE_KIB, larger_page_cache

    def cache_size(conn: Connection) -> int:
        return int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())

    with db.write() as tx:
        conn = tx.session.connection()
        before = cache_size(conn)
        with larger_page_cache(conn):
            assert cache_size(conn) == -BULK_PAGE_CACHE_KIB
        assert cache_size(conn) == before
        with pytest.raises(ZeroDivisionError), larger_page_cache(conn):
            _ = 1 / 0
        assert cache_size(conn) == before
    generate_demo(db, 30)  # a bulk write through a pooled connection: the next user of it gets the usual cache
    with db.read() as session:
        assert cache_size(session.connection()) == before


_LONG_QUERY = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
               "SELECT COUNT(*) FROM n")


def test_a_long_statement_reports_progress_while_it_runs(db: Database) -> None:
    from oursociety_desktop.models.bulk import reporting_during_statements

    reports: list[int] = []
    with db.write() as tx:
        conn = tx.session.connection()
        with reporting_during_statements(conn, lambda: reports.append(1), every=0):
            assert conn.exec_driver_sql(_LONG_QUERY).scalar_one() == 300000
        calls = len(reports)
        assert calls > 10  # 300,000 steps of a recursive query: many looks at the clock, each a report
        conn.exec_driver_sql(_LONG_QUERY).scalar_one()  # after the block, no more reports
        assert len(reports) == calls


def test_a_cancel_during_a_statement_stops_it_and_rolls_everything_back(db: Database) -> None:
    from oursociety_desktop.models.bulk import reporting_during_statements
    from oursociety_desktop.models.dump import iter_dump_lines
    from oursociety_desktop.models.errors import Cancelled

    with db.read() as session:
        before = list(iter_dump_lines(session.connection()))
    reports: list[int] = []

    def report() -> None:
        reports.append(1)
        if len(reports) == 3:
            raise Cancelled("cancelled")

    with pytest.raises(Cancelled), db.write() as tx:
        conn = tx.session.connection()
        create_contact(tx, {"given_name": "Nia", "family_name": "Evans"})
        tx.session.flush()
        with reporting_during_statements(conn, report, every=0):
            conn.exec_driver_sql(_LONG_QUERY).scalar_one()
    assert len(reports) == 3  # the statement stopped at the Cancel, not at its end
    with db.read() as session:
        assert list(iter_dump_lines(session.connection())) == before
    with db.write() as tx:  # the connection is usable afterwards
        create_contact(tx, {"given_name": "Olwen", "family_name": "Price"})


def test_a_cancel_inside_the_index_pass_is_answered_during_its_statement(db: Database,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The index pass runs one statement per 20,000 rows; a Cancel during one is answered inside it."""
    from oursociety_desktop.models import bulk
    from oursociety_desktop.models.dump import iter_dump_lines
    from oursociety_desktop.models.errors import Cancelled

    monkeypatch.setattr(bulk, "REPORT_SECONDS", 0)  # report at every look, not only after 0.2 s
    monkeypatch.setattr(bulk, "VM_STEPS", 100)
    with db.read() as session:
        before = list(iter_dump_lines(session.connection()))
    calls: list[tuple[int, int]] = []

    def between(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == 3:  # the first call comes before the statement, the next ones from inside it
            raise Cancelled("cancelled")

    with pytest.raises(Cancelled), db.write() as tx:
        conn = tx.session.connection()
        with search_index_at_end(conn, between, chunk=5000):
            for i in range(200):
                create_contact(tx, {"given_name": "Test", "family_name": f"P{i}"})
            tx.session.flush()
    assert calls == [(0, 200)] * 3  # all three before the one statement of 200 rows ended
    with db.read() as session:
        conn = session.connection()
        assert list(iter_dump_lines(conn)) == before
        _index_agrees(conn)
