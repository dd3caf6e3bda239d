"""A narrow search in a large list sorted by another column takes the order of the list sorted once
(`ContactTableModel._load_ordered`): with a filter set, after deletes, an erasure, a duplicate merge and a rename
(each followed by the reload the window does), its rows are exactly those SQLite's sort of the matches gives."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contact_list import ContactQuery
from oursociety_desktop.models.contacts import create_contact, delete_contact, forget_contact, update_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.duplicates import merge_contacts
from oursociety_desktop.ui.contacts.contact_model import COL_NAME, COL_ORGANISATION, ContactTableModel


def _expected(db: Database, query: ContactQuery) -> list[str]:
    with db.read() as session:
        conn = session.connection()
        ids = dict(conn.exec_driver_sql("SELECT rowid, id FROM contact").all())
        return [ids[r] for r in query.ordered_rowids(conn)]


def test_a_narrow_search_keeps_the_sorted_list_s_order_through_every_kind_of_change(
        db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("oursociety_desktop.ui.contacts.contact_model.SYNC_SORT_LIMIT", 0)
    with db.write() as tx:
        ids = [create_contact(tx, {"given_name": given, "family_name": family, "organisation": organisation,
                                   "tags": ["food"] if n % 2 else []}).id
               for n, (given, family, organisation) in enumerate(
                   (g, f, o) for f in ("Smyth", "Patel") for g in ("Ann", "Ed") for o in ("Zeta", "alpha", ""))]
    read_from_search_rows: list[str] = []
    matched = ContactQuery.matched_rowids

    def counted(query: ContactQuery, conn: object) -> list[int]:
        read_from_search_rows.append(query.search)
        return matched(query, conn)  # type: ignore[arg-type]

    monkeypatch.setattr(ContactQuery, "matched_rowids", counted)
    model = ContactTableModel(db)
    changes = [
        lambda tx: delete_contact(tx, ids[0]),
        lambda tx: forget_contact(tx, ids[1]),
        lambda tx: merge_contacts(tx, ids[2], ids[3]),
        lambda tx: update_contact(tx, ids[4], {"family_name": "Smythe", "organisation": "Beta"}),
        lambda tx: delete_contact(tx, ids[0], deleted=False),
        lambda tx: create_contact(tx, {"given_name": "Ann", "family_name": "Smyth", "tags": ["food"]}),
    ]
    for change in [None, *changes]:
        if change is not None:
            with db.write() as tx:
                change(tx)
            model.reload()
        for tag in ("", "food"):
            model.set_query(ContactQuery(tag=tag))
            with qtbot.waitSignal(model.sorting, check_params_cb=lambda busy: busy is False, timeout=5000):
                model.sort(COL_ORGANISATION, Qt.SortOrder.AscendingOrder)
            assert model._base is not None  # the list sorted once, on a worker thread
            for typed in ("smyth", "ann", "pat", "ed sm", "nobody"):
                model.set_query(replace(model.query, search=typed))
                assert [model.contact_id(r) for r in range(model.rowCount())] == _expected(db, model.query), typed
            model.set_query(ContactQuery())
            model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    assert len(read_from_search_rows) == 7 * 2 * 5  # every narrow search took the order of the list sorted once
