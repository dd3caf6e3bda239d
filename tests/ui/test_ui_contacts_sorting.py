"""The contacts list (issue 17, problem 9): columns sort by a header click, in SQLite; the consent column and Tags
are on screen at the default window size; extra width goes to names; the user's widths are remembered."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from oursociety_desktop.models.contact_list import ContactQuery
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.ui.contacts.contact_model import (
    COL_NAME,
    COL_ORGANISATION,
    COL_SHARING,
    COL_TAGS,
    ContactTableModel,
)
from oursociety_desktop.ui.contacts.workspace import ContactsWorkspace
from oursociety_desktop.ui.context import AppContext
from oursociety_desktop.ui.main_window import FIRST_SIZE, MainWindow

PEOPLE = [("Ana", "Zeta Trust", "Leeds"), ("Bo", "", "York"), ("Cy", "Alpha Club", ""), ("Di", "midway", "Bath")]


@pytest.fixture(autouse=True)
def people(db: Database) -> None:
    with db.write() as tx:
        for given, organisation, locality in PEOPLE:
            create_contact(tx, {"given_name": given, "family_name": "Smith", "organisation": organisation,
                                "locality": locality, "tags": [given.lower()]})


def names(model: ContactTableModel) -> list[str]:
    return [model.index(r, COL_NAME).data().split()[0] for r in range(model.rowCount())]


def test_sorting_happens_in_sql_with_empty_values_last(ctx: AppContext) -> None:
    model = ContactTableModel(ctx.db)
    assert names(model) == ["Ana", "Bo", "Cy", "Di"]
    model.sort(COL_ORGANISATION, Qt.SortOrder.AscendingOrder)
    assert model.query.sort == "organisation"
    assert names(model) == ["Cy", "Di", "Ana", "Bo"]  # case-insensitive; no organisation last
    model.sort(COL_ORGANISATION, Qt.SortOrder.DescendingOrder)
    assert names(model) == ["Ana", "Di", "Cy", "Bo"]
    model.set_query(ContactQuery(search="smith"))  # a search keeps the chosen order
    assert model.query.sort == "organisation" and names(model) == ["Ana", "Di", "Cy", "Bo"]
    cy = model.contact_id(2)
    assert cy is not None
    model.set_query(ContactQuery())
    assert model.row_of(cy) == 2


def test_a_header_click_sorts(ctx: AppContext, qtbot: QtBot) -> None:
    ws = ContactsWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.resize(1100, 600)
    ws.show()
    qtbot.waitExposed(ws)
    header = ws.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_ORGANISATION) + header.sectionSize(COL_ORGANISATION) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(x, header.height() // 2))
    assert ws.model.query.sort == "organisation"
    assert names(ws.model)[0] == "Cy"


def test_consent_and_tags_are_on_screen_at_the_default_size(ctx: AppContext, data_dir: Path, qtbot: QtBot) -> None:
    window = MainWindow(ctx, data_dir)
    qtbot.addWidget(window)
    window.resize(FIRST_SIZE)  # the size it opens at on a laptop's screen (the test screen is 800 wide)
    window.show()
    qtbot.waitExposed(window)
    ws = window.show_workspace("contacts")
    assert isinstance(ws, ContactsWorkspace)
    qtbot.wait(10)
    header = ws.table.horizontalHeader()
    visible = ws.table.viewport().width()
    for column in (COL_SHARING, COL_TAGS):
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= visible + 1, column
    window.resize(1920, 1000)
    qtbot.wait(10)
    assert header.sectionSize(COL_NAME) > header.sectionSize(COL_TAGS)  # extra width went to the names


def test_the_users_column_widths_are_remembered(ctx: AppContext, qtbot: QtBot) -> None:
    ws = ContactsWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.table.setColumnWidth(COL_TAGS, 301)
    ws.remember_columns()
    again = ContactsWorkspace(ctx)
    qtbot.addWidget(again)
    assert again.table.columnWidth(COL_TAGS) == 301


def test_a_large_list_sorts_on_a_worker_thread(ctx: AppContext, qtbot: QtBot,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("oursociety_desktop.ui.contacts.contact_model.SYNC_SORT_LIMIT", 0)  # every hub is "large"
    model = ContactTableModel(ctx.db)
    with qtbot.waitSignal(model.sorting, check_params_cb=lambda busy: busy is False, timeout=5000):
        model.sort(COL_ORGANISATION, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["Cy", "Di", "Ana", "Bo"]
    bo = model.contact_id(3)
    assert bo is not None
    model.reload()  # a data change re-sorts in the background; the rows on show stay meanwhile
    assert names(model) == ["Cy", "Di", "Ana", "Bo"]
    qtbot.waitUntil(lambda: model.row_of(bo) == 3, timeout=5000)


def test_a_model_dropped_during_a_background_sort_is_freed_on_the_gui_thread(
        ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sorting thread held the last reference to the model, so the model was deleted on that thread while
    its answer was still queued: a "Bus error" in the test run. Workers now hold only a weak reference."""
    monkeypatch.setattr("oursociety_desktop.ui.contacts.contact_model.SYNC_SORT_LIMIT", 0)
    release = threading.Event()
    sort_rowids = ContactQuery.ordered_rowids

    def slow_sort(query: ContactQuery, conn: Any) -> list[int]:
        release.wait(5)
        return sort_rowids(query, conn)

    monkeypatch.setattr(ContactQuery, "ordered_rowids", slow_sort)
    model = ContactTableModel(ctx.db)
    model.sort(COL_ORGANISATION, Qt.SortOrder.AscendingOrder)
    gone = weakref.ref(model)
    del model
    gc.collect()
    assert gone() is None  # the worker, still sorting, does not keep the model alive
    release.set()
    qtbot.waitUntil(lambda: not any(t.name == "contact-sort" for t in threading.enumerate()), timeout=5000)
    qtbot.wait(20)  # the answer reaches the mailbox and is dropped: nobody is left to take it


