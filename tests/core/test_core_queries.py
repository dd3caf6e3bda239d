"""The read queries the window and the command line share, tested without Qt: the contacts list (search,
filters, sort orders, pages), the contact picker's search and the Today summary."""

from __future__ import annotations

from datetime import date

import pytest

from oursociety_desktop.models.actions import ActionFilter, create_action, list_actions, meetings_to_sign_in
from oursociety_desktop.models.contact_list import (
    ContactQuery,
    contact_row,
    live_count_above,
    raw_rows_by_rowid,
    rows_by_rowid,
)
from oursociety_desktop.models.contact_lookups import contacts_to_pick, field_values
from oursociety_desktop.models.contacts import create_contact, delete_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import add_member, create_group, member_ids
from oursociety_desktop.models.list_order import ListOrder
from oursociety_desktop.models.today import read_summary


def seed(db: Database) -> dict[str, str]:
    with db.write() as tx:
        ids = {
            "zofia": create_contact(tx, {"given_name": "Zofia", "family_name": "Nowak", "locality": "Leeds",
                                         "organisation": "Food Bank"}).id,
            "amir": create_contact(tx, {"given_name": "Amir", "family_name": "Khan", "locality": "Bradford"}).id,
            "ruth": create_contact(tx, {"given_name": "Ruth", "family_name": "Adeyemi", "tags": ["garden"]}).id,
            "gone": create_contact(tx, {"given_name": "Gone", "family_name": "Away"}).id,
        }
        delete_contact(tx, ids["gone"])
        choir = create_group(tx, {"name": "Choir"}).id
        add_member(tx, choir, ids["amir"])
        ids["choir"] = choir
    return ids


def test_the_contacts_list_searches_filters_sorts_and_pages(db: Database) -> None:
    ids = seed(db)
    with db.read() as session:
        conn = session.connection()
        everyone = ContactQuery()
        assert [r.name for r in everyone.page(conn, 0, 10)] == ["Ruth Adeyemi", "Amir Khan", "Zofia Nowak"]
        assert everyone.count(conn) == 3  # the deleted one is not listed
        assert [r.id for r in ContactQuery(search="zof").page(conn, 0, 10)] == [ids["zofia"]]
        assert [r.id for r in ContactQuery(group_id=ids["choir"]).page(conn, 0, 10)] == [ids["amir"]]
        assert [r.id for r in ContactQuery(tag="garden").page(conn, 0, 10)] == [ids["ruth"]]
        by_place = ContactQuery(sort="locality")
        assert [r.locality for r in by_place.page(conn, 0, 10)] == ["Bradford", "Leeds", ""]  # empty last
        assert [r.name for r in everyone.page(conn, 1, 1)] == ["Amir Khan"]
        assert everyone.position(conn, ids["zofia"]) == 2
        assert live_count_above(conn, 2) and not live_count_above(conn, 3)  # the deleted one is not counted
        # Pages as SQLite gives them decode to the same rows; rows by rowid keep the order asked, None when deleted.
        assert [r.name for r in everyone.page(conn, 0, 10)] == [
            row.name for row in map(contact_row, everyone.page_rows(conn, 0, 10))]
        rowids = {cid: conn.exec_driver_sql("SELECT rowid FROM contact WHERE id = ?", (cid,)).scalar_one()
                  for cid in ("zofia", "gone", "amir") for cid in [ids[cid]]}
        asked = list(rowids.values())
        assert [r and r.id for r in rows_by_rowid(conn, asked)] == [ids["zofia"], None, ids["amir"]]
        assert [r and r[0] for r in raw_rows_by_rowid(conn, asked)] == [ids["zofia"], None, ids["amir"]]


def test_the_picker_finds_by_search_or_lists_a_to_z_leaving_out_whom_it_is_told(db: Database) -> None:
    ids = seed(db)
    with db.read() as session:
        conn = session.connection()
        assert contacts_to_pick(conn, "leeds", 10) == [(ids["zofia"], "Zofia Nowak", "Food Bank, Leeds")]
        assert [row[1] for row in contacts_to_pick(conn, "", 10, frozenset({ids["ruth"]}))] == \
            ["Amir Khan", "Zofia Nowak"]
        assert len(contacts_to_pick(conn, "", 1)) == 1


