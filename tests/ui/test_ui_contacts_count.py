"""A broad search shows its first page at once; the count of all matches arrives from a worker thread, and the
current contact is looked for only among loaded rows (both were event-loop stalls at 100k)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contact_list import ContactQuery
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.ui.contacts.contact_model import PAGE_SIZE, ContactTableModel


def test_count_of_a_broad_search_arrives_from_a_worker(db: Database, qtbot: QtBot) -> None:
    generate_demo(db, 1500, seed=2)
    model = ContactTableModel(db)
    query = ContactQuery(search="a")
    with db.read() as session:
        expected = query.count(session.connection())
    assert expected > PAGE_SIZE
    with qtbot.waitSignal(model.count_known, timeout=10_000) as blocker:
        model.set_query(query)
        assert model.rowCount() == PAGE_SIZE and not model.count_exact  # the first page, at once
    assert blocker.args == [expected]
    assert model.count_exact and model.rowCount() == expected


def test_a_stale_count_is_ignored(db: Database, qtbot: QtBot) -> None:
    generate_demo(db, 1500, seed=2)
    model = ContactTableModel(db)
    model.set_query(ContactQuery(search="a"))
    model.set_query(ContactQuery(search="ab"))
    qtbot.waitUntil(lambda: model.count_exact, timeout=10_000)
    with db.read() as session:
        assert model.rowCount() == ContactQuery(search="ab").count(session.connection())


def test_within_a_search_only_loaded_rows_are_searched(db: Database, qtbot: QtBot) -> None:
    generate_demo(db, 1500, seed=2)
    model = ContactTableModel(db)
    model.set_query(ContactQuery(search="a"))
    loaded = model.contact_id(5)
    assert loaded and model.row_of(loaded) == 5
    with db.read() as session:
        later = ContactQuery(search="a").page(session.connection(), PAGE_SIZE + 10, 1)[0].id
    qtbot.waitUntil(lambda: model.count_exact, timeout=10_000)
    assert model.row_of(later) is None  # not loaded: not worth a count over every match
    model.data(model.index(PAGE_SIZE + 10, 0))  # scrolled into view: now it is found
    assert model.row_of(later) == PAGE_SIZE + 10
