"""The action list model and its SQL filters, without a window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from oursociety_desktop.models.actions import (
    TO_DO,
    ActionFilter,
    count_actions,
    create_action,
    link_contact,
    links_of,
    list_actions,
)
from oursociety_desktop.models.contacts import create_contact
from oursociety_desktop.models.database import Database
from oursociety_desktop.models.groups import create_group
from oursociety_desktop.models.tables import Action
from oursociety_desktop.ui.actions.action_model import COL_GROUP, COL_OWNERS, COL_TITLE, COL_WHEN, ActionTableModel
from oursociety_desktop.ui.context import AppContext, DataEvents
from oursociety_desktop.ui.tasks import SyncTaskRunner

PAGE = ActionTableModel.PAGE

TODAY = date(2026, 11, 25)  # a Wednesday: this week runs 23–29 November


@pytest.fixture
def seeded(db: Database) -> dict[str, str]:
    with db.write() as tx:
        anna = create_contact(tx, {"given_name": "Anna", "family_name": "Kowalska"}).id
        omar = create_contact(tx, {"given_name": "Omar", "family_name": "Haddad"}).id
        garden = create_group(tx, {"name": "Garden"}).id
        ids = {
            "late": create_action(tx, {"title": "Late call", "kind": "call", "due": "2026-11-20"}).id,
            "monday": create_action(tx, {"title": "Monday task", "due": "2026-11-23", "status": "doing",
                                         "group_id": garden}).id,
            "meeting": create_action(tx, {"title": "Meeting", "kind": "meeting",
                                          "starts_at": "2026-11-27T18:00"}).id,
            "later": create_action(tx, {"title": "Later", "due": "2026-12-10"}).id,
            "undated": create_action(tx, {"title": "Undated"}).id,
            "done": create_action(tx, {"title": "Old done", "due": "2026-11-01", "status": "done"}).id,
        }
        link_contact(tx, ids["late"], anna, "owner")
        link_contact(tx, ids["late"], omar, "owner")
        link_contact(tx, ids["monday"], omar, "attendee")
    ids.update(anna=anna, omar=omar, garden=garden)
    return ids


def titles(db: Database, flt: ActionFilter) -> list[str]:
    with db.read() as session:
        rows = list_actions(session, flt)
        assert count_actions(session, flt) == len(rows)
        return [r.title for r in rows]


def test_filters(db: Database, seeded: dict[str, str]) -> None:
    assert titles(db, ActionFilter(today=TODAY)) == [
        "Old done", "Late call", "Monday task", "Meeting", "Later", "Undated"]
    assert titles(db, ActionFilter(status=TO_DO, today=TODAY)) == [
        "Late call", "Monday task", "Meeting", "Later", "Undated"]
    assert titles(db, ActionFilter(status="done", today=TODAY)) == ["Old done"]
    assert titles(db, ActionFilter(overdue=True, today=TODAY)) == ["Late call", "Monday task"]
    assert titles(db, ActionFilter(this_week=True, today=TODAY)) == ["Monday task", "Meeting"]
    assert titles(db, ActionFilter(group_id=seeded["garden"], today=TODAY)) == ["Monday task"]
    # Owner means linked as owner: Omar only attends the Monday task.
    assert titles(db, ActionFilter(owner_id=seeded["omar"], today=TODAY)) == ["Late call"]
    assert titles(db, ActionFilter(owner_id=seeded["omar"], overdue=True, this_week=True, today=TODAY)) == []


def test_links_of_lists_owners_first(db: Database, seeded: dict[str, str]) -> None:
    with db.write() as tx:
        link_contact(tx, seeded["late"], seeded["anna"], "about")
    with db.read() as session:
        assert [(r.name, r.role) for r in links_of(session, seeded["late"])] == [
            ("Omar Haddad", "owner"), ("Anna Kowalska", "owner"), ("Anna Kowalska", "about")]


def test_table_model_columns_and_overdue_marking(qtbot: QtBot, db: Database, seeded: dict[str, str]) -> None:
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    model = ActionTableModel(ctx)
    model.set_filter(ActionFilter(status=TO_DO, today=TODAY))
    assert model.rowCount() == 5 and model.total == 5
    assert model.index(0, COL_TITLE).data() == "Late call"
    assert model.index(0, COL_WHEN).data() == "2026-11-20"
    assert model.index(0, COL_OWNERS).data() == "Omar Haddad, Anna Kowalska"
    assert model.index(1, COL_GROUP).data() == "Garden"
    assert model.index(0, COL_WHEN).data(0x0006) is not None  # FontRole: bold, overdue
    assert model.index(2, COL_WHEN).data() == "2026-11-27"  # a meeting is listed on the day it starts
    assert model.index(2, COL_WHEN).data(0x0006) is None


def test_table_model_fetches_lazily(qtbot: QtBot, db: Database) -> None:
    day = date(2026, 1, 1)
    with db.write() as tx:
        # Core insert of many rows (what the demo generator does); a real action to check ordering.
        stamp = tx.stamp()
        tx.session.connection().execute(insert(Action.__table__), [  # type: ignore[attr-defined]
            {"id": f"a{i:05d}", "base_stamp": stamp, "stamps": {},
             "deleted": False, "title": f"Action {i}", "kind": "task", "status": "open",
             "due": (day + timedelta(days=i % 300)).isoformat(), "starts_at": "", "ends_at": "", "location": "",
             "group_id": "", "notes": "", "outcome": ""} for i in range(PAGE * 2 + 50)])
    ctx = AppContext(db, SyncTaskRunner(), QUndoStack(), DataEvents())
    model = ActionTableModel(ctx)
    model.set_filter(ActionFilter(today=TODAY))
    assert model.total == PAGE * 2 + 50 and model.rowCount() == PAGE
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE * 2 + 50 and not model.canFetchMore()
    model.reload()  # after an edit elsewhere: rows scrolled into view stay loaded
    assert model.rowCount() == PAGE * 2 + 50
    whens = [model.index(r, COL_WHEN).data() for r in range(model.rowCount())]
    assert whens == sorted(whens)
    assert len({model.index(r, COL_TITLE).data() for r in range(model.rowCount())}) == PAGE * 2 + 50
