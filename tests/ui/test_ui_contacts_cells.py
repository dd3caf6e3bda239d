"""The contact list's cells, role by role, are what the core's decoded page says (issue 20: the model keeps
SQLite's rows undecoded until the view asks for them and answers the roles it has no value for first), in name
order, in a broad and a narrow search and in another column's order, past the first page; and a search's count of
all matches starts only once the event loop has run (after the list is painted)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contact_list import ContactQuery, ContactRow
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.demo import generate_demo
from oursociety_desktop.ui.contacts.contact_model import (
    COL_EMAIL,
    COL_LOCALITY,
    COL_NAME,
    COL_ORGANISATION,
    COL_PHONE,
    COL_SHARING,
    COL_TAGS,
    COLUMN_COUNT,
    CONTACT_ID_ROLE,
    PAGE_SIZE,
    ContactTableModel,
    consent_icon,
)
from oursociety_desktop.ui.wording import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE

DISPLAY, DECORATION = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole
TOOLTIP, ACCESSIBLE = Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole
UNANSWERED = (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole,
              Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.EditRole,
              Qt.ItemDataRole.SizeHintRole)


@pytest.fixture
def hub(db: Database) -> Database:
    generate_demo(db, 700, seed=5)
    with db.write() as tx:  # an organisation without a person's name
        create_contact(tx, {"organisation": "Kirkgate Food Bank", "locality": "Leeds",
                            "phones": [{"label": "work", "value": "0113 496 0999"}]})
    return db


@pytest.fixture
def right_to_left(qapp: QGuiApplication) -> Iterator[None]:
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def expected_cell(record: ContactRow, column: int, role: Qt.ItemDataRole, rtl: bool) -> object:
    """What the list showed for a cell before rows were kept undecoded (the model's former `data`)."""
    texts = {COL_NAME: record.name or "(no name)", COL_ORGANISATION: record.organisation, COL_PHONE: record.phone,
             COL_EMAIL: record.email, COL_LOCALITY: record.locality, COL_TAGS: record.tags}
    if role == CONTACT_ID_ROLE:
        return record.id
    if column == COL_SHARING:
        if role == DECORATION:
            return consent_icon(record.share, record.directory)
        if role == DISPLAY:
            return None
        hubs = "shared with other hubs" if record.share else "not shared with other hubs"
        listed = "in the printed directory" if record.directory else "not in the printed directory"
        return f"{hubs}; {listed}".capitalize()
    if role == DECORATION:
        return None
    value = texts[column]
    if role == DISPLAY and rtl and column in (COL_PHONE, COL_EMAIL) and value:
        return FIRST_STRONG_ISOLATE + value + POP_DIRECTIONAL_ISOLATE
    return value


def check_rows(model: ContactTableModel, db: Database, query: ContactQuery, rows: list[int], rtl: bool = False
               ) -> int:
    with db.read() as session:
        listed = query.page(session.connection(), 0, max(rows) + 1)
    for row in rows:
        record = listed[row]
        for column in range(COLUMN_COUNT):
            index = model.index(row, column)
            for role in (DISPLAY, DECORATION, TOOLTIP, ACCESSIBLE, CONTACT_ID_ROLE):
                got, wanted = model.data(index, role), expected_cell(record, column, role, rtl)
                if role == DECORATION and wanted is not None:
                    assert got is wanted, (row, column)  # the one cached icon per consent state
                else:
                    assert got == wanted, (row, column, role)
            for role in UNANSWERED:
                assert model.data(index, role) is None
    return len(listed)


def test_every_cell_is_the_cores_decoded_row(hub: Database, qtbot: QtBot) -> None:
    model = ContactTableModel(hub)
    assert model.rowCount() == 701
    assert check_rows(model, hub, model.query, [0, 1, 57, PAGE_SIZE - 1, PAGE_SIZE, 450, 700]) == 701
    assert model.data(model.index(701, COL_NAME)) is None and model.data(model.index(-1, COL_NAME)) is None
    food_bank = [r for r in range(701) if model.data(model.index(r, COL_ORGANISATION)) == "Kirkgate Food Bank"]
    assert len(food_bank) == 1
    check_rows(model, hub, model.query, food_bank)
    for search in ("a", "jo"):  # broad (the name index walked) and narrow (the matches sorted)
        model.set_query(ContactQuery(search=search))
        qtbot.waitUntil(lambda: model.count_exact, timeout=10_000)
        assert model.rowCount() > 1
        check_rows(model, hub, model.query, sorted({0, 3, min(model.rowCount() - 1, PAGE_SIZE + 7)}))


def test_cells_in_another_order_and_in_a_right_to_left_window(hub: Database, qtbot: QtBot,
                                                             right_to_left: None) -> None:
    model = ContactTableModel(hub)
    model.sort(COL_LOCALITY, Qt.SortOrder.DescendingOrder)  # 701 contacts: sorted at once
    assert model.query.sort == "locality" and model.query.descending
    check_rows(model, hub, model.query, [0, 9, PAGE_SIZE + 1, 600], rtl=True)
    phones = [model.data(model.index(r, COL_PHONE)) for r in range(40)]
    assert any(p and p.startswith(FIRST_STRONG_ISOLATE) for p in phones)


def test_a_search_is_counted_only_after_the_event_loop_ran(hub: Database, qtbot: QtBot) -> None:
    model = ContactTableModel(hub)
    with hub.read() as session:
        expected = ContactQuery(search="a").count(session.connection())
    assert expected > PAGE_SIZE
    model.set_query(ContactQuery(search="a"))
    # The first page is shown; no worker is counting while the view paints it.
    assert model.rowCount() == PAGE_SIZE and not model.count_exact
    assert not [t for t in threading.enumerate() if t.name == "contact-count"]
    qtbot.waitUntil(lambda: model.count_exact, timeout=10_000)
    assert model.rowCount() == expected


def test_searches_in_another_order_narrow_sorted_at_once_broad_walked_from_the_list_sorted_once(
        hub: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("oursociety_desktop.ui.contacts.contact_model.SYNC_SORT_LIMIT", 0)  # every hub is "large"
    monkeypatch.setattr("oursociety_desktop.models.contact_list.BROAD_SEARCH", 150)
    model = ContactTableModel(hub)
    model.set_query(ContactQuery(search="a"))
    busy: list[bool] = []
    model.sorting.connect(busy.append)
    # A broad search, the list not sorted yet: the list without the search is sorted on a worker, then walked.
    with qtbot.waitSignal(model.sorting, check_params_cb=lambda sorting: sorting is False, timeout=10_000):
        model.sort(COL_ORGANISATION, Qt.SortOrder.AscendingOrder)
    assert busy == [True, False] and model.query == ContactQuery(search="a", sort="organisation")
    qtbot.waitUntil(lambda: model.count_exact, timeout=10_000)
    last = model.rowCount() - 1
    assert last > 2 * PAGE_SIZE
    check_rows(model, hub, model.query, [0, 5, PAGE_SIZE - 1, PAGE_SIZE, 2 * PAGE_SIZE + 3, last])
    # A narrow search: its matches sorted at once.
    busy.clear()
    model.set_query(ContactQuery(search="jo"))
    narrow = ContactQuery(search="jo", sort="organisation")
    with hub.read() as session:
        wanted = narrow.count(session.connection())
    assert 0 < wanted < 150
    assert True not in busy and model.query == narrow and model.count_exact and model.rowCount() == wanted
    check_rows(model, hub, narrow, list(range(wanted)))
    # Another broad search: walked at once from the sorted list, no worker sorting; the count follows.
    busy.clear()
    model.set_query(ContactQuery(search="e"))
    assert True not in busy and model.rowCount() == PAGE_SIZE and not model.count_exact
    qtbot.waitUntil(lambda: model.count_exact, timeout=10_000)
    check_rows(model, hub, model.query, [0, 50, PAGE_SIZE + 1, model.rowCount() - 1])
    # The search cleared: the sorted list itself, at once.
    model.set_query(ContactQuery())
    assert True not in busy and model.count_exact and model.rowCount() == 701
    check_rows(model, hub, model.query, [0, 350, 700])
    # After a change to the data the list is sorted again on a worker; the rows on show stay meanwhile.
    busy.clear()
    with qtbot.waitSignal(model.sorting, check_params_cb=lambda sorting: sorting is False, timeout=10_000):
        model.reload()
    assert busy == [True, False]
    check_rows(model, hub, model.query, [0, 700])