def test_a_failed_background_sort_ends_the_busy_state_and_keeps_the_order(
        ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("oursociety_desktop.ui.contacts.contact_model.SYNC_SORT_LIMIT", 0)

    def broken(query: ContactQuery, conn: Any) -> list[int]:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(ContactQuery, "ordered_rowids", broken)
    model = ContactTableModel(ctx.db)
    with qtbot.waitSignal(model.sorting, check_params_cb=lambda busy: busy is False, timeout=5000):
        model.sort(COL_ORGANISATION, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["Ana", "Bo", "Cy", "Di"]  # as it was


def test_only_the_newest_background_sort_changes_the_list(ctx: AppContext, qtbot: QtBot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("oursociety_desktop.ui.contacts.contact_model.SYNC_SORT_LIMIT", 0)
    first_may_finish = threading.Event()
    sort_rowids = ContactQuery.ordered_rowids
    calls: list[int] = []

    def held(query: ContactQuery, conn: Any) -> list[int]:
        calls.append(1)
        if len(calls) == 1:
            first_may_finish.wait(5)  # the first sort answers last
        return sort_rowids(query, conn)

    monkeypatch.setattr(ContactQuery, "ordered_rowids", held)
    model = ContactTableModel(ctx.db)
    model.sort(COL_ORGANISATION, Qt.SortOrder.AscendingOrder)
    model.sort(COL_ORGANISATION, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: names(model) == ["Ana", "Di", "Cy", "Bo"], timeout=5000)
    first_may_finish.set()
    qtbot.waitUntil(lambda: not any(t.name == "contact-sort" for t in threading.enumerate()), timeout=5000)
    qtbot.wait(20)
    assert names(model) == ["Ana", "Di", "Cy", "Bo"]  # the older, ascending answer came last and was dropped


def test_a_narrow_search_in_a_large_sorted_list_takes_the_list_s_order(ctx: AppContext, qtbot: QtBot,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """In a list sorted once on a worker thread, a search with few matches puts them in that order instead of
    sorting them again in SQLite: the rows are exactly those SQLite's sort of the matches gives."""
    monkeypatch.setattr("oursociety_desktop.ui.contacts.contact_model.SYNC_SORT_LIMIT", 0)
    with ctx.db.write() as tx:  # namesakes and organisations of one name: ties broken by name, then rowid
        for given, organisation in (("Ed", "Zeta Trust"), ("Ana", "zeta trust"), ("Flo", ""), ("Ana", "Alpha Club")):
            create_contact(tx, {"given_name": given, "family_name": "Smyth", "organisation": organisation})
    sort_rowids = ContactQuery.ordered_rowids

    def expected(query: ContactQuery) -> list[str]:
        with ctx.db.read() as session:
            conn = session.connection()
            return [conn.exec_driver_sql("SELECT id FROM contact WHERE rowid = ?", (r,)).scalar_one()
                    for r in sort_rowids(query, conn)]

    sorted_again: list[ContactQuery] = []

    def counted(query: ContactQuery, conn: Any) -> list[int]:
        sorted_again.append(query)
        return sort_rowids(query, conn)

    model = ContactTableModel(ctx.db)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        with qtbot.waitSignal(model.sorting, check_params_cb=lambda busy: busy is False, timeout=5000):
            model.sort(COL_ORGANISATION, order)
        monkeypatch.setattr(ContactQuery, "ordered_rowids", counted)
        for typed in ("smyth", "ana", "sm", "zeta", "nobody"):
            model.set_query(ContactQuery(search=typed))
            assert [model.contact_id(r) for r in range(model.rowCount())] == expected(model.query)
        assert sorted_again == []  # every search took the order of the list sorted once
        monkeypatch.setattr(ContactQuery, "ordered_rowids", sort_rowids)
        model.set_query(ContactQuery())