def test_today_lists_overdue_and_upcoming_actions(db: Database) -> None:
    with db.write() as tx:
        create_action(tx, {"title": "Late report", "due": "2026-11-01"})
        create_action(tx, {"title": "Street party", "due": "2026-12-03"})
        create_action(tx, {"title": "Far off", "due": "2027-06-01"})
    with db.read() as session:
        summary = read_summary(session.connection(), date(2026, 11, 30))
    assert [a.title for a in summary.overdue] == ["Late report"]
    assert [a.title for a in summary.upcoming] == ["Street party"]


def test_the_meetings_a_sign_in_sheet_offers_are_recent_and_coming_open_ones_soonest_first(db: Database) -> None:
    today = date(2026, 11, 30)
    with db.write() as tx:
        made = {title: create_action(tx, {"title": title, "kind": kind, "status": status, "starts_at": when}).id
                for title, kind, status, when in (
                    ("Lunch Club", "meeting", "open", "2026-12-01T12:30"),
                    ("Fair", "event", "open", "2026-11-20T10:00"),
                    ("Old AGM", "meeting", "open", "2026-10-01T19:00"),  # more than 14 days ago
                    ("Cancelled", "meeting", "cancelled", "2026-12-02T12:00"),
                    ("Phone Ann", "call", "open", "2026-12-01T09:00"),
                    ("Soon", "meeting", "doing", "2026-12-01T09:00"))}
        create_action(tx, {"title": "Due only", "kind": "meeting", "due": "2026-12-05"})
    with db.read() as session:
        offered = meetings_to_sign_in(session, today=today)
        assert [row[1] for row in offered] == ["Fair", "Soon", "Lunch Club", "Due only"]
        assert offered[0][0] == made["Fair"]
        assert [row[1] for row in meetings_to_sign_in(session, today=today, limit=2)] == ["Fair", "Soon"]


def test_field_values_and_member_ids_read_only_live_records(db: Database) -> None:
    with db.write() as tx:
        ann = create_contact(tx, {"given_name": "Ann", "tags": ["choir"]}).id
        bob = create_contact(tx, {"given_name": "Bob"}).id
        gone = create_contact(tx, {"given_name": "Gone", "tags": ["x"]}).id
        club = create_group(tx, {"name": "Club"}).id
        add_member(tx, club, ann)
        add_member(tx, club, gone)
        delete_contact(tx, gone)
    with db.read() as session:
        assert dict(field_values(session.connection(), [ann, bob, gone, "nobody"], "tags")) == {
            ann: ["choir"], bob: []}
        assert field_values(session.connection(), [ann], "given_name") == [(ann, "Ann")]
        assert member_ids(session, club) == {ann, gone}
        with pytest.raises(ValueError):
            field_values(session.connection(), [ann], "id; DROP TABLE contact")


def test_a_long_list_sorts_by_a_column_in_sql_with_empty_values_last(db: Database) -> None:
    with db.write() as tx:
        for title, due in (("book the hall", "2026-12-03"), ("Apply for the grant", ""), ("Clean up", "2026-12-01")):
            create_action(tx, {"title": title, "due": due})
    flt = ActionFilter(status="")
    with db.read() as session:
        def titles(order: ListOrder | None) -> list[str]:
            return [row.title for row in list_actions(session, flt, order=order)]

        assert titles(None) == ["Clean up", "book the hall", "Apply for the grant"]  # its own order: by date
        assert titles(ListOrder("title")) == ["Apply for the grant", "book the hall", "Clean up"]  # case-blind
        assert titles(ListOrder("title", descending=True)) == ["Clean up", "book the hall", "Apply for the grant"]
        assert titles(ListOrder("when", descending=True)) == ["book the hall", "Clean up", "Apply for the grant"]
        assert [r.title for r in list_actions(session, flt, limit=1, offset=1, order=ListOrder("title"))] == [
            "book the hall"]  # pages follow the order
        with pytest.raises(ValueError):
            list_actions(session, flt, order=ListOrder("a.title; DROP TABLE action"))
